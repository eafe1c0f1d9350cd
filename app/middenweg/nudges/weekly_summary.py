"""When the weekly summary is due: on the chosen weekday and local time, about the week before.

Missed (the computer was off), it is shown at the next chance during that same week, never later, and once.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from middenweg.domain.weeks import IsoWeek


def summary_key(week: IsoWeek) -> str:
    return f"summary:{week}"


def _moment(week: IsoWeek, when: tuple[int, time], tz: ZoneInfo) -> int:
    day = week.days()[when[0]]
    return int(datetime.combine(day, when[1], tzinfo=tz).timestamp())


def summary_due(now: int, tz: ZoneInfo, when: tuple[int, time] | None, delivered: Collection[str]) -> IsoWeek | None:
    """The week to summarise now, or None (not yet this week, already shown, or switched off)."""
    if when is None:
        return None
    this_week = IsoWeek.containing(datetime.fromtimestamp(now, tz).date())
    last_week = this_week.previous()
    if now >= _moment(this_week, when, tz) and summary_key(last_week) not in delivered:
        return last_week
    return None


def next_summary(now: int, tz: ZoneInfo, when: tuple[int, time] | None) -> int | None:
    """The next moment a summary becomes due (after ``now``)."""
    if when is None:
        return None
    this_week = IsoWeek.containing(datetime.fromtimestamp(now, tz).date())
    moment = _moment(this_week, when, tz)
    if moment > now:
        return moment
    next_monday = this_week.days()[-1] + timedelta(days=1)
    return _moment(IsoWeek.containing(next_monday), when, tz)
