"""Where the store lives and how to open it.

The default is a SQLite file in the user's data directory, so a county drafter needs no
server; ``--db URL`` or ``JIXIAO_DB`` points at another file or at PostgreSQL
(``postgresql+psycopg://user@host/db``) for a prefecture's shared store. SQLite runs in WAL
mode with a busy timeout, so two ingests at once wait for each other instead of failing.
The schema is created and upgraded by Alembic when a writing command (ingest, ``jixiao db
upgrade``) opens the store; commands that only read never migrate it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from jixiao.errors import StoreError

__all__ = ["default_url", "open_store", "require_current", "resolve_url", "schema_revision"]

BUSY_TIMEOUT_MS = 30_000


def default_url() -> str:
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("jixiao"))
    return f"sqlite:///{folder / 'jixiao.db'}"


def resolve_url(url: str | None) -> str:
    """``--db`` first, then ``JIXIAO_DB``, then the default file. A bare path is a SQLite file."""
    if url is not None and not url.strip():  # --db "$UNSET": not the user's own database
        raise StoreError("--db", "数据库地址为空，请给出 SQLite 文件路径或 postgresql+psycopg://… 地址")
    url = url or os.environ.get("JIXIAO_DB") or default_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    import sqlite3

    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError:
        pass  # another process is switching this new file to WAL right now: it will be
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _shown(url: str) -> str:
    """The URL as shown in messages, its password masked even when it does not parse.

    >>> _shown("postgresql+psycopg://u:secret@h:notaport/db")
    'postgresql+psycopg://u:***@h:notaport/db'
    """
    if (file := sqlite_file(url)) is not None:
        return str(file)  # the path as the user knows it, not sqlite:////…
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        import re

        return re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", url)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases, memory and URI forms)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:") or parsed.query.get("uri"):
        return None
    return Path(database)


def open_store(url: str | None = None, *, migrate: bool = True, write: bool = False,
               create: bool = True) -> Engine:
    """An engine on the store at ``url``, its schema at the newest version.

    ``migrate=False`` with ``write=False`` is how commands that only read open it: never
    upgraded, and a store that is not at this version's schema is a one-line error
    (:func:`require_current`).

    With ``create=False`` a SQLite file that does not exist is an error: reading commands
    say it is missing instead of reporting an empty store made on the spot from a
    mistyped path."""
    url = resolve_url(url)
    file = sqlite_file(url)
    shown = _shown(url)
    if file is not None and not create and not file.exists():
        raise StoreError(shown, "数据库文件不存在（先用 jixiao ingest 入库，或用 --db 指定已有的数据库）")
    if file is not None and not write and not create and not _writable(file):
        # a prefecture archive on a read-only share: read it without writing anything
        return _open_read_only(file, shown, migrate)
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018 - a port that is no number fails here, not in a traceback
    except (ArgumentError, ValueError):
        raise StoreError(shown, "数据库地址格式不正确，应形如 sqlite:///路径 或 "
                                "postgresql+psycopg://用户@主机/库名") from None
    if file is not None:
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(shown, f"无法创建数据库所在目录：{exc.strerror}") from None
    try:
        kwargs: dict[str, Any] = {}
        if parsed.get_backend_name() == "sqlite":
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000}
        else:
            kwargs["connect_args"] = {"connect_timeout": 5}
            kwargs["pool_pre_ping"] = True
        engine = create_engine(url, **kwargs)
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as exc:
        raise StoreError(shown, f"不支持的数据库类型（{exc.__class__.__name__}），"
                                "请使用 sqlite 或 postgresql+psycopg") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if migrate:
            upgrade(engine)
        elif not write:
            require_current(engine, shown)
        if write:
            check_writable(engine, shown)
    except OperationalError as exc:
        raise StoreError(shown, _reason(exc)) from None
    except SQLAlchemyError as exc:
        raise StoreError(shown, f"数据库不可用：{exc.__class__.__name__}") from None
    return engine


def _writable(file: Path) -> bool:
    """Can this process write the SQLite file and create its -wal/-shm files beside it?"""
    return os.access(file, os.W_OK) and os.access(file.parent, os.W_OK)


def _open_read_only(file: Path, shown: str, migrate: bool) -> Engine:
    """An engine that only reads ``file`` (SQLite mode=ro). A store in WAL mode needs its
    shared-memory file, which a read-only folder cannot hold: then the file is opened as
    immutable, as an archive copy is."""
    # No -wal beside the file: every committed transaction is in the file itself (the last
    # writer checkpointed and closed), so it is read as the immutable archive copy it is,
    # without creating -wal/-shm files; with a -wal, mode=ro first, which reads it too.
    wal = Path(f"{file}-wal").exists()
    for extra in ("", "&immutable=1") if wal else ("&immutable=1", ""):
        engine = create_engine(f"sqlite:///file:{file}?mode=ro{extra}&uri=true",
                               connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
        except OperationalError:
            engine.dispose()
            continue
        try:
            at_head = _at_head(engine)
        except SQLAlchemyError:
            at_head = False
        if migrate and not at_head:
            engine.dispose()
            raise StoreError(shown, "数据库是只读的，且版本较旧，需先在可写的位置用本版本打开一次以升级")
        if not migrate:
            try:
                require_current(engine, shown)
            except StoreError:
                engine.dispose()
                raise
        return engine
    raise StoreError(shown, "数据库文件是只读的，且无法以只读方式打开，请复制到可写的位置后再用")


def _reason(exc: OperationalError) -> str:
    message = str(exc.orig) if exc.orig is not None else str(exc)
    lowered = message.lower()
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        return "数据库文件是只读的，请检查文件权限或换一个位置（--db）"
    if "unable to open" in lowered:
        return "无法打开数据库文件，请检查路径和权限"
    if "password" in lowered or "authentication" in lowered:
        return "数据库拒绝登录，请检查用户名和密码"
    if "connect" in lowered or "could not translate host" in lowered or "timeout" in lowered:
        return "无法连接数据库服务器，请检查地址、端口和服务是否启动"
    if "does not exist" in lowered:
        return "数据库不存在，请先创建"
    return "数据库无法使用：" + message.splitlines()[0][:120]


def alembic_config() -> Any:
    """Alembic's configuration for the migrations shipped in store/migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location",
                        str(resources.files("jixiao.store").joinpath("migrations")))
    return cfg


