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


def upgrade() -> None:
    op.create_table(
        "goals",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_goals"),
    )
    op.create_table(
        "delivered",
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_delivered"),
    )


def downgrade() -> None:
    op.drop_table("delivered")
    op.drop_table("goals")
