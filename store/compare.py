"""Compare counties and years: one row per report, one column per indicator or ratio.

This module is what ``jixiao compare`` runs, and a prefecture asks it over thousands of
reports, so it stays on SQLAlchemy Core: the two tables it reads are named here as
lightweight ``table()`` clauses (their names are checked against ``store.models`` in
tests/test_store.py), and the ORM with its mapped classes is never imported. The values
come back raw — decimal text from SQLite, Decimals from PostgreSQL — and are made
Decimals once, here, instead of through a type processor per cell.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Engine, case, column, func, select, table

from jixiao.check.tolerance import rounded
from jixiao.errors import StoreError
from jixiao.extract.catalog import GRADES, load_catalog
from jixiao.extract.resources import load_yaml

__all__ = ["Column", "CompareRow", "CompareTable", "clean", "compare"]

# The columns the comparison reads (see store/models.py for the full schema).
_reports = table("reports", column("id"), column("county"), column("year"),
                 column("primary_document_id"))
_metrics = table("metrics", column("document_id"), column("key"), column("grade"),
                 column("value"), column("data_year"), column("headline"))

_ONE = Decimal(1)
RATIO_DECIMALS = 1  # a derived ratio is shown in percent with one decimal
OUTLIER_Z = 3.5  # robust z-score above which a value is marked as far from the others


@dataclass(frozen=True)
class Column:
    """One column of the comparison: an indicator (optionally one grade), or a ratio."""

    id: str
    label: str
    unit: str
    key: str | None = None
    grade: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    percent: bool = False


def clean(value: Decimal | str | None) -> Decimal | None:
    """A stored value as a Decimal without the column's trailing zeros.

    >>> clean(Decimal("459.00000000")), clean("60270.850"), clean(None)
    (Decimal('459'), Decimal('60270.85'), None)
    >>> clean(Decimal("100.000")), clean("0.00000010"), clean("-12.50")
    (Decimal('100'), Decimal('1E-7'), Decimal('-12.5'))
    """
    if value is None:
        return None
    if type(value) is str and "." not in value and "E" not in value:
        return Decimal(value)  # whole-number text (most counts): already canonical
    value = Decimal(value).normalize()
    # normalize() writes whole numbers with trailing zeros as an exponent (1E+2)
    return value.quantize(_ONE) if "E+" in str(value) else value


@dataclass
class CompareRow:
    report_id: int
    county: str | None
    year: int | None
    data_year: str | None
    values: dict[str, Decimal | None] = field(default_factory=dict)
    outliers: set[str] = field(default_factory=set)


@dataclass
class CompareTable:
    columns: list[Column]
    rows: list[CompareRow]

    def to_records(self) -> list[dict[str, Any]]:
        out = []
        for row in self.rows:
            rec: dict[str, Any] = {"county": row.county, "year": row.year,
                                   "data_year": row.data_year}
            for c in self.columns:
                rec[c.id] = row.values.get(c.id)
            rec["outliers"] = sorted(row.outliers)
            out.append(rec)
        return out


@cache
def _default_columns() -> tuple[Column, ...]:
    data = load_yaml("compare.yaml", "jixiao.store")
    catalog = load_catalog()
    cols = []
    for c in data["columns"]:
        key, _, grade = c["key"].partition("@")
        ind = catalog[key]
        label = ind.label + (f"（{grade}）" if grade else "")
        cols.append(Column(c["key"], label, ind.unit, key=key, grade=grade or None))
    for r in data["ratios"]:
        cols.append(Column(r["id"], r["label"], "%", numerator=r["numerator"],
                           denominator=r["denominator"], percent=True))
    return tuple(cols)


def _columns_for(keys: list[str]) -> list[Column]:
    if not keys:
        return list(_default_columns())
    catalog = load_catalog()
    cols = []
    for k in keys:
        key, _, grade = k.partition("@")
        if key not in catalog:
            raise StoreError(k, "指标目录中没有这个指标键（jixiao draft --init 生成的清单列出全部指标键）")
        ind = catalog[key]
        if grade and not any("grade" in m for m in ind.measures):
            raise StoreError(k, f"“{key}”（{ind.label}）不分等次，去掉“@{grade}”")
        if grade and grade not in GRADES:
            raise StoreError(k, f"等次应为{'、'.join(GRADES)}之一")
        cols.append(Column(k, ind.label + (f"（{grade}）" if grade else ""), ind.unit,
                           key=key, grade=grade or None))
    return cols


def _outliers(values: list[Decimal | None]) -> list[int]:
    """Positions of the values far from the others (robust z-score above OUTLIER_Z).

    A screening heuristic, not money arithmetic: floats are exact enough here.

    >>> _outliers([Decimal(v) for v in (10, 11, 12, 10, 11, 95)] + [None])
    [5]
    """
    present = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(present) < 4:
        return []
    med = statistics.median([v for _, v in present])
    mad = statistics.median([abs(v - med) for _, v in present])
    if mad == 0:
        return []
    limit = OUTLIER_Z * mad / 0.6745
    return [i for i, v in present if abs(v - med) > limit]


def _pivot(key: str, grade: str | None) -> Any:
    """MAX(CASE WHEN key = … AND grade … THEN value END): one headline per report and
    column, so the aggregate only picks it out of the report's rows."""
    m = _metrics.c
    cond = (m.key == key) & (m.grade == grade if grade else m.grade.is_(None))
    return func.max(case((cond, m.value), else_=None))


