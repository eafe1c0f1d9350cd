"""The typed ORM model of the database (SQLAlchemy 2), mapped onto the Core tables of ``schema``.

For code that wants rows as objects (and for Alembic's comparison in the tests). Storage's own queries use the Core
tables directly; ORM rows never leave the storage package.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import DeclarativeBase, Mapped

from middenweg.storage import schema
from middenweg.storage.schema import QUARTER

__all__ = [
    "QUARTER", "AppRow", "Base", "CheckinRow", "DeviceRow", "EveningChangeRow", "EveningRow", "EventRow",
    "ImportSpanRow", "MetaRow", "TitleRow", "WindowRow",
]  # fmt: skip


class Base(DeclarativeBase):
    metadata = schema.metadata


class MetaRow(Base):
    __table__ = schema.meta
    key: Mapped[str]
    value: Mapped[str]


class DeviceRow(Base):
    __table__ = schema.devices
    id: Mapped[int]
    uid: Mapped[str]
    host_key: Mapped[str]
    name: Mapped[str]
    kind: Mapped[str]


class AppRow(Base):
    __table__ = schema.apps
    id: Mapped[int]
    name: Mapped[str]


class TitleRow(Base):
    __table__ = schema.titles
    id: Mapped[int]
    text: Mapped[str]


class WindowRow(Base):
    __table__ = schema.windows
    id: Mapped[int]
    app_id: Mapped[int]
    title_id: Mapped[int | None]
    category: Mapped[str]
    label: Mapped[str]


class EventRow(Base):
    __table__ = schema.events
    start: Mapped[int]
    device_id: Mapped[int]
    duration: Mapped[int]
    window_id: Mapped[int]


class ImportSpanRow(Base):
    __table__ = schema.import_spans
    id: Mapped[int]
    device_id: Mapped[int]
    start: Mapped[int]
    end: Mapped[int]


class EveningRow(Base):
    __table__ = schema.evenings
    id: Mapped[int]
    title: Mapped[str]
    kind: Mapped[str]
    start_minute: Mapped[int]
    end_minute: Mapped[int]
    first_date: Mapped[dt.date]
    weekdays: Mapped[int]
    every: Mapped[int]
    time_zone: Mapped[str]
    friends: Mapped[list[str]]
    remind_before: Mapped[list[int]]
    end_note: Mapped[bool]
    checkin: Mapped[bool]
    created_at: Mapped[int]
    removed_at: Mapped[int | None]


class EveningChangeRow(Base):
    __table__ = schema.evening_changes
    evening_id: Mapped[int]
    date: Mapped[dt.date]
    new_date: Mapped[dt.date | None]
    new_start_minute: Mapped[int | None]
    new_end_minute: Mapped[int | None]


class CheckinRow(Base):
    __table__ = schema.checkins
    evening_id: Mapped[int]
    date: Mapped[dt.date]
    result: Mapped[str]
    slipped_seconds: Mapped[int]
    recorded_at: Mapped[int]


class GoalRow(Base):
    __table__ = schema.goals
    name: Mapped[str]
    value: Mapped[int]
    updated_at: Mapped[int]


class DeliveredRow(Base):
    __table__ = schema.delivered
    key: Mapped[str]
    at: Mapped[int]
