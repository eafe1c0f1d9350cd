"""The schema comes from Alembic only, and it is exactly the ORM model."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from middenweg.storage import migrate
from middenweg.storage.errors import NewerDatabaseError
from middenweg.storage.models import Base
from middenweg.storage.store import Store


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_empty_database_upgraded_by_alembic_matches_the_models(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "m.sqlite3")
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    store.close()
    assert diff == []


def test_known_revisions_are_alembics_revisions_in_order() -> None:
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    walked = [rev.revision for rev in script.walk_revisions()]
    assert tuple(reversed(walked)) == migrate.KNOWN_REVISIONS
    assert script.get_current_head() == migrate.HEAD


def test_reopening_keeps_the_data_and_the_revision(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    Store.open(path).close()
    store = Store.open(path)
    assert migrate.current_revision(store.engine) == migrate.HEAD
    store.close()


def test_a_database_from_a_newer_middenweg_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = _digest(path)
    with pytest.raises(NewerDatabaseError, match="newer version of Middenweg"):
        Store.open(path)
    assert _digest(path) == before


def test_an_older_database_with_history_is_upgraded_and_keeps_everything(tmp_path: Path) -> None:
    from datetime import date, time

    from middenweg.domain.evenings import Evening, EveningKind
    from middenweg.storage.engine import open_sqlite
    from middenweg.storage.evening_store import EveningStore

    path = tmp_path / "old.sqlite3"
    engine = open_sqlite(path)
    migrate.run_alembic_upgrade(engine, "0001")  # as the first release of Middenweg left it
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO devices VALUES (1, 'uid-1', 'laptop', 'Laptop', 'computer')")
        conn.execute("INSERT INTO apps VALUES (1, 'WhatsApp')")
        conn.execute("INSERT INTO windows VALUES (1, 1, NULL, 'messaging', 'WhatsApp')")
        conn.execute("INSERT INTO events VALUES (1800000000, 1, 600, 1)")
    conn.close()
    store = Store.open(path)
    assert migrate.current_revision(store.engine) == migrate.HEAD
    assert [(e.app, e.duration) for e in store.iter_events()] == [("WhatsApp", 600)]
    evenings = EveningStore(store)
    added = evenings.add(
        Evening(0, "Board games", EveningKind.PHONE_FREE, time(19), time(23), date(2026, 11, 26), (3,)), now=1
    )
    assert evenings.all() == [added] and added.id > 0
    store.close()


def test_a_database_at_0003_gains_the_unlocks_table_and_keeps_everything(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    from middenweg.domain.categories import Category
    from middenweg.domain.events import DeviceKind, UsageEvent
    from middenweg.domain.weeks import IsoWeek, week_boundaries
    from middenweg.storage.engine import open_sqlite
    from middenweg.storage.goal_store import DeliveredLedger, GoalStore
    from middenweg.storage.records import DeviceSpec, ImportBatch

    path = tmp_path / "0003.sqlite3"
    engine = open_sqlite(path)
    migrate.run_alembic_upgrade(engine, "0003")  # as the release with goals left it
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO devices VALUES (1, 'uid-1', 'android:pixel_7a', 'pixel_7a', 'phone')")
        conn.execute("INSERT INTO apps VALUES (1, 'WhatsApp')")
        conn.execute("INSERT INTO windows VALUES (1, 1, NULL, 'messaging', 'WhatsApp')")
        conn.execute("INSERT INTO events VALUES (1792483200, 1, 600, 1)")  # Tuesday 20 October 2026, 08:00 UTC
        conn.execute("INSERT INTO import_spans VALUES (1, 1, 1792483200, 1792483800)")
        conn.execute("INSERT INTO goals VALUES ('weekly-total', 25200, 1)")
        conn.execute("INSERT INTO delivered VALUES ('summary:2026-W42', 1792400000)")
        assert "unlocks" not in {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()

    store = Store.open(path)
    assert migrate.current_revision(store.engine) == migrate.HEAD == "0004"
    assert [(e.app, e.start, e.duration) for e in store.iter_events()] == [("WhatsApp", 1792483200, 600)]
    assert [(d.uid, d.host_key) for d in store.devices()] == [("uid-1", "android:pixel_7a")]
    assert [(g.name.value, g.value) for g in GoalStore(store).all()] == [("weekly-total", 25200)]
    assert DeliveredLedger(store).keys() == {"summary:2026-W42"}
    # The import ledger survived (the same event again adds nothing), and the new table takes the phone's unlocks.
    phone = DeviceSpec("android:pixel_7a", "pixel_7a", DeviceKind.PHONE)
    event = UsageEvent(1792483200, 600, "WhatsApp", None, Category.MESSAGING, "WhatsApp")
    (outcome,) = store.import_batches([ImportBatch(phone, [event], [1792483200, 1792483260])])
    assert (outcome.device.id, outcome.added_seconds, outcome.skipped_seconds, outcome.added_unlocks) == (1, 0, 600, 2)
    bounds = week_boundaries(IsoWeek(2026, 43), ZoneInfo("Europe/Amsterdam"))
    assert store.week_usage(bounds, (bounds[0], bounds[0])).unlocks == {1: [0, 2, 0, 0, 0, 0, 0]}
    store.close()


def test_0004_downgrades_to_0003_without_touching_the_rest(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "m.sqlite3"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO devices VALUES (1, 'uid-1', 'android:pixel_7a', 'pixel_7a', 'phone')")
        conn.execute("INSERT INTO unlocks VALUES (1, 1792483200)")
    conn.close()
    store = Store.open(path)
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
    assert migrate.current_revision(store.engine) == "0003"
    store.close()
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "unlocks" not in tables and "devices" in tables
        assert conn.execute("SELECT host_key FROM devices").fetchall() == [("android:pixel_7a",)]
    conn.close()