def _needed(columns: list[Column]) -> list[tuple[str, str | None]]:
    """The (key, grade) figures the columns read, each once."""
    needed: list[tuple[str, str | None]] = []
    for c in columns:
        for spec in ((c.key, c.grade), (c.numerator, None), (c.denominator, None)):
            if spec[0] and spec not in needed:
                needed.append(spec)  # type: ignore[arg-type]
    return needed


def compare(engine: Engine, *, keys: list[str] | None = None, counties: list[str] | None = None,
            years: list[int] | None = None) -> CompareTable:
    """One row per county and year, one column per indicator, derived ratios, outliers.

    The database pivots the headline figures (marked at ingest) into one row per report,
    so a prefecture store of thousands of reports is compared in one query.
    """
    columns = _columns_for(list(keys or []))
    needed = _needed(columns)
    m, r_ = _metrics.c, _reports.c
    year_of = func.coalesce(m.data_year, r_.year)  # the figure's own year, else the report's
    query = (select(r_.id, r_.county, r_.year, func.min(year_of), func.max(year_of),
                    *[_pivot(k, g) for k, g in needed])
             .select_from(_reports.outerjoin(
                 _metrics, (m.document_id == r_.primary_document_id) & m.headline.is_(True)
                 & m.key.in_({k for k, _ in needed})))
             .group_by(r_.id, r_.county, r_.year)
             .order_by(r_.county, r_.year, r_.id))
    if counties:
        query = query.where(r_.county.in_(counties))
    if years:
        query = query.where(r_.year.in_(years))
    with engine.connect() as conn:
        if counties:
            known = set(conn.scalars(select(r_.county).distinct()))
            for c in counties:
                if c not in known:
                    raise StoreError(c, "库中没有这个县区的报告（可用 jixiao list 查看）")
        if years:
            stored = set(conn.scalars(select(r_.year).distinct()))
            if not stored & set(years):
                shown = "、".join(str(y) for y in years)
                raise StoreError(shown, "库中没有这些年度的报告（可用 jixiao list 查看）")
        records = conn.execute(query).all()
    slot = {spec: 5 + i for i, spec in enumerate(needed)}
    raw = {spec: [rec[at] for rec in records] for spec, at in slot.items()}
    rows = []
    for rec in records:
        low, high = rec[3] or rec[2], rec[4] or rec[2]
        data_year = (str(low) if low == high else f"{low}/{high}") if low else None
        rows.append(CompareRow(rec[0], rec[1], rec[2], data_year))
    by_column = []
    for c in columns:  # column by column: one pass per column over all reports
        if c.key:
            values = [None if v is None else clean(v) for v in raw[(c.key, c.grade)]]
        else:
            values = [None if num is None or den is None else _ratio(num, den)
                      for num, den in zip(raw[(c.numerator, None)],  # type: ignore[index]
                                          raw[(c.denominator, None)], strict=True)]  # type: ignore[index]
        by_column.append(values)
        for i in _outliers(values):
            rows[i].outliers.add(c.id)
    ids = [c.id for c in columns]
    for row, values in zip(rows, zip(*by_column, strict=True), strict=True):
        row.values = dict(zip(ids, values, strict=True))
    return CompareTable(columns, rows)


def _ratio(num: Decimal | str | None, den: Decimal | str | None) -> Decimal | None:
    """num ÷ den in percent, rounded half up like every figure (check/tolerance.py); None
    without both or for den 0.

    >>> _ratio("3", "8"), _ratio("1", "80"), _ratio(Decimal("1"), "0"), _ratio(None, "5")
    (Decimal('37.5'), Decimal('1.3'), None, None)
    """
    if num is None or den is None or not (den := Decimal(den)):
        return None
    return rounded(Decimal(num) / den * 100, RATIO_DECIMALS)
