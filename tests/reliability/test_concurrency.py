"""Reading and writing while the tracker writes (issue 9, point 3): no "database is locked" reaches the user, and
no report shows half a write.

The end-to-end test runs the real ``middenweg track --headless`` writing every second on Xvfb while, at the same
time, the dashboard's data path (``history.weekly_report`` on a Store of its own, in another thread, as the tray
app's main thread does) reads the week in a loop, and the CLI runs ``report --json`` and ``goals set`` (a write)
over and over. Every report must be whole: its days add up to its totals and its devices to the whole, and the
totals of the week never go down from one read to the next (the tracker only adds time here).

The storage test pins the one race the end-to-end test can only hit by luck: a write transaction that reads first
(every new Store loads its name lookups before its first write) while another process commits. With a deferred
BEGIN, SQLite cannot upgrade that stale read snapshot to a write and answers "database is locked" at once, without
waiting; a write transaction must take the write lock when it begins.

Builds on tests/storage/test_engine.py (a database held by another program gives a clear "locked" error) and
tests/storage/test_store.py (reports read one snapshot).
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from faults import Tracker
from sqlalchemy import event

from clirunner import CliRunner
from desktop import Desktop, wait_until
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.domain.weeks import IsoWeek, local_date
from middenweg.history import weekly_report
from middenweg.reports.weekly import WeeklyReport
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store

TZ = ZoneInfo("Europe/Amsterdam")  # CliRunner's TZ
READ_FOR = 10.0  # seconds of reading while the tracker writes


def test_a_write_that_reads_first_waits_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    db = tmp_path / "m.sqlite3"
    Store.open(db).close()
    store = Store.open(db)  # fresh: its first write reads the lookups, then writes
    device = None
    other = sqlite3.connect(db, timeout=0, isolation_level=None)
    interleaved: list[str] = []

    def another_process_commits(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        # Between this transaction's first read and its first write, another program commits a write.
        if statement.startswith("INSERT INTO devices") and not interleaved:
            try:
                other.execute("INSERT INTO meta (key, value) VALUES ('other', 'x')")
                interleaved.append("committed")
            except sqlite3.OperationalError as exc:  # it had to wait: the write lock was already ours
                interleaved.append(str(exc))

    event.listen(store.engine, "before_cursor_execute", another_process_commits)
    try:
        device = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
        store.add_events(device, [UsageEvent(1_800_000_000, 60, "Signal", None, Category.MESSAGING, "Signal")])
    finally:
        event.remove(store.engine, "before_cursor_execute", another_process_commits)
        other.close()
    assert interleaved  # the other writer really came in between
    assert store.event_count() == 1
    store.close()


def whole(report: WeeklyReport) -> None:
    """The days add up to the totals and the devices to the whole: one snapshot, not half a write."""
    for category in Category:
        assert sum(day.seconds.get(category) for day in report.days) == report.totals.get(category)
        assert sum(device.totals.get(category) for device in report.devices) == report.totals.get(category)


def whole_json(data: dict[str, object]) -> None:
    totals = data["totals"]
    days = data["days"]
    assert isinstance(totals, dict) and isinstance(days, list)
    for category, seconds in totals.items():
        assert sum(day["seconds"][category] for day in days) == seconds, data


class DashboardReader(threading.Thread):
    """The dashboard's reads (weekly_report on a Store of its own) in a loop until stopped; keeps every total."""

    def __init__(self, db: Path, week: IsoWeek) -> None:
        super().__init__(daemon=True)
        self.db, self.week = db, week
        self.totals: list[int] = []
        self.errors: list[BaseException] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            store = Store.open(self.db)
            try:
                while not self.stopping.is_set():
                    report = weekly_report(store, self.week, TZ, None)
                    whole(report)
                    self.totals.append(report.totals.get(Category.MESSAGING))
                    self.stopping.wait(0.02)  # a busy loop would starve the CLI of the shared CPU
            finally:
                store.close()
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.errors.append(exc)


@pytest.mark.e2e
@pytest.mark.x11
def test_reports_and_writes_while_the_tracker_writes_are_never_locked_and_always_whole(
    cli: CliRunner, desktop: Desktop
) -> None:
    desktop.activate(desktop.open_window("Signal", ("signal", "Signal")))
    with Tracker(cli, desktop, flush_interval=1.0) as tracker:
        db = cli.home / "data" / "middenweg.sqlite3"
        week = IsoWeek.containing(local_date(int(time.time()), TZ))
        wait_until(lambda: db.exists() and json.loads(cli("report", "--json").out)["totals"]["messaging"] > 0,
                   "the tracker's first write", timeout=15)  # fmt: skip
        reader = DashboardReader(db, week)
        reader.start()
        cli_totals: list[int] = []
        writes = 0
        began = time.monotonic()
        try:
            while time.monotonic() - began < READ_FOR:
                result = cli("report", "--json", "--week", str(week))
                assert result.code == 0 and result.err == "", result.err
                data = json.loads(result.out)
                whole_json(data)
                cli_totals.append(data["totals"]["messaging"])
                limit = "5h" if writes % 2 else "6h"
                written = cli("goals", "set", "--weekly-social", limit)
                assert written.code == 0 and written.err == "", written.err
                writes += 1
        finally:
            reader.stopping.set()
            reader.join(timeout=30)
            code = tracker.stop()
    assert not reader.errors, reader.errors
    assert code == 0 and "locked" not in tracker.output(), tracker.output()
    for totals in (reader.totals, cli_totals):
        assert all(a <= b for a, b in itertools.pairwise(totals)), totals  # never goes down
        assert totals[-1] > totals[0]  # and the tracker really wrote while we read
    print(f"\n{len(reader.totals)} dashboard reads, {len(cli_totals)} CLI reports and {writes} CLI writes")
