"""The store (jixiao.store): ingest the corpus into SQLite and PostgreSQL, idempotently, one
report per set of renditions, all or nothing per document, exact numbers, two writers at once.

PostgreSQL runs when JIXIAO_TEST_PG_URL is set (see tests/conftest.py and .ci/run).
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from jixiao.errors import StoreError
from jixiao.store import ingest as ingest_module
from jixiao.store import models
from jixiao.store.compare import clean, compare
from jixiao.store.db import open_store
from jixiao.store.ingest import ingest
from jixiao.store.queries import export_rows, list_reports, show_report

from .conftest import BACKENDS, CORPUS, STEMS, require

# OCR-only renditions (scan.pdf, nounicode.pdf) are left to the slow OCR tests.
OCR_ONLY = (".scan.pdf", ".nounicode.pdf")
FILES = sorted(p for p in CORPUS.glob("*") if p.suffix in (".txt", ".docx", ".pdf")
               and not p.name.endswith(OCR_ONLY)) if CORPUS.exists() else []
TABLES = {"reports": models.Report, "documents": models.Document, "sections": models.Section,
          "metrics": models.Metric, "findings": models.Finding, "passages": models.Passage}
CHILDREN = (models.Section, models.Metric, models.Finding, models.Passage)

pytestmark = pytest.mark.usefixtures("corpus_complete")


@pytest.fixture(scope="module")
def corpus_complete() -> None:
    if len(FILES) != 13:
        require("corpus", f"corpus incomplete in {CORPUS}")


def rendition(report: str, suffix: str) -> Path:
    return CORPUS / f"{STEMS[report]}{suffix}"


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {name: session.scalar(select(func.count()).select_from(model))
                for name, model in TABLES.items()}


def names(paths) -> list[str]:
    return sorted(Path(p).name for p in paths)


@pytest.fixture(scope="module", params=BACKENDS)
def corpus(request, new_db_url):
    """The 13 renditions ingested three times into one store: plain, again, and --force."""
    if len(FILES) != 13:  # before any store is made (module fixtures come first)
        require("corpus", f"corpus incomplete in {CORPUS}")
    engine = open_store(new_db_url(request.param))
    first = ingest([str(p) for p in FILES], engine)
    after_first = counts(engine)
    again = ingest([str(p) for p in FILES], engine)
    after_again = counts(engine)
    forced = ingest([str(p) for p in FILES], engine, force=True)
    after_forced = counts(engine)
    yield SimpleNamespace(backend=request.param, engine=engine, first=first, again=again,
                          forced=forced, after_first=after_first, after_again=after_again,
                          after_forced=after_forced)
    engine.dispose()


# --------------------------------------------------------------------------- idempotence


def test_first_ingest_stores_four_reports_and_every_rendition(corpus):
    s = corpus.first
    assert s.failed == []
    assert names(s.ingested) == names(FILES)
    assert len(s.renditions) == len(FILES) - 4  # all but the first rendition of each report
    assert corpus.after_first["reports"] == 4
    assert corpus.after_first["documents"] == len(FILES) == 13
    for table in ("sections", "metrics", "findings", "passages"):
        assert corpus.after_first[table] > 0, table


def test_every_document_has_its_own_rows(corpus):
    """Each rendition carries its own sections, figures and passages."""
    with Session(corpus.engine) as session:
        docs = session.scalars(select(models.Document)).all()
        for model in (models.Section, models.Metric, models.Passage):
            per_doc = dict(session.execute(select(model.document_id, func.count())
                                           .group_by(model.document_id)).all())
            missing = [d.source for d in docs if not per_doc.get(d.id)]
            assert missing == [], model.__tablename__


def test_second_ingest_is_a_no_op(corpus):
    s = corpus.again
    assert names(s.duplicates) == names(FILES)
    assert s.ingested == [] and s.renditions == [] and s.failed == []
    assert corpus.after_again == corpus.after_first


def test_force_reingests_without_duplicating(corpus):
    s = corpus.forced
    assert s.failed == [] and s.duplicates == []
    assert names(s.ingested) == names(FILES)
    # every file is read again into its own report: no new report, no new rendition
    assert names(s.reread) == names(FILES) and s.renditions == []
    assert corpus.after_forced == corpus.after_first


def test_no_orphans_and_valid_primary_after_force(corpus):
    """--force deletes and rewrites documents: no child row may point at a deleted document,
    and every report's primary rendition must be one of its own documents."""
    with Session(corpus.engine) as session:
        doc_ids = set(session.scalars(select(models.Document.id)))
        for model in CHILDREN:
            orphans = set(session.scalars(select(model.document_id).distinct())) - doc_ids
            assert orphans == set(), model.__tablename__
        for report in session.scalars(select(models.Report)):
            own = {d.id: d.format for d in report.documents}
            assert report.primary_document_id in own, report.id
            # the most faithful rendition is the one compared: the Word file
            assert own[report.primary_document_id] == "docx"


