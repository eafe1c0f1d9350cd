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
