"""Reading the figures of one table cell: its column's unit, the row's unit, or its own.

A column header gives the unit of the bare numbers below it (``资金规模（万元）``, ``分值``,
``执行率``; :func:`~jixiao.extract.readers.tableshape.column_type`); a form's indicator row
gives its own unit in a 度量单位 cell (``72890`` then ``元``) or in a sibling value cell
(``≥50个`` then ``50``); a cell that writes its unit (``100%``, ``1000万元``) is read as
written, whatever its column. Any other cell — a name, a header, a remark — may hold figures
written as in running text (``绩效指标（90分）``, ``填报日期：2022年3月18日``): they are read
by :mod:`~jixiao.extract.quantities` and :mod:`~jixiao.extract.dates` like a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.extract.dates import find_dates
from jixiao.extract.normalize import to_simplified
from jixiao.extract.quantities import find_quantities, parse_number
from jixiao.extract.readers.tableshape import (
    FIGURE_CELL,
    ColumnType,
    header_unit,
    is_empty_cell,
    is_figure,
)

__all__ = ["CellFigure", "cell_figures", "column_spec", "money_unit", "read_cell", "row_unit"]

_PLACEHOLDER = re.compile(r"[Xx×]{1,3}\s*[%％]?")
_MONEY_FACTOR = {"亿元": Decimal(10000), "万元": Decimal(1), "千元": Decimal("0.1"),
                 "元": Decimal("0.0001")}


@dataclass(frozen=True, slots=True)
class CellFigure:
    """A figure read in a cell; ``surface`` is the part of the cell it was read from."""

    value: Decimal | None
    unit: str
    kind: str
    surface: str
    number_text: str
    placeholder: bool = False
    comparator: str | None = None
    sign: str | None = None
    date: str | None = None


def money_unit(header: list[str], note: str | None) -> str | None:
    """The money unit of a table's columns that state none: one a header cell writes in
    brackets (a form's 项目资金（万元）), else the note above the table (单位：元)."""
    for head in header:
        unit = header_unit(head)
        if unit in _MONEY_FACTOR:
            return unit
    return note if note in _MONEY_FACTOR else None


def column_spec(t: ColumnType, money: str | None) -> dict[str, Any] | None:
    """The column description :func:`read_cell` takes, for a column no measure claims."""
    if t.role == "value":
        return {"measure": None, "kind": "value", "unit": None}
    if t.role != "number" or t.kind is None:
        return None
    if t.kind == "money":
        unit = t.unit if t.unit in _MONEY_FACTOR else (money or "万元")
        return {"measure": None, "kind": "money", "unit": "万元", "factor": _MONEY_FACTOR[unit]}
    return {"measure": None, "kind": t.kind, "unit": t.unit}


def row_unit(row: list[str], types: list[ColumnType]) -> str | None:
    """The unit a form's indicator row gives its values: its 度量单位 cell, or the unit a
    value cell writes (≥50个)."""
    for cell, t in zip(row, types, strict=False):
        if t.role == "unit" and not is_empty_cell(cell):
            return to_simplified(cell.strip())
    for cell, t in zip(row, types, strict=False):
        if t.role == "value":
            qs = find_quantities(to_simplified(cell.strip()))
            if len(qs) == 1 and not qs[0].placeholder:
                return qs[0].unit_text
    return None


def _own(plain: str, surface: str) -> CellFigure | None:
    """A cell that is one figure with its unit (100%, 1000万元, ≥50个)."""
    qs = find_quantities(plain)
    if len(qs) != 1 or len(re.sub(r"[\s=＝﹦≥≤><＞＜约]", "", plain)) > qs[0].end - qs[0].start:
        return None
    q = qs[0]
    return CellFigure(q.value, q.unit, q.kind, surface, q.number_text, q.placeholder,
                      q.comparator, q.sign)


def read_cell(cell: str, col: dict[str, Any], unit: str | None) -> CellFigure | None:
    """The figure of a cell under a column of figures, or None when it holds none.

    >>> read_cell("218,747", {"kind": "money", "unit": "万元"}, None).value
    Decimal('218747')
    >>> f = read_cell("72890", {"kind": "value", "unit": None}, "元")
    >>> (f.value, f.unit)
    (Decimal('7.289'), '万元')
    >>> f = read_cell("100%", {"kind": "score", "unit": "分"}, None)
    >>> (f.value, f.unit)
    (Decimal('100'), '%')
    """
    surface = cell.strip()
    plain = to_simplified(surface)
    if _PLACEHOLDER.fullmatch(plain):
        unit_ = "%" if plain.rstrip().endswith(("%", "％")) else col["unit"]
        kind = "percent" if unit_ == "%" else col["kind"]
        if kind == "value":
            return None
        return CellFigure(None, unit_, kind, surface, plain.rstrip("%％").strip(), True)
    if col["kind"] == "value":
        if is_figure(plain) and not plain.endswith(("%", "％")) and unit:
            f = _own(plain + unit, surface)
            return f if f is not None else None
        return _own(plain, surface)
    if FIGURE_CELL.fullmatch(plain):
        number = plain.rstrip("%％").strip()
        try:
            value = parse_number(number)
        except (ValueError, InvalidOperation):
            return None
        if plain.endswith(("%", "％")) or col["kind"] == "percent":
            return CellFigure(value, "%", "percent", surface, number)
        if col["kind"] == "money":
            value = value * col.get("factor", Decimal(1))
        return CellFigure(value, col["unit"], col["kind"], surface, number)
    return _own(plain, surface)


def cell_figures(cell: str) -> list[CellFigure]:
    """Figures written in a cell as in running text: dates, and numbers with their unit.

    >>> [(str(f.value), f.unit, f.surface) for f in cell_figures("绩效指标（90分）")]
    [('90', '分', '90分')]
    >>> [(f.date, f.surface) for f in cell_figures("填报日期：2022年3月18日")]
    [('2022-03-18', '2022年3月18日')]
    """
    plain = to_simplified(cell)
    dates = find_dates(plain)
    out = [CellFigure(None, "date", "date", cell[d.start : d.end], cell[d.start : d.end],
                      comparator=d.comparator, date=d.iso) for d in dates]
    for q in find_quantities(plain):
        if any(d.start < q.end and q.start < d.end for d in dates):
            continue
        out.append(CellFigure(q.value, q.unit, q.kind, cell[q.start : q.end], q.number_text,
                              q.placeholder, q.comparator, q.sign))
    return out
