"""Disk and file faults through the real CLI, tracker and tray app (issue 9, point 2): a full disk, a read-only data
folder, a database replaced by garbage or cut short, a database from a newer Middenweg, a settings file that does
not parse and a rules file with a bad pattern. Each gives one clear message (never a traceback), the program keeps
running or exits cleanly, and no existing data is overwritten. A damaged database is kept under a timestamped name
beside a fresh one and the user is told where; a newer one is left exactly as it is.

Builds on tests/storage/test_engine.py (Store.open refuses garbage, truncated, foreign and locked files without
changing them), tests/storage/test_migrations.py (a newer schema is refused), tests/unit/test_config.py (settings
that do not parse) and tests/unit/rules (rules that do not parse or compile); here the same faults reach a person
through the real processes. Full-disk and read-only tests mount a tmpfs or a read-only bind mount: they need root
and skip otherwise. A folder cannot be made read-only under a running tracker (Linux refuses to remount while a file
is open for writing), so the running tracker meets a failing disk as a full one; that path is the same for both.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from faults import Tracker, bind_mount, fill, require_root, tmpfs, tree_digest

from clirunner import CliRunner, Result
from desktop import Desktop, stop_process, wait_until
from fakes import FakeClock, ScriptedDesktop
from middenweg.bootstrap import Context
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.domain.weeks import IsoWeek, local_date
from middenweg.rules import builtin_rules
from middenweg.storage.errors import DamagedDatabaseError
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store
from middenweg.tracking.runner import StoreSink
from middenweg.tracking.sampler import Sampler

TZ = ZoneInfo("Europe/Amsterdam")  # CliRunner's TZ
SIGNAL = ("Signal", ("signal", "Signal"))
#: Monday 30 November 2026, 10:00 in Amsterdam: history the tests put in before the fault.
HISTORY_START = 1_796_029_200
GARBAGE = b"this was a database before the disk went bad\n" * 300


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return result


def refused(result: Result, *needles: str) -> str:
    """Exit 1 with one clear message on stderr: no traceback, not the last-resort "something went wrong"."""
    assert result.code == 1, (result.code, result.out, result.err)
    assert "Traceback" not in result.err and "something went wrong" not in result.err, result.err
    assert result.err.startswith("middenweg: "), result.err
    for needle in needles:
        assert needle in result.err, result.err
    return result.err


def with_history(db: Path, seconds: int = 1800) -> str:
    """A database holding ``seconds`` of WhatsApp on one day; returns that day's ISO week (for ``--week``)."""
    store = Store.open(db)
    device = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    store.add_events(device, [UsageEvent(HISTORY_START, seconds, "WhatsApp", None, Category.MESSAGING, "WhatsApp")])
    store.close()
    return str(IsoWeek.containing(local_date(HISTORY_START, TZ)))


def messaging(cli: CliRunner, week: str | None = None) -> int:
    result = ok(cli("report", "--json", *(["--week", week] if week else [])))
    return int(json.loads(result.out)["totals"]["messaging"])


def kept_files(data: Path) -> list[Path]:
    return sorted(p for p in data.iterdir() if ".damaged-" in p.name)


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def data(cli: CliRunner) -> Path:
    folder = cli.home / "data"
    folder.mkdir(parents=True)
    return folder


# -- a damaged database ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_database_is_kept_aside_and_a_new_one_started(cli: CliRunner, data: Path, damage: str) -> None:
    db = data / "middenweg.sqlite3"
    week = with_history(db)
    if damage == "garbage":
        db.write_bytes(GARBAGE)
    else:
        db.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    # A journal the damaged file left behind must go with it: a new database must never read an old WAL.
    Path(f"{db}-wal").write_bytes(b"the damaged database's write-ahead log\n" * 50)
    before = tree_digest(data)

    first = ok(cli("report", "--week", week))
    kept = kept_files(data)
    # The database and its WAL (and the index SQLite made while finding the damage), under one new name.
    assert {p.name for p in kept} - {f"{kept[0].name}-shm"} == {kept[0].name, f"{kept[0].name}-wal"}
    assert kept[0].name.startswith("middenweg.sqlite3.damaged-")
    assert "was damaged" in first.err and str(kept[0]) in first.err  # told on stderr, with where it is now
    assert kept[0].read_bytes() == before["middenweg.sqlite3"]  # kept whole, byte for byte
    assert Path(f"{kept[0]}-wal").read_bytes() == before["middenweg.sqlite3-wal"]
    assert integrity(db) == "ok" and messaging(cli, week) == 0  # the new database starts empty
    again = ok(cli("report", "--week", week))
    assert again.err == ""  # said once: the new database is not damaged
    assert kept_files(data) == kept


