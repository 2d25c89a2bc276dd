"""The cells of a form file, each with its address: what the form reader works on.

A performance form is a grid: the figures are where the template puts them, so the reader
needs every cell with the place it came from, and for a merged range the place its value
lives. This module turns each supported file into :class:`Grid`\\ s of :class:`Cell`\\ s:

- ``.xlsx`` (openpyxl) and ``.xls`` (xlrd): one grid per visible sheet, cells as Excel shows
  them (the spreadsheet reader's rule), addresses ``工作表!D7``;
- ``.docx``: one grid per table, with the paragraphs around it as one-cell rows, addresses
  ``表2!D7``;
- ``.pdf``: ruled tables of the text layer (pdfplumber), addresses ``第1页表1!D7``; pages
  without a text layer go through the report reader's OCR, whose tables keep their rows
  but not their columns;
- ``.txt``: page text with cells separated by ``|``, tabs or spaces (forms copied from a web
  page or a PDF), addresses ``第12行第3格`` and an offset into the text for every cell.

Every cell of a merged range carries the range's text, so a row label merged down several
rows labels each of them; ``copy`` marks the cells that are not the range's own (a value is
read only where it lives). ``aligned`` says whether columns are real (a spreadsheet, a Word
or PDF table) or only the order of the cells in a row (text, OCR).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    MissingFileError,
    UnsupportedFormatError,
)

FORM_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".docx": "docx", ".pdf": "pdf",
                 ".txt": "txt"}
# Rows of one sheet read at most: a form has a few dozen; a sheet of thousands of rows is a
# data export, not a form, and is cut here instead of filling memory.
MAX_ROWS = 2000
MAX_COLS = 60


@dataclass(slots=True)
class Cell:
    """One cell: its text as shown, its address, its column, and whether it is a copy of a
    merged range's value rather than the place the value lives."""

    text: str
    address: str
    col: int
    copy: bool = False
    offset: int | None = None  # text files: where the cell's text starts in the file


@dataclass(slots=True)
class Row:
    cells: list[Cell]
    index: int  # 1-based row (line, for text) number within its grid
    sep: str = "grid"  # how a text line was cut: pipe (empty cells hold places), tab, space

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass(slots=True)
class Grid:
    """A sheet, a Word or PDF table with the lines around it, or a text file's lines."""

    name: str
    rows: list[Row] = field(default_factory=list)
    aligned: bool = True
    page: int | None = None


def column_letter(col: int) -> str:
    """Spreadsheet column letters of a 0-based column: 0 → A, 27 → AB.

    >>> column_letter(0), column_letter(3), column_letter(27)
    ('A', 'D', 'AB')
    """
    out = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _address(where: str, row: int, col: int) -> str:
    return f"{where}!{column_letter(col)}{row}"


def form_format(path: Path) -> str:
    """The reader for a form file, from its extension (one line naming what is readable)."""
    suffix = path.suffix.lower()
    if suffix in FORM_SUFFIXES:
        return FORM_SUFFIXES[suffix]
    shown = suffix or "（无扩展名）"
    raise UnsupportedFormatError(str(path), f"不支持的表格文件类型 {shown}，可读取 .xls、.xlsx、.docx、.pdf、.txt")


