"""Planned evenings as an iCalendar file (RFC 5545) that people can import into the calendar they already use.

One VEVENT per evening in its own time zone (with VTIMEZONE), a weekly RRULE for series, EXDATE for skipped dates
and an overriding VEVENT with RECURRENCE-ID for each moved one, plus a display alarm per reminder. The output is
deterministic for the same input. This module must never read the clock, write files or touch storage.

Known limit: RFC 5545 §3.8.5.3 gives every member of a recurrence set the same exact length as the first one, so
in an evening that itself runs across a DST change (past 02:00 on the change night) a calendar app may show the end
an hour off; Middenweg's own reminders follow ``recurrence.occurrences``, which keeps the local end time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from middenweg.domain.evenings import Evening, EveningChange, EveningKind
from middenweg.evenings.recurrence import Error, is_series_date, local_span, series_start
from middenweg.i18n import _, ngettext

PRODID = "-//Middenweg//Middenweg//EN"
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def uid(evening: Evening) -> str:
    """The stable UID, so importing the file again updates the evenings instead of doubling them."""
    return f"evening-{evening.id}@middenweg"


def summary(evening: Evening) -> str:
    """The title, or a default that names the kind of evening."""
    if evening.title.strip():
        return evening.title.strip()
    if evening.kind is EveningKind.SCREEN_FREE:
        return _("Screen-free evening")
    return _("Phone-free evening")


def to_ics(evenings: Sequence[Evening], changes: Sequence[EveningChange], *, stamp: int | None = None) -> bytes:
    """An iCalendar file with all ``evenings`` and their ``changes`` (changes of other evenings are ignored).

    ``stamp`` (UTC epoch seconds) is the DTSTAMP, when the file was made; None uses each event's own start so
    the same evenings always give the same bytes. Raises recurrence.Error for an evening that cannot be expanded.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    for evening in evenings:
        for event in _events(evening, changes, stamp):
            calendar.add_component(event)
    # A VTIMEZONE for every TZID used (RFC 5545 §3.6.5); UTC times are written with "Z" and need none.
    calendar.add_missing_timezones()
    result: bytes = calendar.to_ical()
    return result


def _events(evening: Evening, changes: Sequence[EveningChange], stamp: int | None) -> list[Event]:
    first = series_start(evening)
    if first is None:  # pragma: no cover - a weekly rule with valid weekdays always has a first date
        raise Error(_("This evening never happens; choose at least one weekday."))
    tz = ZoneInfo(evening.time_zone)
    latest: dict[date, EveningChange] = {}
    for item in changes:
        if item.evening_id == evening.id and is_series_date(evening, item.date):
            latest[item.date] = item
    if evening.once:
        change = latest.get(first)
        if change is None:
            return [_event(evening, tz, first, evening.start, evening.end, stamp)]
        if change.new_date is None:
            return []  # a skipped one-off simply is not in the calendar
        # A one-off has no recurrence set to override: it just moves.
        return [
            _event(
                evening,
                tz,
                change.new_date,
                change.new_start or evening.start,
                change.new_end or evening.end,
                stamp,
            )
        ]

    master = _event(evening, tz, first, evening.start, evening.end, stamp)
    master.add(
        "rrule",
        {
            "FREQ": "WEEKLY",
            "INTERVAL": evening.every,
            "BYDAY": [_BYDAY[d] for d in sorted(set(evening.weekdays))],
            "WKST": "MO",
        },
    )
    skipped = sorted(day for day, change in latest.items() if change.new_date is None)
    if skipped:
        master.add("exdate", [_local(day, evening.start, tz) for day in skipped])
    events = [master]
    for day, change in sorted(latest.items()):
        if change.new_date is None:
            continue
        moved = _event(
            evening, tz, change.new_date, change.new_start or evening.start, change.new_end or evening.end, stamp
        )
        # RFC 5545 §3.8.4.4: RECURRENCE-ID is the original start of the occurrence this one replaces.
        moved.add("recurrence-id", _local(day, evening.start, tz))
        events.append(moved)
    return events


def _event(evening: Evening, tz: ZoneInfo, day: date, start: time, end: time, stamp: int | None) -> Event:
    begin, finish = local_span(day, start, end, tz)
    # Wall-clock values, not normalised ones: the RRULE repeats DTSTART's local time, and RFC 5545 §3.3.5 reads a
    # time skipped by DST with the offset from before the gap, exactly as zoneinfo's fold=0 does.
    dtend = datetime.combine(day if end > start else day + timedelta(days=1), end, tzinfo=tz)
    if int(dtend.timestamp()) != finish:
        dtend = datetime.fromtimestamp(finish, tz)  # the end fell into a DST gap right after the start
    event = Event()
    event.add("uid", uid(evening))
    event.add("dtstamp", datetime.fromtimestamp(begin if stamp is None else stamp, UTC))
    event.add("dtstart", _local(day, start, tz))
    event.add("dtend", dtend)
    event.add("summary", summary(evening))
    event.add("description", _description(evening))
    for minutes in sorted(set(evening.remind_before), reverse=True):
        event.add_component(_alarm(evening, minutes))
    return event


def _local(day: date, start: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, start, tzinfo=tz)


def _description(evening: Evening) -> str:
    if evening.kind is EveningKind.SCREEN_FREE:
        lines = [_("A screen-free evening: this computer stays off.")]
    else:
        lines = [_("A phone-free evening: no social media or messaging apps.")]
    if evening.friends:
        lines.append(_("With: {friends}").format(friends=", ".join(evening.friends)))
    return "\n".join(lines)


def _alarm(evening: Evening, minutes: int) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(minutes=-minutes))
    if minutes == 0:
        text = _("{title} starts now.").format(title=summary(evening))
    else:
        text = ngettext("{title} starts in {n} minute.", "{title} starts in {n} minutes.", minutes).format(
            title=summary(evening), n=minutes
        )
    alarm.add("description", text)
    return alarm
