"""The .ics export, read back the way a calendar app would, gives the same evenings as Middenweg itself."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import rrulestr
from icalendar import Calendar

from middenweg.domain.evenings import Evening, EveningChange, EveningKind
from middenweg.evenings.ical import to_ics
from middenweg.evenings.recurrence import occurrences

EVENINGS = [
    Evening(
        1,
        "Board games",
        EveningKind.PHONE_FREE,
        time(19),
        time(23),
        date(2026, 9, 2),
        (6, 2),
        1,
        "Europe/Amsterdam",
        ("Anna", "Bram"),
        (30, 0),
    ),
    Evening(
        2,
        "",
        EveningKind.SCREEN_FREE,
        time(21, 30),
        time(1),
        date(2026, 9, 1),
        (4,),
        2,
        "America/New_York",
        remind_before=(15,),
    ),
    Evening(3, "", EveningKind.PHONE_FREE, time(18), time(22), date(2026, 10, 10), (), 1, "Australia/Sydney"),
    Evening(4, "Reading", EveningKind.PHONE_FREE, time(20), time(22), date(2026, 9, 7), (0, 3), 3, "UTC"),
]
CHANGES = [
    EveningChange(1, date(2026, 10, 4)),  # skipped Sunday
    EveningChange(1, date(2026, 10, 21), date(2026, 10, 22), time(20), time(23, 30)),  # Wednesday moved a day
    EveningChange(2, date(2026, 10, 30), date(2026, 11, 7)),  # moved across the US change on 2026-11-01
    EveningChange(3, date(2026, 10, 10), date(2026, 10, 11)),  # a one-off moved
    EveningChange(4, date(2026, 9, 28)),
]
WINDOW = (int(datetime(2026, 9, 1, tzinfo=UTC).timestamp()), int(datetime(2026, 12, 1, tzinfo=UTC).timestamp()))


def expand(ics: bytes, start: int, end: int) -> set[tuple[str, int, int]]:
    """Occurrences as a calendar app computes them from DTSTART, RRULE, EXDATE and RECURRENCE-ID."""
    calendar: Any = Calendar.from_ical(ics)  # icalendar's value types are a wide union; read them as Any
    found: dict[tuple[str, int], tuple[int, int]] = {}
    overrides = []
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        dtstart, dtend = event.decoded("DTSTART"), event.decoded("DTEND")
        if "RECURRENCE-ID" in event:
            overrides.append((uid, event.decoded("RECURRENCE-ID"), dtstart, dtend))
            continue
        length = dtend.timestamp() - dtstart.timestamp()  # RFC 5545: every member has the same exact length
        if "RRULE" in event:
            rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=dtstart)
            starts = list(rule.between(dtstart, dtstart + timedelta(days=400), inc=True))
        else:
            starts = [dtstart]
        excluded = {int(d.dt.timestamp()) for ex in _list(event.get("EXDATE")) for d in ex.dts}
        for moment in starts:
            ts = int(moment.timestamp())
            if ts not in excluded:
                found[(uid, ts)] = (ts, int(ts + length))
    for uid, original, dtstart, dtend in overrides:
        found[(uid, int(original.timestamp()))] = (int(dtstart.timestamp()), int(dtend.timestamp()))
    return {(uid, s, e) for (uid, _), (s, e) in found.items() if s < end and e > start}


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def test_exported_calendar_expands_to_the_same_occurrences() -> None:
    ics = to_ics(EVENINGS, CHANGES)
    ours = {(f"evening-{e.id}@middenweg", o.start, o.end) for e in EVENINGS for o in occurrences(e, CHANGES, *WINDOW)}
    assert len(ours) > 20
    assert expand(ics, *WINDOW) == ours


def test_calendar_has_zones_alarms_friends_and_stable_identity() -> None:
    ics = to_ics(EVENINGS, CHANGES)
    calendar: Any = Calendar.from_ical(ics)  # icalendar's value types are a wide union; read them as Any
    assert str(calendar["PRODID"]) == "-//Middenweg//Middenweg//EN" and str(calendar["VERSION"]) == "2.0"
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert zones == {"Europe/Amsterdam", "America/New_York", "Australia/Sydney"}
    events = calendar.walk("VEVENT")
    board = [e for e in events if str(e["UID"]) == "evening-1@middenweg"]
    assert len(board) == 2  # the series and its moved Wednesday
    for event in board:
        assert str(event["SUMMARY"]) == "Board games"
        assert "Anna" in str(event["DESCRIPTION"]) and "Bram" in str(event["DESCRIPTION"])
        triggers = sorted(a.decoded("TRIGGER") for a in event.walk("VALARM"))
        assert triggers == [timedelta(minutes=-30), timedelta(0)]
        assert all(str(a["ACTION"]) == "DISPLAY" and str(a["DESCRIPTION"]) for a in event.walk("VALARM"))
    master = next(e for e in board if "RRULE" in e)
    assert master["RRULE"]["FREQ"] == ["WEEKLY"] and sorted(master["RRULE"]["BYDAY"]) == ["SU", "WE"]
    assert master["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    screen = next(e for e in events if str(e["UID"]) == "evening-2@middenweg" and "RRULE" in e)
    assert str(screen["SUMMARY"]) == "Screen-free evening" and screen["RRULE"]["INTERVAL"] == [2]
    assert [a.decoded("TRIGGER") for a in screen.walk("VALARM")] == [timedelta(minutes=-15)]
    # Same input, same bytes: importing again updates rather than doubles.
    assert to_ics(EVENINGS, CHANGES) == ics


def test_skipped_one_off_is_left_out() -> None:
    ics = to_ics([EVENINGS[2]], [EveningChange(3, date(2026, 10, 10))])
    assert Calendar.from_ical(ics).walk("VEVENT") == []
