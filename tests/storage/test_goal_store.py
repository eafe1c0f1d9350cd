"""Goals and the delivered ledger in a real database (SQLite and PostgreSQL), surviving a reopen."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from middenweg.domain.goals import Goal, GoalName
from middenweg.storage.goal_store import DeliveredLedger, GoalStore
from middenweg.storage.store import Store
from postgres import Database


@contextmanager
def opened(database: Database) -> Iterator[Store]:
    store = database.open()
    try:
        yield store
    finally:
        store.close()


def test_goals_are_set_replaced_and_switched_off(database: Database) -> None:
    with opened(database) as store:
        goals = GoalStore(store)
        goals.set([Goal(GoalName.WEEKLY_TOTAL, 7 * 3600), Goal(GoalName.EVENINGS_PER_WEEK, 2)], [], now=100)
        goals.set([Goal(GoalName.WEEKLY_TOTAL, 5 * 3600)], [GoalName.EVENINGS_PER_WEEK], now=200)
    with opened(database) as store:
        assert GoalStore(store).all() == [Goal(GoalName.WEEKLY_TOTAL, 5 * 3600)]


def test_the_ledger_remembers_keys_across_a_reopen_and_finds_the_last_of_a_prefix(database: Database) -> None:
    with opened(database) as store:
        ledger = DeliveredLedger(store)
        ledger.add(["slip:3:2026-11-19:1", "slip:3:2026-11-19:2"], at=1000)
        ledger.add(["slip:3:2026-11-19:2", "slip:30:2026-11-19:1"], at=2000)
        ledger.add([], at=3000)
    with opened(database) as store:
        ledger = DeliveredLedger(store)
        assert ledger.keys() == {"slip:3:2026-11-19:1", "slip:3:2026-11-19:2", "slip:30:2026-11-19:1"}
        assert ledger.keys(since=1500) == {"slip:3:2026-11-19:2", "slip:30:2026-11-19:1"}
        assert ledger.last("slip:3:2026-11-19:") == 2000
        assert ledger.count("slip:3:2026-11-19:") == 2
        assert ledger.last("slip:4:") is None
        assert ledger.last("slip_3") is None  # "_" is no wildcard
