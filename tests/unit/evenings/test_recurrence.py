"""Recurring evenings land at the chosen local time, on the chosen days, across DST, with skips and moves."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from middenweg.domain.evenings import Evening, EveningChange, EveningKind
from middenweg.evenings.recurrence import Error, next_occurrence, occurrence_on, occurrences, validate

ZONES = ["Europe/Amsterdam", "America/New_York", "Australia/Sydney", "America/Sao_Paulo", "Asia/Kolkata"]
AMS = ZoneInfo("Europe/Amsterdam")


def utc(year: int, month: int, day: int, hour: int = 0) -> int:
    return int(datetime(year, month, day, hour, tzinfo=UTC).timestamp())


def local(ts: int, tz: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(ts, tz)


@st.composite
def evenings(draw: st.DrawFn) -> Evening:
    start_minutes = draw(st.integers(17 * 60, 22 * 60 + 30))
    length = draw(st.integers(30, 12 * 60))  # up to 12 h, so some end past midnight
    start = time(start_minutes // 60, start_minutes % 60)
    end_minutes = (start_minutes + length) % (24 * 60)
    return Evening(
        id=draw(st.integers(1, 5)),
        title="",
        kind=EveningKind.PHONE_FREE,
        start=start,
        end=time(end_minutes // 60, end_minutes % 60),
        first_date=draw(st.dates(date(2025, 1, 1), date(2027, 6, 30))),
        weekdays=tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=1)))),
        every=draw(st.integers(1, 4)),
        time_zone=draw(st.sampled_from(ZONES)),
    )


windows = st.tuples(st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.integers(30, 200)).map(
    lambda t: (utc(t[0].year, t[0].month, t[0].day), utc(t[0].year, t[0].month, t[0].day) + t[1] * 86400)
)


def series_dates(evening: Evening, lo: date, hi: date) -> set[date]:
    """Dates of the series by plain counting: weeks from first_date's Monday, a multiple of ``every``."""
    first_monday = evening.first_date - timedelta(days=evening.first_date.weekday())
    found = set()
    day = max(lo, evening.first_date)
    while day <= hi:
        weeks = (day - timedelta(days=day.weekday()) - first_monday).days // 7
        if day.weekday() in evening.weekdays and weeks % evening.every == 0:
            found.add(day)
        day += timedelta(days=1)
    return found


