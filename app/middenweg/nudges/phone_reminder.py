"""When to remind the person to enter the day's phone time: daily at a chosen local time, once, on that day only.

Missed (the computer was off), it comes at the next chance the same day and never about an earlier day: yesterday's
numbers are still on the phone, but a reminder the next morning would be about the wrong day.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from middenweg.domain.weeks import local_date


def phone_key(day: date) -> str:
    return f"phone:{day.isoformat()}"


def _moment(day: date, at: time, tz: ZoneInfo) -> int:
    return int(datetime.combine(day, at, tzinfo=tz).timestamp())


def phone_reminder_due(now: int, tz: ZoneInfo, at: time | None, delivered: Collection[str]) -> date | None:
    """The day to remind about now, or None (switched off, not yet time today, or already reminded)."""
    if at is None:
        return None
    today = local_date(now, tz)
    if now >= _moment(today, at, tz) and phone_key(today) not in delivered:
        return today
    return None


def next_phone_reminder(now: int, tz: ZoneInfo, at: time | None) -> int | None:
    """The next moment a reminder becomes due (after ``now``)."""
    if at is None:
        return None
    today = local_date(now, tz)
    moment = _moment(today, at, tz)
    return moment if moment > now else _moment(today + timedelta(days=1), at, tz)
