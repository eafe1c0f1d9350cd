"""A day's phone time entered by hand, as the phone's own screen-time screen shows it: total, social, messaging.

Stored as history of one phone device ("Phone (entered by hand)"), so every report, chart, export and the
age-group comparison count it like any other device's time. A day's entry is three stretches from local midnight
(social, messaging, the rest of the total), written in one transaction that replaces the day's earlier entry, so
entering a day again corrects it and an empty entry removes it. Their apps start with ``HAND_ENTERED_PREFIX``:
the rules never re-categorise them. Shared by ``middenweg phone`` and the GUI's dialog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from middenweg.domain.categories import Category
from middenweg.domain.events import HAND_ENTERED_PREFIX, DeviceKind, UsageEvent
from middenweg.domain.weeks import day_boundaries
from middenweg.i18n import N_, _
from middenweg.reference.compare import format_duration
from middenweg.storage.records import DeviceRecord, DeviceSpec
from middenweg.storage.store import Store

HOST_KEY = "middenweg:phone-by-hand"
DEVICE_NAME = N_("Phone (entered by hand)")
#: The labels the time gets in reports (its "apps"), by category.
LABELS = {
    Category.SOCIAL: N_("Social apps on the phone"),
    Category.MESSAGING: N_("Messaging apps on the phone"),
    Category.OTHER: N_("Other phone use"),
}


class PhoneEntryError(ValueError):
    """An entry that cannot be stored as given; ``str(error)`` says why and what to do."""


@dataclass(frozen=True, slots=True)
class PhoneDay:
    """One day's entry: whole seconds; ``total`` includes social and messaging."""

    date: date
    total: int
    social: int = 0
    messaging: int = 0

    @property
    def other(self) -> int:
        return self.total - self.social - self.messaging

    def to_json(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "total": self.total,
            "social": self.social,
            "messaging": self.messaging,
            "other": self.other,
        }


def check(entry: PhoneDay, tz: ZoneInfo) -> None:
    """Raise PhoneEntryError when ``entry`` cannot be a day of phone use in ``tz``."""
    start, end = day_boundaries([entry.date], tz)
    length = end - start  # 23, 24 or 25 hours
    if min(entry.total, entry.social, entry.messaging) < 0:
        raise PhoneEntryError(_("Phone time cannot be negative."))
    if entry.total > length:
        raise PhoneEntryError(
            _("{date} has {hours} hours; {total} of phone time does not fit in it.").format(
                date=entry.date.isoformat(), hours=length // 3600, total=format_duration(entry.total)
            )
        )
    if entry.social + entry.messaging > entry.total:
        raise PhoneEntryError(
            _("Social ({social}) and messaging ({messaging}) together are more than the total ({total}).").format(
                social=format_duration(entry.social),
                messaging=format_duration(entry.messaging),
                total=format_duration(entry.total),
            )
        )


def device(store: Store) -> DeviceRecord:
    return store.ensure_device(DeviceSpec(HOST_KEY, _(DEVICE_NAME), DeviceKind.PHONE))


def save(store: Store, entry: PhoneDay, tz: ZoneInfo) -> None:
    """Store ``entry`` in place of the day's earlier one (a total of 0 removes the day's entry)."""
    check(entry, tz)
    start, end = day_boundaries([entry.date], tz)
    events = []
    at = start
    for category, seconds in (
        (Category.SOCIAL, entry.social),
        (Category.MESSAGING, entry.messaging),
        (Category.OTHER, entry.other),
    ):
        if seconds > 0:
            app = HAND_ENTERED_PREFIX + category.value
            events.append(UsageEvent(at, seconds, app, None, category, _(LABELS[category])))
            at += seconds
    store.replace_between(device(store), start, end, events)


def remove(store: Store, day: date, tz: ZoneInfo) -> bool:
    """Remove the day's entry; False when there was none."""
    found = entries(store, [day], tz)
    if not found:
        return False
    start, end = day_boundaries([day], tz)
    store.replace_between(device(store), start, end, [])
    return True


def entries(store: Store, days: Sequence[date], tz: ZoneInfo) -> list[PhoneDay]:
    """The entries of ``days`` (consecutive, oldest first) that have one."""
    if not days:
        return []
    known = next((d for d in store.devices() if d.host_key == HOST_KEY), None)
    if known is None:
        return []
    bounds = day_boundaries(list(days), tz)
    per_day: dict[int, dict[Category, int]] = {}
    for row in store.day_totals(bounds, [known.id]):
        per_day.setdefault(row.day, dict.fromkeys(Category, 0))[row.category] += row.seconds
    return [
        PhoneDay(days[i], sum(seconds.values()), seconds[Category.SOCIAL], seconds[Category.MESSAGING])
        for i, seconds in sorted(per_day.items())
    ]
