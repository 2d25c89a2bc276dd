"""A reviewer's verdicts on findings: confirmed (a real error) or dismissed (not one).

A verdict is stored per report and finding fingerprint (:attr:`Finding.fingerprint`: the
rule, the operands as written, the section), never per document row, so it survives a
re-check, a re-ingest and the other renditions of the same report. The report is named by
its county and year when the reader found them, else by its file name (:func:`scope_of`).

Checking applies the verdicts (:func:`apply_reviews`): a confirmed finding is marked, a
dismissed one leaves the findings (it is kept apart in ``CheckResult.dismissed``) and so
counts for no verdict and no exit status. The check page lets a reviewer mark findings in
the browser and save the marks as a file that ``jixiao review --import`` loads.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.errors import ReviewError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from jixiao.check.findings import CheckResult, Finding
    from jixiao.model import Document

__all__ = ["VERDICTS", "ReviewError", "ReviewRecord", "apply_reviews", "import_marks",
           "list_reviews", "load_reviews", "mark", "reopen", "scope_of"]

VERDICTS = {"confirmed": "已确认", "dismissed": "已排除"}


@dataclass(frozen=True)
class ReviewRecord:
    scope: str
    fingerprint: str
    verdict: str
    note: str
    reviewer: str | None
    rule: str
    message: str
    reviewed_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "fingerprint": self.fingerprint, "verdict": self.verdict,
                "note": self.note, "reviewer": self.reviewer, "rule": self.rule,
                "message": self.message, "reviewed_at": self.reviewed_at}


def scope_of(doc: Document) -> str:
    """The report a review belongs to: 县名|年份 when both are known, else the file name."""
    if doc.county and doc.year:
        return f"{doc.county}|{doc.year}"
    return Path(doc.source).name


def _record(row: Any) -> ReviewRecord:
    at = row.reviewed_at
    return ReviewRecord(row.scope, row.fingerprint, row.verdict, row.note or "", row.reviewer,
                        row.rule, row.message, at.isoformat(timespec="seconds") if at else "")


def mark(engine: Engine, scope: str, finding: Finding, verdict: str, note: str = "",
         reviewer: str | None = None) -> ReviewRecord:
    """Record (or replace) the verdict on ``finding`` of the report ``scope``."""
    if verdict not in VERDICTS:
        raise ReviewError(verdict, "审核结论应为 confirmed（确认）或 dismissed（排除）")
    return _upsert(engine, scope, finding.fingerprint, verdict, note, reviewer, finding.rule,
                   finding.message)


def _upsert(engine: Engine, scope: str, fingerprint: str, verdict: str, note: str,
            reviewer: str | None, rule: str, message: str) -> ReviewRecord:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from jixiao.store import models

    with Session(engine) as session, session.begin():
        row = session.scalars(select(models.Review).where(
            models.Review.scope == scope, models.Review.fingerprint == fingerprint)).first()
        if row is None:
            row = models.Review(scope=scope, fingerprint=fingerprint)
            session.add(row)
        row.verdict, row.note, row.reviewer = verdict, note or "", reviewer
        row.rule, row.message = rule, message
        row.reviewed_at = datetime.now(UTC)
        session.flush()
        return _record(row)


def reopen(engine: Engine, scope: str, fingerprint: str) -> bool:
    """Forget the verdict on a finding (it shows again); False when there was none."""
    from sqlalchemy import delete
    from sqlalchemy.orm import Session

    from jixiao.store import models

    with Session(engine) as session, session.begin():
        done = session.execute(delete(models.Review).where(
            models.Review.scope == scope, models.Review.fingerprint == fingerprint))
        return bool(done.rowcount)


def list_reviews(engine: Engine, scope: str | None = None) -> list[ReviewRecord]:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from jixiao.store import models

    query = select(models.Review).order_by(models.Review.scope, models.Review.reviewed_at)
    if scope is not None:
        query = query.where(models.Review.scope == scope)
    with Session(engine) as session:
        return [_record(r) for r in session.scalars(query)]


def load_reviews(doc: Document, db_url: str | None = None) -> dict[str, ReviewRecord]:
    """The verdicts on the report ``doc`` from the store, if there is one: a SQLite store
    that does not exist yet, or one without reviews, gives none (checking a file needs no
    store)."""
    if _no_store_file(db_url):
        return {}  # checking a file needs no store, nor the time to load the database layer
    from jixiao.store.db import open_store, resolve_url

    url = resolve_url(db_url)

    engine = open_store(url, migrate=False, write=False, create=False)
    try:
        return {r.fingerprint: r for r in list_reviews(engine, scope_of(doc))}
    finally:
        engine.dispose()


def _no_store_file(db_url: str | None) -> bool:
    """Is the store a SQLite file that does not exist? (Told without SQLAlchemy.)"""
    url = db_url or os.environ.get("JIXIAO_DB")
    if not url:
        from platformdirs import user_data_dir

        return not (Path(user_data_dir("jixiao")) / "jixiao.db").exists()
    if "://" not in url:
        return not Path(url).expanduser().exists()
    if url.startswith("sqlite:///") and "?" not in url:
        return not Path(url[len("sqlite:///"):]).exists()
    return False


def apply_reviews(result: CheckResult, reviews: dict[str, ReviewRecord]) -> None:
    """Mark confirmed findings, set dismissed ones apart."""
    if not reviews:
        return
    kept = []
    for f in result.findings:
        r = reviews.get(f.fingerprint)
        if r is not None:
            f.review = {"verdict": r.verdict, "note": r.note, "reviewer": r.reviewer,
                        "reviewed_at": r.reviewed_at}
        if r is not None and r.verdict == "dismissed":
            result.dismissed.append(f)
        else:
            kept.append(f)
    result.findings = kept


def import_marks(engine: Engine, path: Path) -> int:
    """Load the marks a reviewer saved from a check page (a JSON list of objects with
    scope, fingerprint, verdict, note, rule, message). Returns how many were recorded."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReviewError(str(path), f"无法读取审核记录：{exc.__class__.__name__}") from None
    if not isinstance(data, list):
        raise ReviewError(str(path), "审核记录应为列表（从核对页面“保存审核记录”得到的文件）")
    rows = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in
                                                 ("scope", "fingerprint", "verdict")):
            raise ReviewError(str(path), f"第{i + 1}条缺少 scope、fingerprint 或 verdict")
        if item["verdict"] not in VERDICTS and item["verdict"] != "open":
            raise ReviewError(str(path), f"第{i + 1}条的结论 {item['verdict']!r} 不是 "
                                         "confirmed、dismissed 或 open")
        rows.append(item)
    for item in rows:
        if item["verdict"] == "open":
            reopen(engine, item["scope"], item["fingerprint"])
            continue
        _upsert(engine, item["scope"], item["fingerprint"], item["verdict"],
                str(item.get("note") or ""), item.get("reviewer") or None,
                str(item.get("rule") or ""), str(item.get("message") or ""))
    return len(rows)
