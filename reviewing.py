"""``jixiao review``: a reviewer's verdicts on a report's findings, kept in the store.

A finding is named by its fingerprint (shown by ``jixiao check``, its JSON and its page);
a prefix of six or more characters will do when only one finding starts so. The report is
checked again to find the finding, so the verdict records what it said. Nothing here
prints: the command prints what these return.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.errors import ReviewError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from jixiao.store.reviews import ReviewRecord

__all__ = ["ReviewSession"]

MIN_PREFIX = 6


@dataclass
class ReviewSession:
    engine: Engine | None  # None: no store yet (a SQLite file not made), so no verdicts

    @classmethod
    def open(cls, db_url: str | None, write: bool) -> ReviewSession:
        """The store: created and brought up to date when a verdict is to be written; to
        read, a store that does not exist yet is an empty one."""
        from jixiao.store.db import open_store, resolve_url, sqlite_file

        if not write:
            file = sqlite_file(resolve_url(db_url))
            if file is not None and not file.exists():
                return cls(None)
        return cls(open_store(db_url, write=write, create=write, migrate=write))

    def records(self, scope: str | None = None) -> list[ReviewRecord]:
        from jixiao.store.reviews import list_reviews

        return [] if self.engine is None else list_reviews(self.engine, scope)

    def _checked(self, file: str) -> tuple[str, Any]:
        from jixiao.api import check_document, extract_file
        from jixiao.store.reviews import apply_reviews, scope_of

        extraction = extract_file(file)
        result = check_document(extraction)
        scope = scope_of(extraction.document)
        apply_reviews(result, {r.fingerprint: r for r in self.records(scope)})
        return scope, result

    def findings_of(self, file: str) -> list[dict[str, Any]]:
        """The report's findings, dismissed ones too, with fingerprint and verdict."""
        from jixiao.check.findings import SEVERITY_LABEL

        _, result = self._checked(file)
        rows = []
        for f in [*result.findings, *result.dismissed]:
            review = f.review or {}
            rows.append({"fingerprint": f.fingerprint, "rule": f.rule, "severity": f.severity,
                         "severity_label": SEVERITY_LABEL[f.severity], "message": f.message,
                         "verdict": review.get("verdict"), "note": review.get("note", "")})
        return rows

    def decide(self, file: str, fingerprint: str, verdict: str, note: str,
               reviewer: str | None) -> str:
        """Record ``verdict`` (confirmed, dismissed, or open to withdraw one) on the
        finding of ``file`` named by ``fingerprint``; the line to show."""
        from jixiao.store.reviews import VERDICTS, mark, reopen

        scope, result = self._checked(file)
        everything = [*result.findings, *result.dismissed]
        if len(fingerprint) < MIN_PREFIX:
            raise ReviewError(fingerprint, f"指纹至少写前 {MIN_PREFIX} 位")
        hits = [f for f in everything if f.fingerprint.startswith(fingerprint)]
        if not hits:
            raise ReviewError(file, f"报告中没有指纹为 {fingerprint} 的问题（jixiao review {file} 列出全部）")
        if len(hits) > 1:
            raise ReviewError(fingerprint, "有多个问题的指纹以此开头，请多写几位")
        finding = hits[0]
        assert self.engine is not None  # opened to write
        if verdict == "open":
            done = reopen(self.engine, scope, finding.fingerprint)
            return (f"已撤销审核结论：{finding.message}" if done
                    else f"该问题本无审核结论：{finding.message}")
        record = mark(self.engine, scope, finding, verdict, note, reviewer)
        return f"{VERDICTS[record.verdict]}（{record.fingerprint}）：{finding.message}"

    def import_marks(self, path: Path) -> int:
        from jixiao.store.reviews import import_marks

        assert self.engine is not None  # opened to write
        return import_marks(self.engine, path)
