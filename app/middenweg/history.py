"""What the CLI and the GUI do with history: weekly reports, goal progress, slips, imports, exports and forgetting.

The glue between the pure core (rules, parsers, report builder, reference) and storage. No printing, no argument
parsing: callers show the results.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, time
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from middenweg.domain.age import AgeGroup
from middenweg.domain.categories import Category
from middenweg.domain.evenings import Evening, Occurrence
from middenweg.domain.events import DeviceKind, UsageEvent, WindowActivity
from middenweg.domain.goals import Goal
from middenweg.domain.weeks import IsoWeek, day_boundaries, local_date, local_midnight, week_boundaries
from middenweg.goals.progress import GoalProgress, evenings_kept, goal_progress, streak
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
from middenweg.nudges.slips import SLIP_CATEGORIES
from middenweg.privacy import DEFAULT, Exclusions, TitlePolicy, stored_title
from middenweg.reference.compare import compare
from middenweg.reports.weekly import WeeklyReport, build_weekly_report, device_week
from middenweg.rules import Classification, RuleSet
from middenweg.storage.evening_store import EveningStore
from middenweg.storage.records import DeviceRecord, DeviceSpec, ImportBatch, ImportOutcome
from middenweg.storage.store import Store

Progress = Callable[[int, int], None]


def current_week(now: float, tz: ZoneInfo) -> IsoWeek:
    return IsoWeek.containing(local_date(int(now), tz))


def weekly_report(
    store: Store,
    week: IsoWeek,
    tz: ZoneInfo,
    age_group: AgeGroup | None,
    device_ids: Sequence[int] | None = None,
) -> WeeklyReport:
    """The report of ``week`` in ``tz``: two aggregate queries, one for the week and one for the week before.

    ``device_ids`` limits it to those devices (their days, totals, week before and top apps); None means all.
    """
    bounds = week_boundaries(week, tz)
    previous = week_boundaries(week.previous(), tz)
    usage = store.week_usage(bounds, (previous[0], previous[-1]), device_ids)
    known = {device.id: device for device in store.devices()}
    devices = [
        device_week(known[i].uid, known[i].name, known[i].kind, week, usage.devices.get(i, ()), usage.unlocks.get(i))
        for i in sorted(usage.devices.keys() | usage.unlocks.keys(), key=lambda i: _device_order(known.get(i)))
        if i in known
    ]
    return build_weekly_report(week, tz.key, usage.days, usage.previous_totals, compare(age_group), devices)


def _device_order(device: DeviceRecord | None) -> tuple[bool, str, str]:
    """Computers first, then by name: the same order in every home that shares the devices (ids differ there)."""
    if device is None:
        return (True, "", "")
    return (device.kind is not DeviceKind.COMPUTER, device.name.casefold(), device.uid)


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
        ImportBatch(
            aw_device(host.hostname, host.kind),
            classify_all(ruleset, host.activities, policy, exclusions),
            host.unlocks,
        )
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
            data.unlocks.get(d.uid, ()),
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
    by_uid = {d.id: d.uid for d in store.devices()}
    unlocks = {by_uid[i]: moments for i, moments in store.unlock_times(start, end).items() if i in by_uid}
    return write_json(out, devices, events, tz, int(now), unlocks)


def forget_days(store: Store, tz: ZoneInfo, first: date, last: date) -> int:
    start, end = date_range(tz, first, last)
    assert start is not None and end is not None
    return store.forget(start, end)


def weekly_totals(
    store: Store, last: IsoWeek, count: int, tz: ZoneInfo, device_ids: Sequence[int] | None = None
) -> list[tuple[IsoWeek, dict[str, int]]]:
    """Totals per category for ``count`` weeks ending with ``last`` (a year view), in one aggregate query;
    ``device_ids`` limits them to those devices (None: all)."""
    weeks = [last.shifted(-i) for i in range(count - 1, -1, -1)]
    bounds = [local_midnight(w.monday, tz) for w in weeks] + [local_midnight(last.shifted(1).monday, tz)]
    totals = [dict.fromkeys(("social", "messaging", "other"), 0) for _ in weeks]
    for usage in store.day_totals(bounds, device_ids):
        totals[usage.day][usage.category.value] += usage.seconds
    return list(zip(weeks, totals, strict=True))


def goal_day(week: IsoWeek, now: float, tz: ZoneInfo) -> date:
    """The day a daily goal is shown for: today in the current week, otherwise the last day of ``week``."""
    today = local_date(int(now), tz)
    return today if today in week.days() else week.days()[-1]


def goals_progress(store: Store, goals: Sequence[Goal], week: IsoWeek, day: date, tz: ZoneInfo) -> list[GoalProgress]:
    """Progress of ``goals`` in ``week`` (and on ``day`` for the daily limit), cut at local midnight in ``tz``.

    A day inside the week is read with the week in one query, so the two totals come from the same snapshot.
    """
    if not goals:
        return []
    days = week.days()
    week_totals = dict.fromkeys(Category, 0)
    day_totals = dict.fromkeys(Category, 0)
    for usage in store.day_totals(week_boundaries(week, tz)):
        week_totals[usage.category] += usage.seconds
        if days[usage.day] == day:
            day_totals[usage.category] += usage.seconds
    if day not in days:
        bounds = day_boundaries([day], tz)
        day_totals = store.category_totals(bounds[0], bounds[1])
    kept = evenings_kept(EveningStore(store).checkins(), week) if any(not g.is_limit for g in goals) else 0
    return goal_progress(goals, week, day, week_totals, day_totals, kept)


def evening_streak(evenings: EveningStore, now: float, tz: ZoneInfo) -> int:
    """Evenings kept in a row up to ``now``, removed evenings included (their check-ins are kept for this).

    Only answered evenings can extend or end a streak (an unanswered one is passed over), so the check-ins alone,
    in date order, are the evenings that matter. Evenings of one date go by start time (a removed one first).
    """
    today = local_date(int(now), tz)
    starts = {evening.id: evening.start for evening in evenings.all()}
    checkins = evenings.checkins()
    past = sorted(
        (key for key in checkins if key[1] <= today),
        key=lambda key: (key[1], starts.get(key[0], time.min), key[0]),
    )
    return streak(past, checkins)


def slipped_seconds(
    totals: Callable[[int, int], Mapping[Category, int]], evening: Evening, occurrence: Occurrence
) -> int:
    """Seconds of use during ``occurrence`` that go against ``evening``'s promise, from every device's history.

    ``totals`` is ``Store.category_totals``, or a wrapper that flushes a running tracker first (the GUI).
    """
    measured = totals(occurrence.start, occurrence.end)
    return sum(measured.get(category, 0) for category in SLIP_CATEGORIES[evening.kind])
