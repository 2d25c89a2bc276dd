"""reviews: a reviewer's verdict on a finding, kept across re-checks

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08

A finding has a stable fingerprint (rule, its operands as written, its section). A reviewer
marks it confirmed or dismissed with a note (``jixiao review``, or the check page); the
verdict is kept per report (county and year, else the file name) and fingerprint, so it
survives a re-check and a re-ingest, and a dismissed finding stays hidden.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("scope", sa.String(length=256), nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("reviewer", sa.String(length=64), nullable=True),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("scope", "fingerprint", name="uq_reviews_scope_fingerprint"),
    )
    op.create_index("ix_reviews_scope", "reviews", ["scope"], unique=False)
    # findings stored before this revision have no fingerprint: a re-ingest (--force)
    # fills it in; until then their reviews cannot be matched
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fingerprint", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_column("fingerprint")
    op.drop_index("ix_reviews_scope", table_name="reviews")
    op.drop_table("reviews")
