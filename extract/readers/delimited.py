"""Tables that arrive as text: rows of cells separated by pipes, tabs or runs of spaces.

A table typed in Markdown (``| 项目 | 金额 |``), pasted from a spreadsheet or a web page
(cells separated by tabs) or aligned with spaces (two or more between cells) is a run of
consecutive lines cut the same way. Whatever the separator, a table has a header of names
(no figure in it), at least one figure cell below it, and no cell that runs like prose
(ends a sentence, or is long): lines of a report's text that happen to hold a tab or a
pipe stay text, with their figures. Runs of spaces also occur in prose, so a space-aligned
table needs at least two rows below its header, all cut into the same number of cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.extract.readers.pipes import (
    align,
    has_pipe,
    pipe_blocks,
    run_end,
    with_label_column,
)
from jixiao.extract.readers.tableshape import is_figure, known_column, shape_table, unit_of
from jixiao.model import Table

_PIPE = re.compile(r"\s*[|｜]\s*")
_MARKDOWN_RULE = re.compile(r":?-{2,}:?")
_SPACE_RUN = re.compile(r"(?:[ \u00a0]{2,}|\u3000+)(?:[ \u00a0\u3000]*)")
# A cell does not end a sentence nor run on like prose.
_SENTENCE_END = tuple("。；！？")
_MAX_CELL = 40
_YEAR = re.compile(r"(?:19|20)\d\d")
_FORM_COLUMNS = 3  # names of known columns that make a header a form's


@dataclass(slots=True)
class FoundTable:
    """A table found among text lines: lines ``start``..``end`` (exclusive) hold it."""

    start: int
    end: int
    table: Table


def split_row(line: str) -> tuple[str, list[str]] | None:
    """How a line is cut into cells (``pipe``, ``tab`` or ``space``) and the cells, or None.

    >>> split_row("| 项目 | 金额（万元） |")
    ('pipe', ['项目', '金额（万元）'])
    >>> split_row("甲项目\\t120.5\\t98%")
    ('tab', ['甲项目', '120.5', '98%'])
    >>> split_row("甲项目    120.5   98%")
    ('space', ['甲项目', '120.5', '98%'])
    >>> split_row("对 81 个部门开展评价") is None
    True
    """
    text = line.strip(" \u3000\u00a0\r\n")
    if not text:
        return None
    if "|" in text or "｜" in text:
        inner = text
        if inner[:1] in "|｜":
            inner = inner[1:]
        if inner[-1:] in "|｜":
            inner = inner[:-1]
        cells = _PIPE.split(inner)
        if len(cells) >= 2:
            return "pipe", [c.strip() for c in cells]
    if "\t" in text:
        cells = [c.strip(" \u3000\u00a0") for c in text.split("\t")]
        if sum(1 for c in cells if c) >= 2:
            return "tab", cells
    cells = _SPACE_RUN.split(text.strip("\t"))
    if len(cells) >= 2:
        return "space", cells
    return None


def find_tables(lines: list[str], *, first_index: int = 0) -> list[FoundTable]:
    """The tables among ``lines``, numbered from ``first_index``.

    A blank line may stand between two rows (text copied with a blank line after every
    line). The line just above a table is its caption when it names a table or gives a
    unit; it stays in the text, the table's lines do not.
    """
    found: list[FoundTable] = []
    n = 0
    while n < len(lines):
        if has_pipe(lines[n]):  # pipes: rows broken over lines, a cell per line, forms
            end = run_end(lines, n)
            if _last_cell(lines, end):
                end += 1  # a page cut off in a table: its last cell lost its pipe
            for block in pipe_blocks(lines[n:end]):
                start = n + block.first
                caption = _caption(lines, start)
                table = shape_table(block.grid, index=first_index + len(found),
                                    caption=caption, unit=unit_of(caption))
                if table is not None:
                    found.append(FoundTable(start=start, end=n + block.last + 1, table=table))
            n = end
            continue
        first = split_row(lines[n])
        if first is None or (first[0] == "pipe" and _is_rule(first[1])):
            n += 1
            continue
        kind = first[0]
        rows: list[list[str]] = [first[1]]
        end = n + 1
        scan = n + 1
        while scan < len(lines):
            if not lines[scan].strip():
                scan += 1
                continue
            nxt = split_row(lines[scan])
            if nxt is None or nxt[0] != kind:
                break
            if not (kind == "pipe" and _is_rule(nxt[1])):
                rows.append(nxt[1])
            scan += 1
            end = scan
        if _accept(kind, rows):
            caption = _caption(lines, n)
            if len({len(r) for r in rows}) > 1 and _is_form_header(rows[0]):
                header = with_label_column(rows[0], rows[1:])
                rows = [header, *(align(header, r) for r in rows[1:])]
            table = shape_table(rows, index=first_index + len(found), caption=caption,
                                unit=unit_of(caption))
            if table is not None:
                found.append(FoundTable(start=n, end=end, table=table))
                n = end
                continue
        n += 1
    return found


def _last_cell(lines: list[str], at: int) -> bool:
    """Is ``lines[at]`` the text's last line and a bare figure (the cell a page cut off)?"""
    return at < len(lines) and is_figure(lines[at]) and not any(
        line.strip() for line in lines[at + 1 :])


def _is_rule(cells: list[str]) -> bool:
    """A Markdown header rule ``|---|:--:|``."""
    return all(_MARKDOWN_RULE.fullmatch(c) for c in cells if c) and any(cells)


def _is_form_header(cells: list[str]) -> bool:
    """A header naming columns of a form (年初预算数 分值 执行率 …): rows below it may be
    shorter, their merged cells lost, and are placed under it by :func:`.pipes.align`."""
    return sum(1 for c in cells if known_column(c)) >= _FORM_COLUMNS


def _accept(kind: str, rows: list[list[str]]) -> bool:
    form = _is_form_header(rows[0])
    if len(rows) < (3 if kind == "space" and not form else 2):
        return False
    if kind == "space" and len({len(r) for r in rows}) != 1 and not form:
        return False
    if any(c.endswith(_SENTENCE_END) or len(c) > _MAX_CELL for r in rows for c in r):
        return False
    if any(is_figure(c) and not _YEAR.fullmatch(c) for c in rows[0]):
        return False  # a header names its columns (a year may name one)
    return any(is_figure(c) for r in rows[1:] for c in r)


def _caption(lines: list[str], start: int) -> str | None:
    """The line above a table when it is its caption: short, not a row, naming a table
    or a unit."""
    from jixiao.extract.layout import CAPTION

    above = start - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    if above < 0:
        return None
    text = lines[above].strip()
    if split_row(text) is not None or len(text) > 40:
        return None
    return text if CAPTION.search(text) or unit_of(text) else None
