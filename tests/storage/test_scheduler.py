"""The scheduler on a real SQLite file and a fake clock: what is shown when, once, also after a restart.

Notifications are collected from the ``notify`` callback (the notifier chain is tested on its own and end to
end against a real notification server).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from fakes import FakeClock
from middenweg import i18n
from middenweg.config import Settings
from middenweg.domain.age import AgeGroup
from middenweg.domain.categories import Category
from middenweg.domain.evenings import Evening, EveningKind
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.domain.goals import Goal, GoalName
from middenweg.notifications.notifier import Notification
from middenweg.scheduler import ClockWatch, Scheduler, TickPacer
from middenweg.storage.evening_store import EveningStore
from middenweg.storage.goal_store import GoalStore
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store
from middenweg.tracking.sampler import TickResult, TrackState

AMS = ZoneInfo("Europe/Amsterdam")
LAPTOP = DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER)
THURSDAY = date(2026, 11, 19)


def at(day: date, hh: int, mm: int = 0, ss: int = 0) -> int:
    return int(datetime.combine(day, time(hh, mm, ss), tzinfo=AMS).timestamp())


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "middenweg.sqlite3"


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    s = Store.open(path)
    yield s
    s.close()


class Shown(list[Notification]):
    def titles(self) -> list[str]:
        return [note.title for note in self]


def scheduler(store: Store, shown: Shown, settings: Settings | None = None, **kwargs: object) -> Scheduler:
    chosen = settings or replace(Settings.defaults(), age_group=AgeGroup.AGE_25_34, age_group_asked=True)
    return Scheduler(store, lambda: chosen, lambda: AMS, shown.append, **kwargs)  # type: ignore[arg-type]


def thursday_evening(store: Store, **changes: object) -> Evening:
    evening = Evening(
        id=0,
        title="Board games",
        kind=EveningKind.PHONE_FREE,
        start=time(19, 0),
        end=time(23, 0),
        first_date=THURSDAY,
        weekdays=(3,),
        time_zone="Europe/Amsterdam",
        friends=("Sanne", "Ahmed"),
        remind_before=(30, 0),
    )
    return EveningStore(store).add(replace(evening, **changes), now=at(date(2026, 11, 1), 12))  # type: ignore[arg-type]


def test_reminders_come_at_their_moment_once_and_not_again_after_a_restart(store: Store) -> None:
    thursday_evening(store)
    shown = Shown()
    first = scheduler(store, shown)
    now = at(THURSDAY, 18, 0)
    assert first.fire_due(now) == 0  # (last week's summary: an empty week, nothing to tell)
    assert first.next_wakeup(now) == at(THURSDAY, 18, 30)
    assert first.fire_due(at(THURSDAY, 18, 30)) == 1
    assert shown.titles() == ["Board games starts in 30 minutes"]
    assert "another room" in shown[0].body
    assert first.next_wakeup(at(THURSDAY, 18, 30, 1)) == at(THURSDAY, 19)
    assert first.fire_due(at(THURSDAY, 19, 0, 2)) == 1
    assert shown.titles()[-1] == "Board games starts now"
    assert "until 23:00 with Sanne, Ahmed" in shown[-1].body
    restarted = scheduler(store, shown)  # the app was restarted: nothing comes twice
    assert restarted.fire_due(at(THURSDAY, 19, 1)) == 0
    assert restarted.fire_due(at(THURSDAY, 23, 0)) == 1
    assert shown.titles()[-1] == "Well done: Board games is over"
    assert restarted.next_wakeup(at(THURSDAY, 23, 1)) == at(THURSDAY + (date(2026, 11, 20) - THURSDAY), 9)
    assert restarted.fire_due(at(date(2026, 11, 20), 9, 0)) == 1
    assert shown.titles()[-1] == "How did your evening go?"


def test_after_a_long_sleep_only_what_is_still_useful_is_shown(store: Store) -> None:
    thursday_evening(store)
    shown = Shown()
    s = scheduler(store, shown)
    assert s.fire_due(at(THURSDAY, 19, 14)) == 1  # "starts now" 14 minutes late is still useful
    assert shown.titles() == ["Board games starts now"]
    shown.clear()
    later = date(2026, 11, 26)
    assert s.fire_due(at(later, 19, 20)) == 0  # 20 minutes late: nothing about an evening already under way


def test_the_check_in_opens_in_the_gui_and_comes_late_if_the_computer_slept_in_the_morning(store: Store) -> None:
    evening = thursday_evening(store)
    shown, asked = Shown(), []
    s = scheduler(store, shown, on_checkin=lambda evening_id, day: asked.append((evening_id, day)))
    assert s.fire_due(at(date(2026, 11, 20), 13, 0)) == 1  # woke at 13:00: the morning check-in is still asked
    assert asked == [(evening.id, THURSDAY)]


def test_no_check_in_question_about_an_evening_already_answered(store: Store) -> None:
    evening = thursday_evening(store)
    EveningStore(store).check_in(evening.id, THURSDAY, "kept", 0, now=at(THURSDAY, 23, 30))  # answered that night
    shown, asked = Shown(), []
    s = scheduler(store, shown, on_checkin=lambda evening_id, day: asked.append((evening_id, day)))
    assert s.fire_due(at(date(2026, 11, 20), 9, 0)) == 0
    assert asked == [] and shown == []
    assert s.next_wakeup(at(date(2026, 11, 20), 9, 0)) != at(date(2026, 11, 20), 9, 0)  # not asked again either


def test_an_evening_that_cannot_be_planned_is_left_out_and_the_others_still_remind(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    thursday_evening(store, time_zone="Mars/Olympus_Mons", title="From another computer")  # no such zone here
    thursday_evening(store)
    shown = Shown()
    s = scheduler(store, shown)
    assert s.fire_due(at(THURSDAY, 19, 0, 5)) == 1
    assert shown.titles() == ["Board games starts now"]
    s.observe(at(THURSDAY, 19, 5), Category.SOCIAL)
    assert s.current_evening(at(THURSDAY, 19, 5)) is not None  # the good evening
    assert sum("gets no reminders" in record.message for record in caplog.records) == 1  # said once, not each tick


def test_the_phone_reminder_comes_once_a_day_and_not_when_the_day_is_entered(store: Store) -> None:
    from middenweg import phone_entries
    from middenweg.phone_entries import PhoneDay

    chosen = replace(Settings.defaults(), phone_reminder=time(21, 30), weekly_summary=None)
    shown, asked = Shown(), []
    s = scheduler(store, shown, chosen, on_phone=asked.append)
    friday = date(2026, 11, 20)
    assert s.next_wakeup(at(friday, 20, 0)) == at(friday, 21, 30)
    assert s.fire_due(at(friday, 21, 29)) == 0
    assert s.fire_due(at(friday, 21, 30, 1)) == 1 and asked == [friday]
    assert shown.titles() == ["Your phone's screen time today"]
    assert s.fire_due(at(friday, 23, 0)) == 0  # once a day
    assert s.next_wakeup(at(friday, 23, 0)) == at(date(2026, 11, 21), 21, 30)
    restarted = scheduler(store, shown, chosen)
    assert restarted.fire_due(at(friday, 23, 30)) == 0  # also not after a restart
    phone_entries.save(store, PhoneDay(date(2026, 11, 21), 3600), AMS)  # Saturday entered before the reminder
    assert restarted.fire_due(at(date(2026, 11, 21), 21, 45)) == 0
    assert restarted.fire_due(at(date(2026, 11, 23), 8, 0)) == 0  # Sunday slept through: no reminder the day after
    assert len(shown) == 1


def test_slips_nudge_at_once_then_at_most_every_20_minutes_with_varied_words(store: Store) -> None:
    thursday_evening(store)
    shown = Shown()
    s = scheduler(store, shown)
    s.observe(at(THURSDAY, 18, 59), Category.SOCIAL)  # before the evening: fine
    s.observe(at(THURSDAY, 19, 5), Category.OTHER)  # a phone-free evening allows other work
    s.observe(at(THURSDAY, 19, 6), None)  # away
    assert shown == []
    s.observe(at(THURSDAY, 19, 7), Category.MESSAGING)
    s.observe(at(THURSDAY, 19, 20), Category.SOCIAL)
    assert len(shown) == 1
    restarted = scheduler(store, shown)
    restarted.observe(at(THURSDAY, 19, 26), Category.SOCIAL)
    assert len(shown) == 1  # the restart did not shorten the pause
    restarted.observe(at(THURSDAY, 19, 27), Category.SOCIAL)
    assert len(shown) == 2
    assert shown[0].title != shown[1].title
    restarted.observe(at(THURSDAY, 23, 0), Category.SOCIAL)  # the evening is over
    assert len(shown) == 2


def test_a_screen_free_evening_counts_any_use(store: Store) -> None:
    thursday_evening(store, kind=EveningKind.SCREEN_FREE, title="No screens")
    shown = Shown()
    scheduler(store, shown).observe(at(THURSDAY, 20), Category.OTHER)
    assert len(shown) == 1 and "No screens" in shown[0].body


def test_quiet_hours_hold_back_nudges_but_not_the_evening_reminders(store: Store) -> None:
    thursday_evening(store)
    quiet = replace(Settings.defaults(), quiet_hours=(time(18, 0), time(22, 0)))
    shown = Shown()
    s = scheduler(store, shown, quiet)
    assert s.fire_due(at(THURSDAY, 19)) == 1  # asked for: comes in quiet hours too
    s.observe(at(THURSDAY, 19, 5), Category.SOCIAL)
    assert len(shown) == 1
    s.observe(at(THURSDAY, 22, 1), Category.SOCIAL)  # quiet hours over, the evening still on
    assert len(shown) == 2


def add_social(store: Store, start: int, seconds: int, category: Category = Category.SOCIAL) -> None:
    device = store.ensure_device(LAPTOP)
    store.add_events(device, [UsageEvent(start, seconds, "firefox", None, category, "Instagram")])


@pytest.mark.parametrize("language", ["en", "nl"])
def test_goal_nudges_at_80_and_100_percent_once_per_week(store: Store, language: str) -> None:
    i18n.activate(language)
    GoalStore(store).set([Goal(GoalName.WEEKLY_TOTAL, 5 * 3600)], [], now=0)
    shown = Shown()
    s = scheduler(store, shown)
    monday = date(2026, 11, 16)
    add_social(store, at(monday, 10), 3 * 3600)  # 60 %
    s.observe(at(monday, 14), Category.SOCIAL)
    assert shown == []
    add_social(store, at(monday, 15), 3600 + 60, Category.MESSAGING)  # 81 %
    s.observe(at(monday, 16, 30), Category.SOCIAL)
    assert len(shown) == 1
    s.observe(at(monday, 16, 32), Category.SOCIAL)  # still 81 %: told once
    add_social(store, at(date(2026, 11, 17), 10), 3600)  # 101 %
    s.observe(at(date(2026, 11, 17), 12), Category.MESSAGING)
    assert len(shown) == 2
    expected = {
        "en": ["80 % of your weekly limit for social media and messaging",
               "You have reached your weekly limit for social media and messaging"],
        "nl": ["80 % van je weeklimiet voor sociale media en berichten",
               "Je hebt je weeklimiet voor sociale media en berichten bereikt"],
    }  # fmt: skip
    assert shown.titles() == expected[language]
    assert shown[1].body.startswith("5 h 1 min" if language == "en" else "5 u 1 min")
    add_social(store, at(date(2026, 11, 23), 10), 5 * 3600)  # next week: a new period
    scheduler(store, shown).observe(at(date(2026, 11, 23), 16), Category.SOCIAL)
    assert len(shown) == 3


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_weekly_summary_comes_on_monday_morning_about_last_week(store: Store, language: str) -> None:
    i18n.activate(language)
    evening = thursday_evening(store)
    EveningStore(store).check_in(evening.id, THURSDAY, "kept", 0, now=at(date(2026, 11, 20), 9))
    add_social(store, at(date(2026, 11, 11), 10), 4 * 3600)  # the week before: 4 h
    add_social(store, at(date(2026, 11, 18), 10), 3 * 3600)  # last week: 3 h
    shown = Shown()
    s = scheduler(store, shown)
    sunday = at(date(2026, 11, 22), 20)
    monday_nine = at(date(2026, 11, 23), 9)
    assert s.next_wakeup(sunday) is not None and s.next_wakeup(sunday) <= monday_nine  # type: ignore[operator]
    s.fire_due(at(date(2026, 11, 23), 8, 59))
    assert not any("47" in title for title in shown.titles())
    assert s.fire_due(monday_nine) == 1
    body = shown[-1].body
    if language == "en":
        assert shown[-1].title == "Your week 47 in short"
        assert "3 h (1 h less than the week before)" in body
        assert "Phone-free evenings kept: 1; streak: 1." in body
        assert "25" in body and "34" in body  # the source's sentence for the age group
    else:
        assert shown[-1].title == "Je week 47 in het kort"
        assert "3 u (1 u minder dan de week ervoor)" in body
    assert scheduler(store, shown).fire_due(at(date(2026, 11, 24), 9)) == 0  # once


def test_the_clock_watch_notices_a_suspend_or_a_clock_change_but_not_normal_time() -> None:
    watch = ClockWatch()
    assert not watch.jumped(1000.0, 5.0)
    assert not watch.jumped(1001.0, 6.0)
    assert watch.jumped(4601.0, 7.0)  # an hour of suspend: the monotonic clock did not move
    assert not watch.jumped(4602.0, 8.0)
    assert watch.jumped(4000.0, 9.0)  # the clock was set back


def test_the_headless_pacer_fires_at_the_due_tick_and_looks_again_after_a_clock_jump(store: Store) -> None:
    thursday_evening(store, remind_before=(0,))
    shown = Shown()
    clock = FakeClock(at(THURSDAY, 18, 59, 58))
    pacer = TickPacer(scheduler(store, shown), clock)
    away = TickResult(TrackState.AWAY)
    for _tick in range(4):  # 18:59:58 … 19:00:01
        pacer.on_tick(away)
        clock.advance(1)
    assert shown.titles() == ["Board games starts now"]
    assert pacer.due_at == at(THURSDAY, 23)
    clock.now = at(date(2026, 11, 20), 9, 0, 5)  # resumed from suspend: the wall clock jumped, monotonic did not
    pacer.on_tick(away)
    assert shown.titles()[-1] == "How did your evening go?"
