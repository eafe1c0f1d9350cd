"""Text longer than its column, through the real paths that store it, on SQLite and on PostgreSQL alike.

PostgreSQL enforces a VARCHAR's length and SQLite ignores it: what a window, an import file, a rules file or a sync
folder brings in is shortened (or refused) before it is stored, so both engines store exactly the same thing and
neither fails. The expected values are written out here, not computed with the code under test.
"""

from __future__ import annotations

import json
import zoneinfo
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import inspect

from fakes import FakeClock, ScriptedDesktop
from middenweg.domain import lengths
from middenweg.domain.categories import Category
from middenweg.domain.evenings import Evening, EveningKind
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.domain.goals import GoalName
from middenweg.history import import_activitywatch, import_middenweg
from middenweg.interchange.errors import ImportFormatError
from middenweg.privacy import TitlePolicy
from middenweg.rules import builtin_rules, load_rules
from middenweg.storage import schema
from middenweg.storage.evening_store import CHECKIN_RESULTS, EveningStore
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store
from middenweg.sync_folder import sync
from middenweg.tracking.runner import StoreSink
from middenweg.tracking.sampler import Sampler

START = datetime(2026, 11, 18, 19, 0, tzinfo=UTC)
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")

#: Every length-limited column, with the length it must have in a database the migrations made.
COLUMNS = {
    ("meta", "key"): 64,
    ("devices", "uid"): 36,
    ("devices", "host_key"): 300,
    ("devices", "name"): 200,
    ("devices", "kind"): 16,
    ("apps", "name"): 200,
    ("windows", "category"): 16,
    ("windows", "label"): 200,
    ("evenings", "title"): 200,
    ("evenings", "kind"): 16,
    ("evenings", "time_zone"): 64,
    ("checkins", "result"): 8,
    ("goals", "name"): 32,
    ("delivered", "key"): 120,
}


def iso(moment: datetime) -> str:
    return moment.isoformat()


def test_the_migrated_columns_have_the_lengths_the_checks_use(store: Store) -> None:
    found = {
        (table.name, column["name"]): column["type"].length
        for table in schema.metadata.sorted_tables
        for column in inspect(store.engine).get_columns(table.name)
        if getattr(column["type"], "length", None) is not None
    }
    assert found == COLUMNS
    assert {
        ("meta", "key"): lengths.META_KEY,
        ("devices", "uid"): lengths.DEVICE_UID,
        ("devices", "host_key"): lengths.DEVICE_HOST_KEY,
        ("devices", "name"): lengths.DEVICE_NAME,
        ("devices", "kind"): lengths.DEVICE_KIND,
        ("apps", "name"): lengths.APP_NAME,
        ("windows", "category"): lengths.CATEGORY,
        ("windows", "label"): lengths.LABEL,
        ("evenings", "title"): lengths.EVENING_TITLE,
        ("evenings", "kind"): lengths.EVENING_KIND,
        ("evenings", "time_zone"): lengths.TIME_ZONE,
        ("checkins", "result"): lengths.CHECKIN_RESULT,
        ("goals", "name"): lengths.GOAL_NAME,
        ("delivered", "key"): lengths.DELIVERED_KEY,
    } == COLUMNS


def test_every_fixed_value_and_every_time_zone_name_fits_its_column() -> None:
    for values, limit in [
        (list(Category), lengths.CATEGORY),
        (list(DeviceKind), lengths.DEVICE_KIND),
        (list(EveningKind), lengths.EVENING_KIND),
        (list(GoalName), lengths.GOAL_NAME),
        (list(CHECKIN_RESULTS), lengths.CHECKIN_RESULT),
    ]:
        assert max(len(value) for value in values) <= limit, values
    assert lengths.GIVEN_DEVICE_NAME <= lengths.DEVICE_NAME  # the device-name setting, stored as a device's name
    # Evenings keep the zone's key; zoneinfo also finds the "posix/" and "right/" copies of every zone.
    longest = max(zoneinfo.available_timezones(), key=len)
    assert len("right/" + longest) <= lengths.TIME_ZONE


def test_the_tracker_stores_a_window_with_a_very_long_app_name_shortened(store: Store) -> None:
    device = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    clock = FakeClock(START.timestamp())
    desk = ScriptedDesktop(clock)
    sampler = Sampler(desk, desk, None, builtin_rules(), StoreSink(store, device))
    desk.window = ("A" * 150 + " " + "B" * 150, "notes.txt")
    for _ in range(30):
        desk.input()
        sampler.tick(clock.now, clock.mono)
        clock.advance(1)
    sampler.stop()
    shortened = "A" * 150 + " " + "B" * 48 + "…"
    [stored] = store.iter_events()
    assert (stored.app, stored.label, stored.category) == (shortened, shortened, Category.OTHER)
    assert len(shortened) == lengths.APP_NAME


def write_activitywatch(path: Path, hostname: str, windows: list[tuple[str, str]]) -> None:
    events = [
        {
            "timestamp": iso(START.replace(minute=index)),
            "duration": 60.0,
            "data": {"app": app, "title": title},
        }
        for index, (app, title) in enumerate(windows)
    ]
    bucket = {
        "id": f"aw-watcher-window_{hostname}",
        "created": "2026-01-01T00:00:00+00:00",
        "type": "currentwindow",
        "client": "aw-watcher-window",
        "hostname": hostname,
        "data": {},
        "events": events,
    }
    path.write_text(json.dumps({"buckets": {bucket["id"]: bucket}}), encoding="utf-8")


