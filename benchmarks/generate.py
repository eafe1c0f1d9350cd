"""Writes the benchmark history: the seeded synthetic history of ``middenweg.synthetic`` as an ActivityWatch export.

The history itself (days, sittings, apps and titles) comes from ``middenweg.synthetic``; this script adds what only
the benchmarks need: periods that end on a fixed day, and an export file with window and AFK buckets, newest event
first, as aw-server writes them. It must never read the clock, the network or anybody's real history: the same
seed and dates always give the same file.

Usage: ``PYTHONPATH=app python benchmarks/generate.py --years 1 --seed 7 --out export.json``
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from middenweg.synthetic import GENERATOR_VERSION, generate_activities, generate_days, generate_usage

# The history's API is re-exported: run.py and the tests use this script as the benchmark's one entry point.
__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_LAST_DAY",
    "DEFAULT_TZ",
    "GENERATOR_VERSION",
    "ExportSummary",
    "generate_activities",
    "generate_days",
    "generate_usage",
    "main",
    "period",
    "write_aw_export",
]

DEFAULT_TZ = "Europe/Amsterdam"
DEFAULT_HOST = "laptop"
#: Periods end on a fixed day, never "today", so a seed means the same history on every machine and every day.
DEFAULT_LAST_DAY = date(2026, 10, 31)
#: How long the focused window stays focused after the last input before the screen locks. ActivityWatch's
#: window watcher keeps extending that event while the AFK watcher already says "afk", as it does in real exports.
LINGER = 300


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What ``write_aw_export`` wrote."""

    path: Path
    host: str
    first: date
    last: date
    window_events: int
    afk_events: int
    active_seconds: int


def period(years: float, last: date = DEFAULT_LAST_DAY) -> tuple[date, date]:
    """The first and last day of ``years`` years (of 365.2425 days) ending with ``last``."""
    days = max(1, round(years * 365.2425))
    return last - timedelta(days=days - 1), last


def _iso(epoch: int, millis: int) -> str:
    """aw-server's timestamp form: UTC with microseconds and an explicit offset."""
    moment = datetime.fromtimestamp(epoch, UTC).replace(microsecond=millis * 1000)
    return moment.isoformat(timespec="microseconds")


def _json_string(text: str) -> str:
    # Non-ASCII stays as it is, as aw-server writes it.
    return json.dumps(text, ensure_ascii=False)


class _BucketWriter:
    """Writes one bucket's events; events arrive newest first and get descending ids."""

    def __init__(self, out: TextIO, bucket_id: str, kind: str, client: str, host: str, created: str) -> None:
        self.out = out
        self.count = 0
        out.write(
            f'{_json_string(bucket_id)}: {{"id": {_json_string(bucket_id)}, "created": "{created}", "name": null, '
            f'"type": "{kind}", "client": "{client}", "hostname": {_json_string(host)}, "data": {{}}, "events": ['
        )

    def event(self, event_id: int, start: int, start_ms: int, end: int, end_ms: int, data: str) -> None:
        duration = (end - start) + (end_ms - start_ms) / 1000
        separator = ",\n" if self.count else "\n"
        self.out.write(
            f'{separator}{{"id": {event_id}, "timestamp": "{_iso(start, start_ms)}", '
            f'"duration": {duration:.3f}, "data": {data}}}'
        )
        self.count += 1

    def close(self) -> None:
        self.out.write("\n]}")


def write_aw_export(
    path: Path,
    first: date,
    last: date,
    *,
    seed: int,
    tz: ZoneInfo,
    host: str = DEFAULT_HOST,
) -> ExportSummary:
    """Write an ActivityWatch export of local days ``first`` to ``last`` to ``path``.

    A window bucket (each activity, the last of a sitting lingering ``LINGER`` s into the break as the window
    watcher records it) and an AFK bucket whose alternating "afk"/"not-afk" events cover every day. Every boundary
    gets a millisecond fraction below half a second, so flooring or rounding a timestamp gives back the activity's
    whole second.
    """
    days = list(generate_days(first, last, seed=seed, tz=tz))
    fraction = random.Random(f"{seed}-fractions")
    # (start, start_ms, end, end_ms, data) per event, oldest first.
    windows: list[tuple[int, int, int, int, str]] = []
    afk: list[tuple[int, int, int, int, str]] = []
    not_afk, is_afk = '{"status": "not-afk"}', '{"status": "afk"}'
    active = 0
    for day in days:
        cursor, cursor_ms = day.start, 0
        for index, session in enumerate(day.sessions):
            following = day.sessions[index + 1].start if index + 1 < len(day.sessions) else day.end
            bounds = [a.start for a in session.activities] + [session.end]
            millis = [int(fraction.random() * 500) for _ in bounds]
            for i, activity in enumerate(session.activities):
                end, end_ms = bounds[i + 1], millis[i + 1]
                if i == len(session.activities) - 1:
                    end = min(following, end + LINGER)
                    end_ms = 0 if end == following else end_ms
                data = f'{{"app": {_json_string(activity.app)}, "title": {_json_string(activity.title or "")}}}'
                windows.append((activity.start, millis[i], end, end_ms, data))
            afk.append((cursor, cursor_ms, session.start, millis[0], is_afk))
            afk.append((session.start, millis[0], session.end, millis[-1], not_afk))
            cursor, cursor_ms = session.end, millis[-1]
            active += session.end - session.start
        afk.append((cursor, cursor_ms, day.end, 0, is_afk))
    created = _iso(days[0].start, 0) if days else _iso(0, 0)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"buckets": {')
        for number, (prefix, kind, client, events) in enumerate(
            (
                ("aw-watcher-window", "currentwindow", "aw-watcher-window", windows),
                ("aw-watcher-afk", "afkstatus", "aw-watcher-afk", afk),
            )
        ):
            if number:
                out.write(",\n")
            bucket = _BucketWriter(out, f"{prefix}_{host}", kind, client, host, created)
            for event_id in range(len(events), 0, -1):
                bucket.event(event_id, *events[event_id - 1])
            bucket.close()
        out.write("}}\n")
    return ExportSummary(path, host, first, last, len(windows), len(afk), active)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic ActivityWatch export for benchmarks.")
    parser.add_argument("--years", type=float, default=1.0, help="how many years of history (default 1)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--out", type=Path, required=True, help="the JSON file to write")
    parser.add_argument("--tz", default=DEFAULT_TZ, help=f"time zone of the person (default {DEFAULT_TZ})")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"host name in the export (default {DEFAULT_HOST})")
    parser.add_argument(
        "--last-day", type=date.fromisoformat, default=DEFAULT_LAST_DAY, help="the last day (YYYY-MM-DD)"
    )
    args = parser.parse_args(argv)
    first, last = period(args.years, args.last_day)
    summary = write_aw_export(args.out, first, last, seed=args.seed, tz=ZoneInfo(args.tz), host=args.host)
    print(
        f"{summary.path}: {summary.window_events} window events and {summary.afk_events} AFK events, "
        f"{summary.first} to {summary.last}, {summary.active_seconds / 3600:.0f} active hours"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
