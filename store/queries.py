"""Reading the store back: list reports, show one, export figures, compare counties and years.

Every function returns plain data (dataclasses and dicts) for the CLI or a web page to
format; every value stays a Decimal in 万元 / percent / count as stored.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Engine, case, func, select, type_coerce
from sqlalchemy.orm import Session

from jixiao.errors import StoreError
from jixiao.extract.catalog import load_catalog
from jixiao.extract.resources import load_yaml
from jixiao.store import models

__all__ = ["Column", "CompareTable", "clean", "compare", "export_rows", "list_reports",
           "show_report"]





# --------------------------------------------------------------------------- list / show


def list_reports(engine: Engine) -> list[dict[str, Any]]:
    """One row per report: county, year, title, renditions, figures, findings."""
    with Session(engine) as session:
        reports = session.scalars(select(models.Report).order_by(
            models.Report.county, models.Report.year, models.Report.id)).all()
        rows = []
        for r in reports:
            docs = session.scalars(select(models.Document).where(
                models.Document.report_id == r.id).order_by(models.Document.id)).all()
            primary = r.primary_document_id
            n_metrics = session.scalar(select(func.count()).select_from(models.Metric).where(
                models.Metric.document_id == primary)) or 0
            severities = dict(session.execute(
                select(models.Finding.severity, func.count()).where(
                    models.Finding.document_id == primary).group_by(models.Finding.severity)).all())
            rows.append({"id": r.id, "county": r.county, "year": r.year, "title": r.title,
                         "renditions": [{"id": d.id, "format": d.format, "source": d.source,
                                         "sha256": d.sha256} for d in docs],
                         "metrics": n_metrics, "errors": severities.get("error", 0),
                         "warnings": severities.get("warning", 0)})
    return rows


def _find_report(session: Session, ident: str) -> models.Report:
    report = None
    if ident.isdigit():
        report = session.get(models.Report, int(ident))
    if report is None:
        doc = session.scalar(select(models.Document).where(
            (models.Document.sha256.startswith(ident.lower())) | (models.Document.source == ident)))
        if doc is not None:
            report = session.get(models.Report, doc.report_id)
    if report is None:
        raise StoreError(ident, "库中没有这份报告（可用 jixiao list 查看编号）")
    return report


def show_report(engine: Engine, ident: str) -> dict[str, Any]:
    """A report with the figures and findings of its primary rendition."""
    catalog = load_catalog()
    with Session(engine) as session:
        report = _find_report(session, ident)
        doc_id = report.primary_document_id
        metrics = session.scalars(select(models.Metric).where(
            models.Metric.document_id == doc_id).order_by(models.Metric.start, models.Metric.id)).all()
        findings = session.scalars(select(models.Finding).where(
            models.Finding.document_id == doc_id).order_by(models.Finding.id)).all()
        doc = session.get(models.Document, doc_id)
        return {
            "id": report.id, "county": report.county, "year": report.year, "title": report.title,
            "source": doc.source if doc else None,
            "metrics": [{"key": m.key, "label": catalog.label(m.key), "value": clean(m.value),
                         "unit": m.unit, "qualifiers": m.qualifiers, "surface": m.surface,
                         "placeholder": m.placeholder, "sentence": m.sentence} for m in metrics],
            "findings": [{"rule": f.rule, "severity": f.severity, "message": f.message}
                         for f in findings],
        }


def export_rows(engine: Engine) -> list[dict[str, Any]]:
    """Long format: one row per figure of each report's primary rendition."""
    catalog = load_catalog()
    with Session(engine) as session:
        query = (select(models.Report, models.Document, models.Metric)
                 .join(models.Document, models.Document.id == models.Report.primary_document_id)
                 .join(models.Metric, models.Metric.document_id == models.Document.id)
                 .order_by(models.Report.county, models.Report.year, models.Metric.start))
        return [{"county": r.county, "year": r.year, "key": m.key, "label": catalog.label(m.key),
                 "value": clean(m.value), "unit": m.unit, "qualifiers": m.qualifiers,
                 "placeholder": m.placeholder, "source": d.source, "sentence": m.sentence}
                for r, d, m in session.execute(query)]


# --------------------------------------------------------------------------- compare


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