def test_a_name_already_taken_is_never_overwritten(tmp_path: Path) -> None:
    home = tmp_path / "home"
    clock = FakeClock(HISTORY_START)
    ctx = Context.create({"MIDDENWEG_HOME": str(home), "TZ": "Europe/Amsterdam"}, clock=clock)
    ctx.paths.ensure()
    db = ctx.paths.database_file
    stamp = "20261130-100000"  # HISTORY_START in Amsterdam
    taken = {
        f"middenweg.sqlite3.damaged-{stamp}": b"an earlier damaged copy",
        f"middenweg.sqlite3.damaged-{stamp}-2-wal": b"x",
    }
    for name, content in taken.items():
        (db.parent / name).write_bytes(content)
    db.write_bytes(GARBAGE)
    seen: list[str] = []
    ctx.on_notice = seen.append
    store = ctx.store()
    assert store.event_count() == 0
    ctx.close()
    for name, content in taken.items():
        assert (db.parent / name).read_bytes() == content
    kept = db.parent / f"middenweg.sqlite3.damaged-{stamp}-3"  # "-2" is partly taken (its WAL name)
    assert kept.read_bytes() == GARBAGE
    assert seen == ctx.notices and len(seen) == 1 and str(kept) in seen[0]


def test_a_damaged_database_is_left_alone_while_middenweg_runs_there(cli: CliRunner, data: Path) -> None:
    db = data / "middenweg.sqlite3"
    db.write_bytes(GARBAGE)
    holder = subprocess.Popen(  # a running tracker holds this lock (see instance.py)
        [sys.executable, "-c", "import fcntl, sys, time\n"
         f"f = open({str(data / 'tracker.lock')!r}, 'w'); fcntl.flock(f, {fcntl.LOCK_EX})\n"
         "print('locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        refused(cli("report"), "damaged", "Middenweg is running")
    finally:
        holder.kill()
        holder.wait()
    assert db.read_bytes() == GARBAGE and kept_files(data) == []


@pytest.mark.e2e
@pytest.mark.x11
def test_the_tracker_keeps_a_damaged_database_aside_and_tracks_into_a_new_one(
    cli: CliRunner, desktop: Desktop, data: Path
) -> None:
    (data / "middenweg.sqlite3").write_bytes(GARBAGE)
    desktop.activate(desktop.open_window(*SIGNAL))
    with Tracker(cli, desktop) as tracker:
        wait_until(lambda: messaging(cli) >= 2, "the tracker to store two seconds", timeout=15)
        assert tracker.stop() == 0
    log = tracker.output()
    [kept] = kept_files(data)
    assert kept.read_bytes() == GARBAGE and str(kept) in log and "Traceback" not in log


@pytest.mark.e2e
@pytest.mark.x11
def test_the_tray_app_opens_its_dashboard_to_say_where_the_damaged_database_is(
    cli: CliRunner, desktop: Desktop, data: Path
) -> None:
    ok(cli("config", "set", "age-group", "25-34"))  # no welcome window: only the notice opens the dashboard
    (data / "middenweg.sqlite3").write_bytes(GARBAGE)
    app, log = start_app(cli, desktop)
    try:
        wait_until(lambda: "running in the system tray" in log.read_text(), "the tray icon", timeout=30)
        wait_until(lambda: desktop.xdotool("search", "--onlyvisible", "--name", "Your week").strip(), "the dashboard")
    finally:
        stop_process(app, sig=signal.SIGTERM, timeout=10)
    assert app.returncode == 0, log.read_text()
    [kept] = kept_files(data)
    assert kept.read_bytes() == GARBAGE and str(kept) in log.read_text()


# -- a database from a newer Middenweg ------------------------------------------------------------------------


@pytest.fixture
def newer(data: Path) -> Path:
    db = data / "middenweg.sqlite3"
    with_history(db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")  # a revision this build does not know
    conn.close()
    return db


def test_a_database_from_a_newer_middenweg_is_not_touched_by_the_cli(cli: CliRunner, newer: Path) -> None:
    before = tree_digest(newer.parent)
    for command in (["report"], ["goals", "set", "--weekly-social", "5h"], ["export"]):
        refused(cli(*command), "newer version of Middenweg", "has not changed it")
    assert tree_digest(newer.parent) == before  # not moved aside, not changed


@pytest.mark.x11
def test_a_database_from_a_newer_middenweg_stops_the_tracker_before_it_writes(
    cli: CliRunner, xvfb: Desktop, newer: Path
) -> None:
    before = tree_digest(newer.parent)
    refused(cli("track", "--headless", DISPLAY=xvfb.display), "newer version of Middenweg", "has not changed it")
    assert tree_digest(newer.parent) == before | {"tracker.lock": b""}  # the lock file, emptied when it let go


@pytest.mark.e2e
@pytest.mark.x11
def test_the_tray_app_says_in_a_window_that_the_database_is_newer(
    cli: CliRunner, desktop: Desktop, newer: Path
) -> None:
    before = newer.read_bytes()
    closed_with_a_message(cli, desktop, "newer version of Middenweg")
    assert newer.read_bytes() == before and kept_files(newer.parent) == []


def start_app(cli: CliRunner, desktop: Desktop) -> tuple[subprocess.Popen[bytes], Path]:
    log = cli.home.parent / "app.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "middenweg"],
        env=cli.env(**desktop.env()),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, log


def closed_with_a_message(cli: CliRunner, desktop: Desktop, needle: str) -> None:
    """The tray app cannot start: it says why on stderr and in a message box, and exits 1 once it is closed."""
    app, log = start_app(cli, desktop)
    try:
        wait_until(lambda: needle in log.read_text(), "the tray app to say why it cannot start", timeout=30)
        box = wait_until(
            lambda: desktop.xdotool("search", "--onlyvisible", "--name", "^Middenweg$").split(), "the message box"
        )
        desktop.activate(int(box[0]))
        desktop.press_key("Return")
        app.wait(timeout=15)
    finally:
        stop_process(app)
    assert app.returncode == 1, log.read_text()
    assert "Traceback" not in log.read_text()


# -- a read-only data folder ----------------------------------------------------------------------------------


@pytest.fixture
def read_only_data(cli: CliRunner, data: Path) -> Iterator[tuple[Path, str]]:
    require_root()
    week = with_history(data / "middenweg.sqlite3")
    ok(cli("config", "set", "idle-after", "5m"))
    with bind_mount(data):
        yield data, week


def test_a_read_only_data_folder_is_named_and_nothing_changes(cli: CliRunner, read_only_data: tuple[Path, str]) -> None:
    data, week = read_only_data
    before = tree_digest(data)
    for command in (["report", "--week", week], ["goals", "set", "--weekly-social", "5h"], ["track", "--headless"]):
        refused(cli(*command), f"The folder {data} is read-only")
    refused(cli("pause", "1h"), "could not be written", "make the folder writable")
    assert tree_digest(data) == before
    assert not (cli.home / "logs" / "crash.log").exists()  # a full or read-only disk is not a crash


@pytest.mark.e2e
@pytest.mark.x11
def test_the_tray_app_says_in_a_window_that_the_data_folder_is_read_only(
    cli: CliRunner, desktop: Desktop, read_only_data: tuple[Path, str]
) -> None:
    data, _week = read_only_data
    before = tree_digest(data)
    closed_with_a_message(cli, desktop, "is read-only")
    assert tree_digest(data) == before


# -- a full disk ----------------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(cli: CliRunner) -> Iterator[Path]:
    """MIDDENWEG_HOME on a 3 MB tmpfs (settings, data and logs all on it)."""
    with tmpfs(cli.home, "3m") as home:
        yield home


def test_on_a_full_disk_the_cli_says_so_and_keeps_what_is_stored(cli: CliRunner, small_disk: Path) -> None:
    (small_disk / "data").mkdir()
    db = small_disk / "data" / "middenweg.sqlite3"
    week = with_history(db)
    ok(cli("config", "set", "idle-after", "5m"))
    settings = (small_disk / "config" / "settings.toml").read_bytes()
    stored = db.read_bytes()
    filler = fill(small_disk)
    refused(cli("config", "set", "idle-after", "10m"), "could not be saved", "has not been changed")
    refused(cli("goals", "set", "--weekly-social", "5h"), "is full")
    refused(cli("track", "--headless"), "is full")
    reading = cli("report", "--week", week)
    assert reading.code == 0 or "is full" in refused(reading)  # SQLite may need room even to read a WAL database
    assert (small_disk / "config" / "settings.toml").read_bytes() == settings
    assert db.read_bytes() == stored
    filler.unlink()
    assert messaging(cli, week) == 1800
    assert ok(cli("config", "get", "idle-after")).out.strip() == "300"  # the change that did fit, unchanged


@pytest.mark.e2e
@pytest.mark.x11
def test_a_disk_that_fills_up_while_tracking_loses_nothing_and_is_said_once(
    cli: CliRunner, desktop: Desktop, small_disk: Path
) -> None:
    desktop.activate(desktop.open_window(*SIGNAL))
    with Tracker(cli, desktop, flush_interval=1.0) as tracker:
        ready = tracker.ready_at
        assert ready is not None
        wait_until(lambda: messaging(cli) >= 1, "the first write", timeout=15)
        filler = fill(small_disk)
        wait_until(lambda: "is full" in tracker.output(), "the tracker to notice the full disk", timeout=15)
        time.sleep(4)  # four more flushes fail: the time stays in memory and the message is not repeated
        filler.unlink()
        wait_until(lambda: "write its history again" in tracker.output(), "the tracker to write again", timeout=15)
        assert tracker.stop() == 0
    stopped = time.time()
    output = tracker.output()
    assert output.count("keeps the time in memory") == 1 and output.count("write its history again") == 1, output
    assert "is full" in output
    assert "Traceback" not in output
    assert integrity(small_disk / "data" / "middenweg.sqlite3") == "ok"
    # In front all the time from "keeping track" to the stop: only the rounding of the first and last second (and a
    # tick for a slow start) may be missing; nothing from the minutes of the full disk.
    assert stopped - ready - 2.5 <= messaging(cli) <= stopped - tracker.spawned + 0.5


def test_the_sampler_keeps_what_a_full_disk_refused_and_stores_all_of_it_later(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with tmpfs(tmp_path / "disk", "2m") as disk:
        store = Store.open(disk / "m.sqlite3")
        device = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
        clock = FakeClock(HISTORY_START)
        desk = ScriptedDesktop(clock)
        desk.window = ("signal", "Signal")
        sink = StoreSink(store, device)
        sampler = Sampler(desk, desk, None, builtin_rules(), sink, idle_after=3600, flush_every=10)

        def ticks(seconds: int) -> None:
            for _ in range(seconds):
                sampler.tick(clock.time(), clock.monotonic())
                clock.advance(1)

        def stored() -> int:
            return store.category_totals(0, 2_000_000_000)[Category.MESSAGING]

        def failing() -> bool:
            return sink.failing

        ticks(31)
        assert stored() == 30
        filler = fill(disk)
        ticks(600)  # ten minutes on a full disk: sixty flushes refused
        assert failing() and stored() == 30
        filler.unlink()
        ticks(30)
        assert not failing() and stored() >= 30 + 600 + 20  # written again at the next flush, all of it
        assert sampler.stop()
        assert stored() == 31 + 600 + 30 - 1
        store.close()
    said = [r.getMessage() for r in caplog.records if r.name == "middenweg.tracking.runner"]
    assert len(said) == 2 and "is full" in said[0] and "write its history again" in said[1], said


@pytest.mark.e2e
@pytest.mark.x11
def test_stopping_the_tracker_on_a_full_disk_says_what_could_not_be_stored(
    cli: CliRunner, desktop: Desktop, small_disk: Path
) -> None:
    desktop.activate(desktop.open_window(*SIGNAL))
    with Tracker(cli, desktop, flush_interval=1.0) as tracker:
        wait_until(lambda: messaging(cli) >= 1, "the first write", timeout=15)
        fill(small_disk)
        wait_until(lambda: "is full" in tracker.output(), "the tracker to notice the full disk", timeout=15)
        assert tracker.stop() == 1
    output = tracker.output()
    assert "the last minutes of tracking could not be stored" in output and "Traceback" not in output, output
    assert integrity(small_disk / "data" / "middenweg.sqlite3") == "ok"


# -- settings and rules files ---------------------------------------------------------------------------------


def test_a_settings_file_that_does_not_parse_is_named_with_its_line_and_kept(cli: CliRunner, data: Path) -> None:
    week = with_history(data / "middenweg.sqlite3")
    settings = cli.home / "config" / "settings.toml"
    settings.parent.mkdir(parents=True)
    broken = b'schema_version = 1\nidle-after = "5m\nlanguage = "en"\n'
    settings.write_bytes(broken)
    before = tree_digest(cli.home)
    for command in (["report", "--week", week], ["track", "--headless"], ["config", "set", "idle-after", "3m"]):
        refused(cli(*command), f"Settings file {settings}, line 2")
    assert tree_digest(cli.home) == before


@pytest.mark.e2e
@pytest.mark.x11
def test_the_tray_app_shows_a_settings_file_that_does_not_parse_in_a_window(cli: CliRunner, desktop: Desktop) -> None:
    settings = cli.home / "config" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_bytes(b'schema_version = 1\nidle-after = "5m\n')
    closed_with_a_message(cli, desktop, f"Settings file {settings}, line 2")  # at login nobody reads stderr
    assert settings.read_bytes() == b'schema_version = 1\nidle-after = "5m\n'


@pytest.mark.e2e
@pytest.mark.x11
def test_a_rules_file_with_a_bad_pattern_is_reported_and_the_other_rules_still_work(
    cli: CliRunner, desktop: Desktop
) -> None:
    rules = cli.home / "config" / "rules.toml"
    rules.parent.mkdir(parents=True)
    text = (
        'schema_version = 1\n\n[[rule]]\ntitle_regex = "(unclosed"\ncategory = "messaging"\n\n'
        '[[rule]]\napp = "kate"\ncategory = "social"\nlabel = "Kate"\n'
    )
    rules.write_text(text)
    check = cli("rules", "check")
    assert check.code == 1 and "rules.toml, line 4" in check.err and "not a valid regular expression" in check.err
    assert "Traceback" not in check.err
    report = ok(cli("report"))
    assert "line 4" in report.err  # a warning; the report itself is shown
    desktop.activate(desktop.open_window("notes.txt - Kate", ("kate", "kate")))
    with Tracker(cli, desktop) as tracker:
        wait_until(lambda: int(json.loads(ok(cli("report", "--json")).out)["totals"]["social"]) >= 2, "Kate as social")
        assert tracker.stop() == 0
    assert tracker.output().count("line 4") == 1  # said once at the start, not at every tick
    assert rules.read_text() == text


def test_damaged_is_a_kind_of_not_middenweg_so_older_callers_still_refuse_it(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    db.write_bytes(GARBAGE)
    with pytest.raises(DamagedDatabaseError, match="not a Middenweg database"):
        Store.open(db)  # Store.open itself never moves anything: only the application's own database is kept aside
    assert db.read_bytes() == GARBAGE
    assert os.listdir(tmp_path) == ["m.sqlite3"]
