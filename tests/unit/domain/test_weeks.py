"""ISO weeks and local days: the calendar people live in, with DST and odd zones."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from middenweg.domain.weeks import IsoWeek, WeekFormatError, local_date, local_midnight, week_boundaries

ZONES = ["Europe/Amsterdam", "America/Sao_Paulo", "Asia/Beirut", "America/Havana", "Australia/Lord_Howe", "UTC"]


def test_week_text_round_trips_and_rejects_nonsense() -> None:
    assert str(IsoWeek.parse("2026-W44")) == "2026-W44"
    assert IsoWeek.parse("2026-W44").monday == date(2026, 10, 26)
    assert IsoWeek.parse("2026-W53").monday == date(2026, 12, 28)  # 2026 has 53 ISO weeks
    for bad in ("2025-W53", "2026-W00", "2026-44", "W44", "", "2026-W4"):
        with pytest.raises(WeekFormatError):
            IsoWeek.parse(bad)


def test_week_of_new_years_day_can_belong_to_the_year_before() -> None:
    assert IsoWeek.containing(date(2027, 1, 1)) == IsoWeek(2026, 53)
    assert IsoWeek(2027, 1).previous() == IsoWeek(2026, 53)
    assert IsoWeek(2026, 53).shifted(1) == IsoWeek(2027, 1)


def test_dst_days_have_23_and_25_hours_in_amsterdam() -> None:
    tz = ZoneInfo("Europe/Amsterdam")
    spring = week_boundaries(IsoWeek(2026, 13), tz)
    autumn = week_boundaries(IsoWeek(2026, 43), tz)
    assert [b - a for a, b in itertools.pairwise(spring)][-1] == 23 * 3600
    assert [b - a for a, b in itertools.pairwise(autumn)][-1] == 25 * 3600
    assert spring[-1] - spring[0] == 7 * 86400 - 3600


def test_a_day_whose_midnight_does_not_exist_starts_at_the_jump() -> None:
    # Havana springs forward at midnight: 8 March 2026 00:00 does not exist; the day starts at 01:00 CDT.
    tz = ZoneInfo("America/Havana")
    start = local_midnight(date(2026, 3, 8), tz)
    assert local_date(start, tz) == date(2026, 3, 8)
    assert local_date(start - 1, tz) == date(2026, 3, 7)


@given(day=st.dates(date(2000, 1, 1), date(2037, 12, 31)), zone=st.sampled_from(ZONES))
def test_a_local_day_is_exactly_the_seconds_with_that_date(day: date, zone: str) -> None:
    tz = ZoneInfo(zone)
    start = local_midnight(day, tz)
    end = local_midnight(day + timedelta(days=1), tz)
    assert 22 * 3600 <= end - start <= 26 * 3600
    assert local_date(start, tz) == day
    assert local_date(start - 1, tz) == day - timedelta(days=1)
    assert local_date(end - 1, tz) == day


@given(moment=st.datetimes(datetime(2000, 1, 1), datetime(2037, 1, 1)), zone=st.sampled_from(ZONES))
def test_every_instant_falls_in_the_week_that_contains_its_local_date(moment: datetime, zone: str) -> None:
    tz = ZoneInfo(zone)
    epoch = int(moment.replace(tzinfo=UTC).timestamp())
    week = IsoWeek.containing(local_date(epoch, tz))
    bounds = week_boundaries(week, tz)
    assert bounds[0] <= epoch < bounds[-1]
