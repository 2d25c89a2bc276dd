"""Shared fixtures: the corpus of real reports lives beside the repository in ../shared.

Tests that need something the machine may lack (the corpus, a PostgreSQL server, the OCR
extra, LibreOffice, an unprivileged user) call :func:`require`: a skip with its reason on
a newcomer's machine, a failure where ``JIXIAO_REQUIRE`` names the need (.ci/run sets
``JIXIAO_REQUIRE=pg,ocr,soffice,corpus``), so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

REQUIRE_ENV = "JIXIAO_REQUIRE"
NEEDS = {"corpus", "pg", "ocr", "soffice", "unprivileged"}


def required(need: str) -> bool:
    """Does ``JIXIAO_REQUIRE`` (comma-separated) name ``need``?"""
    assert need in NEEDS, need
    return need in {w.strip() for w in os.environ.get(REQUIRE_ENV, "").split(",")}


def require(need: str, reason: str) -> NoReturn:
    """Skip this test for ``reason`` — or fail it, when ``JIXIAO_REQUIRE`` names ``need``."""
    if required(need):
        pytest.fail(f"{REQUIRE_ENV} 要求 {need}：{reason}", pytrace=False)
    pytest.skip(reason)


def require_ocr() -> None:
    """The OCR extra (rapidocr, onnxruntime), or :func:`require` says why not."""
    from jixiao.extract.readers.ocr import ocr_available

    if not ocr_available():
        require("ocr", "OCR extra not installed: pip install 'jixiao[ocr]'")


def require_corpus(*paths: Path) -> None:
    """The corpus files (../shared/corpus), or :func:`require` says which is missing."""
    for path in paths or (CORPUS,):
        if not path.exists():
            require("corpus", f"corpus file missing: {path}（语料在仓库旁的 ../shared/corpus）")

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
STEMS = {
    "001": "001_16794bffd2751457",
    "002": "002_14d9c8f6bc945b17",
    "003": "003_9838b6f1644cf041",
    "004": "004_c8ea8cb1556f9aed",
}


def corpus_file(report: str, suffix: str) -> Path:
    """Path of a corpus rendition, e.g. ``corpus_file("003", ".docx")``; skips if absent."""
    path = CORPUS / f"{STEMS[report]}{suffix}"
    require_corpus(path)
    return path


@pytest.fixture(scope="session")
def read_cached():
    """Read each corpus file once per test session."""
    from jixiao.api import read_document

    cache: dict[Path, object] = {}

    def read(report: str, suffix: str):
        path = corpus_file(report, suffix)
        if path not in cache:
            cache[path] = read_document(path)
        return cache[path]

    return read


# --------------------------------------------------------------------------- database URLs
# The store tests run against SQLite always and against PostgreSQL when JIXIAO_TEST_PG_URL
# names a server (.ci/run installs one and sets it). Every store gets a database of its own:
# a SQLite file in a temporary folder, or a PostgreSQL database created for it through the
# configured URL (whose role needs CREATEDB; without it, a schema of its own instead).

PG_ENV = "JIXIAO_TEST_PG_URL"
PG_HOWTO = (f"PostgreSQL 未配置：设置 {PG_ENV}=postgresql+psycopg://用户:密码@127.0.0.1:5432/库名 "
            "后运行（该角色需能建库；.ci/run 会自动安装并启动 PostgreSQL）")
BACKENDS = ("sqlite", "postgresql")


class _Postgres:
    """Makes and drops the databases (or schemas) the tests use on the configured server."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool,
                                   connect_args={"connect_timeout": 5})
        self.databases: list[str] = []
        self.schemas: list[str] = []

    def new(self) -> str:
        from uuid import uuid4

        from sqlalchemy import text
        from sqlalchemy.exc import OperationalError, ProgrammingError

        name = f"jixiao_test_{uuid4().hex[:12]}"
        try:
            with self.admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except OperationalError as exc:
            pytest.fail(f"{PG_ENV} 指向的 PostgreSQL 无法连接：{str(exc.orig).splitlines()[0]}",
                        pytrace=False)
        except ProgrammingError:  # no CREATEDB: a schema of its own in the configured database
            with self.admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{name}"'))
            self.schemas.append(name)
            url = self.url.update_query_dict({"options": f"-csearch_path={name}"})
            return url.render_as_string(hide_password=False)
        self.databases.append(name)
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        from sqlalchemy import text

        if not self.databases and not self.schemas:
            self.admin.dispose()
            return
        with self.admin.connect() as conn:
            for name in self.databases:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for name in self.schemas:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def new_db_url(tmp_path_factory):
    """``new_db_url(backend)``: the URL of an empty store of its own ("sqlite" or
    "postgresql"); skips PostgreSQL when JIXIAO_TEST_PG_URL is not set."""
    import os

    postgres: _Postgres | None = None

    def new(backend: str) -> str:
        nonlocal postgres
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('store') / 'jixiao.db'}"
        assert backend == "postgresql", backend
        configured = os.environ.get(PG_ENV)
        if not configured:
            require("pg", PG_HOWTO)
        if postgres is None:
            postgres = _Postgres(configured)
        return postgres.new()

    yield new
    if postgres is not None:
        postgres.drop_all()


@pytest.fixture(params=BACKENDS)
def db_url(request, new_db_url) -> str:
    """An empty store of its own for one test, once per backend."""
    return new_db_url(request.param)


@pytest.fixture(autouse=True)
def _own_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the developer's own store (jixiao check applies the review
    verdicts of the default store when it exists): the default is a file of the test run."""
    if "JIXIAO_DB" not in os.environ:
        monkeypatch.setenv("JIXIAO_DB", str(tmp_path_factory.getbasetemp() / "default-store.db"))
