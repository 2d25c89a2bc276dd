"""Spreadsheets (.xlsx through openpyxl, .xls through xlrd): every sheet as tables.

Cells read as Excel shows them: a cell formatted as a percentage gives ``98.78%``, one with
two decimals ``150.00``. Merged cells give their value to every cell they cover (a header
"预算金额" merged over two columns names both). A sheet is cut into tables at empty rows;
a block of one column is read as paragraphs (a report typed into a sheet).

Memory is bounded by the reading bounds of :mod:`jixiao.extract.limits`: the file size
(``sheet``, 20 MB) and the unpacked size of an .xlsx before anything is parsed, and the
number of cells (``cells``) while rows are read; ``--limit sheet=…`` raises them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from jixiao.errors import (
    CorruptDocumentError,
    EncryptedDocumentError,
    LimitExceededError,
    NotAReportError,
)
from jixiao.extract import limits
from jixiao.extract.layout import CAPTION
from jixiao.extract.normalize import clean_text
from jixiao.extract.readers.tableshape import shape_table, unit_of
from jixiao.model import Block, Table

# The creator our own workbooks (compare, export) carry: never read as reports.
OWN_CREATOR = "jixiao"
_DEFAULT_SHEET_NAME = re.compile(r"^(?:sheet|工作表)\s*\d+$", re.IGNORECASE)
_DECIMALS = re.compile(r"0\.(0+)")


def read_sheet(data: bytes, source: str, fmt: str) -> tuple[list[Block], list[Table]]:
    """Blocks and tables of every sheet of a workbook (``fmt`` is ``xls`` or ``xlsx``)."""
    from jixiao.extract.readers.office import OLE_MAGIC, is_encrypted

    limits.check_file(data, fmt, source)
    if data.startswith(OLE_MAGIC) and is_encrypted(data):
        raise EncryptedDocumentError(source, "电子表格设有打开密码（已加密），请去掉密码后另存再读取")
    if data.startswith(b"PK\x03\x04"):
        sheets = _xlsx_sheets(data, source)
    elif data.startswith(OLE_MAGIC):
        sheets = _xls_sheets(data, source)
    else:
        raise CorruptDocumentError(source, f"不是有效的 .{fmt} 文件（内容不是 Excel 工作簿）")
    blocks: list[Block] = []
    tables: list[Table] = []
    for name, grid in sheets:
        _sheet_blocks(name, grid, blocks, tables)
    return blocks, tables


def _sheet_blocks(name: str, grid: list[list[str]], blocks: list[Block],
                  tables: list[Table]) -> None:
    """Tables (cut at empty rows) and paragraphs of one sheet, in reading order."""
    label = None if _DEFAULT_SHEET_NAME.match(name.strip()) else clean_text(name)
    pending: str | None = None  # a one-line block just above: the next table's caption
    for part in _parts(grid):
        table = shape_table(part, index=len(tables))
        if table is None:
            for row in part:
                text = clean_text("".join(c for c in row if c))
                if text:
                    blocks.append(Block(text=text))
            last = blocks[-1].text if blocks else ""
            pending = last if len(part) == 1 and len(last) <= 60 and (
                CAPTION.search(last) or unit_of(last)) else None
            continue
        if table.caption is None and pending is not None:
            table.caption = pending
            blocks[-1].kind = "caption"
            table.unit = table.unit or unit_of(pending)
        elif table.caption is None and label is not None:
            table.caption = label
        if table.caption is not None and not (blocks and blocks[-1].text == table.caption):
            blocks.append(Block(text=table.caption, kind="caption"))
        blocks.append(Block(text="", kind="table", table=table.index))
        tables.append(table)
        pending = None


def _parts(grid: list[list[str]]) -> Iterator[list[list[str]]]:
    """Runs of rows between empty rows."""
    part: list[list[str]] = []
    for row in grid:
        if any(c.strip() for c in row):
            part.append(row)
        elif part:
            yield part
            part = []
    if part:
        yield part


# --------------------------------------------------------------------------- xlsx


def _xlsx_sheets(data: bytes, source: str) -> list[tuple[str, list[list[str]]]]:
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptDocumentError(source, "Excel 文件已损坏或不完整，无法打开") from exc
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged packages
        raise CorruptDocumentError(source, f"Excel 文件无法解析（{type(exc).__name__}）") from exc
    if (book.properties.creator or "") == OWN_CREATOR:
        book.close()
        raise NotAReportError(source, "这是 jixiao 导出的表格（比较表或指标清单），不是报告原文")
    cells = 0
    out: list[tuple[str, list[list[str]]]] = []
    try:
        for ws in book.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            if ws.max_row and ws.max_column:  # the size the sheet declares, if it does
                limits.check_cells(cells + ws.max_row * ws.max_column, source)
            grid: list[list[str]] = []
            for row in ws.iter_rows():
                cells += len(row)
                limits.check_cells(cells, source)
                grid.append([_shown(getattr(c, "value", None), getattr(c, "number_format", ""))
                             for c in row])
            path = getattr(ws, "_worksheet_path", None)  # openpyxl keeps no merges read-only
            if path:
                _fill_merged(grid, _xlsx_merges(archive, path))
            out.append((ws.title, grid))
    except LimitExceededError:
        raise
    except Exception as exc:
        raise CorruptDocumentError(source, f"Excel 文件无法解析（{type(exc).__name__}）") from exc
    finally:
        book.close()
    return out


def _xlsx_merges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges of a sheet as 0-based ``(row_lo, row_hi, col_lo, col_hi)``, inclusive,
    streamed from the sheet's XML (the rows are not kept)."""
    from lxml import etree
    from openpyxl.utils.cell import range_boundaries

    name = path.lstrip("/")
    if name not in archive.namelist():
        return []
    merges: list[tuple[int, int, int, int]] = []
    with archive.open(name) as fh:
        for _, el in etree.iterparse(fh, events=("end",)):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell" and el.get("ref"):
                c0, r0, c1, r1 = range_boundaries(el.get("ref"))
                merges.append((r0 - 1, r1 - 1, c0 - 1, c1 - 1))
            el.clear(keep_tail=False)
    return merges


