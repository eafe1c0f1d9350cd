"""The history glue for goals and evenings: progress from stored events, the streak, and an evening's slip."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from middenweg.domain.categories import Category
from middenweg.domain.evenings import Evening, EveningKind, Occurrence
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.domain.goals import Goal, GoalName
from middenweg.domain.weeks import IsoWeek
from middenweg.history import evening_streak, goal_day, goals_progress, slipped_seconds
from middenweg.storage.evening_store import EveningStore
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store

AMS = ZoneInfo("Europe/Amsterdam")
W47 = IsoWeek(2026, 47)


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=AMS).timestamp())


def fill(store: Store, *events: tuple[str, int, Category]) -> None:
    device = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    store.add_events(
        device, [UsageEvent(at(start), seconds, "app", None, cat, "App") for start, seconds, cat in events]
    )


def evening(kind: EveningKind, start: time = time(19, 10)) -> Evening:
    return Evening(0, "Quiet", kind, start, time(23), date(2026, 11, 18), time_zone="Europe/Amsterdam")


def test_the_daily_goal_is_today_in_this_week_and_sunday_in_another() -> None:
    assert goal_day(W47, at("2026-11-18T12:00"), AMS) == date(2026, 11, 18)
    assert goal_day(W47, at("2026-12-02T12:00"), AMS) == date(2026, 11, 22)


def test_progress_reads_a_day_outside_the_week_on_its_own(store: Store) -> None:
    fill(store, ("2026-11-18T20:00", 600, Category.SOCIAL), ("2026-11-25T20:00", 900, Category.MESSAGING))
    goals = [Goal(GoalName.WEEKLY_TOTAL, 3600), Goal(GoalName.DAILY_TOTAL, 1800)]
    weekly, daily = goals_progress(store, goals, W47, date(2026, 11, 25), AMS)
    assert (weekly.period, weekly.used) == ("2026-W47", 600)
    assert (daily.period, daily.used) == ("2026-11-25", 900)
    assert goals_progress(store, [], W47, date(2026, 11, 18), AMS) == []


def test_the_streak_keeps_removed_evenings_and_orders_one_date_by_start_time(store: Store) -> None:
    evenings = EveningStore(store)
    early = evenings.add(evening(EveningKind.PHONE_FREE, time(18)), now=0)
    late = evenings.add(evening(EveningKind.PHONE_FREE, time(21)), now=0)
    gone = evenings.add(evening(EveningKind.PHONE_FREE), now=0)
    evenings.check_in(gone.id, date(2026, 11, 16), "kept", 0, now=0)
    evenings.check_in(late.id, date(2026, 11, 17), "kept", 0, now=0)
    evenings.check_in(early.id, date(2026, 11, 17), "not", 0, now=0)
    evenings.remove(gone.id, now=0)
    assert evening_streak(evenings, at("2026-11-18T12:00"), AMS) == 1  # 18:00 "not", then 21:00 kept
    evenings.check_in(early.id, date(2026, 11, 17), "partly", 0, now=0)
    assert evening_streak(evenings, at("2026-11-18T12:00"), AMS) == 3  # the removed evening still counts


def test_a_slip_counts_only_the_evening_itself_to_the_second(store: Store) -> None:
    fill(
        store,
        ("2026-11-18T19:00", 900, Category.SOCIAL),  # 5 of these 15 minutes are after the 19:10 start
        ("2026-11-18T20:00", 120, Category.OTHER),
        ("2026-11-18T22:59:30", 60, Category.MESSAGING),  # half of it before the end
    )
    occurrence = Occurrence(at("2026-11-18T19:10"), at("2026-11-18T23:00"), 1, date(2026, 11, 18))
    assert slipped_seconds(store.category_totals, evening(EveningKind.PHONE_FREE), occurrence) == 300 + 30
    assert slipped_seconds(store.category_totals, evening(EveningKind.SCREEN_FREE), occurrence) == 300 + 120 + 30
