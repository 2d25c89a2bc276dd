"""Ingest reports: read → extract → check → store, one transaction per document.

Workers (``jobs`` processes) do the reading and the NLP; the calling process is the single
writer, so SQLite never sees two writers from one ingest. A document already stored (same
SHA-256) is skipped unless ``force``; a new rendition of a report already stored (same
county and year, nearly the same text) joins that report instead of making a second one,
so no comparison counts a report twice. A document that fails leaves no rows behind.
"""

from __future__ import annotations

import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from jixiao.api import collect_paths
from jixiao.errors import JixiaoError, StoreError, internal_error
from jixiao.extract import limits
from jixiao.extract.limits import Limits
from jixiao.store import models

__all__ = ["IngestSummary", "Prepared", "Written", "ingest", "ingest_into", "prepare", "sketch"]

SKETCH_SIZE = 64
SHINGLE = 6
SAME_REPORT = 0.8  # estimated Jaccard similarity of two renditions of one report
# When a report has several renditions, comparisons read the most faithful one.
FORMAT_RANK = {"docx": 3, "doc": 3, "wps": 3, "pdf": 2, "html": 2, "txt": 1, "xlsx": 1, "xls": 1}


@dataclass
class Prepared:
    """Everything a worker read from one file, ready to be written (picklable)."""

    path: str
    document: Any
    metrics: list[Any]
    findings: list[Any]
    passages: list[Any]


@dataclass(frozen=True)
class Written:
    """What writing one document did. ``kind``: ingested (a new report), rendition (one
    more rendition of a stored report), revision (a rendition stating other figures: a
    corrected re-issue), reread (--force) or duplicate. A revision lists the changed
    figures ("label old→new") and whether it is now the version compared."""

    kind: str
    changes: tuple[str, ...] = ()
    compared: bool = False


@dataclass
class IngestSummary:
    ingested: list[str] = field(default_factory=list)
    renditions: list[str] = field(default_factory=list)  # joined an existing report
    reread: list[str] = field(default_factory=list)  # already stored, read again (--force)
    # joined an existing report but states other figures: (path, whether it is now the
    # version compared, the differing figures as "label old→new")
    revisions: list[tuple[str, bool, list[str]]] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def record(self, path: str, written: Written) -> None:
        if written.kind == "duplicate":
            self.duplicates.append(path)
            return
        self.ingested.append(path)
        if written.kind == "rendition":
            self.renditions.append(path)
        elif written.kind == "reread":
            self.reread.append(path)
        elif written.kind == "revision":
            self.revisions.append((path, written.compared, list(written.changes)))

    @property
    def total(self) -> int:
        return len(self.ingested) + len(self.duplicates) + len(self.failed)

    def failure_lines(self) -> list[str]:
        """One line per file that could not be stored (file and reason)."""
        return [f"错误：{path}: {reason}" for path, reason in self.failed]

    def notes(self) -> list[str]:
        """One line per corrected re-issue: which figures differ, which version is compared."""
        out = []
        for path, compared, changes in self.revisions:
            what = ("按修订版入库，比较时以它为准" if compared
                    else "已作为该报告的其他版本入库，比较时仍用已有的版本，请核对哪一份是正式版本")
            shown = "；".join(changes[:5]) + ("…" if len(changes) > 5 else "")
            out.append(f"提示：{path}: 与库中同一份报告文字相同而数字不同（{shown}），{what}")
        return out

    def line(self) -> str:
        """The closing summary."""
        new_reports = (len(self.ingested) - len(self.renditions) - len(self.revisions)
                       - len(self.reread))
        revised = f"，修订版 {len(self.revisions)} 个" if self.revisions else ""
        revised += f"，重新读入 {len(self.reread)} 个" if self.reread else ""
        return (f"共 {self.total} 个文件：入库 {len(self.ingested)} 个（新报告 {new_reports} 份，"
                f"已有报告的其他版本 {len(self.renditions)} 个{revised}），"
                f"重复跳过 {len(self.duplicates)} 个，失败 {len(self.failed)} 个")


def prepare(path: str, bounds: Limits | None = None) -> Prepared | JixiaoError:
    """Read, extract and check one file (runs in a worker process, under the reading
    bounds of the command). Whatever goes wrong is returned, never raised: a bug on one
    file is logged (errors.internal_error) and the batch goes on."""
    from jixiao.api import check_document, extract_file
    from jixiao.extract.topics import passages

    try:
        with limits.using(bounds or limits.current()):
            extraction = extract_file(path)
            result = check_document(extraction)
            return Prepared(path, extraction.document, extraction.metrics, result.findings,
                            passages(extraction.document))
    except JixiaoError as err:
        return err
    except Exception as exc:
        return internal_error(path, exc)


