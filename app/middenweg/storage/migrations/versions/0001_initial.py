"""The first schema: devices, apps, titles, windows, events (clustered by start) and the import ledger.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: UTC epoch seconds. SQLite's INTEGER already holds 64 bits (so SQLite files are exactly as before); PostgreSQL's
#: would end in January 2038, so there it is BIGINT (issue 10: a shared server runs this same migration).
_EPOCH = sa.Integer().with_variant(sa.BigInteger(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_meta"),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(36), nullable=False),
        sa.Column("host_key", sa.String(300), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.CheckConstraint("kind IN ('computer', 'phone')", name="ck_devices_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_devices"),
        sa.UniqueConstraint("uid", name="uq_devices_uid"),
        sa.UniqueConstraint("host_key", name="uq_devices_host_key"),
    )
    op.create_table(
        "apps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_apps"),
        sa.UniqueConstraint("name", name="uq_apps_name"),
    )
    op.create_table(
        "titles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_titles"),
        sa.UniqueConstraint("text", name="uq_titles_text"),
    )
    op.create_table(
        "windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("title_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.CheckConstraint("category IN ('social', 'messaging', 'other')", name="ck_windows_category"),
        sa.ForeignKeyConstraint(["app_id"], ["apps.id"], name="fk_windows_app_id_apps"),
        sa.ForeignKeyConstraint(["title_id"], ["titles.id"], name="fk_windows_title_id_titles"),
        sa.PrimaryKeyConstraint("id", name="pk_windows"),
    )
    op.create_table(
        "events",
        sa.Column("start", _EPOCH, nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("duration", sa.SmallInteger(), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("duration > 0 AND duration <= 900", name="ck_events_duration"),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_events_device_id_devices"),
        sa.ForeignKeyConstraint(["window_id"], ["windows.id"], name="fk_events_window_id_windows"),
        sa.PrimaryKeyConstraint("start", "device_id", name="pk_events"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "import_spans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("start", _EPOCH, nullable=False),
        sa.Column("end", _EPOCH, nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_import_spans_device_id_devices"),
        sa.PrimaryKeyConstraint("id", name="pk_import_spans"),
    )
    op.create_index("ix_import_spans_device_id", "import_spans", ["device_id"])


def downgrade() -> None:
    op.drop_index("ix_import_spans_device_id", table_name="import_spans")
    for table in ("import_spans", "events", "windows", "titles", "apps", "devices", "meta"):
        op.drop_table(table)
