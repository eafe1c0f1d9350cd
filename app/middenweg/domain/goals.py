"""Offline goals as plain values: weekly or daily limits on social and messaging time, and evenings per week."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from middenweg.domain.categories import Category


class GoalName(enum.StrEnum):
    WEEKLY_SOCIAL = "weekly-social"
    WEEKLY_MESSAGING = "weekly-messaging"
    WEEKLY_TOTAL = "weekly-total"  # social and messaging together
    DAILY_TOTAL = "daily-total"
    EVENINGS_PER_WEEK = "evenings-per-week"


#: Which categories each time limit counts (the evenings goal counts kept evenings instead).
GOAL_CATEGORIES: dict[GoalName, tuple[Category, ...]] = {
    GoalName.WEEKLY_SOCIAL: (Category.SOCIAL,),
    GoalName.WEEKLY_MESSAGING: (Category.MESSAGING,),
    GoalName.WEEKLY_TOTAL: (Category.SOCIAL, Category.MESSAGING),
    GoalName.DAILY_TOTAL: (Category.SOCIAL, Category.MESSAGING),
}


@dataclass(frozen=True, slots=True)
class Goal:
    """``value`` is a limit in seconds, or for ``EVENINGS_PER_WEEK`` a number of evenings (a target to reach)."""

    name: GoalName
    value: int

    @property
    def is_limit(self) -> bool:
        return self.name is not GoalName.EVENINGS_PER_WEEK

    @property
    def daily(self) -> bool:
        return self.name is GoalName.DAILY_TOTAL
