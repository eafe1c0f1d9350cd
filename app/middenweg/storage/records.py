"""Small frozen records that storage hands out instead of ORM rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    id: int
    uid: str
    host_key: str
    name: str
    kind: DeviceKind


@dataclass(frozen=True, slots=True)
class DayUsage:
    """Seconds of one label in one category on day ``day`` (0 = the first day asked for)."""

    day: int
    category: Category
    label: str
    seconds: int


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as exported: contiguous quarter pieces of one window are joined again."""

    start: int
    duration: int
    device_uid: str
    app: str
    title: str | None
    category: Category
    label: str


@dataclass(frozen=True, slots=True)
class DeviceSpec:
    """A device as an import names it: found again by ``host_key``; ``name`` is used only when it is new."""

    host_key: str
    name: str
    kind: DeviceKind
    uid: str | None = None


@dataclass(frozen=True, slots=True)
class SyncedPart:
    """Another computer's device as its file in a sync folder has it: everything in [start, end)."""

    uid: str
    name: str
    kind: DeviceKind
    start: int
    end: int
    events: Sequence[UsageEvent]
    unlocks: Sequence[int] = ()


@dataclass(frozen=True, slots=True)
class ImportBatch:
    """One device's part of an import: its events, and the moments its screen was unlocked (UTC epoch seconds)."""

    device: DeviceSpec
    events: Sequence[UsageEvent]
    unlocks: Sequence[int] = ()


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What one device's part of an import did: seconds added, seconds skipped as already recorded, and unlocks
    added (an unlock already stored is not counted again)."""

    device: DeviceRecord
    added_events: int
    added_seconds: int
    skipped_seconds: int
    added_unlocks: int = 0


@dataclass(frozen=True, slots=True)
class WindowUsage:
    """Seconds spent in one stored window (app and title as stored) over a period."""

    app: str
    title: str | None
    category: Category
    label: str
    seconds: int


@dataclass(frozen=True, slots=True)
class WeekUsage:
    """What a weekly report reads in one snapshot: the week's rows, the week before's totals, the week's rows
    per device id (devices without time that week are left out), and per device id with any unlock that week the
    number of unlocks on each day (one count per day of the bounds asked for)."""

    days: list[DayUsage]
    previous_totals: dict[Category, int]
    devices: dict[int, list[DayUsage]]
    unlocks: dict[int, list[int]] = field(default_factory=dict)
