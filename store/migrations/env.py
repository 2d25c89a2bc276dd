"""Alembic environment: run on the connection jixiao passes in (store/db.py:upgrade)."""

from __future__ import annotations

from alembic import context

from jixiao.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through store.db.upgrade
    raise RuntimeError("jixiao runs its migrations through jixiao.store.db.upgrade")
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