def sketch(text: str) -> list[int]:
    """Bottom-k MinHash sketch of the CJK and digit characters of ``text``.

    Renditions differ in spaces, line breaks and punctuation lost by a PDF extractor;
    the letters and digits they share are what identifies the report.
    """
    core = "".join(c for c in text if c.isdigit() or "\u4e00" <= c <= "\u9fff")
    hashes = {zlib.crc32(core[i:i + SHINGLE].encode()) for i in range(max(len(core) - SHINGLE + 1, 1))}
    return sorted(hashes)[:SKETCH_SIZE]


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of the texts behind two sketches."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[:SKETCH_SIZE]
    both = set(a) & set(b)
    return sum(1 for h in union if h in both) / len(union)


def _find_report(session: Session, doc: Any, sig: list[int]) -> models.Report | None:
    query = select(models.Report).where(models.Report.year == doc.year)
    if doc.county:
        query = query.where((models.Report.county == doc.county) | (models.Report.county.is_(None)))
    best, score = None, SAME_REPORT
    for report in session.scalars(query):
        s = similarity(sig, report.sketch)
        if s >= score:
            best, score = report, s
    return best


HEADLINE_EXCLUDES = ("month", "entity", "field")


def headline_flags(metrics: list[Any]) -> list[bool]:
    """Which figures are the report's headline figure for their (key, grade): the first
    statement, in reading order, without month, entity or field — the report's own total."""
    seen: set[tuple[Any, Any]] = set()
    flags = []
    for m in metrics:
        q = m.qualifiers or {}
        ok = (m.key is not None and not m.placeholder and m.value is not None
              and not any(name in q for name in HEADLINE_EXCLUDES)
              and (m.key, q.get("grade")) not in seen)
        if ok:
            seen.add((m.key, q.get("grade")))
        flags.append(ok)
    return flags


def _metric_row(document_id: int, m: Any, headline: bool) -> dict[str, Any]:
    return {"document_id": document_id, "key": m.key, "value": m.value, "unit": m.unit,
            "grade": m.qualifiers.get("grade"), "data_year": m.qualifiers.get("year"),
            "headline": headline,
            "kind": m.kind, "qualifiers": dict(m.qualifiers), "surface": m.surface[:128],
            "number_text": m.number_text[:64], "start": m.start, "end": m.end, "page": m.page,
            "section": m.section, "sentence": m.sentence, "placeholder": m.placeholder,
            "origin": m.origin, "sign": m.sign, "date": m.date}


def _finding_row(document_id: int, f: Any) -> dict[str, Any]:
    return {"document_id": document_id, "rule": f.rule, "severity": f.severity,
            "message": f.message, "found": f.found, "expected": f.expected,
            "evidence": [{"surface": e.surface, "start": e.start, "end": e.end, "page": e.page,
                          "section": e.section} for e in f.evidence],
            "fingerprint": f.fingerprint}


def _delete_document(session: Session, document_id: int) -> None:
    for table in (models.Metric, models.Finding, models.Section, models.Passage):
        session.execute(delete(table).where(table.document_id == document_id))
    session.execute(delete(models.Document).where(models.Document.id == document_id))


def write(session: Session, p: Prepared, force: bool = False) -> Written:
    """Write one prepared document in the caller's transaction."""
    doc = p.document
    existing = session.scalar(select(models.Document).where(models.Document.sha256 == doc.sha256))
    if existing is not None:
        if not force:
            return Written("duplicate")
        _delete_document(session, existing.id)
        session.flush()
    sig = sketch(doc.text)
    report = _find_report(session, doc, sig)
    outcome = ("reread" if existing is not None else
               "rendition" if report is not None else "ingested")
    if report is None:
        report = models.Report(county=doc.county, year=doc.year, title=doc.title, sketch=sig)
        session.add(report)
        session.flush()
    row = models.Document(report_id=report.id, sha256=doc.sha256, source=Path(p.path).name,
                          format=doc.format, county=doc.county, year=doc.year, title=doc.title,
                          text=doc.text, ingested_at=datetime.now(UTC))
    session.add(row)
    session.flush()
    _write_children(session, row.id, p)
    primary = session.get(models.Document, report.primary_document_id) \
        if report.primary_document_id else None
    changed = _changed_figures(session, primary.id, row.id) if primary is not None else []
    rank_new, rank_old = (FORMAT_RANK.get(doc.format, 0),
                          FORMAT_RANK.get(primary.format, 0) if primary else 0)
    # a corrected re-issue in a format as faithful replaces the version compared; one in
    # a less faithful format (a scan with a misread digit) does not
    becomes_primary = primary is None or rank_new > rank_old or bool(changed and rank_new >= rank_old)
    if becomes_primary:
        report.primary_document_id = row.id
    if report.county is None and doc.county:
        report.county = doc.county
    if report.title is None and doc.title:
        report.title = doc.title
    if changed and outcome == "rendition":
        return Written("revision", tuple(changed), becomes_primary)
    return Written(outcome)


