"""metrics: grade, data_year and headline, so comparisons read one row per figure shown

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

A comparison over thousands of reports needs, per report, the headline figure of each
indicator. Computing it on every query meant decoding every figure's qualifiers; it is
now decided once at ingest and stored. Existing rows are filled in here, report by report,
with the rule of jixiao.store.ingest.headline_flags.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

EXCLUDES = ("month", "entity", "field")


def upgrade() -> None:
    with op.batch_alter_table("metrics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grade", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("data_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("headline", sa.Boolean(), nullable=False,
                                      server_default="0"))
        batch_op.create_index("ix_metrics_headline_document", ["headline", "document_id"],
                              unique=False)
    conn = op.get_bind()
    metrics = sa.table("metrics", sa.column("id"), sa.column("document_id"), sa.column("key"),
                       sa.column("value"), sa.column("qualifiers"), sa.column("placeholder"),
                       sa.column("start"), sa.column("grade"), sa.column("data_year"),
                       sa.column("headline"))
    rows = conn.execute(sa.select(metrics.c.id, metrics.c.document_id, metrics.c.key,
                                  metrics.c.value, metrics.c.qualifiers, metrics.c.placeholder)
                        .order_by(metrics.c.document_id, metrics.c.start, metrics.c.id)).all()
    updates = []
    seen: set[tuple] = set()
    for row in rows:
        quals = row.qualifiers
        if isinstance(quals, str):
            quals = json.loads(quals)
        quals = quals or {}
        grade = quals.get("grade")
        ident = (row.document_id, row.key, grade)
        headline = (row.key is not None and not row.placeholder and row.value is not None
                    and not any(n in quals for n in EXCLUDES) and ident not in seen)
        if headline:
            seen.add(ident)
        updates.append({"i": row.id, "g": grade, "y": quals.get("year"), "h": headline})
    if updates:
        conn.execute(sa.update(metrics).where(metrics.c.id == sa.bindparam("i"))
                     .values(grade=sa.bindparam("g"), data_year=sa.bindparam("y"),
                             headline=sa.bindparam("h")), updates)


def downgrade() -> None:
    with op.batch_alter_table("metrics", schema=None) as batch_op:
        batch_op.drop_index("ix_metrics_headline_document")
        batch_op.drop_column("headline")
        batch_op.drop_column("data_year")
        batch_op.drop_column("grade")
