"""Unlocks: the moments a phone's screen was unlocked, as ActivityWatch for Android records them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: UTC epoch seconds. SQLite's INTEGER already holds 64 bits (so SQLite files are exactly as before); PostgreSQL's
#: would end in January 2038, so there it is BIGINT (issue 10: a shared server runs this same migration).
_EPOCH = sa.Integer().with_variant(sa.BigInteger(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "unlocks",
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("at", _EPOCH, nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_unlocks_device_id_devices"),
        sa.PrimaryKeyConstraint("device_id", "at", name="pk_unlocks"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("unlocks")
