"""The schema head the store checks without Alembic is Alembic's head."""

from __future__ import annotations

from jixiao.store.db import SCHEMA_HEAD, alembic_config


def test_schema_head_constant_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_HEAD


def test_migration_0002_fills_headline_figures(tmp_path) -> None:
    """A store made at revision 0001 is upgraded on open, and its existing figures get the
    headline flags the comparison reads (the first plain statement per key and grade)."""
    import sqlalchemy as sa
    from alembic import command

    from jixiao.store.db import open_store

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(sa.text("INSERT INTO reports (id, county, year, sketch) VALUES (1, '甲县', 2024, '[]')"))
        conn.execute(sa.text(
            "INSERT INTO documents (id, report_id, sha256, source, format, text, ingested_at) "
            "VALUES (1, 1, 'x', 'a.txt', 'txt', '…', '2026-01-01')"))
        conn.execute(sa.text("UPDATE reports SET primary_document_id = 1"))
        rows = [  # key, value, qualifiers, start
            ("monitoring.projects", "279", '{"month": 5}', 10),
            ("monitoring.projects", "351", "{}", 20),
            ("monitoring.projects", "352", "{}", 30),
            ("evaluation.grade_share", "92.8", '{"grade": "优"}', 40),
        ]
        for i, (key, value, quals, start) in enumerate(rows, start=1):
            conn.execute(sa.text(
                "INSERT INTO metrics (id, document_id, key, value, unit, kind, qualifiers, surface,"
                " number_text, start, \"end\", sentence, placeholder, origin) VALUES "
                "(:i, 1, :k, :v, '个', 'count', :q, :v, :v, :s, :s, '', 0, 'text')"),
                {"i": i, "k": key, "v": value, "q": quals, "s": start})
    engine.dispose()
    engine = open_store(url)
    with engine.connect() as conn:
        got = conn.execute(sa.text(
            "SELECT key, grade, headline FROM metrics ORDER BY id")).all()
    assert [tuple(r) for r in got] == [
        ("monitoring.projects", None, 0), ("monitoring.projects", None, 1),
        ("monitoring.projects", None, 0), ("evaluation.grade_share", "优", 1)]