def clean(value: Decimal | None) -> Decimal | None:
    """A stored Numeric without the column's trailing zeros (459.00000000 → 459)."""
    if value is None:
        return None
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


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
def _default_columns() -> list[Column]:
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
    return cols


def _columns_for(keys: list[str]) -> list[Column]:
    catalog = load_catalog()
    if not keys:
        return _default_columns()
    cols = []
    for k in keys:
        key, _, grade = k.partition("@")
        if key not in catalog:
            raise StoreError(k, "指标目录中没有这个指标键（见 extract/data/catalog.yaml）")
        ind = catalog[key]
        cols.append(Column(k, ind.label + (f"（{grade}）" if grade else ""), ind.unit,
                           key=key, grade=grade or None))
    return cols


def _mark_outliers(rows: list[CompareRow], columns: list[Column]) -> None:
    """A value far from the others of its column (robust z-score above 3.5).

    A screening heuristic, not money arithmetic: floats are exact enough here.
    """
    for c in columns:
        values = [(r, float(v)) for r in rows if (v := r.values.get(c.id)) is not None]
        if len(values) < 4:
            continue
        med = statistics.median(v for _, v in values)
        mad = statistics.median(abs(v - med) for _, v in values)
        if mad == 0:
            continue
        limit = 3.5 * mad / 0.6745
        for r, v in values:
            if abs(v - med) > limit:
                r.outliers.add(c.id)


def _column_sql(key: str, grade: str | None, field_: Any) -> Any:
    """MAX(CASE WHEN key = … AND grade … THEN field END): one headline per report and
    column, so the aggregate only picks it out of the report's rows."""
    m = models.Metric
    cond = (m.key == key) & (m.grade == grade if grade else m.grade.is_(None))
    return type_coerce(func.max(case((cond, field_), else_=None)), field_.type)


def compare(engine: Engine, *, keys: list[str] | None = None, counties: list[str] | None = None,
            years: list[int] | None = None) -> CompareTable:
    """One row per county and year, one column per indicator, derived ratios, outliers.

    The database pivots the headline figures (marked at ingest) into one row per report,
    so a prefecture store of thousands of reports is compared in one query.
    """
    columns = _columns_for(list(keys or []))
    needed: list[tuple[str, str | None]] = []
    for c in columns:
        for spec in ((c.key, c.grade), (c.numerator, None), (c.denominator, None)):
            if spec[0] and spec not in needed:
                needed.append(spec)  # type: ignore[arg-type]
    m, r_ = models.Metric, models.Report
    with Session(engine) as session:
        if counties:
            known = set(session.scalars(select(r_.county).distinct()))
            for c in counties:
                if c not in known:
                    raise StoreError(c, "库中没有这个县区的报告（可用 jixiao list 查看）")
        pivot = [_column_sql(k, g, m.value).label(f"v{i}") for i, (k, g) in enumerate(needed)]
        # the years the shown figures refer to: their own year, else the report's
        year_of = func.coalesce(m.data_year, r_.year)
        pivot += [func.min(year_of).label("y_min"), func.max(year_of).label("y_max")]
        query = (select(r_.id, r_.county, r_.year, *pivot)
                 .join(m, (m.document_id == r_.primary_document_id) & m.headline.is_(True)
                       & m.key.in_({k for k, _ in needed}), isouter=True)
                 .group_by(r_.id, r_.county, r_.year)
                 .order_by(r_.county, r_.year, r_.id))
        if counties:
            query = query.where(r_.county.in_(counties))
        if years:
            query = query.where(r_.year.in_(years))
        records = session.execute(query).all()
    index = {spec: i for i, spec in enumerate(needed)}
    rows = []
    for rec in records:
        row = CompareRow(rec.id, rec.county, rec.year, None)
        for c in columns:
            if c.key:
                value = clean(rec[3 + index[(c.key, c.grade)]])
            else:
                num = rec[3 + index[(c.numerator, None)]]  # type: ignore[index]
                den = rec[3 + index[(c.denominator, None)]]  # type: ignore[index]
                value = ((num / den * 100).quantize(Decimal("0.1"))
                         if num is not None and den else None)
            row.values[c.id] = value
        low, high = rec.y_min or rec.year, rec.y_max or rec.year
        row.data_year = (str(low) if low == high else f"{low}/{high}") if low else None
        rows.append(row)
    _mark_outliers(rows, columns)
    return CompareTable(columns, rows)