@settings(max_examples=200, deadline=None)
@given(evenings(), windows)
def test_every_occurrence_is_at_the_local_times_on_allowed_weeks(evening: Evening, window: tuple[int, int]) -> None:
    tz = ZoneInfo(evening.time_zone)
    found = occurrences(evening, [], *window)
    assert found == sorted(found)
    for occ in found:
        begin, finish = local(occ.start, tz), local(occ.end, tz)
        assert occ.start < window[1] and occ.end > window[0]
        assert not occ.moved and occ.evening_id == evening.id
        assert begin.date() == occ.date and begin.weekday() in evening.weekdays
        assert occ.date >= evening.first_date
        # A local time skipped by spring-forward is read with the old offset (fold=0): one hour later.
        if begin.time() != evening.start:
            assert (datetime.combine(begin.date(), evening.start) + timedelta(hours=1)).time() == begin.time()
        if finish.time() != evening.end:
            assert (datetime.combine(finish.date(), evening.end) + timedelta(hours=1)).time() == finish.time()
        assert finish.date() == occ.date + timedelta(days=0 if evening.end > evening.start else 1)
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start  # never overlapping: each evening is at most 12 (+1 DST) hours long
    for weekday in evening.weekdays:
        same = [o.date for o in found if o.date.weekday() == weekday]
        assert all(((b - a).days // 7) % evening.every == 0 for a, b in itertools.pairwise(same))
    # Nothing is missed: every series date whose evening overlaps the window is there.
    lo = local(window[0], tz).date() - timedelta(days=2)
    hi = local(window[1], tz).date() + timedelta(days=1)
    expected = set()
    for d in series_dates(evening, lo, hi):
        end_day = d + timedelta(days=0 if evening.end > evening.start else 1)
        begin_ts = datetime.combine(d, evening.start, tzinfo=tz).timestamp()
        end_ts = datetime.combine(end_day, evening.end, tzinfo=tz).timestamp()
        if begin_ts < window[1] and end_ts > window[0]:
            expected.add(d)
    assert [o.date for o in found] == sorted(expected)


@settings(max_examples=100, deadline=None)
@given(evenings(), windows, st.data())
def test_skips_and_moves_hold(evening: Evening, window: tuple[int, int], data: st.DataObject) -> None:
    tz = ZoneInfo(evening.time_zone)
    plain = occurrences(evening, [], *window)
    if not plain:
        return
    chosen = data.draw(st.lists(st.sampled_from(plain), min_size=1, max_size=4, unique_by=lambda o: o.date))
    changes = []
    moved_to: dict[date, date] = {}
    for occ in chosen:
        if data.draw(st.booleans()):
            changes.append(EveningChange(evening.id, occ.date))
        else:
            new = occ.date + timedelta(days=data.draw(st.integers(-3, 3)))
            changes.append(EveningChange(evening.id, occ.date, new, time(12, 0), time(13, 0)))
            moved_to[occ.date] = new
    # Changes of another evening and of dates the series does not have change nothing.
    changes.append(EveningChange(evening.id + 100, plain[0].date))
    found = occurrences(evening, changes, *window)
    skipped = {c.date for c in changes[:-1] if c.skipped}
    assert not any(o.date in skipped for o in found)
    for original, new in moved_to.items():
        hits = [o for o in found if o.date == original]
        noon = datetime.combine(new, time(12, 0), tzinfo=tz).timestamp()
        if not (noon < window[1] and noon + 3600 > window[0]):
            assert hits == []  # moved out of the window
            continue
        assert len(hits) == 1 and hits[0].moved
        begin = local(hits[0].start, tz)
        assert begin.date() == new and begin.time() == time(12, 0)
        assert hits[0].end - hits[0].start == 3600
    untouched = [o for o in plain if o.date not in skipped and o.date not in moved_to]
    assert [o for o in found if not o.moved] == untouched


def test_amsterdam_sunday_evening_keeps_19_local_across_the_october_change() -> None:
    evening = Evening(
        1, "Board games", EveningKind.PHONE_FREE, time(19), time(23), date(2026, 9, 6), (6,), 1, "Europe/Amsterdam"
    )
    found = occurrences(evening, [], utc(2026, 10, 17), utc(2026, 11, 2))
    assert [(o.date, local(o.start, AMS).hour) for o in found] == [
        (date(2026, 10, 18), 19),
        (date(2026, 10, 25), 19),
        (date(2026, 11, 1), 19),
    ]
    assert datetime.fromtimestamp(found[0].start, UTC) == datetime(2026, 10, 18, 17, tzinfo=UTC)
    assert datetime.fromtimestamp(found[1].start, UTC) == datetime(2026, 10, 25, 18, tzinfo=UTC)
    assert found[1].end - found[1].start == 4 * 3600


def test_late_evening_across_the_fall_back_night_keeps_its_local_end() -> None:
    evening = Evening(
        2, "", EveningKind.SCREEN_FREE, time(22), time(4), date(2026, 10, 24), time_zone="Europe/Amsterdam"
    )
    [occ] = occurrences(evening, [], utc(2026, 10, 1), utc(2026, 11, 1))
    assert local(occ.end, AMS).time() == time(4) and occ.end - occ.start == 7 * 3600


def test_a_move_far_away_counts_where_it_lands() -> None:
    evening = Evening(3, "", EveningKind.PHONE_FREE, time(20), time(22), date(2026, 1, 5), (0,), 2, "Asia/Kolkata")
    move = EveningChange(3, date(2026, 1, 19), date(2026, 6, 3))
    assert all(o.date != date(2026, 1, 19) for o in occurrences(evening, [move], utc(2026, 1, 1), utc(2026, 2, 1)))
    june = occurrences(evening, [move], utc(2026, 6, 3), utc(2026, 6, 4))
    assert [(o.date, o.moved, local(o.start, ZoneInfo("Asia/Kolkata")).hour) for o in june] == [
        (date(2026, 1, 19), True, 20)
    ]
    # A change for a date the series does not have (a Tuesday, or an off week) is ignored.
    stale = [EveningChange(3, date(2026, 1, 13)), EveningChange(3, date(2026, 1, 12))]
    assert occurrences(evening, stale, utc(2026, 1, 1), utc(2026, 2, 1)) == occurrences(
        evening, [], utc(2026, 1, 1), utc(2026, 2, 1)
    )


def test_one_off_and_next_occurrence() -> None:
    once = Evening(4, "", EveningKind.PHONE_FREE, time(19), time(1), date(2026, 3, 14), time_zone="America/New_York")
    [occ] = occurrences(once, [], utc(2026, 1, 1), utc(2027, 1, 1))
    assert occ.date == date(2026, 3, 14) and occ.end - occ.start == 6 * 3600
    # Under way counts as "next"; after it has ended there is none.
    assert next_occurrence(once, [], occ.start + 60) == occ
    assert next_occurrence(once, [], occ.end) is None
    assert occurrences(once, [EveningChange(4, date(2026, 3, 14))], utc(2026, 1, 1), utc(2027, 1, 1)) == []

    weekly = Evening(5, "", EveningKind.PHONE_FREE, time(19), time(21), date(2020, 1, 6), (2,), 3, "UTC")
    nxt = next_occurrence(weekly, [], utc(2026, 7, 1, 12))
    assert nxt is not None and nxt.start >= utc(2026, 7, 1, 12)
    assert datetime.fromtimestamp(nxt.start, UTC).weekday() == 2
    assert ((nxt.date - date(2020, 1, 8)).days // 7) % 3 == 0
    assert (nxt.start - utc(2026, 7, 1, 12)) < 21 * 86400


def test_a_long_history_is_fast() -> None:
    evening = Evening(6, "", EveningKind.PHONE_FREE, time(19), time(21), date(1990, 1, 1), (0, 1, 2, 3, 4, 5, 6))
    found = occurrences(evening, [], utc(2030, 1, 1), utc(2030, 1, 8))
    assert len(found) == 7


def test_validate_names_each_problem() -> None:
    good = Evening(7, "", EveningKind.PHONE_FREE, time(19), time(7), date(2026, 1, 1), (0,), 1, "Europe/Amsterdam")
    assert validate(good) == []
    bad = Evening(7, "", EveningKind.PHONE_FREE, time(19), time(19), date(2026, 1, 1), (0, 9), 0, "Mars/Olympus")
    problems = validate(bad)
    assert len(problems) == 4
    assert any("9" in p for p in problems) and any("Mars/Olympus" in p for p in problems)
    too_long = Evening(7, "", EveningKind.PHONE_FREE, time(19), time(7, 1), date(2026, 1, 1))
    assert len(validate(too_long)) == 1
    no_date = Evening(7, "", EveningKind.PHONE_FREE, time(19), time(21), None)  # type: ignore[arg-type]
    assert len(validate(no_date)) == 1
    with pytest.raises(Error, match="Mars/Olympus"):
        occurrences(bad, [], 0, 86400)


def test_occurrence_on_finds_a_series_date_where_a_move_took_it_and_nothing_for_a_skip() -> None:
    thursdays = Evening(1, "Games", EveningKind.PHONE_FREE, time(19), time(23), date(2026, 11, 5), (3,),
                        time_zone="Europe/Amsterdam")  # fmt: skip
    changes = [
        EveningChange(1, date(2026, 11, 12), date(2026, 11, 28), time(20), time(1)),  # two weeks later, past midnight
        EveningChange(1, date(2026, 11, 19)),
    ]
    moved = occurrence_on(thursdays, changes, date(2026, 11, 12))
    assert moved is not None and moved.moved
    assert local(moved.start, AMS) == datetime(2026, 11, 28, 20, tzinfo=AMS)
    assert local(moved.end, AMS) == datetime(2026, 11, 29, 1, tzinfo=AMS)
    assert occurrence_on(thursdays, changes, date(2026, 11, 19)) is None  # skipped
    assert occurrence_on(thursdays, changes, date(2026, 11, 20)) is None  # a Friday: not a series date
    plain = occurrence_on(thursdays, changes, date(2026, 11, 26))
    assert plain is not None and local(plain.start, AMS) == datetime(2026, 11, 26, 19, tzinfo=AMS)
