"""The store under issue 14: commands that only read never migrate; Alembic's troubles are
one line; two ingests at once lose nothing, on SQLite and on PostgreSQL. Each test runs on
both backends (PostgreSQL where JIXIAO_TEST_PG_URL names a server, see conftest.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from jixiao.cli import main
from jixiao.store.db import SCHEMA_HEAD, alembic_config, known_revisions, open_store

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "corpus" / "sample").glob("*.txt"))
READ_ONLY = [["list"], ["show", "1"], ["compare"], ["export"]]


@pytest.fixture(autouse=True)
def _no_user_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_DB", str(tmp_path / "user.db"))
    monkeypatch.setenv("JIXIAO_LOG_DIR", str(tmp_path / "logs"))


def run(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def one_line(result) -> str:
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def revision(url: str) -> str | None:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def store_at(url: str, rev: str) -> None:
    """A store whose schema stops at ``rev``, as an older jixiao left it."""
    from alembic import command

    engine = sa.create_engine(url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, rev)
    engine.dispose()


def set_revision(url: str, rev: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :r"), {"r": rev})
    engine.dispose()


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: c[0])
def test_reading_commands_never_migrate_and_name_db_upgrade(db_url: str, command: list[str]
                                                            ) -> None:
    older = known_revisions()[-2]
    store_at(db_url, older)
    result = run(*command, "--db", db_url)
    assert result.exit_code == 2
    line = one_line(result)
    assert "jixiao db upgrade" in line and older in line
    assert revision(db_url) == older  # untouched


def test_db_upgrade_brings_an_old_store_to_this_version(db_url: str) -> None:
    store_at(db_url, known_revisions()[0])
    result = run("db", "upgrade", "--db", db_url)
    assert result.exit_code == 0 and SCHEMA_HEAD in result.stdout
    assert revision(db_url) == SCHEMA_HEAD
    assert run("list", "--db", db_url).exit_code == 0
    again = run("db", "upgrade", "--db", db_url)
    assert again.exit_code == 0 and "无需升级" in again.stdout


@pytest.mark.parametrize("command", [*READ_ONLY, ["ingest", str(SAMPLES[0])], ["db", "upgrade"]],
                         ids=lambda c: " ".join(c[:2]))
def test_store_from_a_newer_version_is_one_line(db_url: str, command: list[str]) -> None:
    """An Alembic revision this version does not know (a newer jixiao wrote the store):
    one line, exit 2, and the store is left as it is."""
    open_store(db_url).dispose()
    set_revision(db_url, "9999")
    result = run(*command, "--db", db_url)
    assert result.exit_code == 2
    line = one_line(result)
    assert "更新版本" in line and "9999" in line
    assert revision(db_url) == "9999"


def test_reading_a_store_without_tables_says_how_to_make_them(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:  # the database exists (or the file), no jixiao schema
        conn.execute(sa.text("CREATE TABLE unrelated (x INTEGER)"))
    engine.dispose()
    result = run("list", "--db", db_url)
    assert result.exit_code == 2 and "jixiao ingest" in one_line(result)


def _copies(folder: Path) -> list[list[Path]]:
    """Each sample report as text and as a Word file (two renditions of one report), in two
    halves that share no report: eight files, four reports."""
    from docx import Document

    halves: list[list[Path]] = [[], []]
    for i, sample in enumerate(SAMPLES):
        text = folder / sample.name
        text.write_bytes(sample.read_bytes())
        doc = Document()
        for line in sample.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc.add_paragraph(line.strip())
        word = folder / f"{sample.stem}.docx"
        doc.save(str(word))
        halves[i % 2] += [text, word]
    return halves


def test_two_ingests_at_once_lose_nothing(db_url: str, tmp_path: Path) -> None:
    """Two `jixiao ingest` processes into one store at the same moment (SQLite: WAL and a
    busy timeout; PostgreSQL: one transaction per document): both succeed, every file is
    stored once, and the renditions of each report are one report."""
    open_store(db_url).dispose()  # an existing store, as at a prefecture
    halves = _copies(tmp_path)
    procs = [subprocess.Popen([sys.executable, "-c", "from jixiao.cli import run; run()",
                               "ingest", "--db", db_url, *map(str, half)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for half in halves]
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
        assert "失败 0 个" in stdout and "Traceback" not in stderr
    engine = open_store(db_url)
    with engine.connect() as conn:
        documents = conn.execute(sa.text("SELECT count(*) FROM documents")).scalar()
        reports = conn.execute(sa.text("SELECT count(*) FROM reports")).scalar()
        hashes = conn.execute(sa.text("SELECT count(DISTINCT sha256) FROM documents")).scalar()
    engine.dispose()
    assert (documents, hashes, reports) == (8, 8, 4)
