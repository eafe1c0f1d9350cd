"""Goals, and the ledger of reminders and nudges already shown.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: UTC epoch seconds. SQLite's INTEGER already holds 64 bits (so SQLite files are exactly as before); PostgreSQL's
#: would end in January 2038, so there it is BIGINT (issue 10: a shared server runs this same migration).
_EPOCH = sa.Integer().with_variant(sa.BigInteger(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "goals",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("updated_at", _EPOCH, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_goals"),
    )
    op.create_table(
        "delivered",
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("at", _EPOCH, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_delivered"),
    )


def downgrade() -> None:
    op.drop_table("delivered")
    op.drop_table("goals")
