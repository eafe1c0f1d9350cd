"""When each evening reminder is due, until when it is still worth showing, and when to wake up next.

Pure: evenings, their changes, the keys of reminders already delivered and "now" go in; reminders come out. The
scheduler arms ONE timer for ``next_wakeup`` and, after a sleep or a clock change, simply asks again: a reminder
missed while the computer slept is shown late only while it is still useful (issue 5): a reminder before the start
until the start, "starts now" up to 15 minutes late, the end note up to 15 minutes after the end, the next morning's
check-in until the next evening of the series (at most a week). A delivered reminder's key is stored, so nothing
is shown twice, also across restarts.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from middenweg.domain.evenings import Evening, EveningChange, Occurrence
from middenweg.evenings.recurrence import occurrences

#: How late a "starts now" or end note may still be shown.
GRACE = 15 * 60
#: The morning check-in is due at this local time on the day after the evening ends.
CHECKIN_AT = time(9, 0)
CHECKIN_LONGEST = 7 * 86400
#: How far back a wake-up looks for reminders still worth showing (the check-in window is the longest).
LOOKBACK = CHECKIN_LONGEST + 2 * 86400
LOOKAHEAD = 8 * 86400


class ReminderKind(enum.StrEnum):
    BEFORE = "before"  # minutes_before > 0: "in 30 minutes: charge your phone in another room"
    START = "start"
    END = "end"
    CHECKIN = "checkin"


@dataclass(frozen=True, slots=True, order=True)
class Reminder:
    """Show between ``due`` and ``until`` (UTC epoch seconds), once."""

    due: int
    until: int
    evening_id: int
    date: date
    kind: ReminderKind
    minutes_before: int = 0

    @property
    def key(self) -> str:
        """Stable identity for the ledger of delivered reminders."""
        return f"{self.evening_id}:{self.date.isoformat()}:{self.kind.value}:{self.minutes_before}"


def _checkin_due(end: int, tz: ZoneInfo) -> int:
    ended = datetime.fromtimestamp(end, tz)
    morning = datetime.combine(ended.date(), CHECKIN_AT, tzinfo=tz)
    if morning.timestamp() <= end:
        morning = datetime.combine(ended.date() + timedelta(days=1), CHECKIN_AT, tzinfo=tz)
    return int(morning.timestamp())


def reminders_for(evening: Evening, occurrence: Occurrence, next_start: int | None) -> list[Reminder]:
    """Every reminder of one occurrence, with its window."""
    found = []
    for minutes in evening.remind_before:
        due = occurrence.start - minutes * 60
        if minutes > 0:
            found.append(Reminder(due, occurrence.start, evening.id, occurrence.date, ReminderKind.BEFORE, minutes))
        else:
            until = min(occurrence.start + GRACE, occurrence.end)
            found.append(Reminder(due, until, evening.id, occurrence.date, ReminderKind.START))
    if evening.end_note:
        found.append(Reminder(occurrence.end, occurrence.end + GRACE, evening.id, occurrence.date, ReminderKind.END))
    if evening.checkin:
        due = _checkin_due(occurrence.end, ZoneInfo(evening.time_zone))
        until = due + CHECKIN_LONGEST if next_start is None else max(due + 3600, min(next_start, due + CHECKIN_LONGEST))
        found.append(Reminder(due, until, evening.id, occurrence.date, ReminderKind.CHECKIN))
    return found


def _all_reminders(evenings: Sequence[Evening], changes: Sequence[EveningChange], now: int) -> list[Reminder]:
    found: list[Reminder] = []
    for evening in evenings:
        mine = [c for c in changes if c.evening_id == evening.id]
        window = occurrences(evening, mine, now - LOOKBACK, now + LOOKAHEAD)
        for index, occurrence in enumerate(window):
            next_start = window[index + 1].start if index + 1 < len(window) else None
            found.extend(reminders_for(evening, occurrence, next_start))
    return sorted(found)


def due_reminders(
    evenings: Sequence[Evening], changes: Sequence[EveningChange], delivered: Collection[str], now: int
) -> list[Reminder]:
    """What to show now: due, still useful, not delivered before. Show them, then store their keys."""
    return [r for r in _all_reminders(evenings, changes, now) if r.due <= now < r.until and r.key not in delivered]


def next_wakeup(
    evenings: Sequence[Evening], changes: Sequence[EveningChange], delivered: Collection[str], now: int
) -> int | None:
    """When to look again: now if something is due, else the next due moment within a week (None: nothing)."""
    candidates = [
        r.due if r.due > now else now
        for r in _all_reminders(evenings, changes, now)
        if r.key not in delivered and now < r.until
    ]
    return min(candidates, default=None)