def test_an_activitywatch_import_with_long_names_and_rules_with_labels_no_database_could_keep(
    store: Store, tmp_path: Path
) -> None:
    forum = "Forum " * 50  # 300 characters
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(
        f"""schema_version = 1

[[rule]]
title = "*{forum.strip()}*"
category = "social"

[[rule]]
app = "Mail"
category = "messaging"
label = "{"M" * 201}"

[[rule]]
app = "Chat"
category = "messaging"
label = "Chat\\u0000Room"
""",
        encoding="utf-8",
    )
    rules, problems = load_rules(rules_file)
    assert [problem.line for problem in problems] == [10, 15]
    assert "The label has 201 characters; a label may have at most 200. The rule is not used." in str(problems[0])
    assert "The label holds a NUL character" in str(problems[1])  # PostgreSQL cannot store a NUL at all
    export = tmp_path / "aw.json"
    windows = [("A" * 300, "plain"), ("firefox", forum + "— Mozilla Firefox"), ("Mail", ""), ("Chat", "")]
    write_activitywatch(export, "h" * 300, windows)

    import_activitywatch(store, export, rules, policy=TitlePolicy.NONE)

    [device] = store.devices()
    assert (device.name, device.host_key) == ("h" * 200, "h" * 200)
    stored = [(e.app, e.category, e.label) for e in store.iter_events()]
    forum_label = "Forum " * 33 + "F…"  # the label made of the title pattern, cut to 200 characters
    assert stored == [
        ("A" * 200, Category.OTHER, "A" * 200),
        ("firefox", Category.SOCIAL, forum_label),
        ("Mail", Category.OTHER, "Mail"),  # the rules whose labels no database could keep are not used
        ("Chat", Category.OTHER, "Chat"),
    ]


def middenweg_export(path: Path, uid: str, *, app: str, label: str, name: str, host_key: str) -> None:
    device = {"uid": uid, "host_key": host_key, "name": name, "kind": "computer"}
    event = {
        "device": uid,
        "start_utc": iso(START),
        "end_utc": iso(START.replace(minute=10)),
        "app": app,
        "title": None,
        "category": "social",
        "label": label,
    }
    data = {"format": "middenweg-export", "version": 1, "devices": [device], "events": [event]}
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_middenweg_import_with_long_names_is_stored_shortened(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    uid = "0f0e0d0c-0b0a-4908-8706-050403020100"
    middenweg_export(path, uid, app="A" * 300, label="L" * 300, name="N" * 300, host_key="k" * 400)
    import_middenweg(store, path, policy=TitlePolicy.ALL)
    [device] = store.devices()
    assert (device.uid, device.name, device.host_key) == (uid, "N" * 199 + "…", "k" * 299 + "…")
    [stored] = store.iter_events()
    assert (stored.app, stored.label) == ("A" * 199 + "…", "L" * 199 + "…")
    # Importing the same file again finds the same device and adds nothing.
    [outcome] = import_middenweg(store, path, policy=TitlePolicy.ALL).outcomes
    assert outcome.added_seconds == 0 and len(store.devices()) == 1


def test_a_middenweg_import_with_a_uid_too_long_for_a_uid_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    middenweg_export(path, "u" * 37, app="Signal", label="Signal", name="Laptop", host_key="laptop")
    with pytest.raises(ImportFormatError, match='device 1: "uid" has 37 characters; a device\'s uid has at most 36'):
        import_middenweg(store, path, policy=TitlePolicy.ALL)
    assert store.devices() == [] and store.event_count() == 0


@pytest.mark.parametrize("title", ["🙂" * 200, "é" * 200, "x" * 200])
def test_an_evening_title_as_long_as_allowed_is_stored_whole(store: Store, title: str) -> None:
    """200 characters, whatever their size in bytes (an emoji is four in UTF-8): PostgreSQL counts characters."""
    evenings = EveningStore(store)
    planned = Evening(0, title, EveningKind.PHONE_FREE, time(19), time(23), date(2030, 1, 1), weekdays=(3,))
    added = evenings.add(planned, now=1)
    assert evenings.get(added.id) == Evening(
        added.id, title, EveningKind.PHONE_FREE, time(19), time(23), date(2030, 1, 1), weekdays=(3,)
    )


def test_a_folder_in_the_sync_folder_named_longer_than_a_home_is_not_read(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    other = Store.open(tmp_path / "other" / "middenweg.sqlite3")
    try:
        device = other.ensure_device(DeviceSpec("desktop", "Desktop", DeviceKind.COMPUTER))
        other.add_events(
            device, [UsageEvent(int(START.timestamp()), 600, "WhatsApp", None, Category.MESSAGING, "WhatsApp")]
        )
        now = int(START.timestamp()) + 86400
        assert sync(other, folder, home=device, tz=AMS, now=now).problems == []
    finally:
        other.close()
    # A person keeps a copy of the other computer's folder under a name of their own.
    (folder / device.uid).rename(folder / ("Copy of the desktop's folder, kept " + "just in case" * 3))
    home = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))

    result = sync(store, folder, home=home, tz=AMS, now=now)

    assert result.problems == [] and result.read == []
    assert store.devices() == [home] and store.get_meta("sync:origin:" + device.uid) is None
