"""metrics: sign and date, so a change keeps its direction and a date its value

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

Figures written as changes (下降3.2%, 减少120万元) carry the direction the text states, the
value staying the magnitude; dates (2024年3月15日, 截至6月底) are figures of kind "date"
whose value is their ISO-like text. Rows stored before this revision have neither: they
were read without them, and a re-ingest (--force) fills them in.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("metrics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sign", sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column("date", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("metrics", schema=None) as batch_op:
        batch_op.drop_column("date")
        batch_op.drop_column("sign")
