"""What the CLI and the GUI do with history: weekly reports, imports, exports and forgetting.

The glue between the pure core (rules, parsers, report builder, reference) and storage. No printing, no argument
parsing: callers show the results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from middenweg.domain.age import AgeGroup
from middenweg.domain.events import DeviceKind, UsageEvent, WindowActivity
from middenweg.domain.weeks import IsoWeek, day_boundaries, local_date, local_midnight, week_boundaries
from middenweg.i18n import _
from middenweg.interchange.activitywatch import AwExport, read_export
from middenweg.interchange.errors import ImportFormatError
from middenweg.interchange.middenweg_format import (
    ExportDevice,
    ExportEvent,
    parse_middenweg_export,
    write_csv,
    write_json,
)
from middenweg.privacy import DEFAULT, Exclusions, TitlePolicy, stored_title
from middenweg.reference.compare import compare
from middenweg.reports.weekly import WeeklyReport, build_weekly_report
from middenweg.rules import Classification, RuleSet
from middenweg.storage.records import DeviceSpec, ImportBatch, ImportOutcome
from middenweg.storage.store import Store

Progress = Callable[[int, int], None]


def current_week(now: float, tz: ZoneInfo) -> IsoWeek:
    return IsoWeek.containing(local_date(int(now), tz))


def weekly_report(store: Store, week: IsoWeek, tz: ZoneInfo, age_group: AgeGroup | None) -> WeeklyReport:
    """The report of ``week`` in ``tz``: two aggregate queries, one for the week and one for the week before."""
    bounds = week_boundaries(week, tz)
    previous = week_boundaries(week.previous(), tz)
    rows, previous_totals = store.week_and_totals(bounds, (previous[0], previous[-1]))
    return build_weekly_report(week, tz.key, rows, previous_totals, compare(age_group))


def classify_all(
    ruleset: RuleSet,
    activities: tuple[WindowActivity, ...],
    policy: TitlePolicy = TitlePolicy.ALL,
    exclusions: Exclusions = DEFAULT,
) -> list[UsageEvent]:
    """Categorise activities (asking the rules once per distinct window) and keep titles only as ``policy`` allows."""
    seen: dict[tuple[str, str | None], tuple[Classification, str | None]] = {}
    events = []
    for a in activities:
        key = (a.app, a.title)
        found = seen.get(key)
        if found is None:
            result = ruleset.classify(a.app, a.title)
            found = seen[key] = (result, stored_title(a.app, a.title, result.category, policy, exclusions))
        result, title = found
        events.append(UsageEvent(a.start, a.duration, a.app, title, result.category, result.label))
    return events


def aw_device(hostname: str, kind: DeviceKind) -> DeviceSpec:
    """Computers are found by host name (the same key the tracker uses); phones get a key of their own."""
    if kind is DeviceKind.PHONE:
        return DeviceSpec(f"android:{hostname}", hostname, kind)
    return DeviceSpec(hostname, hostname, kind)


@dataclass(frozen=True, slots=True)
class ImportResult:
    export: AwExport | None
    outcomes: list[ImportOutcome]


def import_activitywatch(
    store: Store,
    path: Path,
    ruleset: RuleSet,
    *,
    policy: TitlePolicy,
    exclusions: Exclusions = DEFAULT,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, categorise and store an ActivityWatch export in one transaction."""
    try:
        export = read_export(path, progress=progress)
    except ImportFormatError as exc:
        if path.name in str(exc):
            raise
        raise ImportFormatError(_("{file}: {message}").format(file=path, message=exc)) from exc
    batches = [
        ImportBatch(aw_device(host.hostname, host.kind), classify_all(ruleset, host.activities, policy, exclusions))
        for host in export.hosts
    ]
    outcomes = store.import_batches(batches)
    return ImportResult(export, outcomes)


def import_middenweg(
    store: Store, path: Path, *, policy: TitlePolicy, exclusions: Exclusions = DEFAULT
) -> ImportResult:
    """Import a Middenweg JSON export: devices keep their uid, events keep their category and label."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(
            _("{path} cannot be read: {problem}. Nothing was imported.").format(path=path, problem=exc.strerror or exc)
        ) from exc
    data = parse_middenweg_export(raw, str(path))
    batches = [
        ImportBatch(
            DeviceSpec(d.host_key, d.name, d.kind, uid=d.uid),
            [
                replace(e, title=stored_title(e.app, e.title, e.category, policy, exclusions))
                for e in data.events[d.uid]
            ],
        )
        for d in data.devices
    ]
    return ImportResult(None, store.import_batches(batches))


def date_range(tz: ZoneInfo, first: date | None, last: date | None) -> tuple[int | None, int | None]:
    """UTC bounds of local days ``first`` to ``last`` inclusive (None = open)."""
    start = day_boundaries([first], tz)[0] if first else None
    end = day_boundaries([last], tz)[1] if last else None
    return start, end


def export_history(
    store: Store,
    out: IO[str],
    fmt: str,
    tz: ZoneInfo,
    first: date | None,
    last: date | None,
    now: float,
) -> int:
    """Write events of local days ``first``..``last`` as CSV or JSON; returns how many were written."""
    start, end = date_range(tz, first, last)
    devices = [ExportDevice(d.uid, d.host_key, d.name, d.kind) for d in store.devices()]
    events = (
        ExportEvent(e.device_uid, UsageEvent(e.start, e.duration, e.app, e.title, e.category, e.label))
        for e in store.iter_events(start, end)
    )
    if fmt == "csv":
        return write_csv(out, devices, events, tz)
    return write_json(out, devices, events, tz, int(now))


def forget_days(store: Store, tz: ZoneInfo, first: date, last: date) -> int:
    start, end = date_range(tz, first, last)
    assert start is not None and end is not None
    return store.forget(start, end)


def weekly_totals(store: Store, last: IsoWeek, count: int, tz: ZoneInfo) -> list[tuple[IsoWeek, dict[str, int]]]:
    """Totals per category for ``count`` weeks ending with ``last`` (a year view), in one aggregate query."""
    weeks = [last.shifted(-i) for i in range(count - 1, -1, -1)]
    bounds = [local_midnight(w.monday, tz) for w in weeks] + [local_midnight(last.shifted(1).monday, tz)]
    totals = [dict.fromkeys(("social", "messaging", "other"), 0) for _ in weeks]
    for usage in store.day_totals(bounds):
        totals[usage.day][usage.category.value] += usage.seconds
    return list(zip(weeks, totals, strict=True))
