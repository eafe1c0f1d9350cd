"""How far each goal is in its period: pure arithmetic over totals the caller read from the history.

A limit's period is the ISO week (or, for the daily limit, the day) in the user's time zone; the evenings target
counts the evenings of that week checked in as kept or partly kept (an honest "partly" still took an evening back).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from middenweg.domain.categories import Category
from middenweg.domain.goals import GOAL_CATEGORIES, Goal, GoalName
from middenweg.domain.weeks import IsoWeek

KEPT_RESULTS = ("kept", "partly")


@dataclass(frozen=True, slots=True)
class GoalProgress:
    """``used``: seconds for a limit, evenings kept for the target. ``period``: "2026-W47" or "2026-11-23"."""

    goal: Goal
    period: str
    used: int

    @property
    def fraction(self) -> float:
        return self.used / self.goal.value if self.goal.value > 0 else 0.0

    @property
    def over(self) -> bool:
        """A limit passed (not merely reached)."""
        return self.goal.is_limit and self.used > self.goal.value

    @property
    def reached(self) -> bool:
        return self.used >= self.goal.value

    def to_json(self) -> dict[str, object]:
        """The `report --json` "goals" entry (schema in README)."""
        entry: dict[str, object] = {"goal": self.goal.name.value, "period": self.period}
        if self.goal.is_limit:
            entry |= {"limit_seconds": self.goal.value, "used_seconds": self.used}
        else:
            entry |= {"target_evenings": self.goal.value, "kept_evenings": self.used}
        entry["progress"] = round(self.fraction, 4)
        return entry


def evenings_kept(checkins: Mapping[tuple[int, date], str], week: IsoWeek) -> int:
    """Evenings of ``week`` (by their date) checked in as kept or partly kept."""
    days = set(week.days())
    return sum(1 for (_evening, day), result in checkins.items() if day in days and result in KEPT_RESULTS)


def goal_progress(
    goals: Sequence[Goal],
    week: IsoWeek,
    day: date,
    week_totals: Mapping[Category, int],
    day_totals: Mapping[Category, int],
    kept: int,
) -> list[GoalProgress]:
    """Progress of each goal: weekly limits over ``week_totals``, the daily limit over ``day_totals`` (``day``)."""
    found = []
    for goal in goals:
        if goal.name is GoalName.EVENINGS_PER_WEEK:
            found.append(GoalProgress(goal, str(week), kept))
            continue
        totals = day_totals if goal.daily else week_totals
        used = sum(totals.get(category, 0) for category in GOAL_CATEGORIES[goal.name])
        found.append(GoalProgress(goal, day.isoformat() if goal.daily else str(week), used))
    return found


def streak(past: Sequence[tuple[int, date]], checkins: Mapping[tuple[int, date], str]) -> int:
    """Evenings kept (or partly kept) in a row, counting back from the newest answered one.

    ``past`` lists (evening id, date) of evenings that are over, oldest first. An evening not checked in is passed
    over (forgetting to answer is not a failure); one checked in as "not" ends the streak.
    """
    count = 0
    for key in reversed(past):
        result = checkins.get(key)
        if result is None:
            continue
        if result not in KEPT_RESULTS:
            break
        count += 1
    return count
