"""PDF reports: text through pypdfium2, tables through pdfplumber, OCR where text is unusable.

pdfplumber computes the geometry of every character, which is what makes it slow; we need
that only to find tables. So the text of every page comes from pdfium (one call per page,
plus two character boxes per line for the layout), and pdfplumber's table finder runs only
on pages that draw enough ruling lines to hold a table. Lines inside a table's box are
left out of the body text, so a table is never repeated as scrambled lines.

A page whose fonts have no Unicode map still draws its table's rules as vector paths: the
table finder gives the cells' boxes, and each cell is filled with the OCR lines whose
centre falls inside it. So such a table keeps its rows and columns (and its header's
units) instead of dissolving into a column of fragments. A scanned page has no vector
rules; its grid is found in the page image while it is OCRed (readers/grid.py) and filled
the same way.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    OcrRequiredError,
)
from jixiao.extract import limits
from jixiao.extract.layout import Line, blocks_from_positioned_lines
from jixiao.extract.normalize import clean_text
from jixiao.model import Block, Table

# A page that strokes at least this many paths (cell borders) may hold a table.
TABLE_MIN_PATHS = 8

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (points, origin top-left)

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class PdfContent:
    blocks: list[Block]
    tables: list[Table]
    pages: int
    ocr_pages: list[int] = field(default_factory=list)


def read_pdf(data: bytes, source: str, *, sha256: str, progress: Progress | None = None
             ) -> PdfContent:
    """Blocks and tables of a PDF, OCRing pages whose text layer is missing or garbage."""
    import pypdfium2 as pdfium

    from jixiao.extract.readers import ocr

    limits.check_file(data, "pdf", source)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise EncryptedDocumentError(source, "PDF 已加密（需要密码），请提供未加密的文件") from exc
        raise CorruptDocumentError(source, "PDF 文件已损坏或不完整，无法打开") from exc
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise EmptyDocumentError(source, "PDF 没有页面")
        page_lines: dict[int, list[Line]] = {}
        ocr_needed: list[int] = []
        table_pages: list[int] = []
        for index in range(n_pages):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            if _path_count(page) >= TABLE_MIN_PATHS:
                table_pages.append(index)
            if ocr.text_layer_unusable(text):
                ocr_needed.append(index)
                continue
            page_lines[index] = _lines(textpage, text, page.get_height(), index + 1)
    finally:
        pdf.close()

    if ocr_needed:
        limits.check_ocr_pages(len(ocr_needed), source)
        # The OCR module decides whether OCR can run (cached pages need no extra) and
        # says which pages need it; we only put the full source name on its message.
        try:
            with _as_file(data, source) as path:
                recognised = ocr.ocr_pdf(path, ocr_needed, sha256=sha256, progress=progress)
        except ocr.OcrUnavailableError as exc:
            raise OcrRequiredError(source, exc.reason) from exc
        for index, ocr_page in recognised.items():
            page_lines[index] = [Line(text=o.text, page=index + 1, x0=o.x0, x1=o.x1, top=o.top,
                                      bottom=o.bottom) for o in ocr_page.lines]

    found: dict[int, list[_FoundTable]] = {}
    if table_pages:
        ocr_lines = {i: page_lines[i] for i in ocr_needed if i in table_pages}
        found = _find_tables(data, table_pages, ocr_lines)
    for index in ocr_needed:  # a scan's rules are pixels: its grids come from the OCR
        if index not in found and (grids := recognised[index].grids):
            found[index] = _tables_from_grids(grids, page_lines[index])
    tables: list[Table] = []
    for index in sorted(found):  # in page order, so tables are numbered as they stand
        page_lines[index] = _place_tables(page_lines[index], found[index], tables)

    lines = [ln for index in sorted(page_lines) for ln in page_lines[index]]
    blocks = blocks_from_positioned_lines(lines)
    return PdfContent(blocks=blocks, tables=tables, pages=n_pages, ocr_pages=ocr_needed)


def _path_count(page: object) -> int:
    import pypdfium2.raw as raw

    count = 0
    for _obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):  # type: ignore[attr-defined]
        count += 1
        if count >= TABLE_MIN_PATHS:
            break
    return count


def _lines(textpage: object, text: str, height: float, page_no: int) -> list[Line]:
    """Split pdfium's page text at its line breaks; measure each line's first and last
    character so layout repair knows indents and short lines."""
    lines: list[Line] = []
    start = 0
    n = len(text)
    while start < n:
        end = text.find("\n", start)
        if end == -1:
            end = n
        raw_end = end - 1 if end > start and text[end - 1] == "\r" else end
        first, last = start, raw_end - 1
        while first <= last and text[first].isspace():
            first += 1
        while last >= first and text[last].isspace():
            last -= 1
        if first <= last:
            l0, b0, _, t0 = textpage.get_charbox(first)  # type: ignore[attr-defined]
            _, b1, r1, t1 = textpage.get_charbox(last)  # type: ignore[attr-defined]
            lines.append(Line(text=text[first : last + 1], page=page_no, x0=l0, x1=r1,
                              top=height - max(t0, t1), bottom=height - min(b0, b1)))
        start = end + 1
    return lines


@dataclass(slots=True)
class _FoundTable:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom (pdfplumber)
    rows: list[list[str]]


def _find_tables(data: bytes, pages: list[int], ocr_lines: dict[int, list[Line]]
                 ) -> dict[int, list[_FoundTable]]:
    """Tables of ``pages``: cell text from the text layer, or for the pages in
    ``ocr_lines`` from the OCR lines inside each cell."""
    import pdfplumber

    found: dict[int, list[_FoundTable]] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for index in pages:
            page = pdf.pages[index]
            result = []
            for table in page.find_tables():
                if index in ocr_lines:
                    texts = _fill_cells([row.cells for row in table.rows], ocr_lines[index])
                else:
                    texts = table.extract()
                rows = []
                for row in texts:
                    cells = [clean_text(c.replace("\n", "")) for c in row if c is not None]
                    if any(cells):
                        rows.append(cells)
                if len(rows) >= 2:
                    result.append(_FoundTable(bbox=table.bbox, rows=rows))
            page.flush_cache()
            if result:
                found[index] = result
    return found


def _tables_from_grids(grids: list[list[list[Box | None]]], lines: list[Line]
                       ) -> list[_FoundTable]:
    """Tables of a scanned page: each grid's cells filled with the OCR lines inside."""
    out = []
    for grid in grids:
        rows = []
        for row in _fill_cells(grid, lines):
            cells = [clean_text(c) for c in row if c is not None]
            if any(cells):
                rows.append(cells)
        boxes = [c for row in grid for c in row if c is not None]
        if len(rows) >= 2 and boxes:
            bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                    max(b[2] for b in boxes), max(b[3] for b in boxes))
            out.append(_FoundTable(bbox=bbox, rows=rows))
    return out