MIGRATION_LOCK = 7_406_150  # pg_advisory_xact_lock key: one migration at a time


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision.

    Two ingests opening a new store at once must not both create the tables: PostgreSQL
    serialises them with an advisory lock; SQLite with a write lock taken first
    (BEGIN IMMEDIATE), the second waiting for the busy timeout and then finding the schema.
    """
    revision = schema_revision(engine)
    if revision == SCHEMA_HEAD:
        return  # nothing to do, and a read-only store stays readable
    shown = _shown(engine.url.render_as_string(hide_password=False))
    if revision is not None and revision not in known_revisions():
        raise StoreError(shown, f"数据库由更新版本的 jixiao 写入（数据库版本 {revision}，本程序最高支持 "
                                f"{SCHEMA_HEAD}），不能降级，请升级 jixiao 后再用")
    try:
        _upgrade(engine)
    except StoreError:
        raise
    except SQLAlchemyError:
        raise  # open_store says what the database said
    except Exception as exc:  # alembic.util.CommandError and what a migration raises
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise StoreError(shown, f"数据库升级失败（{detail}），数据库未改动") from None


def _upgrade(engine: Engine) -> None:
    from alembic import command

    cfg = alembic_config()
    if engine.dialect.name == "sqlite":
        with _file_lock(engine):
            if not _at_head(engine):
                _upgrade_sqlite(engine, cfg)
        return
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """An exclusive lock file beside a SQLite store while its schema is upgraded: SQLite
    DDL inside Alembic's batch mode does not hold the database lock throughout."""
    database = engine.url.database
    if not database or database.startswith("file:") or database == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: the busy timeout and BEGIN IMMEDIATE must do
        yield
        return
    with open(f"{database}.migrate-lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _upgrade_sqlite(engine: Engine, cfg: Any) -> None:
    """Upgrade inside BEGIN IMMEDIATE, so a reader never sees half a schema."""
    from alembic import command

    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        raw.isolation_level = None  # let BEGIN IMMEDIATE take the write lock now
        raw.execute("BEGIN IMMEDIATE")
        try:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")  # Alembic commits inside our locked transaction
            if raw.in_transaction:
                raw.execute("COMMIT")
        except BaseException:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raise
        finally:
            raw.isolation_level = ""


# The newest revision under migrations/versions (tests/test_store_schema.py keeps it true):
# a store already there is opened without importing Alembic at all.
SCHEMA_HEAD = "0004"


def _at_head(engine: Engine, cfg: Any = None) -> bool:
    return schema_revision(engine) == SCHEMA_HEAD


def schema_revision(engine: Engine) -> str | None:
    """The store's Alembic revision (None: no jixiao schema in it yet)."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> list[str]:
    """The revisions this version ships (store/migrations/versions/NNNN_*.py), oldest first."""
    import re

    folder = resources.files("jixiao.store").joinpath("migrations", "versions")
    return sorted(m[1] for f in folder.iterdir() if (m := re.match(r"(\d{4})_\w+\.py$", f.name)))


def require_current(engine: Engine, shown: str) -> None:
    """For commands that only read: the store must already be at this version's schema.
    They never migrate (on a shared PostgreSQL store an upgrade is the administrator's
    decision, ``jixiao db upgrade``); they say what to do instead."""
    revision = schema_revision(engine)
    if revision == SCHEMA_HEAD:
        return
    if revision is None:
        raise StoreError(shown, "数据库中还没有 jixiao 的数据表（先用 jixiao ingest 入库，"
                                "或用 jixiao db upgrade 建表）")
    if revision not in known_revisions():
        raise StoreError(shown, f"数据库由更新版本的 jixiao 写入（数据库版本 {revision}，本程序最高支持 "
                                f"{SCHEMA_HEAD}），请升级 jixiao 后再用")
    raise StoreError(shown, f"数据库版本较旧（{revision}，本程序需要 {SCHEMA_HEAD}），只读命令不会升级它；"
                            "请先运行 jixiao db upgrade（共享数据库请在无人写入时升级）")


def upgrade_store(url: str | None = None) -> tuple[str | None, str]:
    """``jixiao db upgrade``: bring the store at ``url`` (created if it is a new SQLite
    file) to this version's schema; returns the revisions before and after."""
    engine = open_store(url, migrate=False, write=True, create=True)
    try:
        before = schema_revision(engine)
        upgrade(engine)
        return before, SCHEMA_HEAD
    except OperationalError as exc:
        raise StoreError(_shown(resolve_url(url)), _reason(exc)) from None
    finally:
        engine.dispose()


def check_writable(engine: Engine, shown: str) -> None:
    """Fail early, with the reason, when the store cannot be written (read-only file)."""
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                raw = conn.connection.dbapi_connection
                raw.isolation_level = None
                try:
                    raw.execute("BEGIN IMMEDIATE")
                    raw.execute("ROLLBACK")
                finally:
                    raw.isolation_level = ""
    except Exception as exc:  # sqlite3.OperationalError behind the pool
        message = str(exc).lower()
        if "readonly" in message or "read-only" in message or "read only" in message:
            raise StoreError(shown, "数据库文件是只读的，请检查文件权限或换一个位置（--db）") from None
        raise StoreError(shown, "数据库无法写入：" + str(exc).splitlines()[0][:120]) from None
