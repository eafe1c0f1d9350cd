"""ISO weeks and local days, cut in the user's time zone.

A day is the half-open UTC interval from one local midnight to the next, so a DST day lasts 23 or 25 hours; where a
midnight does not exist (a zone that springs forward at 00:00) the day starts at the first instant of that date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


class WeekFormatError(ValueError):
    """A week was not written as YYYY-Www."""


@dataclass(frozen=True, slots=True, order=True)
class IsoWeek:
    """An ISO 8601 week: Monday to Sunday, week 1 holds the year's first Thursday."""

    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """Read "2026-W44"; raises WeekFormatError for anything else, including week 53 of a 52-week year."""
        match = _WEEK_RE.match(text.strip())
        if not match:
            raise WeekFormatError(text)
        year, week = int(match.group(1)), int(match.group(2))
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError as exc:
            raise WeekFormatError(text) from exc
        return cls(*monday.isocalendar()[:2])

    @classmethod
    def containing(cls, day: date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def days(self) -> list[date]:
        """The seven local dates, Monday first."""
        first = self.monday
        return [first + timedelta(days=i) for i in range(7)]

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.containing(self.monday + timedelta(weeks=weeks))

    def previous(self) -> IsoWeek:
        return self.shifted(-1)


def local_midnight(day: date, tz: ZoneInfo) -> int:
    """UTC epoch seconds of the first instant of ``day`` in ``tz``.

    fold=0 picks the earlier of two ambiguous midnights and, for a midnight skipped by DST, maps it onto the instant
    of the jump, which is exactly the first instant of that date.
    """
    return int(datetime.combine(day, time(0), tzinfo=tz).timestamp())


def day_boundaries(days: list[date], tz: ZoneInfo) -> list[int]:
    """len(days)+1 UTC epochs: the start of each day and the end of the last one. Days must be consecutive."""
    bounds = [local_midnight(d, tz) for d in days]
    bounds.append(local_midnight(days[-1] + timedelta(days=1), tz))
    return bounds


def week_boundaries(week: IsoWeek, tz: ZoneInfo) -> list[int]:
    """Eight UTC epochs: each local midnight from Monday to the following Monday."""
    return day_boundaries(week.days(), tz)


def local_date(epoch: int, tz: ZoneInfo) -> date:
    """The user's calendar date at a UTC instant."""
    return datetime.fromtimestamp(epoch, tz).date()


def to_local(epoch: int, tz: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(epoch, tz)


def to_utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
