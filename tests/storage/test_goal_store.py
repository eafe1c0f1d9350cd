"""Goals and the delivered ledger in a real SQLite file, surviving a reopen."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from middenweg.domain.goals import Goal, GoalName
from middenweg.storage.goal_store import DeliveredLedger, GoalStore
from middenweg.storage.store import Store


@contextmanager
def opened(path: Path) -> Iterator[Store]:
    store = Store.open(path)
    try:
        yield store
    finally:
        store.close()


def test_goals_are_set_replaced_and_switched_off(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    with opened(path) as store:
        goals = GoalStore(store)
        goals.set([Goal(GoalName.WEEKLY_TOTAL, 7 * 3600), Goal(GoalName.EVENINGS_PER_WEEK, 2)], [], now=100)
        goals.set([Goal(GoalName.WEEKLY_TOTAL, 5 * 3600)], [GoalName.EVENINGS_PER_WEEK], now=200)
    with opened(path) as store:
        assert GoalStore(store).all() == [Goal(GoalName.WEEKLY_TOTAL, 5 * 3600)]


def test_the_ledger_remembers_keys_across_a_reopen_and_finds_the_last_of_a_prefix(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    with opened(path) as store:
        ledger = DeliveredLedger(store)
        ledger.add(["slip:3:2026-11-19:1", "slip:3:2026-11-19:2"], at=1000)
        ledger.add(["slip:3:2026-11-19:2", "slip:30:2026-11-19:1"], at=2000)
        ledger.add([], at=3000)
    with opened(path) as store:
        ledger = DeliveredLedger(store)
        assert ledger.keys() == {"slip:3:2026-11-19:1", "slip:3:2026-11-19:2", "slip:30:2026-11-19:1"}
        assert ledger.keys(since=1500) == {"slip:3:2026-11-19:2", "slip:30:2026-11-19:1"}
        assert ledger.last("slip:3:2026-11-19:") == 2000
        assert ledger.count("slip:3:2026-11-19:") == 2
        assert ledger.last("slip:4:") is None
        assert ledger.last("slip_3") is None  # "_" is no wildcard
