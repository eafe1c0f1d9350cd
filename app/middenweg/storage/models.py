"""The ORM model of the database (SQLAlchemy 2, typed). Alembic migrations must produce exactly this.

Compactness matters (years of history, one row per focus change): devices, apps, titles and windows are lookup
tables and an event row is four small integers. Events never cross a 15-minute UTC boundary (``QUARTER``); every
time zone in use today has an offset that is a multiple of 15 minutes, so a local day is cut exactly by an event's
start, and a range query needs to look back at most one quarter.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, MetaData, SmallInteger, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: Events are split at multiples of this many seconds since the epoch (see the module docstring).
QUARTER = 900

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class MetaRow(Base):
    """Small facts about the database itself (the rules fingerprint, the local device)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DeviceRow(Base):
    """A computer or phone. ``uid`` is stable; ``host_key`` finds it again on import; ``name`` is for people."""

    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    host_key: Mapped[str] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    __table_args__ = (CheckConstraint("kind IN ('computer', 'phone')", name="kind"),)


class AppRow(Base):
    __tablename__ = "apps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class TitleRow(Base):
    __tablename__ = "titles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text, unique=True)


class WindowRow(Base):
    """An (app, title) pair with the category and label the rules gave it.

    Re-categorising history rewrites this small table, never the events. A window whose title was kept out has
    ``title_id`` NULL and keeps the category it was given when it was recorded (the title cannot be re-read).
    """

    __tablename__ = "windows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id"))
    title_id: Mapped[int | None] = mapped_column(ForeignKey("titles.id"), nullable=True)
    category: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(200))
    __table_args__ = (CheckConstraint("category IN ('social', 'messaging', 'other')", name="category"),)


class EventRow(Base):
    """One stretch of use: clustered by start, so a week is one contiguous range of the table."""

    __tablename__ = "events"
    start: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    duration: Mapped[int] = mapped_column(SmallInteger)
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"))
    __table_args__ = (
        CheckConstraint(f"duration > 0 AND duration <= {QUARTER}", name="duration"),
        {"sqlite_with_rowid": False},
    )


class ImportSpanRow(Base):
    """The import ledger: periods of a device already imported, so a second import never counts them again."""

    __tablename__ = "import_spans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