# --------------------------------------------------------------------------- renditions


def test_renditions_of_a_report_are_one_report(corpus):
    rows = list_reports(corpus.engine)
    assert len(rows) == 4
    by_stem = {}
    for row in rows:
        stems = {r["source"].split(".")[0] for r in row["renditions"]}
        assert len(stems) == 1, f"renditions of different reports grouped: {stems}"
        by_stem[stems.pop()] = row
    assert set(by_stem) == set(STEMS.values())
    for stem, row in by_stem.items():
        formats = Counter(r["format"] for r in row["renditions"])
        expected = Counter({"docx": 1, "pdf": 1, "txt": 2 if stem.startswith("001") else 1})
        assert formats == expected, stem


def test_list_reports_county_and_year(corpus):
    got = {(r["county"], r["year"]) for r in list_reports(corpus.engine)}
    assert got == {("西工区", 2022), ("尉犁县", 2025), ("民丰县", 2024), (None, 2021)}


def test_show_report_by_id_source_and_hash(corpus):
    rows = {r["county"]: r for r in list_reports(corpus.engine)}
    report = rows["民丰县"]
    by_id = show_report(corpus.engine, str(report["id"]))
    by_source = show_report(corpus.engine, f"{STEMS['003']}.pdf")
    by_hash = show_report(corpus.engine, report["renditions"][0]["sha256"][:12])
    assert by_id["id"] == by_source["id"] == by_hash["id"] == report["id"]
    assert by_id["source"] == f"{STEMS['003']}.docx"
    assert all(m["label"] for m in by_id["metrics"])
    with pytest.raises(StoreError):
        show_report(corpus.engine, "999999")
    with pytest.raises(StoreError):
        show_report(corpus.engine, "没有这个文件.docx")


@pytest.fixture(scope="module")
def docx_only(corpus, new_db_url):
    """The same four reports, each ingested once (Word only), on the same backend."""
    engine = open_store(new_db_url(corpus.backend))
    summary = ingest([str(p) for p in FILES if p.suffix == ".docx"], engine)
    assert summary.failed == [] and len(summary.ingested) == 4
    yield engine
    engine.dispose()


def test_compare_counts_each_report_once(corpus, docx_only):
    table = compare(corpus.engine)
    assert len(table.rows) == 4
    assert len({(r.county, r.year) for r in table.rows}) == 4
    # Thirteen renditions compare exactly as the four reports ingested once each.
    assert table.to_records() == compare(docx_only).to_records()


def test_export_reads_primary_renditions_only(corpus, docx_only):
    rows = export_rows(corpus.engine)
    assert rows
    assert {r["source"] for r in rows} == {f"{stem}.docx" for stem in STEMS.values()}
    assert rows == export_rows(docx_only)


def test_compare_filters(corpus):
    one = compare(corpus.engine, counties=["民丰县"], keys=["key_eval.amount"])
    assert [(r.county, r.year) for r in one.rows] == [("民丰县", 2024)]
    assert [c.id for c in one.columns] == ["key_eval.amount"]
    assert one.rows[0].values["key_eval.amount"] == Decimal("11285.11")
    with pytest.raises(StoreError):  # like an unknown county: said, not an empty table
        compare(corpus.engine, years=[1999])
    with pytest.raises(StoreError):
        compare(corpus.engine, counties=["不存在县"])
    with pytest.raises(StoreError):  # a key without grades asked for one grade
        compare(corpus.engine, keys=["target.projects@优"])
    with pytest.raises(StoreError):
        compare(corpus.engine, keys=["evaluation.grade_share@优秀"])
    with pytest.raises(StoreError):
        compare(corpus.engine, keys=["no.such.key"])


def test_compare_reads_columns_the_schema_has():
    """store/compare.py names its tables without the ORM (so `jixiao compare` starts
    fast); a renamed column in store/models.py must fail here, not in a user's query."""
    from jixiao.store import compare as compare_module

    for light in (compare_module._reports, compare_module._metrics):
        real = models.Base.metadata.tables[light.name]
        assert {c.name for c in light.columns} <= {c.name for c in real.columns}, light.name


