"""Evenings, their skips and moves, and check-ins survive a restart of the app (a reopened database)."""

from __future__ import annotations

import dataclasses
from datetime import date, time

from middenweg.domain.evenings import Evening, EveningChange, EveningKind
from middenweg.storage.evening_store import EveningStore
from middenweg.storage.store import Store
from postgres import Database

THURSDAYS = Evening(
    0, "Board games with Sanne and Joris", EveningKind.PHONE_FREE, time(19), time(0, 30), date(2026, 11, 26),
    weekdays=(3, 5), every=2, time_zone="Europe/Amsterdam", friends=("Sanne", "Joris"), remind_before=(1440, 30, 0),
    end_note=False,
)  # fmt: skip


def test_an_evening_and_its_changes_survive_a_restart(database: Database) -> None:
    store = database.open()
    evenings = EveningStore(store)
    added = evenings.add(THURSDAYS, now=1000)
    evenings.set_change(EveningChange(added.id, date(2026, 12, 10)))
    evenings.set_change(EveningChange(added.id, date(2026, 12, 24), date(2026, 12, 23), time(18), time(22)))
    evenings.check_in(added.id, date(2026, 11, 26), "partly", 420, now=2000)
    store.close()

    again = EveningStore(database.open())
    [stored] = again.all()
    assert stored == dataclasses.replace(THURSDAYS, id=added.id)
    assert (stored.start, stored.end, stored.weekdays, stored.every) == (time(19), time(0, 30), (3, 5), 2)
    assert stored.friends == ("Sanne", "Joris") and stored.remind_before == (1440, 30, 0) and not stored.end_note
    assert sorted(again.changes(), key=lambda c: c.date) == [
        EveningChange(added.id, date(2026, 12, 10)),
        EveningChange(added.id, date(2026, 12, 24), date(2026, 12, 23), time(18), time(22)),
    ]
    assert again.checkins() == {(added.id, date(2026, 11, 26)): "partly"}
    again.store.close()


def test_removing_an_evening_keeps_its_check_ins(store: Store) -> None:
    evenings = EveningStore(store)
    added = evenings.add(THURSDAYS, now=1)
    evenings.check_in(added.id, date(2026, 11, 26), "kept", 0, now=2)
    assert evenings.remove(added.id, now=3)
    assert not evenings.remove(added.id, now=4)
    assert evenings.all() == [] and evenings.get(added.id) is None
    assert evenings.checkins() == {(added.id, date(2026, 11, 26)): "kept"}


def test_changing_an_evening_keeps_its_id_and_only_the_changes_asked_for(database: Database) -> None:
    store = database.open()
    evenings = EveningStore(store)
    added = evenings.add(THURSDAYS, now=1000)
    other = evenings.add(dataclasses.replace(THURSDAYS, title="Other"), now=1000)
    evenings.set_change(EveningChange(added.id, date(2026, 12, 10)))
    evenings.set_change(EveningChange(added.id, date(2026, 12, 12)))
    evenings.set_change(EveningChange(other.id, date(2026, 12, 12)))
    evenings.check_in(added.id, date(2026, 11, 26), "kept", 0, now=2000)

    changed = dataclasses.replace(added, title="Reading", start=time(20), weekdays=(3,))
    assert evenings.update(changed, keep_changes=lambda change: change.date.weekday() == 3)
    store.close()

    again = EveningStore(database.open())
    assert again.get(added.id) == changed and again.get(other.id) == other
    assert sorted(again.changes(), key=lambda c: (c.evening_id, c.date)) == [
        EveningChange(added.id, date(2026, 12, 10)),  # a Thursday: kept
        EveningChange(other.id, date(2026, 12, 12)),  # another evening's skip is never touched
    ]
    assert again.checkins() == {(added.id, date(2026, 11, 26)): "kept"}
    again.remove(added.id, now=3000)
    assert not again.update(changed, keep_changes=lambda change: True)  # removed meanwhile: nothing to change
    assert again.get(added.id) is None
    again.store.close()
