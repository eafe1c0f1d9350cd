"""Goal nudges: once at 80 % and once at 100 % of a limit, per period (week or day).

Only limits nudge; the evenings target is a thing to reach, shown as progress. When both thresholds are passed at
once (the app was closed meanwhile), only the 100 % nudge is shown and both are recorded.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from middenweg.goals.progress import GoalProgress

THRESHOLDS = (80, 100)


def goal_key(progress: GoalProgress, threshold: int) -> str:
    return f"goal:{progress.goal.name.value}:{progress.period}:{threshold}"


def goal_nudges_due(
    progress: Sequence[GoalProgress], delivered: Collection[str]
) -> list[tuple[GoalProgress, int, list[str]]]:
    """(progress, threshold to tell, keys to record) for each limit that passed a threshold not told yet."""
    due = []
    for item in progress:
        if not item.goal.is_limit or item.goal.value <= 0:
            continue
        passed = [t for t in THRESHOLDS if item.used * 100 >= item.goal.value * t]
        fresh = [t for t in passed if goal_key(item, t) not in delivered]
        if fresh:
            due.append((item, max(fresh), [goal_key(item, t) for t in passed]))
    return due