def _changed_figures(session: Session, old_id: int, new_id: int) -> list[str]:
    """Headline figures two renditions of one report state differently ("label old→new").

    Renditions of one report (the Word file, the PDF printed from it) state the same
    figures; a document as similar in text but with other figures is a corrected re-issue.
    """
    from jixiao.extract.catalog import load_catalog
    from jixiao.store.compare import clean

    def headlines(doc_id: int) -> dict[tuple[str, str | None], Any]:
        rows = session.execute(select(models.Metric.key, models.Metric.grade, models.Metric.value)
                               .where(models.Metric.document_id == doc_id,
                                      models.Metric.headline.is_(True))).all()
        return {(k, g): clean(v) for k, g, v in rows}

    old, new = headlines(old_id), headlines(new_id)
    catalog = load_catalog()
    return [f"{catalog.label(k)}{'（' + g + '）' if g else ''} {old[k, g]}→{new[k, g]}"
            for (k, g) in sorted(old.keys() & new.keys(), key=str) if old[k, g] != new[k, g]]


def _write_children(session: Session, document_id: int, p: Prepared) -> None:
    doc = p.document
    if doc.sections:
        session.execute(insert(models.Section), [
            {"document_id": document_id, "sid": s.id, "heading": s.heading, "level": s.level,
             "stage": s.stage, "start": s.start, "end": s.end, "parent": s.parent}
            for s in doc.sections])
    if p.metrics:
        ordered = sorted(p.metrics, key=lambda m: (m.start, m.origin))
        flags = headline_flags(ordered)
        session.execute(insert(models.Metric), [_metric_row(document_id, m, f)
                                                for m, f in zip(ordered, flags, strict=True)])
    if p.findings:
        session.execute(insert(models.Finding), [_finding_row(document_id, f) for f in p.findings])
    if p.passages:
        session.execute(insert(models.Passage), [
            {"document_id": document_id, "stage": x.stage, "section": x.section,
             "topic": x.topic, "text": x.text} for x in p.passages])


def _prepared(paths: list[str], jobs: int, bounds: Limits) -> Iterator[Prepared | JixiaoError]:
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield prepare(path, bounds)
        return
    # A bounded window of files in flight, in order: when the writer is slower than the
    # workers (a remote PostgreSQL), prepared documents must not pile up in memory.
    window = jobs * 4
    todo = deque(paths)
    while todo:
        pool = ProcessPoolExecutor(max_workers=jobs)
        pending: deque[tuple[str, Any]] = deque()
        try:
            while todo or pending:
                while todo and len(pending) < window:
                    path = todo.popleft()
                    pending.append((path, pool.submit(prepare, path, bounds)))
                path, future = pending[0]
                try:
                    item = future.result()
                except BrokenProcessPool:
                    break
                pending.popleft()
                yield item
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if pending:
            # A worker died (killed for memory, a crash in a C library): every file in
            # flight failed with it. Each is read again alone, so only the one that kills
            # its worker again is reported; then the others go on in a fresh pool.
            for path, _ in pending:
                yield _alone(path, bounds)


def _alone(path: str, bounds: Limits) -> Prepared | JixiaoError:
    """``prepare(path)`` in a process of its own; a process that dies is this file's fault."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(prepare, path, bounds).result()
        except BrokenProcessPool:
            return JixiaoError(path, "处理此文件时工作进程意外退出（可能是内存不足或文件触发了"
                                     "底层库的缺陷），已跳过；可用 --limit 调低上限后重试")


def ingest_into(url: str | None, paths: Iterable[str], *, jobs: int = 1, force: bool = False,
                progress: Callable[[int, int, str], None] | None = None) -> IngestSummary:
    """``jixiao ingest``: open the store at ``url`` for writing (made, or upgraded to this
    version's schema, if need be) and ingest ``paths`` into it."""
    from jixiao.store.db import open_store

    engine = open_store(url, write=True, create=True)
    try:
        return ingest(paths, engine, jobs=jobs, force=force, progress=progress)
    finally:
        engine.dispose()


def ingest(paths: Iterable[str], engine: Engine, *, jobs: int = 1, force: bool = False,
           progress: Callable[[int, int, str], None] | None = None,
           bounds: Limits | None = None) -> IngestSummary:
    """Ingest files and folders into the store; one transaction per document.

    ``bounds``: the reading limits (default: those in force, extract/limits.py)."""
    files = collect_paths(paths)
    summary = IngestSummary()
    for done, item in enumerate(_prepared(files, jobs, bounds or limits.current()), start=1):
        path = files[done - 1]
        if isinstance(item, JixiaoError):
            summary.failed.append((path, item.reason))
        else:
            try:
                with Session(engine) as session, session.begin():
                    outcome = write(session, item, force)
            except JixiaoError as err:
                summary.failed.append((path, err.reason))
                outcome = None
            except OperationalError as exc:  # the database itself failed: stop, say why
                from jixiao.store.db import _reason, _shown

                raise StoreError(_shown(engine.url.render_as_string(hide_password=False)),
                                 _reason(exc)) from None
            except SQLAlchemyError as exc:  # this document only; the transaction rolled back
                summary.failed.append((path, f"写入数据库失败：{exc.__class__.__name__}"))
                outcome = None
            except Exception as exc:  # a bug writing this document: logged, the batch goes on
                summary.failed.append((path, internal_error(path, exc).reason))
                outcome = None
            if outcome is not None:
                summary.record(path, outcome)
        if progress is not None:
            progress(done, len(files), path)
    return summary
