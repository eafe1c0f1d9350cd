"""The weekly report as plain data: seconds per local day and category, totals, the previous week, top apps.

Pure: it is handed what storage aggregated (``DayUsage``-like rows) and the age-group comparison, and does no I/O,
so the CLI, the dashboard and the weekly summary notification all show the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from middenweg.domain.categories import CATEGORY_ORDER, Category
from middenweg.domain.events import DeviceKind, Scope
from middenweg.domain.weeks import IsoWeek
from middenweg.reference.compare import Comparison

#: How many apps or sites per category the report lists.
TOP_PER_CATEGORY = 5


class UsageRow(Protocol):
    """One aggregated row: seconds of ``label`` in ``category`` on day index ``day`` (0 = Monday)."""

    @property
    def day(self) -> int: ...
    @property
    def category(self) -> Category: ...
    @property
    def label(self) -> str: ...
    @property
    def seconds(self) -> int: ...


@dataclass(frozen=True, slots=True)
class CategorySeconds:
    """Whole seconds per category."""

    social: int = 0
    messaging: int = 0
    other: int = 0

    @classmethod
    def from_mapping(cls, values: Mapping[Category, int]) -> CategorySeconds:
        return cls(values.get(Category.SOCIAL, 0), values.get(Category.MESSAGING, 0), values.get(Category.OTHER, 0))

    def get(self, category: Category) -> int:
        return int(getattr(self, category.value))

    @property
    def online(self) -> int:
        """Social plus messaging: what the age-group comparison is about."""
        return self.social + self.messaging

    @property
    def total(self) -> int:
        return self.social + self.messaging + self.other

    def to_json(self) -> dict[str, int]:
        return {c.value: self.get(c) for c in CATEGORY_ORDER}


@dataclass(frozen=True, slots=True)
class DayTotals:
    date: date
    seconds: CategorySeconds


@dataclass(frozen=True, slots=True)
class TopApp:
    label: str
    category: Category
    seconds: int


@dataclass(frozen=True, slots=True)
class DeviceWeek:
    """One device's part of the week, in the report's own shape (its days and totals).

    ``unlocks`` is how often its screen was unlocked on each day (Monday first), or None when nothing says so that
    week (no unlock was imported for it): None is "not known", where a 0 would claim the phone stayed locked.
    """

    uid: str
    name: str
    kind: DeviceKind
    days: tuple[DayTotals, ...]
    totals: CategorySeconds
    unlocks: tuple[int, ...] | None = None

    def to_json(self) -> dict[str, object]:
        result: dict[str, object] = {
            "uid": self.uid,
            "name": self.name,
            "kind": self.kind.value,
            "totals": self.totals.to_json(),
            "days": [{"date": d.date.isoformat(), "seconds": d.seconds.to_json()} for d in self.days],
        }
        if self.unlocks is not None:
            result["unlocks"] = list(self.unlocks)
        return result


def scope_of(devices: Iterable[DeviceWeek]) -> Scope:
    kinds = [d.kind for d in devices if d.totals.total > 0]
    computers = sum(1 for kind in kinds if kind is DeviceKind.COMPUTER)
    if DeviceKind.PHONE in kinds:
        return Scope.WITH_PHONE if computers else Scope.PHONE
    return Scope.COMPUTERS if computers > 1 else Scope.THIS_COMPUTER


@dataclass(frozen=True, slots=True)
class WeeklyReport:
    week: IsoWeek
    timezone: str
    days: tuple[DayTotals, ...]
    totals: CategorySeconds
    previous_week_totals: CategorySeconds
    top_apps: tuple[TopApp, ...]
    reference: Comparison
    devices: tuple[DeviceWeek, ...] = ()

    @property
    def scope(self) -> Scope:
        return scope_of(self.devices)

    @property
    def change_percent(self) -> dict[str, float | None]:
        """Change against the previous week per category and in total; None where the previous week was 0."""
        pairs = [(c.value, self.totals.get(c), self.previous_week_totals.get(c)) for c in CATEGORY_ORDER]
        pairs.append(("total", self.totals.total, self.previous_week_totals.total))
        return {key: percent_change(now, before) for key, now, before in pairs}

    def to_json(self) -> dict[str, object]:
        """The documented, stable JSON shape of ``middenweg report --json``."""
        return {
            "week": str(self.week),
            "timezone": self.timezone,
            "days": [{"date": d.date.isoformat(), "seconds": d.seconds.to_json()} for d in self.days],
            "totals": self.totals.to_json(),
            "previous_week_totals": self.previous_week_totals.to_json(),
            "change_percent": self.change_percent,
            "top_apps": [
                {"app": app.label, "category": app.category.value, "seconds": app.seconds} for app in self.top_apps
            ],
            "reference": self.reference.to_json(),
            "devices": [device.to_json() for device in self.devices],
            "comparison_scope": self.scope.value,
        }


def percent_change(now: int, before: int) -> float | None:
    if before == 0:
        return None
    return round((now - before) * 100.0 / before, 1)


def device_week(
    uid: str,
    name: str,
    kind: DeviceKind,
    week: IsoWeek,
    rows: Iterable[UsageRow],
    unlocks: Sequence[int] | None = None,
) -> DeviceWeek:
    """One device's days and totals from its own rows (the same sums as the report's), and its unlocks per day
    (seven counts, Monday first) when there are any that week, else None."""
    days = _day_totals(week, rows)
    per_day = None if unlocks is None else tuple(unlocks)
    if per_day is not None and len(per_day) != len(days):
        raise ValueError(f"unlocks must have one count per day of the week, not {len(per_day)}")
    return DeviceWeek(uid, name, kind, days, _sum(days), per_day)


def _day_totals(week: IsoWeek, rows: Iterable[UsageRow]) -> tuple[DayTotals, ...]:
    per_day: list[dict[Category, int]] = [dict.fromkeys(Category, 0) for _ in range(7)]
    for row in rows:
        per_day[row.day][row.category] += row.seconds
    return tuple(
        DayTotals(day, CategorySeconds.from_mapping(seconds)) for day, seconds in zip(week.days(), per_day, strict=True)
    )


def _sum(days: Iterable[DayTotals]) -> CategorySeconds:
    listed = list(days)
    return CategorySeconds.from_mapping({c: sum(d.seconds.get(c) for d in listed) for c in Category})


def build_weekly_report(
    week: IsoWeek,
    timezone: str,
    rows: Iterable[UsageRow],
    previous_totals: Mapping[Category, int],
    reference: Comparison,
    devices: Iterable[DeviceWeek] = (),
) -> WeeklyReport:
    """Assemble the report from storage's per-day rows of this week and the previous week's totals."""
    listed = list(rows)
    per_app: dict[tuple[Category, str], int] = {}
    for row in listed:
        key = (row.category, row.label)
        per_app[key] = per_app.get(key, 0) + row.seconds
    days = _day_totals(week, listed)
    totals = _sum(days)
    top: list[TopApp] = []
    for category in CATEGORY_ORDER:
        ranked = sorted(
            ((label, seconds) for (cat, label), seconds in per_app.items() if cat is category and seconds > 0),
            key=lambda item: (-item[1], item[0].casefold()),
        )
        top.extend(TopApp(label, category, seconds) for label, seconds in ranked[:TOP_PER_CATEGORY])
    return WeeklyReport(
        week=week,
        timezone=timezone,
        days=days,
        totals=totals,
        previous_week_totals=CategorySeconds.from_mapping(previous_totals),
        top_apps=tuple(top),
        reference=reference,
        devices=tuple(devices),
    )