def read_grids(path: str | Path) -> list[Grid]:
    """The grids of a form file; a file that cannot be read raises a JixiaoError."""
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise MissingFileError(source, "文件不存在")
    if path.is_dir():
        raise MissingFileError(source, "这是一个文件夹，不是文件")
    fmt = form_format(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MissingFileError(source, f"无法读取文件（{exc.strerror or type(exc).__name__}）") from exc
    if not data.strip():
        raise EmptyDocumentError(source, "文件为空（0 字节）")
    return grids_of(data, source, fmt)


def grids_of(data: bytes, source: str, fmt: str) -> list[Grid]:
    """The grids of form bytes of a known format (within the reading bounds of
    :mod:`jixiao.extract.limits`, checked before anything is parsed)."""
    from jixiao.extract import limits

    limits.check_file(data, fmt, source)
    if fmt in ("xlsx", "xls"):
        return _workbook_grids(data, source)
    if fmt == "docx":
        return _docx_grids(data, source)
    if fmt == "pdf":
        return _pdf_grids(data, source)
    if fmt == "txt":
        return [text_grid(_decode(data, source))]
    raise UnsupportedFormatError(source, f"不支持的格式 {fmt}")  # pragma: no cover


# --------------------------------------------------------------------------- workbooks


def _workbook_grids(data: bytes, source: str) -> list[Grid]:
    from jixiao.extract.readers.office import OLE_MAGIC, is_encrypted

    if data.startswith(OLE_MAGIC) and is_encrypted(data):
        raise EncryptedDocumentError(source, "工作簿设有打开密码（已加密），请去掉密码后另存再读取")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_grids(data, source)
    if data.startswith(OLE_MAGIC):
        return _xls_grids(data, source)
    raise CorruptDocumentError(source, "不是有效的 Excel 工作簿（内容既不是 .xlsx 也不是 .xls）")


def _xlsx_grids(data: bytes, source: str) -> list[Grid]:
    import openpyxl

    from jixiao.extract import limits
    from jixiao.extract.readers.sheet import _shown

    try:
        zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptDocumentError(source, "Excel 文件已损坏或不完整，无法打开") from exc
    try:
        # the full mode: a form is small, this mode knows the merged ranges, and on forms
        # it is faster than streaming the rows read-only
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged packages
        raise CorruptDocumentError(source, f"Excel 文件无法解析（{type(exc).__name__}）") from exc
    grids = []
    try:
        for ws in book.worksheets:
            if ws.sheet_state != "visible":
                continue
            nrows, ncols = min(ws.max_row, MAX_ROWS), min(ws.max_column, MAX_COLS)
            limits.check_cells(nrows * ncols, source)
            values = [[_shown(c.value, c.number_format) for c in row]
                      for row in ws.iter_rows(min_row=1, max_row=nrows, max_col=ncols)]
            merges = [(r.min_row - 1, r.max_row - 1, r.min_col - 1, r.max_col - 1)
                      for r in ws.merged_cells.ranges]
            grids.append(_grid(ws.title, values, merges))
    finally:
        book.close()
    return grids


def _xls_grids(data: bytes, source: str) -> list[Grid]:
    import xlrd

    from jixiao.extract import limits
    from jixiao.extract.readers.sheet import _xls_shown

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise EncryptedDocumentError(source, "工作簿设有打开密码（已加密），请去掉密码后另存再读取") from exc
        raise CorruptDocumentError(source, "不是有效的 .xls 文件") from exc
    except Exception as exc:  # damaged BIFF records raise anything
        raise CorruptDocumentError(source, f"Excel 文件无法解析（{type(exc).__name__}）") from exc
    grids = []
    try:
        for index in range(book.nsheets):
            sh = book.sheet_by_index(index)
            if getattr(sh, "visibility", 0) != 0:
                continue
            nrows, ncols = min(sh.nrows, MAX_ROWS), min(sh.ncols, MAX_COLS)
            limits.check_cells(nrows * ncols, source)
            values = [[_xls_shown(book, sh, r, c) for c in range(ncols)] for r in range(nrows)]
            merges = [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells]
            grids.append(_grid(sh.name, values, merges))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return grids


def _grid(name: str, values: list[list[str]], merges: list[tuple[int, int, int, int]]) -> Grid:
    """A sheet's values as cells, every cell of a merged range holding the range's text."""
    anchor: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, r1, c0, c1 in merges:
        for r in range(r0, min(r1, len(values) - 1) + 1):
            for c in range(c0, c1 + 1):
                anchor[(r, c)] = (r0, c0)
    grid = Grid(name=name)
    for r, row in enumerate(values):
        cells = []
        for c, text in enumerate(row):
            home = anchor.get((r, c), (r, c))
            if home != (r, c):
                hr, hc = home
                text = values[hr][hc] if hr < len(values) and hc < len(values[hr]) else ""
            cells.append(Cell(_flat(text), _address(name, *_a1(home)), c, copy=home != (r, c)))
        if any(c.text for c in cells):
            grid.rows.append(Row(cells, r + 1))
    return grid


def _a1(home: tuple[int, int]) -> tuple[int, int]:
    return home[0] + 1, home[1]


def _flat(text: str) -> str:
    """A cell's text on one line, outer spaces removed."""
    return re.sub(r"\s*\n\s*", "", str(text)).strip()


# --------------------------------------------------------------------------- Word


def _docx_grids(data: bytes, source: str) -> list[Grid]:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    from jixiao.extract.readers.office import OLE_MAGIC, is_encrypted

    if data.startswith(OLE_MAGIC) and is_encrypted(data):
        raise EncryptedDocumentError(source, "Word 文件设有打开密码（已加密），请去掉密码后另存再读取")
    if not data.startswith(b"PK"):
        raise CorruptDocumentError(source, "不是有效的 .docx 文件（内容不是 Word 文档）")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise CorruptDocumentError(source, f"Word 文件无法解析（{type(exc).__name__}）") from exc
    grids: list[Grid] = []
    lines: list[str] = []  # paragraphs since the last table: the next table's title lines
    number = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = _flat(Paragraph(child, document).text)
            if text:
                lines.append(text)
        elif tag == "tbl":
            number += 1
            where = f"表{number}"
            grid = Grid(name=where)
            for i, text in enumerate(lines):
                grid.rows.append(Row([Cell(text, f"{where}前第{i + 1}段", 0)], -len(lines) + i))
            lines = []
            _docx_rows(DocxTable(child, document), where, grid)
            grids.append(grid)
    if lines:  # paragraphs after the last table (signatures, notes)
        grid = Grid(name="正文", aligned=False)
        grid.rows = [Row([Cell(t, f"正文第{i + 1}段", 0)], i + 1) for i, t in enumerate(lines)]
        grids.append(grid)
    return grids


def _docx_rows(table: object, where: str, grid: Grid) -> None:
    """A Word table's rows; python-docx gives a merged cell once per grid cell it covers,
    so the first place a cell element appears is where its text lives."""
    home: dict[int, tuple[int, int]] = {}
    alive: list[object] = []  # the elements stay referenced, so their ids stay theirs
    for r, row in enumerate(table.rows):  # type: ignore[attr-defined]
        cells = []
        for c, cell in enumerate(row.cells):
            alive.append(cell._tc)
            key = id(cell._tc)
            first = home.setdefault(key, (r, c))
            text = _flat("\n".join(p.text for p in cell.paragraphs))
            cells.append(Cell(text, _address(where, first[0] + 1, first[1]), c,
                              copy=first != (r, c)))
        if any(c.text for c in cells):
            grid.rows.append(Row(cells, r + 1))


# --------------------------------------------------------------------------- PDF


def _pdf_grids(data: bytes, source: str) -> list[Grid]:
    """Ruled tables of the text layer with the lines around them; pages without text go
    through the report reader (OCR), its tables taken row by row."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    if b"%PDF" not in data[:1024]:
        raise CorruptDocumentError(source, "不是有效的 PDF 文件（缺少 PDF 文件头）")
    grids: list[Grid] = []
    blank_pages = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                grids.extend(_pdf_page(page, number))
                if not (page.extract_text() or "").strip():
                    blank_pages += 1
                page.flush_cache()
            pages = len(pdf.pages)
    except PDFPasswordIncorrect as exc:
        raise EncryptedDocumentError(source, "PDF 设有密码，无法读取") from exc
    except Exception as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise EncryptedDocumentError(source, "PDF 设有密码，无法读取") from exc
        raise CorruptDocumentError(source, f"PDF 文件无法解析（{type(exc).__name__}）") from exc
    if pages and blank_pages == pages:
        return _ocr_grids(data, source)
    return grids


def _pdf_page(page: object, number: int) -> list[Grid]:
    """One grid per ruled table, the text lines above it as one-cell rows."""
    tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])  # type: ignore[attr-defined]
    words_lines = _page_lines(page)
    grids: list[Grid] = []
    done = 0.0
    for n, table in enumerate(tables, start=1):
        where = f"第{number}页表{n}"
        grid = Grid(name=where, page=number)
        _, top, _, bottom = table.bbox
        above = [t for y, t in words_lines if done <= y < top]
        grid.rows = [Row([Cell(t, f"第{number}页表{n}前第{i + 1}行", 0)], i - len(above))
                     for i, t in enumerate(above)]
        _pdf_rows(table, where, grid)
        grids.append(grid)
        done = bottom
    rest = [t for y, t in words_lines if y >= done]
    if rest:
        grid = Grid(name=f"第{number}页", aligned=False, page=number)
        grid.rows = [Row([Cell(t, f"第{number}页第{i + 1}行", 0)], i + 1) for i, t in enumerate(rest)]
        grids.append(grid)
    return grids


def _page_lines(page: object) -> list[tuple[float, str]]:
    """Text lines of a page outside its tables, with their top."""
    out = []
    for line in page.extract_text_lines():  # type: ignore[attr-defined]
        text = _flat(line["text"])
        if text:
            out.append((float(line["top"]), text))
    return out


def _pdf_rows(table: object, where: str, grid: Grid) -> None:
    """A ruled table's rows. pdfplumber lays cells on the grid of their distinct tops and
    lefts and leaves a slot covered by a merged neighbour empty (None); such a slot takes
    the text, and the address, of the cell box that covers it."""
    boxes = [tuple(b) for b in table.cells]  # type: ignore[attr-defined]
    texts = table.extract()  # type: ignore[attr-defined]
    tops = sorted({b[1] for b in boxes})
    lefts = sorted({b[0] for b in boxes})
    home_of = {b: (tops.index(b[1]), lefts.index(b[0])) for b in boxes}
    for r, top in enumerate(tops):
        cells = []
        for c, left in enumerate(lefts):
            box = next((b for b in boxes if b[0] <= left + 0.5 <= b[2] and b[1] <= top + 0.5 <= b[3]),
                       None)
            home = home_of[box] if box is not None else (r, c)
            hr, hc = home
            text = texts[hr][hc] if hr < len(texts) and hc < len(texts[hr]) else None
            cells.append(Cell(_flat(text or ""), _address(where, hr + 1, hc), c, copy=home != (r, c)))
        if any(cell.text for cell in cells):
            grid.rows.append(Row(cells, r + 1))


def _ocr_grids(data: bytes, source: str) -> list[Grid]:
    """A scanned form: the report reader's OCR, its tables as rows without columns."""
    import hashlib

    from jixiao.extract.readers.pdf import read_pdf

    content = read_pdf(data, source, sha256=hashlib.sha256(data).hexdigest())
    grids: list[Grid] = []
    lines: list[str] = []
    for block in content.blocks:
        if block.kind == "table" and block.table is not None:
            table = content.tables[block.table]
            where = f"第{table.page or '?'}页表{table.index + 1}"
            grid = Grid(name=where, aligned=False, page=table.page)
            grid.rows = [Row([Cell(t, f"{where}前第{i + 1}行", 0)], i - len(lines))
                         for i, t in enumerate(lines)]
            for r, row in enumerate([table.header, *table.rows], start=1):
                grid.rows.append(Row([Cell(t, _address(where, r, c), c) for c, t in enumerate(row)], r))
            grids.append(grid)
            lines = []
        elif block.text.strip():
            lines.extend(t for t in block.text.splitlines() if t.strip())
    if lines:
        grid = Grid(name="正文", aligned=False)
        grid.rows = [Row([Cell(t, f"正文第{i + 1}行", 0)], i + 1) for i, t in enumerate(lines)]
        grids.append(grid)
    return grids


# --------------------------------------------------------------------------- text


def _decode(data: bytes, source: str) -> str:
    from jixiao.extract.readers.text import decode

    return decode(data, source)[0]


_PIPE = re.compile(r"[|｜]")
_TAB = re.compile(r"\t")
_SPACES = re.compile(r"[ \u3000\u00a0]+")


def text_grid(text: str, name: str = "文本") -> Grid:
    """A text's lines as rows: cells separated by pipes (empty cells kept: they hold a
    column's place), else tabs, else runs of spaces; every cell with its offset."""
    grid = Grid(name=name, aligned=False)
    pos = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n")
        sep = "pipe" if _PIPE.search(body) else "tab" if "\t" in body else "space"
        cells = list(_cells_of(body, pos, number))
        if any(c.text for c in cells):
            grid.rows.append(Row(cells, number, sep))
        pos += len(line)
    return grid


def _cells_of(line: str, start: int, number: int) -> Iterator[Cell]:
    splitter = _PIPE if _PIPE.search(line) else _TAB if "\t" in line else _SPACES
    pieces = _split_spans(line, splitter)
    if splitter is _PIPE:
        # a leading or trailing pipe opens or closes the row: no cell before or after it
        if pieces and pieces[0][0] == "" and line.lstrip(" \u3000")[:1] in "|｜":
            pieces = pieces[1:]
        if pieces and pieces[-1][0] == "":
            pieces = pieces[:-1]
    else:
        pieces = [p for p in pieces if p[0]]
    for col, (text, at) in enumerate(pieces):
        yield Cell(text, f"第{number}行第{col + 1}格", col, offset=start + at)


def _split_spans(line: str, splitter: re.Pattern[str]) -> list[tuple[str, int]]:
    """Pieces of ``line`` between separators, stripped, each with the offset of its text."""
    out = []
    last = 0
    for m in [*splitter.finditer(line), None]:
        end = m.start() if m else len(line)
        raw = line[last:end]
        stripped = raw.strip(" \u3000\u00a0\t")
        at = last + (raw.index(stripped) if stripped else 0)
        out.append((stripped, at))
        if m:
            last = m.end()
    return out
