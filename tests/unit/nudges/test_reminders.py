"""Evening reminders: each once, at its time, late only while still useful, and the next wake-up for one timer."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from middenweg.domain.evenings import Evening, EveningChange, EveningKind
from middenweg.nudges.reminders import GRACE, ReminderKind, due_reminders, next_wakeup

AMS = ZoneInfo("Europe/Amsterdam")
THURSDAYS = Evening(
    1, "Board games", EveningKind.PHONE_FREE, time(19), time(23), date(2026, 10, 22), weekdays=(3,),
    time_zone="Europe/Amsterdam", remind_before=(1440, 30, 0),
)  # fmt: skip


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=AMS).timestamp())


def run_timer(evenings: list[Evening], changes: list[EveningChange], start: int, end: int) -> list[tuple[int, str]]:
    """What one single-shot timer, re-armed at every next_wakeup, shows between start and end."""
    delivered: set[str] = set()
    shown: list[tuple[int, str]] = []
    now = start
    while True:
        wake = next_wakeup(evenings, changes, delivered, now)
        if wake is None or wake >= end:
            return shown
        now = max(now, wake)
        for reminder in due_reminders(evenings, changes, delivered, now):
            delivered.add(reminder.key)
            shown.append((now, reminder.key))
        now += 1  # the timer fires again no sooner than a second later


def test_a_week_with_the_computer_on_shows_every_reminder_once_at_its_local_time() -> None:
    shown = run_timer([THURSDAYS], [], at("2026-10-21T12:00:00"), at("2026-10-24T12:00:00"))
    assert shown == [
        (at("2026-10-21T19:00:00"), "1:2026-10-22:before:1440"),
        (at("2026-10-22T18:30:00"), "1:2026-10-22:before:30"),
        (at("2026-10-22T19:00:00"), "1:2026-10-22:start:0"),
        (at("2026-10-22T23:00:00"), "1:2026-10-22:end:0"),
        (at("2026-10-23T09:00:00"), "1:2026-10-22:checkin:0"),
    ]


def test_reminders_keep_their_local_time_across_the_dst_change() -> None:
    timer = run_timer([THURSDAYS], [], at("2026-10-28T00:00:00"), at("2026-10-30T00:00:00"))
    shown = {key: moment for moment, key in timer}
    assert shown["1:2026-10-29:before:30"] == at("2026-10-29T18:30:00")  # CET now, an hour later in UTC
    assert shown["1:2026-10-29:before:30"] - at("2026-10-22T18:30:00") == 7 * 86400 + 3600


def test_a_skipped_evening_has_no_reminders() -> None:
    changes = [EveningChange(1, date(2026, 10, 22))]
    assert run_timer([THURSDAYS], changes, at("2026-10-21T12:00:00"), at("2026-10-24T12:00:00")) == []


def test_after_sleeping_through_the_start_only_what_is_still_useful_is_shown() -> None:
    fifteen_late = at("2026-10-22T19:14:00")
    kinds = {r.kind for r in due_reminders([THURSDAYS], [], set(), fifteen_late)}
    assert kinds == {ReminderKind.START}  # the 30-minute and day-before reminders are no use any more
    assert due_reminders([THURSDAYS], [], set(), at("2026-10-22T19:16:00")) == []
    after_the_end = due_reminders([THURSDAYS], [], set(), at("2026-10-23T01:00:00"))
    assert after_the_end == []  # nothing about an evening that is over ...
    next_day = due_reminders([THURSDAYS], [], set(), at("2026-10-24T20:00:00"))
    assert [r.kind for r in next_day] == [ReminderKind.CHECKIN]  # ... except the check-in


@settings(max_examples=60, deadline=None)
@given(
    sleep_from=st.integers(at("2026-10-20T00:00:00"), at("2026-11-05T00:00:00")),
    sleep_for=st.integers(0, 3 * 86400),
)
def test_a_sleep_never_makes_a_reminder_show_twice_or_too_late(sleep_from: int, sleep_for: int) -> None:
    start, end = at("2026-10-20T00:00:00"), at("2026-11-08T00:00:00")
    delivered: set[str] = set()
    shown: list[str] = []
    now = start
    while now < end:
        if sleep_from <= now < sleep_from + sleep_for:
            now = sleep_from + sleep_for  # the lid was closed: no timer fired
            continue
        for reminder in due_reminders([THURSDAYS], [], delivered, now):
            assert reminder.due <= now < reminder.until
            if reminder.kind is ReminderKind.START:
                assert now < reminder.due + GRACE
            delivered.add(reminder.key)
            shown.append(reminder.key)
        wake = next_wakeup([THURSDAYS], [], delivered, now)
        now = end if wake is None else max(now + 1, wake)
    assert len(shown) == len(set(shown))