def _fill_cells(grid: list[list[Box | None]], lines: list[Line]) -> list[list[str | None]]:
    """The text of each cell: the lines whose centre lies in its box, in reading order
    (a header wrapped inside its cell, 年初预算金 / 额, is joined back). A cell covered by
    a merged neighbour (None) stays None, as pdfplumber's own extract gives it.

    >>> ln = lambda t, x0, top: Line(text=t, page=1, x0=x0, x1=x0 + 20, top=top, bottom=top + 10)
    >>> _fill_cells([[(0, 0, 50, 40), (50, 0, 100, 40), None]],
    ...             [ln("年初预算金", 5, 2), ln("执行率", 60, 2), ln("额", 5, 15)])
    [['年初预算金额', '执行率', None]]
    """
    texts: list[list[str | None]] = []
    for row in grid:
        cells: list[str | None] = []
        for box in row:
            if box is None:
                cells.append(None)
                continue
            x0, top, x1, bottom = box
            cells.append("".join(
                ln.text for ln in lines
                if ln.x0 is not None and ln.x1 is not None and ln.top is not None
                and ln.bottom is not None and x0 <= (ln.x0 + ln.x1) / 2 <= x1
                and top <= (ln.top + ln.bottom) / 2 <= bottom))
        texts.append(cells)
    return texts


def _place_tables(lines: list[Line], page_tables: list[_FoundTable], tables: list[Table]
                  ) -> list[Line]:
    """Drop the lines inside each table's box and put a marker where the table stands.

    A table that starts at the top of a page and has the column count of the table that
    ended the previous page continues it (its repeated header row is dropped).
    """
    out: list[Line] = []
    pending = sorted(page_tables, key=lambda t: t.bbox[1])
    page_no = lines[0].page if lines else None
    for ln in lines:
        while pending and ln.top is not None and ln.top >= pending[0].bbox[1] - 1:
            _add_table(pending.pop(0), tables, out, page_no)
        if any(_inside(ln, t.bbox) for t in page_tables):
            continue
        out.append(ln)
    for table in pending:
        _add_table(table, tables, out, page_no)
    return out


def _add_table(found: _FoundTable, tables: list[Table], out: list[Line], page_no: int | None
               ) -> None:
    previous = tables[-1] if tables else None
    continues = (previous is not None and not out and previous.page is not None
                 and page_no == previous.page + 1 and len(found.rows[0]) == len(previous.header))
    if continues:
        rows = found.rows[1:] if found.rows[0] == previous.header else found.rows
        previous.rows.extend(rows)
        return
    tables.append(Table(index=len(tables), header=found.rows[0], rows=found.rows[1:],
                        page=page_no))
    out.append(Line(text="", page=page_no, table=len(tables) - 1))


def _inside(line: Line, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    if line.top is None or line.x0 is None or line.bottom is None:
        return False
    middle = (line.top + line.bottom) / 2
    return top - 1 <= middle <= bottom + 1 and x0 - 1 <= line.x0 <= x1 + 1


@contextmanager
def _as_file(data: bytes, source: str) -> Iterator[Path]:
    """A path holding ``data`` for the OCR renderer: the source itself when it is the file
    these bytes came from, else a temporary copy."""
    path = Path(source)
    if path.is_file() and path.stat().st_size == len(data):
        yield path
        return
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "input.pdf"
        copy.write_bytes(data)
        yield copy