# --------------------------------------------------------------------------- exact numbers


def test_amounts_come_back_as_exact_decimals(corpus):
    """003 says 8.12962157亿元 of 衔接资金 (checked by a person against the report): 81296.2157 万元,
    in every rendition."""
    with Session(corpus.engine) as session:
        rows = session.execute(
            select(models.Document.format, models.Metric.value, models.Metric.qualifiers)
            .join(models.Document, models.Document.id == models.Metric.document_id)
            .where(models.Document.source.startswith(STEMS["003"]),
                   models.Metric.key == "focus.amount",
                   models.Metric.number_text.startswith("8.1296"))).all()
    assert sorted(fmt for fmt, _, _ in rows) == ["docx", "pdf", "txt"]
    for _, value, qualifiers in rows:
        assert isinstance(value, Decimal)
        assert clean(value) == Decimal("81296.2157")
        assert qualifiers == {"field": "衔接资金"}
    shown = show_report(corpus.engine, f"{STEMS['003']}.docx")["metrics"]
    assert Decimal("81296.2157") in [m["value"] for m in shown if m["key"] == "focus.amount"]


def _round_trip(url: str, values: list[Decimal]) -> list[Decimal]:
    """Store ``values`` as the figures of one document and read them back."""
    engine = open_store(url)
    prepared = ingest_module.prepare(str(rendition("002", ".txt")))
    template = prepared.metrics[0]
    prepared.metrics = [dataclasses.replace(template, value=v) for v in values]
    with Session(engine) as session, session.begin():
        assert ingest_module.write(session, prepared).kind == "ingested"
    with Session(engine) as session:
        got = session.scalars(select(models.Metric.value).order_by(models.Metric.id)).all()
    engine.dispose()
    assert all(isinstance(v, Decimal) for v in got)
    return [clean(v) for v in got]


@pytest.mark.parametrize("backend", BACKENDS)
def test_decimals_round_trip(backend, new_db_url):
    """County-scale values as a report states them: 万元 with up to 6 decimals, percents."""
    values = [Decimal("1234567.123456"), Decimal("0.000001"), Decimal("9999999.99"),
              Decimal("-12.5"), Decimal("0.1"), Decimal("81296.2157"), Decimal("92.8")]
    assert _round_trip(new_db_url(backend), values) == [clean(v) for v in values]


@pytest.mark.parametrize("backend", BACKENDS)
def test_province_scale_decimals_round_trip(backend, new_db_url):
    """Amounts of 1万亿元 and more (10^8 万元: a province's budget) within the column's declared
    Numeric(24, 8). On SQLite a Numeric column is stored as a REAL (binary float) and read
    back with 8 decimals, so 92545908.54 comes back as 92545908.54000001."""
    values = [Decimal("92545908.54"), Decimal("67881454.6959"), Decimal("99999999.99"),
              Decimal("123456789012.5")]
    assert _round_trip(new_db_url(backend), values) == [clean(v) for v in values]


# --------------------------------------------------------------------------- all or nothing


def _fail_after_all_children(real):
    """Write every row of the document, then an insert the database refuses."""
    def broken(session, document_id, p):
        real(session, document_id, p)
        session.execute(insert(models.Metric), [{"document_id": document_id, "key": "x"}])
    return broken, "写入数据库失败：IntegrityError"


def _fail_after_sections(real):
    """Write the sections only, then give up with a user-facing error."""
    def broken(session, document_id, p):
        half = dataclasses.replace(p, metrics=[], findings=[], passages=[])
        real(session, document_id, half)
        raise StoreError(p.path, "模拟的写入中断")
    return broken, "模拟的写入中断"


@pytest.mark.parametrize("make_failure", [_fail_after_all_children, _fail_after_sections],
                         ids=["insert-fails", "error-after-sections"])
