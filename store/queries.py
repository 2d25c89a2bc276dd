"""Reading the store back: list reports, show one, export figures (the comparison is in
store/compare.py).

Every function returns plain data (dataclasses and dicts) for the CLI or a web page to
format; every value stays a Decimal in 万元 / percent / count as stored.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from jixiao.errors import StoreError
from jixiao.extract.catalog import load_catalog
from jixiao.store import models
from jixiao.store.compare import clean

__all__ = ["export_rows", "find_topic", "list_reports", "show_report", "topic_passages"]


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
            query = select(models.Finding.severity, func.count()).where(
                models.Finding.document_id == primary)
            primary_doc = next((d for d in docs if d.id == primary), None)
            dismissed = [fp for fp, rev in _reviews(session, primary_doc).items()
                         if rev.verdict == "dismissed"]
            if dismissed:  # a reviewer said these are no errors: they are not counted
                query = query.where(models.Finding.fingerprint.is_(None)
                                    | models.Finding.fingerprint.not_in(dismissed))
            severities = dict(session.execute(
                query.group_by(models.Finding.severity)).all())
            rows.append({"id": r.id, "county": r.county, "year": r.year, "title": r.title,
                         "renditions": [{"id": d.id, "format": d.format, "source": d.source,
                                         "sha256": d.sha256} for d in docs],
                         "metrics": n_metrics, "errors": severities.get("error", 0),
                         "warnings": severities.get("warning", 0)})
    return rows


MIN_PREFIX = 6  # hex digits of a sha256 prefix: shorter ones match too much by chance


def _find_report(session: Session, ident: str) -> models.Report:
    """A report by its number (jixiao list), a rendition's file name or source, or a
    sha256 prefix of at least MIN_PREFIX digits that names one report only."""
    if ident.isdigit() and (report := session.get(models.Report, int(ident))) is not None:
        return report
    docs = session.scalars(select(models.Document).where(
        (models.Document.source == ident) | models.Document.source.endswith("/" + ident))).all()
    if not docs and len(ident) >= MIN_PREFIX and all(c in "0123456789abcdef"
                                                     for c in ident.lower()):
        docs = session.scalars(select(models.Document).where(
            models.Document.sha256.startswith(ident.lower()))).all()
    reports = sorted({d.report_id for d in docs})
    if len(reports) > 1:
        shown = "、".join(str(r) for r in reports)
        raise StoreError(ident, f"对应多份报告（编号 {shown}），请用编号或更长的 sha256 前缀")
    if not reports:
        raise StoreError(ident, "库中没有这份报告（可用编号、文件名或至少6位 sha256 前缀；"
                                "jixiao list 列出编号）")
    return session.get(models.Report, reports[0])  # type: ignore[return-value]


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
        reviews = _reviews(session, doc)
        shown, dismissed = [], 0
        for f in findings:
            review = reviews.get(f.fingerprint or "")
            if review is not None and review.verdict == "dismissed":
                dismissed += 1  # a reviewer said it is no error: it stays hidden
                continue
            row = {"rule": f.rule, "severity": f.severity, "message": f.message}
            if review is not None:
                row["review"] = {"verdict": review.verdict, "note": review.note}
            shown.append(row)
        return {
            "id": report.id, "county": report.county, "year": report.year, "title": report.title,
            "source": doc.source if doc else None,
            "metrics": [{"key": m.key, "label": catalog.label(m.key), "value": clean(m.value),
                         "unit": m.unit, "qualifiers": m.qualifiers, "surface": m.surface,
                         "placeholder": m.placeholder, "sentence": m.sentence} for m in metrics],
            "findings": shown,
            "dismissed": dismissed,
        }


def _reviews(session: Session, doc: models.Document | None) -> dict[str, models.Review]:
    """The reviewers' verdicts on a stored document's report (see store/reviews.py)."""
    if doc is None:
        return {}
    from jixiao.store.reviews import scope_of

    scope = scope_of(doc)
    rows = session.scalars(select(models.Review).where(models.Review.scope == scope))
    return {r.fingerprint: r for r in rows}


def export_rows(engine: Engine) -> list[dict[str, Any]]:
    """Long format: one row per figure of each report's primary rendition."""
    catalog = load_catalog()
    with Session(engine) as session:
        query = (select(models.Report, models.Document, models.Metric)
                 .join(models.Document, models.Document.id == models.Report.primary_document_id)
                 .join(models.Metric, models.Metric.document_id == models.Document.id)
                 .order_by(models.Report.county, models.Report.year, models.Metric.start,
                           models.Metric.id))  # cells of one table share a start
        return [{"county": r.county, "year": r.year, "key": m.key, "label": catalog.label(m.key),
                 "value": clean(m.value), "unit": m.unit, "qualifiers": m.qualifiers,
                 "placeholder": m.placeholder, "source": d.source, "sentence": m.sentence}
                for r, d, m in session.execute(query)]


def find_topic(name: str) -> Any:
    """A problems/measures topic named by its id or its Chinese label (第三方机构 as well
    as third_party); an unknown name is refused with the list of topics."""
    from jixiao.errors import JixiaoError
    from jixiao.extract.topics import load_topics

    known = {t.topic: t for t in load_topics()}
    by_label = {t.label: t.topic for t in known.values()}
    topic = known.get(by_label.get(name, name))
    if topic is None:
        raise JixiaoError(name, "没有这个主题，可用：" + "、".join(
            f"{t.topic}（{t.label}）" for t in known.values()))
    return topic


def topic_passages(engine: Engine, topic: str, county: str | None = None
                   ) -> list[dict[str, Any]]:
    """How the stored reports phrased a topic (``jixiao passages``, topic id): one row per
    passage, by county and year, from the version of each report that comparisons read."""
    with Session(engine) as session:
        query = (select(models.Passage, models.Document)
                 .join(models.Document, models.Document.id == models.Passage.document_id)
                 .join(models.Report, models.Report.primary_document_id == models.Document.id)
                 .where(models.Passage.topic == topic)
                 .order_by(models.Document.county, models.Document.year))
        if county:
            query = query.where(models.Document.county == county)
        rows = [{"county": d.county, "year": d.year, "source": d.source, "stage": p.stage,
                 "text": p.text} for p, d in session.execute(query).all()]
    return rows
