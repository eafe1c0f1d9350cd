"""Reproducible performance measurements of Middenweg's history, printed as a Markdown table with the targets.

Measures an ActivityWatch import end to end (parse, categorise, store in one transaction), the storage write alone,
bytes per event on disk, the weekly report (warm, in-process) on one and five years of history, and the year view.
Histories come from ``generate.py`` with a fixed seed, so two runs on one machine measure the same work. It must
never touch the user's own Middenweg home or database: everything lives under ``--work`` or a temporary folder.

Usage: ``PYTHONPATH=app python benchmarks/run.py [--quick] [--work DIR] [--seed 7]``
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy

from generate import (
    DEFAULT_HOST,
    DEFAULT_LAST_DAY,
    DEFAULT_TZ,
    GENERATOR_VERSION,
    generate_activities,
    period,
    write_aw_export,
)
from middenweg.domain.age import AgeGroup
from middenweg.domain.events import DeviceKind, UsageEvent, WindowActivity
from middenweg.domain.weeks import IsoWeek
from middenweg.history import aw_device, classify_all, import_activitywatch, weekly_report, weekly_totals
from middenweg.privacy import TitlePolicy
from middenweg.rules import builtin_rules
from middenweg.storage.records import DeviceSpec, ImportBatch
from middenweg.storage.store import Store
from middenweg.sync_folder import sync

T = TypeVar("T")

#: Targets the numbers are printed beside.
TARGET_BYTES_PER_EVENT = 40.0
TARGET_REPORT_MS = 10.0
TARGET_YEAR_VIEW_MS = 300.0
TARGET_IMPORT_RATE = 50_000.0
#: "No slower on five years than on one": the five-year median may exceed the one-year median by this much,
#: which is within the run-to-run noise of a few-millisecond measurement.
REPORT_GROWTH_TOLERANCE = 1.2
#: A realistic report: the comparison with an age group is part of what the user sees.
AGE_GROUP = AgeGroup.AGE_25_34
#: How many events go to storage in one import_batches call when building the five-year history.
BUILD_CHUNK = 300_000


@dataclass(frozen=True, slots=True)
class Plan:
    """What one run measures: the two histories and how many timed runs each read gets."""

    small_name: str
    small: tuple[date, date]
    large_name: str
    large: tuple[date, date]
    report_runs: int
    year_view_runs: int


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table; ``met`` is None where there is no target."""

    measure: str
    result: str
    target: str
    met: bool | None


@dataclass(frozen=True, slots=True)
class Size:
    file_bytes: int
    events: int
    rows: int

    @property
    def per_event(self) -> float:
        return self.file_bytes / self.events if self.events else 0.0


def make_plan(quick: bool, last: date) -> Plan:
    if quick:
        return Plan("3 weeks", (last - timedelta(days=20), last), "6 weeks", (last - timedelta(days=41), last), 20, 3)
    return Plan("1 year", period(1, last), "5 years", period(5, last), 200, 20)


def machine() -> str:
    # The load average says whether other work shared the CPUs: millisecond timings move with it.
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs (nproc), {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, SQLAlchemy {sqlalchemy.__version__}; "
        f"load average {load}"
    )


