"""From a grid of cell texts to a :class:`~jixiao.model.Table`: title rows, unit notes and
two-level headers, the same way for web pages, spreadsheets and tables typed as text."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from jixiao.extract.normalize import clean_text, to_simplified
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
    >>> unit_of("單位：萬元")  # a page in traditional characters
    '万元'
    """
    if not text:
        return None
    text = to_simplified(text)
    for pattern in _unit_notes():
        m = pattern.search(text)
        if m:
            return m.group(1)
    return None


@dataclass(frozen=True, slots=True)
class ColumnType:
    """What a column's header says its cells hold (``data/readers.yaml``).

    ``role``: ``ordinal`` (序号), ``unit`` (度量单位: the row's unit), ``comparator`` (指标性质:
    ≥ ≤ ＝), ``value`` (指标值: a number in the row's unit), ``number`` (``kind`` money,
    percent or score, in ``unit``), ``text`` or ``blank`` (no name).
    """

    role: str
    kind: str | None = None
    unit: str | None = None


@cache
def _columns() -> dict[str, Any]:
    data = load_yaml("readers.yaml")
    return {
        "units": [(re.compile(c["pattern"]), c) for c in data["column_units"]],
        "header_unit": re.compile(data["header_unit"]),
        "unit": re.compile(data["unit_column"]),
        "name": re.compile(data["name_columns"]),
        "comparator": re.compile(data["comparator_column"]),
        "value": re.compile(data["value_columns"]),
        "ordinal": re.compile(data["ordinal_column"]),
        "empty": frozenset(data["empty_cells"]),
    }


_UNIT_KIND = {"亿元": "money", "万元": "money", "千元": "money", "元": "money",
              "%": "percent", "分": "score", "个": "count", "项": "count", "人": "count",
              "次": "count", "家": "count", "户": "count"}


def header_unit(head: str) -> str | None:
    """The unit a header writes in brackets: 资金量（万元） → 万元, 比例(%) → %."""
    m = _columns()["header_unit"].search(head.replace("％", "%"))
    return m.group(1) if m else None


def column_type(head: str) -> ColumnType:
    """
    >>> column_type("预算执行率"), column_type("资金规模（万元）").unit, column_type("度量单位").role
    (ColumnType(role='number', kind='percent', unit='%'), '万元', 'unit')
    >>> column_type("实际完成值").role, column_type("序号").role, column_type("项目名称").role
    ('value', 'ordinal', 'text')
    """
    c = _columns()
    head = re.sub(r"\s+", "", to_simplified(clean_text(head)))
    if not head:
        return ColumnType("blank")
    if c["ordinal"].search(head):
        return ColumnType("ordinal")
    if c["unit"].search(head):
        return ColumnType("unit")
    if c["comparator"].search(head):
        return ColumnType("comparator")
    if c["name"].search(head):
        return ColumnType("text")
    if c["value"].search(head):
        return ColumnType("value")
    written = header_unit(head)
    for pattern, col in c["units"]:
        if pattern.search(head):
            if written in _UNIT_KIND:
                return ColumnType("number", _UNIT_KIND[written], written)
            return ColumnType("number", col["kind"], col["unit"])
    if written in _UNIT_KIND:
        return ColumnType("number", _UNIT_KIND[written], written)
    return ColumnType("text")


def known_column(head: str) -> bool:
    """Does ``head`` name a column the vocabulary knows (a name column, a figure column,
    序号, 度量单位 …)? Words of a form's header are such names; a row's words mostly not.

    >>> known_column("年初预算数"), known_column("二级指标"), known_column("数量指标")
    (True, True, False)
    """
    plain = re.sub(r"\s+", "", to_simplified(clean_text(head)))
    if plain.endswith("表"):
        return False  # the title of a table (项目支出绩效自评表), no column
    return column_type(plain).role != "text" or bool(_columns()["name"].search(plain))


def is_empty_cell(cell: str) -> bool:
    """A blank cell or one that stands for nothing (/, —, 无)."""
    cell = cell.strip()
    return not cell or cell in _columns()["empty"]


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
