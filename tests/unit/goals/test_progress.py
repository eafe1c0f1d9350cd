"""Goal progress and the streak, from totals and check-ins."""

from __future__ import annotations

from datetime import date

from middenweg.domain.categories import Category
from middenweg.domain.goals import Goal, GoalName
from middenweg.domain.weeks import IsoWeek
from middenweg.goals.progress import evenings_kept, goal_progress, streak

WEEK = IsoWeek(2026, 47)
WED = date(2026, 11, 18)


def test_each_limit_counts_its_own_categories_and_period() -> None:
    goals = [
        Goal(GoalName.WEEKLY_SOCIAL, 5 * 3600),
        Goal(GoalName.WEEKLY_MESSAGING, 3 * 3600),
        Goal(GoalName.WEEKLY_TOTAL, 7 * 3600),
        Goal(GoalName.DAILY_TOTAL, 3600),
    ]
    week = {Category.SOCIAL: 4 * 3600, Category.MESSAGING: 2 * 3600, Category.OTHER: 30 * 3600}
    day = {Category.SOCIAL: 1800, Category.MESSAGING: 2700}
    social, messaging, total, daily = goal_progress(goals, WEEK, WED, week, day, kept=0)
    assert (social.used, social.period, social.fraction) == (4 * 3600, "2026-W47", 0.8)
    assert messaging.used == 2 * 3600 and not messaging.reached
    assert total.used == 6 * 3600 and not total.over
    assert (daily.used, daily.period) == (4500, "2026-11-18")
    assert daily.over and daily.reached
    assert daily.to_json() == {
        "goal": "daily-total",
        "period": "2026-11-18",
        "limit_seconds": 3600,
        "used_seconds": 4500,
        "progress": 1.25,
    }


def test_the_evenings_target_counts_kept_and_partly_kept_evenings_of_the_week() -> None:
    checkins = {
        (1, date(2026, 11, 16)): "kept",
        (2, date(2026, 11, 19)): "partly",
        (1, date(2026, 11, 20)): "not",
        (1, date(2026, 11, 23)): "kept",  # next week
    }
    assert evenings_kept(checkins, WEEK) == 2
    (target,) = goal_progress([Goal(GoalName.EVENINGS_PER_WEEK, 2)], WEEK, WED, {}, {}, kept=2)
    assert target.reached and not target.over
    assert target.to_json() == {"goal": "evenings-per-week", "period": "2026-W47", "target_evenings": 2,
                                "kept_evenings": 2, "progress": 1.0}  # fmt: skip


def test_the_streak_counts_back_to_the_last_evening_that_was_not_kept() -> None:
    days = [(1, date(2026, 11, d)) for d in (5, 12, 19, 26)] + [(2, date(2026, 11, 28))]
    checkins = {days[0]: "kept", days[1]: "not", days[2]: "kept", days[4]: "partly"}
    assert streak(days, checkins) == 2  # the 26th was not answered: passed over, not a failure
    assert streak(days, {}) == 0
    assert streak(days, {days[4]: "not"}) == 0