def timed(work: Callable[[], T]) -> tuple[T, float]:
    """``work()`` and how many seconds it took, with garbage from earlier steps collected first."""
    gc.collect()
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: a value that was actually measured."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def checkpointed_size(path: Path) -> int:
    """The database file's size once the WAL is folded into it and truncated: what the history costs on disk."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path.stat().st_size


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def categorise(activities: Sequence[WindowActivity]) -> list[UsageEvent]:
    """Activities categorised by the built-in rules, as an import would, with a fresh rule set each time."""
    return classify_all(builtin_rules(), tuple(activities))


def write_batch(store: Store, events: Sequence[UsageEvent]) -> int:
    outcomes = store.import_batches([ImportBatch(aw_device(DEFAULT_HOST, DeviceKind.COMPUTER), events)])
    return sum(o.added_events for o in outcomes)


def full_weeks(first: date, last: date) -> list[IsoWeek]:
    """ISO weeks that lie wholly within ``first`` to ``last``."""
    week = IsoWeek.containing(first)
    if week.monday < first:
        week = week.shifted(1)
    weeks = []
    while week.monday + timedelta(days=6) <= last:
        weeks.append(week)
        week = week.shifted(1)
    return weeks


def time_reports(store: Store, weeks: Sequence[IsoWeek], runs: int, tz: ZoneInfo, seed: int) -> list[float]:
    """Milliseconds per weekly report over ``runs`` weeks picked at random, after one warm-up."""
    order = random.Random(seed)
    weekly_report(store, weeks[-1], tz, AGE_GROUP)
    times = []
    for _run in range(runs):
        week = order.choice(weeks)
        started = time.perf_counter()
        weekly_report(store, week, tz, AGE_GROUP)
        times.append((time.perf_counter() - started) * 1000)
    return times


def time_year_views(store: Store, weeks: Sequence[IsoWeek], runs: int, tz: ZoneInfo, seed: int) -> list[float]:
    """Milliseconds per 53-week view ending in a week whose whole year lies in the history, after one warm-up."""
    order = random.Random(seed)
    ends = weeks[52:] or weeks[-1:]
    weekly_totals(store, ends[-1], 53, tz)
    times = []
    for _run in range(runs):
        week = order.choice(ends)
        started = time.perf_counter()
        weekly_totals(store, week, 53, tz)
        times.append((time.perf_counter() - started) * 1000)
    return times


def ensure_export(work: Path, name: str, span: tuple[date, date], seed: int, tz: ZoneInfo) -> Path:
    """The ActivityWatch export of ``span``, written once and kept under ``work``."""
    path = work / f"aw-export-{name.replace(' ', '')}-seed{seed}-v{GENERATOR_VERSION}.json"
    if not path.exists():
        partial = path.with_suffix(".partial")
        write_aw_export(partial, *span, seed=seed, tz=tz)
        partial.replace(path)
    return path


def ensure_history(
    work: Path, name: str, span: tuple[date, date], seed: int, tz: ZoneInfo
) -> tuple[Path, float | None]:
    """A database with ``span`` of history, built through ``Store.import_batches`` or reused from ``work``.

    Returns the path and the build time (None when reused). A database whose build did not finish is rebuilt.
    """
    path = work / f"history-{name.replace(' ', '')}-seed{seed}-v{GENERATOR_VERSION}.sqlite"
    fingerprint = f"generator {GENERATOR_VERSION}, seed {seed}, {span[0]}..{span[1]}, {tz.key}"
    if path.exists():
        store = Store.open(path)
        try:
            if store.get_meta("benchmark") == fingerprint:
                return path, None
        finally:
            store.close()
        remove_database(path)
    store = Store.open(path)
    events = 0
    started = time.perf_counter()
    try:
        for chunk in chunks(generate_activities(*span, seed=seed, tz=tz), BUILD_CHUNK):
            write_batch(store, categorise(chunk))
            events += len(chunk)
        store.set_meta("benchmark-events", str(events))
        store.set_meta("benchmark", fingerprint)
    finally:
        store.close()
    return path, time.perf_counter() - started


def stored_size(path: Path, events: int | None = None) -> Size:
    file_bytes = checkpointed_size(path)
    store = Store.open(path)
    try:
        rows = store.event_count()
        if events is None:
            events = int(store.get_meta("benchmark-events") or 0)
    finally:
        store.close()
    return Size(file_bytes, events, rows)


def size_row(name: str, size: Size) -> Row:
    return Row(
        f"Size on disk, {name}",
        f"{size.per_event:.1f} bytes/event ({size.file_bytes / 1e6:.1f} MB for {size.events:,} events "
        f"in {size.rows:,} rows, {size.rows / max(size.events, 1):.3f} rows/event)",
        f"≤ {TARGET_BYTES_PER_EVENT:.0f} bytes/event",
        size.per_event <= TARGET_BYTES_PER_EVENT,
    )


def measure(plan: Plan, work: Path, seed: int, tz: ZoneInfo) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    notes: list[str] = []

    # End to end: an ActivityWatch export file through history.import_activitywatch into a fresh database.
    export = ensure_export(work, plan.small_name, plan.small, seed, tz)
    scratch = work / "scratch-import.sqlite"
    remove_database(scratch)
    store = Store.open(scratch)
    ruleset = builtin_rules()
    try:
        result, seconds = timed(lambda: import_activitywatch(store, export, ruleset, policy=TitlePolicy.ALL))
    finally:
        store.close()
    assert result.export is not None
    events = sum(len(host.activities) for host in result.export.hosts)
    rate = events / seconds
    rows.append(
        Row(
            f"Import ActivityWatch export, {plan.small_name} (parse + categorise + store, one transaction)",
            f"{rate:,.0f} events/s ({events:,} events in {seconds:.2f} s, {export.stat().st_size / 1e6:.0f} MB file)",
            f"≥ {TARGET_IMPORT_RATE:,.0f} events/s",
            rate >= TARGET_IMPORT_RATE,
        )
    )
    import_size = stored_size(scratch, events)
    remove_database(scratch)

    # Storage alone: the same history, categorised beforehand, through Store.import_batches.
    scratch = work / "scratch-write.sqlite"
    remove_database(scratch)
    usage = categorise(list(generate_activities(*plan.small, seed=seed, tz=tz)))
    store = Store.open(scratch)
    try:
        written, seconds = timed(partial(write_batch, store, usage))
    finally:
        store.close()
    rows.append(
        Row(
            f"Storage write, {plan.small_name} (Store.import_batches, pre-categorised)",
            f"{len(usage) / seconds:,.0f} events/s ({len(usage):,} events, {written:,} rows in {seconds:.2f} s)",
            "—",
            None,
        )
    )
    remove_database(scratch)
    del usage

    rows.append(size_row(f"{plan.small_name} (after the import above)", import_size))
    small_path, small_build = ensure_history(work, plan.small_name, plan.small, seed, tz)
    large_path, large_build = ensure_history(work, plan.large_name, plan.large, seed, tz)
    for name, built in ((plan.small_name, small_build), (plan.large_name, large_build)):
        notes.append(
            f"{name} history: built in {built:.1f} s" if built is not None else f"{name} history: reused from --work"
        )
    rows.append(size_row(plan.large_name, stored_size(large_path)))

    # Reads, warm and in-process, as the dashboard asks for them.
    medians: dict[str, float] = {}
    for name, path, span in ((plan.small_name, small_path, plan.small), (plan.large_name, large_path, plan.large)):
        store = Store.open(path)
        try:
            times = time_reports(store, full_weeks(*span), plan.report_runs, tz, seed)
        finally:
            store.close()
        median, p95 = statistics.median(times), percentile(times, 0.95)
        medians[name] = median
        target = f"≤ {TARGET_REPORT_MS:.0f} ms (p95)"
        met = p95 <= TARGET_REPORT_MS
        if name == plan.large_name:
            target += f", median ≤ {REPORT_GROWTH_TOLERANCE} × the {plan.small_name} median"
            met = met and median <= REPORT_GROWTH_TOLERANCE * medians[plan.small_name]
        rows.append(
            Row(
                f"Weekly report, {name} of history (warm, {len(times)} varied weeks)",
                f"median {median:.2f} ms, p95 {p95:.2f} ms",
                target,
                met,
            )
        )

    rows += time_sync_folder(small_path, work, plan.small_name, tz)

    store = Store.open(large_path)
    try:
        times = time_year_views(store, full_weeks(*plan.large), plan.year_view_runs, tz, seed)
    finally:
        store.close()
    median = statistics.median(times)
    rows.append(
        Row(
            f"Year view (weekly_totals, 53 weeks), {plan.large_name} of history (warm, {len(times)} runs)",
            f"median {median:.1f} ms (max {max(times):.1f} ms)",
            f"≤ {TARGET_YEAR_VIEW_MS:.0f} ms (median)",
            median <= TARGET_YEAR_VIEW_MS,
        )
    )
    return rows, notes


def time_sync_folder(history: Path, work: Path, name: str, tz: ZoneInfo) -> list[Row]:
    """The sync folder on ``history``: the first share of every month, a sync with nothing changed, and another
    computer reading it all (what the tray app's worker thread does every five minutes)."""
    folder, mine, theirs = work / "scratch-sync", work / "scratch-sync-mine.sqlite", work / "scratch-sync-theirs.sqlite"
    shutil.rmtree(folder, ignore_errors=True)
    for path in (mine, theirs):
        remove_database(path)
    shutil.copyfile(history, mine)  # sync keeps what it shared in the database: never in the reused history
    now = int(time.time())
    store, other = Store.open(mine), Store.open(theirs)
    try:
        home = store.devices()[0]
        first, first_s = timed(lambda: sync(store, folder, home=home, tz=tz, now=now))
        again, again_s = timed(lambda: sync(store, folder, home=home, tz=tz, now=now))
        reader = other.ensure_device(DeviceSpec("other-computer", "Other computer", DeviceKind.COMPUTER))
        read, read_s = timed(lambda: sync(other, folder, home=reader, tz=tz, now=now))
    finally:
        store.close()
        other.close()
    size = sum(f.stat().st_size for f in folder.rglob("*.json.gz"))
    shutil.rmtree(folder, ignore_errors=True)
    for path in (mine, theirs):
        remove_database(path)
    assert not (first.problems or again.problems or read.problems), (first.problems, again.problems, read.problems)
    return [
        Row(
            f"Sync folder, {name}: first share (every month written)",
            f"{first_s * 1000:.0f} ms ({len(first.written)} month files, {size / 1e6:.1f} MB)",
            "—",
            None,
        ),
        Row(
            f"Sync folder, {name}: nothing changed",
            f"{again_s * 1000:.0f} ms ({len(again.written)} written)",
            "—",
            None,
        ),
        Row(
            f"Sync folder, {name}: another computer reads it all",
            f"{read_s * 1000:.0f} ms ({len(read.read)} month files read)",
            "—",
            None,
        ),
    ]


def table(rows: Sequence[Row]) -> str:
    lines = ["| Measure | Result | Target | Met |", "|---|---|---|---|"]
    for row in rows:
        met = "—" if row.met is None else ("yes" if row.met else "**no**")
        lines.append(f"| {row.measure} | {row.result} | {row.target} | {met} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure Middenweg's history import, storage and reports.")
    parser.add_argument("--quick", action="store_true", help="a few weeks of history: proves the script works")
    parser.add_argument("--work", type=Path, help="folder that keeps exports and databases between runs")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic history (default 7)")
    parser.add_argument("--tz", default=DEFAULT_TZ, help=f"time zone of the history (default {DEFAULT_TZ})")
    args = parser.parse_args(argv)
    plan = make_plan(args.quick, DEFAULT_LAST_DAY)
    tz = ZoneInfo(args.tz)
    with tempfile.TemporaryDirectory(prefix="middenweg-bench-") as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        rows, notes = measure(plan, work, args.seed, tz)
        elapsed = time.perf_counter() - started
    print(f"Machine: {machine()}")
    print(
        f"History: synthetic (benchmarks/generate.py, seed {args.seed}, generator v{GENERATOR_VERSION}), "
        f"{tz.key}, ending {DEFAULT_LAST_DAY}; {'; '.join(notes)}; whole run {elapsed:.0f} s"
    )
    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
