"""A database that is foreign, damaged, locked or unreadable gives a clear error and is never changed."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.storage.errors import DatabaseLockedError, NotMiddenwegDatabaseError, StorageError
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _filled(path: Path) -> None:
    store = Store.open(path)
    device = store.ensure_device(DeviceSpec("laptop", "laptop", DeviceKind.COMPUTER))
    store.add_events(device, [UsageEvent(1_700_000_000, 600, "firefox", "Facebook", Category.SOCIAL, "Facebook")])
    store.close()


def test_files_are_readable_by_the_user_alone(tmp_path: Path) -> None:
    path = tmp_path / "data" / "m.sqlite3"
    _filled(path)
    store = Store.open(path)  # keep it open so the WAL and shared-memory files exist
    store.event_count()
    for name in ("m.sqlite3", "m.sqlite3-wal", "m.sqlite3-shm"):
        mode = stat.S_IMODE(os.stat(path.parent / name).st_mode)
        assert mode == 0o600, (name, oct(mode))
    store.close()


def test_garbage_file_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    path.write_bytes(b"this is a shopping list, not a database\n" * 100)
    before = _digest(path)
    with pytest.raises(NotMiddenwegDatabaseError, match="not a Middenweg database") as info:
        Store.open(path)
    assert str(path) in str(info.value)
    assert _digest(path) == before


def test_another_programs_sqlite_database_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('stamppot')")
    conn.close()
    before = _digest(path)
    with pytest.raises(NotMiddenwegDatabaseError, match="another program"):
        Store.open(path)
    assert _digest(path) == before


def test_truncated_database_gives_a_clear_error_and_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    _filled(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    before = _digest(path)
    with pytest.raises(StorageError) as info:
        store = Store.open(path)
        store.event_count()
        store.close()
    assert str(path) in str(info.value)
    assert _digest(path) == before


def test_a_locked_database_says_so(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    _filled(path)
    counting = Store.open(path)
    rows = counting.event_count()
    counting.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLockedError, match="locked by another program"):
            store = Store.open(path, busy_timeout=0.2)
            store.event_count()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert Store.open(path).event_count() == rows > 0


def test_an_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    path.touch()
    store = Store.open(path)
    assert store.event_count() == 0
    store.close()


def test_forgotten_titles_do_not_linger_in_the_files(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    secret = "Lotte's birthday plans - WhatsApp"
    store = Store.open(path)
    device = store.ensure_device(DeviceSpec("laptop", "laptop", DeviceKind.COMPUTER))
    store.add_events(device, [UsageEvent(1_700_000_000, 60, "WhatsApp", secret, Category.MESSAGING, "WhatsApp")])
    store.forget_all()
    store.close()
    for name in os.listdir(tmp_path):
        assert secret.encode() not in (tmp_path / name).read_bytes(), name
