"""When planned evenings happen: a series (weekly every N weeks) or a one-off, minus skips, plus moves, in UTC.

Times are wall-clock times in the evening's own zone, so 19:00 stays 19:00 across DST. Local times that do not
exist (spring forward) or happen twice (fall back) are resolved with zoneinfo's fold=0, as ``datetime.timestamp()``
does: an ambiguous time is its first (summer-time) instance, a skipped time is read with the offset from before the
jump (so 02:30 on a spring-forward night becomes 03:30 summer time). This module must never read the clock, touch
storage or show anything; callers hand in ``now`` and the window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import MO, WEEKLY, rrule

from middenweg.domain.evenings import Evening, EveningChange, Occurrence
from middenweg.i18n import _

_DAY = 86400
_MAX_HOURS = 12
#: How far ahead next_occurrence looks before it gives up (a series always has one; a one-off may be past).
_SEARCH_LIMIT = 10 * 366 * _DAY


class Error(Exception):
    """An evening that cannot be expanded (unknown zone, weekday out of range, interval below one week)."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """What applies to one series date after the changes: skipped, or moved to a date with times."""

    new_date: date | None
    new_start: time | None
    new_end: time | None


#: The most weeks between two evenings of one series: once a year (the database keeps it in a small integer).
MOST_WEEKS_APART = 52


def validate(evening: Evening) -> list[str]:
    """Problems a person can fix, in the active language; an empty list means the evening is fine."""
    problems: list[str] = []
    # Storage may hand in a row without a date although the type says otherwise; say so rather than crash.
    first: object = evening.first_date
    if not isinstance(first, date) and not evening.weekdays:
        problems.append(_("Choose a date or at least one weekday for this evening."))
    if not 1 <= evening.every <= MOST_WEEKS_APART:
        problems.append(
            _("An evening can repeat every week or every few weeks, not every {every} weeks.").format(
                every=evening.every
            )
        )
    for day in evening.weekdays:
        if not 0 <= day <= 6:
            problems.append(_("Weekday {day} does not exist; use 0 (Monday) to 6 (Sunday).").format(day=day))
    minutes = _wall_minutes(evening.start, evening.end)
    if minutes == 0:
        problems.append(_("The evening starts and ends at the same time; choose an end time after the start."))
    elif minutes > _MAX_HOURS * 60:
        problems.append(
            _("The evening lasts more than {hours} hours; choose an end time closer to the start.").format(
                hours=_MAX_HOURS
            )
        )
    if _zone(evening.time_zone) is None:
        problems.append(
            _('The time zone "{zone}" is unknown; choose one such as Europe/Amsterdam.').format(zone=evening.time_zone)
        )
    return problems


def occurrences(evening: Evening, changes: Sequence[EveningChange], start: int, end: int) -> list[Occurrence]:
    """Every occurrence whose [start, end) overlaps the UTC window [start, end), sorted by start.

    ``changes`` may hold changes of other evenings (they are ignored); changes for dates the series does not have
    are ignored too, and of two changes for one date the later wins. A moved occurrence counts where it lands.
    """
    tz = _checked_zone(evening)
    plans = _plans(evening, changes)
    found: list[Occurrence] = []
    for day in _series_dates(evening, tz, start, end):
        if day in plans:
            continue  # skipped, or moved: a move is placed below, wherever it lands
        occ = _occurrence(evening, tz, day, day, evening.start, evening.end, moved=False)
        if occ.start < end and occ.end > start:
            found.append(occ)
    for day, plan in plans.items():
        if plan.new_date is None:
            continue
        occ = _occurrence(
            evening,
            tz,
            day,
            plan.new_date,
            plan.new_start or evening.start,
            plan.new_end or evening.end,
            moved=True,
        )
        if occ.start < end and occ.end > start:
            found.append(occ)
    found.sort()
    return found


def next_occurrence(evening: Evening, changes: Sequence[EveningChange], now: int) -> Occurrence | None:
    """The first occurrence that has not ended at ``now`` (it may be under way); None when there is none ahead."""
    span = 5 * 7 * _DAY * max(evening.every, 1)
    lo = now
    while lo - now < _SEARCH_LIMIT:
        hi = lo + span
        found = [o for o in occurrences(evening, changes, lo, hi) if o.end > now]
        if found:
            return found[0]
        lo, span = hi, span * 2
    return None


def occurrence_on(evening: Evening, changes: Sequence[EveningChange], day: date) -> Occurrence | None:
    """The occurrence whose series date is ``day``, wherever a move took it; None when skipped or not a date."""
    moved = next((c.new_date for c in changes if c.evening_id == evening.id and c.date == day and c.new_date), None)
    around = moved or day
    tz = _checked_zone(evening)
    start = int(datetime.combine(around - timedelta(days=1), time(0), tzinfo=tz).timestamp())
    end = int(datetime.combine(around + timedelta(days=2), time(0), tzinfo=tz).timestamp())
    return next((o for o in occurrences(evening, changes, start, end) if o.date == day), None)


def is_series_date(evening: Evening, day: date) -> bool:
    """Whether the series (before changes) has an occurrence on local date ``day``."""
    if evening.once:
        return day == evening.first_date
    if day < evening.first_date or day.weekday() not in evening.weekdays:
        return False
    # Weeks count from the week (Monday-based, WKST=MO) that holds first_date, as rrule and RFC 5545 do.
    weeks = (_monday(day) - _monday(evening.first_date)).days // 7
    return weeks % evening.every == 0


def series_start(evening: Evening) -> date | None:
    """The first date the series has (first_date itself need not be one of its weekdays)."""
    tz = _checked_zone(evening)
    if evening.once:
        return evening.first_date
    rule = _rule(evening, tz, evening.first_date)
    first = rule.after(datetime.combine(evening.first_date, time.min, tzinfo=tz), inc=True)
    return None if first is None else first.date()


def local_span(day: date, start: time, end: time, tz: ZoneInfo) -> tuple[int, int]:
    """UTC epoch seconds of an evening on ``day`` from ``start`` to ``end`` (the next day when end <= start)."""
    end_day = day if end > start else day + timedelta(days=1)
    begin = int(datetime.combine(day, start, tzinfo=tz).timestamp())
    finish = int(datetime.combine(end_day, end, tzinfo=tz).timestamp())
    if finish <= begin:
        # Only when the end falls in a spring-forward gap right after the start: keep the planned length.
        finish = begin + _wall_minutes(start, end) * 60
    return begin, finish


def _occurrence(
    evening: Evening, tz: ZoneInfo, series_day: date, day: date, start: time, end: time, *, moved: bool
) -> Occurrence:
    begin, finish = local_span(day, start, end, tz)
    return Occurrence(start=begin, end=finish, evening_id=evening.id, date=series_day, moved=moved)


def _series_dates(evening: Evening, tz: ZoneInfo, start: int, end: int) -> list[date]:
    # An occurrence starts on its date and ends at most a day (plus a DST hour) later, so these local dates
    # cover every occurrence that can touch the window.
    lo = datetime.fromtimestamp(start - 2 * _DAY, tz).date()
    hi = datetime.fromtimestamp(end + _DAY, tz).date()
    if evening.once:
        return [evening.first_date] if lo <= evening.first_date <= hi else []
    if hi < evening.first_date:
        return []
    rule = _rule(evening, tz, _aligned_start(evening, lo))
    found = rule.between(datetime.combine(lo, time.min, tzinfo=tz), datetime.combine(hi, time.max, tzinfo=tz), inc=True)
    return [moment.date() for moment in found]


def _aligned_start(evening: Evening, lo: date) -> date:
    """A dtstart no later than ``lo`` that gives the same series, so rrule does not walk from first_date."""
    if lo <= evening.first_date:
        return evening.first_date
    period = 7 * evening.every
    first_monday = _monday(evening.first_date)
    # The Monday of a week on the series' rhythm, at or before lo; later than first_date's own week.
    steps = (lo - first_monday).days // period
    aligned = first_monday + timedelta(days=steps * period)
    return max(aligned, evening.first_date)


def _rule(evening: Evening, tz: ZoneInfo, dtstart: date) -> rrule:
    # rrule keeps wall-clock time and tzinfo, so every occurrence is at the evening's local start time.
    return rrule(
        WEEKLY,
        interval=evening.every,
        byweekday=sorted(set(evening.weekdays)),
        wkst=MO,
        dtstart=datetime.combine(dtstart, evening.start, tzinfo=tz),
    )


def _plans(evening: Evening, changes: Sequence[EveningChange]) -> dict[date, _Plan]:
    plans: dict[date, _Plan] = {}
    for change in changes:
        if change.evening_id == evening.id and is_series_date(evening, change.date):
            plans[change.date] = _Plan(change.new_date, change.new_start, change.new_end)
    return plans


def _checked_zone(evening: Evening) -> ZoneInfo:
    tz = _zone(evening.time_zone)
    broken = not 1 <= evening.every <= MOST_WEEKS_APART or any(not 0 <= d <= 6 for d in evening.weekdays)
    if tz is None or broken:
        raise Error(" ".join(p for p in validate(evening)))
    return tz


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as "Europe"
        return None


def _wall_minutes(start: time, end: time) -> int:
    """Planned length in wall-clock minutes; an end at or before the start is on the next day (0 only if equal)."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return minutes % (24 * 60)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