def _shown(value: Any, number_format: str | None) -> str:
    """A cell's value as Excel shows it (percentages and fixed decimals kept).

    >>> _shown(0.9878, "0.00%"), _shown(150.0, "0.00"), _shown(1234.5, "General"), _shown(3, "0%")
    ('98.78%', '150.00', '1234.5', '300%')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        fmt = (number_format or "General").split(";")[0]
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        percent = "%" in fmt
        if percent:
            number *= 100
        m = _DECIMALS.search(fmt)
        if m:
            number = number.quantize(Decimal(1).scaleb(-len(m.group(1))))
        elif fmt != "General" and re.search(r"(?<![.\d])0(?![.\d])", fmt):
            number = number.quantize(Decimal(1))
        text = format(number, "f")
        if "." in text and not m:
            text = text.rstrip("0").rstrip(".")
        return text + ("%" if percent else "")
    return str(value).strip()


def _fill_merged(grid: list[list[str]], merges: Iterable[tuple[int, int, int, int]]) -> None:
    """Give every cell of a merged range the range's value (its top-left cell's)."""
    for r0, r1, c0, c1 in merges:
        if r0 >= len(grid):
            continue
        top = grid[r0]
        value = top[c0] if c0 < len(top) else ""
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value


# --------------------------------------------------------------------------- xls


def _xls_sheets(data: bytes, source: str) -> list[tuple[str, list[list[str]]]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise EncryptedDocumentError(source, "电子表格设有打开密码（已加密），请去掉密码后另存再读取") from exc
        raise CorruptDocumentError(source, "不是有效的 .xls 文件（内容不是 Excel 97-2003 工作簿）") from exc
    except Exception as exc:  # damaged BIFF records raise anything
        raise CorruptDocumentError(source, f"Excel 文件无法解析（{type(exc).__name__}）") from exc
    out: list[tuple[str, list[list[str]]]] = []
    cells = 0
    try:
        for index in range(book.nsheets):
            sh = book.sheet_by_index(index)
            if getattr(sh, "visibility", 0) != 0:
                continue
            cells += sh.nrows * sh.ncols
            limits.check_cells(cells, source)
            grid = [[_xls_shown(book, sh, r, c) for c in range(sh.ncols)] for r in range(sh.nrows)]
            _fill_merged(grid, [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells])
            out.append((sh.name, grid))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return out


def _xls_shown(book: Any, sh: Any, r: int, c: int) -> str:
    import xlrd

    cell = sh.cell(r, c)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    fmt = ""
    try:
        xf = book.xf_list[cell.xf_index]
        fmt = book.format_map[xf.format_key].format_str
    except (IndexError, KeyError, TypeError):
        pass
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return _shown(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), fmt)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return _shown(cell.value, fmt)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return _shown(bool(cell.value), fmt)
    return _shown(cell.value, fmt)