def test_failure_mid_document_leaves_no_rows(db_url, monkeypatch, make_failure):
    victim = rendition("003", ".docx")
    batch = [rendition("001", ".txt"), victim, rendition("003", ".txt"), rendition("002", ".txt")]
    real = ingest_module._write_children
    broken, reason = make_failure(real)

    def write_children(session, document_id, p):
        if Path(p.path) == victim:
            return broken(session, document_id, p)
        return real(session, document_id, p)

    monkeypatch.setattr(ingest_module, "_write_children", write_children)
    engine = open_store(db_url)
    summary = ingest([str(p) for p in batch], engine)
    assert summary.failed == [(str(victim), reason)]
    # the batch went on with the files after the failing one
    assert names(summary.ingested) == names(batch[:1] + batch[2:])

    with Session(engine) as session:
        sources = session.scalars(select(models.Document.source)).all()
        assert victim.name not in sources
        doc_ids = set(session.scalars(select(models.Document.id)))
        for model in CHILDREN:
            leftover = set(session.scalars(select(model.document_id).distinct())) - doc_ids
            assert leftover == set(), f"{model.__tablename__} rows of the failed document"
        # no report was left behind by the failed document either: 003's text joins nothing
        reports = session.scalars(select(models.Report)).all()
        assert len(reports) == 3
        assert all(r.documents for r in reports)
    assert counts(engine)["documents"] == 3

    # Without the fault the same file goes in: nothing of it was left to call it a duplicate.
    monkeypatch.setattr(ingest_module, "_write_children", real)
    again = ingest([str(victim)], engine)
    assert again.failed == [] and again.duplicates == []
    assert again.renditions == [str(victim)]  # joins the report of 003's text
    assert counts(engine)["reports"] == 3
    engine.dispose()


def test_unreadable_file_does_not_stop_the_batch(db_url, tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    engine = open_store(db_url)
    summary = ingest([str(rendition("001", ".txt")), str(bad), str(rendition("002", ".txt"))],
                     engine)
    engine_counts = counts(engine)
    engine.dispose()
    assert [p for p, _ in summary.failed] == [str(bad)]
    assert summary.failed[0][1]
    assert len(summary.ingested) == 2
    assert engine_counts["documents"] == 2 and engine_counts["reports"] == 2


def test_jobs_gives_the_same_store(db_url):
    engine = open_store(db_url)
    batch = [str(p) for p in FILES if p.name.startswith(("001", "003"))]
    summary = ingest(batch, engine, jobs=2)
    got = counts(engine)
    engine.dispose()
    assert summary.failed == [] and names(summary.ingested) == names(batch)
    assert got["reports"] == 2 and got["documents"] == len(batch)


# --------------------------------------------------------------------------- two writers


def _ingest_process(db: str, files: list[Path]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from jixiao.cli import run; run()",
                             "ingest", "--db", db, *map(str, files)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _run_two_ingests(db: str) -> list[tuple[int, str, str]]:
    halves = ([p for p in FILES if p.name.startswith(("001", "002"))],
              [p for p in FILES if p.name.startswith(("003", "004"))])
    procs = [_ingest_process(db, half) for half in halves]
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        out.append((proc.returncode, stdout, stderr))
    return out


def _check_two_ingests(db: str, results: list[tuple[int, str, str]]) -> None:
    for code, stdout, stderr in results:
        assert code == 0, stderr
        assert "失败 0 个" in stdout
        assert "Traceback" not in stderr
    engine = open_store(db)
    got = counts(engine)
    engine.dispose()
    assert got["reports"] == 4 and got["documents"] == 13


def test_two_ingests_at_once_into_one_sqlite_file(tmp_path):
    """Two `jixiao ingest` processes write one SQLite file at the same time (WAL, busy
    timeout): both succeed and nothing is lost."""
    db = str(tmp_path / "shared.db")
    open_store(db).dispose()  # an existing store, as at a prefecture
    _check_two_ingests(db, _run_two_ingests(db))


OPEN_AT = """
import sys, time
from jixiao.store.db import open_store
from jixiao.errors import StoreError
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
try:
    open_store(sys.argv[1]).dispose()
except StoreError as err:
    sys.exit(f"错误：{err}")
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_first_opens_at_once_create_the_schema_once(backend, new_db_url):
    """Two ingests started at once on a store that does not exist yet both create the schema
    (Alembic on open): neither may fail with "table … already exists". Four processes open
    a fresh store at the same instant, three times over."""
    import time

    for attempt in range(3):
        db = new_db_url(backend)
        start = time.time() + 1.5  # after every process has imported SQLAlchemy and Alembic
        procs = [subprocess.Popen([sys.executable, "-c", OPEN_AT, db, str(start)],
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
        errors = [proc.communicate(timeout=120)[1].strip() for proc in procs]
        assert [e for e in errors if e] == [], f"attempt {attempt + 1}"
