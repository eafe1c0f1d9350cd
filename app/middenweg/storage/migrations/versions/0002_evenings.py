"""Phone-free evenings: the series, one-off changes (skip or move) and morning check-ins.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: UTC epoch seconds. SQLite's INTEGER already holds 64 bits (so SQLite files are exactly as before); PostgreSQL's
#: would end in January 2038, so there it is BIGINT (issue 10: a shared server runs this same migration).
_EPOCH = sa.Integer().with_variant(sa.BigInteger(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "evenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("start_minute", sa.SmallInteger(), nullable=False),
        sa.Column("end_minute", sa.SmallInteger(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("weekdays", sa.SmallInteger(), nullable=False),
        sa.Column("every", sa.SmallInteger(), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("friends", sa.JSON(), nullable=False),
        sa.Column("remind_before", sa.JSON(), nullable=False),
        sa.Column("end_note", sa.Boolean(), nullable=False),
        sa.Column("checkin", sa.Boolean(), nullable=False),
        sa.Column("created_at", _EPOCH, nullable=False),
        sa.Column("removed_at", _EPOCH, nullable=True),
        sa.CheckConstraint("kind IN ('phone-free', 'screen-free')", name="ck_evenings_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_evenings"),
    )
    op.create_table(
        "evening_changes",
        sa.Column("evening_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("new_date", sa.Date(), nullable=True),
        sa.Column("new_start_minute", sa.SmallInteger(), nullable=True),
        sa.Column("new_end_minute", sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(["evening_id"], ["evenings.id"], name="fk_evening_changes_evening_id_evenings"),
        sa.PrimaryKeyConstraint("evening_id", "date", name="pk_evening_changes"),
    )
    op.create_table(
        "checkins",
        sa.Column("evening_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("result", sa.String(8), nullable=False),
        sa.Column("slipped_seconds", sa.Integer(), nullable=False),
        sa.Column("recorded_at", _EPOCH, nullable=False),
        sa.CheckConstraint("result IN ('kept', 'partly', 'not')", name="ck_checkins_result"),
        sa.ForeignKeyConstraint(["evening_id"], ["evenings.id"], name="fk_checkins_evening_id_evenings"),
        sa.PrimaryKeyConstraint("evening_id", "date", name="pk_checkins"),
    )


def downgrade() -> None:
    for table in ("checkins", "evening_changes", "evenings"):
        op.drop_table(table)
