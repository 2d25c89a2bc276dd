"""From a grid of cell texts to a :class:`~jixiao.model.Table`: title rows, unit notes and
two-level headers, the same way for web pages, spreadsheets and tables typed as text."""

from __future__ import annotations

import itertools
import re
from functools import cache

from jixiao.extract.normalize import clean_text
from jixiao.extract.resources import load_yaml
from jixiao.model import Table

# A cell holding a figure only: 120  1,234.5  -3  98.78%  (the unit comes from elsewhere).
FIGURE_CELL = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*%?")


@cache
def _unit_notes() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in load_yaml("readers.yaml")["unit_notes"])


def unit_of(text: str | None) -> str | None:
    """The unit a note or a caption gives a table's figures, or None.

    >>> unit_of("单位：万元"), unit_of("重点评价项目情况表（元）"), unit_of("执行率（%）")
    ('万元', '元', None)
    """
    if not text:
        return None
    for pattern in _unit_notes():
        m = pattern.search(text)
        if m:
            return m.group(1)
    return None


def is_figure(cell: str) -> bool:
    """
    >>> is_figure("1,234.50"), is_figure("98.78%"), is_figure("2023年")
    (True, True, False)
    """
    return bool(FIGURE_CELL.fullmatch(cell.strip()))


def shape_table(grid: list[list[str]], *, index: int, caption: str | None = None,
                unit: str | None = None) -> Table | None:
    """A table from rows of cell texts, or None if fewer than two columns or rows remain.

    Empty rows and columns are dropped; leading rows with a single distinct text are the
    table's title (its caption) or its unit note; a header whose merged cells span columns
    above a second row of names becomes one header row ("预算金额" over "年初" and "调整后"
    gives "预算金额年初", "预算金额调整后").
    """
    rows = [[clean_text(c) for c in row] for row in grid]
    rows = [r for r in rows if any(r)]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    keep = [c for c in range(width) if any(r[c] for r in rows)]
    rows = [[r[c] for c in keep] for r in rows]
    while rows and len({c for c in rows[0] if c}) == 1 and len(keep) > 1:
        text = next(c for c in rows[0] if c)
        note = unit_of(text)
        if note is not None and (unit is None or len(text) < 16):
            unit = note
            if len(text) >= 16 and caption is None:
                caption = text
        elif caption is None:
            caption = text
        rows = rows[1:]
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    header, body = rows[0], rows[1:]
    if len(body) > 1 and _spans_columns(header) and _under_header(header, body[0]):
        header = _join_header(header, body[0])
        body = body[1:]
    if unit is None:
        unit = unit_of(caption)
    return Table(index=index, header=header, rows=body, caption=caption, unit=unit)


def _spans_columns(header: list[str]) -> bool:
    """Does a header cell cover several columns (its text repeated, or cells left empty)?"""
    return any(a and (b == a or not b) for a, b in itertools.pairwise(header))


def _under_header(top: list[str], second: list[str]) -> bool:
    """Is ``second`` the lower row of a two-level header: names only, and blank or the
    same text where a name of ``top`` is merged down over both rows?"""
    return not any(is_figure(c) for c in second) and any(
        b == a or not b for a, b in zip(top, second, strict=True) if a)


def _join_header(top: list[str], second: list[str]) -> list[str]:
    """One header row from two: a spanning name over the names below it.

    >>> _join_header(["项目", "预算金额", "预算金额", "备注"], ["项目", "年初", "调整后", ""])
    ['项目', '预算金额年初', '预算金额调整后', '备注']
    >>> _join_header(["项目", "金额（万元）", ""], ["", "预算", "执行"])
    ['项目', '金额（万元）预算', '金额（万元）执行']
    """
    out: list[str] = []
    last = ""
    for a, b in zip(top, second, strict=True):
        a = a or last
        last = a
        out.append(a + b if b and b != a and not a.endswith(b) else a)
    return out
