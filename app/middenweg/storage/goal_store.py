"""Storing goals and the ledger of reminders and nudges already shown. Domain values in and out, never rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from middenweg.domain.goals import Goal, GoalName
from middenweg.storage import schema
from middenweg.storage.store import Store

_goals = schema.goals
_delivered = schema.delivered


class GoalStore:
    """The user's goals, one per name, in the same database as the history of a ``Store``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def all(self) -> list[Goal]:
        rows = self.store._read(lambda conn: conn.execute(select(_goals)).all())
        known = {name.value for name in GoalName}
        goals = [Goal(GoalName(row.name), row.value) for row in rows if row.name in known]
        order = list(GoalName)
        return sorted(goals, key=lambda goal: order.index(goal.name))

    def set(self, goals: Iterable[Goal], cleared: Iterable[GoalName], now: int) -> None:
        """Set some goals and switch others off, in one transaction."""
        chosen, off = list(goals), [name.value for name in cleared]

        def work(conn: Connection) -> None:
            names = [goal.name.value for goal in chosen] + off
            if names:
                conn.execute(delete(_goals).where(_goals.c.name.in_(names)))
            for goal in chosen:
                conn.execute(insert(_goals).values(name=goal.name.value, value=goal.value, updated_at=now))

        self.store._write(work)


class DeliveredLedger:
    """Keys of what was shown (a reminder, a nudge, a summary) and when: nothing is shown twice."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def keys(self, since: int = 0) -> set[str]:
        """Keys delivered at or after ``since`` (older ones can no longer be due again)."""
        keys: set[str] = self.store._read(
            lambda conn: set(conn.execute(select(_delivered.c.key).where(_delivered.c.at >= since)).scalars())
        )
        return keys

    def add(self, keys: Iterable[str], at: int) -> None:
        fresh = sorted(set(keys))
        if not fresh:
            return

        def work(conn: Connection) -> None:
            conn.execute(delete(_delivered).where(_delivered.c.key.in_(fresh)))
            conn.execute(insert(_delivered), [{"key": key, "at": at} for key in fresh])

        self.store._write(work)

    def last(self, prefix: str) -> int | None:
        """When the newest key starting with ``prefix`` was delivered, or None."""
        result: int | None = self._aggregate(func.max(_delivered.c.at), prefix)
        return result

    def count(self, prefix: str) -> int:
        result: int = self._aggregate(func.count(), prefix)
        return result

    def _aggregate(self, what: Any, prefix: str) -> Any:
        """``what`` over the keys starting with ``prefix`` (taken literally: no LIKE wildcards)."""
        escaped = _delivered.c.key.startswith(prefix, autoescape=True)
        return self.store._read(lambda conn: conn.execute(select(what).where(escaped)).scalar_one())
