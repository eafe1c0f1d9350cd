"""Build ActivityWatch exports for tests, written the way aw-server (Python) and aw-server-rust write them.

Times are given as integer milliseconds since the epoch, so tests can compute expectations with plain integer
arithmetic, independently of the parser. Run this file to measure the parser on a generated 500,000-event export:

    PYTHONPATH=app .venv/bin/python tests/unit/interchange/aw_export_builder.py
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

Style = Literal["python", "rust"]
Event = dict[str, Any]
Bucket = dict[str, Any]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utc(text: str) -> int:
    """Epoch seconds of a UTC wall-clock time such as "2026-03-10 09:00:00"."""
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def stamp(ms: int, style: Style) -> str:
    """How each server writes the moment ``ms`` (milliseconds since the epoch)."""
    moment = _EPOCH + timedelta(milliseconds=ms)
    if style == "python":
        # aw-core: datetime.isoformat() of an aware UTC datetime, microseconds shown unless zero.
        return moment.isoformat()
    # chrono: "Z", and 3, 6 or 9 fraction digits only when needed.
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return base + (f".{ms % 1000:03d}" if ms % 1000 else "") + "Z"


def event(
    ms: int, duration_ms: int, data: dict[str, Any], style: Style = "python", event_id: int | None = None
) -> Event:
    result: Event = {"timestamp": stamp(ms, style), "duration": duration_ms / 1000, "data": data}
    if style == "rust":
        result = {"id": event_id if event_id is not None else 1, **result}
    return result


def window(ms: int, duration_ms: int, app: str, title: str | None = "", style: Style = "python") -> Event:
    data: dict[str, Any] = {"app": app}
    if title is not None:
        data["title"] = title
    return event(ms, duration_ms, data, style)


def afk(ms: int, duration_ms: int, status: str, style: Style = "python") -> Event:
    return event(ms, duration_ms, {"status": status}, style)


def bucket(
    bucket_id: str, bucket_type: str, hostname: str, events: list[Event], *, client: str = "", style: Style = "python"
) -> Bucket:
    client = client or bucket_id.split("_")[0]
    if style == "python":
        return {
            "id": bucket_id,
            "created": "2026-01-01T00:00:00+00:00",
            "name": None,
            "type": bucket_type,
            "client": client,
            "hostname": hostname,
            "data": {},
            "events": events,
        }
    return {
        "id": bucket_id,
        "type": bucket_type,
        "client": client,
        "hostname": hostname,
        "created": "2026-01-01T00:00:00Z",
        "data": {},
        "metadata": {"start": None, "end": None},
        "events": events,
        "last_updated": None,
    }


def window_bucket(hostname: str, events: list[Event], *, suffix: str = "", style: Style = "python") -> Bucket:
    return bucket(f"aw-watcher-window_{hostname}{suffix}", "currentwindow", hostname, events, style=style)


def afk_bucket(hostname: str, events: list[Event], *, suffix: str = "", style: Style = "python") -> Bucket:
    return bucket(f"aw-watcher-afk_{hostname}{suffix}", "afkstatus", hostname, events, style=style)


def export(*buckets: Bucket, style: Style = "python") -> bytes:
    """The bytes of ``GET /api/0/export`` holding ``buckets``."""
    document = {"buckets": {b["id"]: b for b in buckets}}
    if style == "python":
        return json.dumps(document).encode()
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def large_export(count: int, *, style: Style = "python", seed: int = 1) -> bytes:
    """A one-laptop export with ``count`` window events (newest first, as the servers list them) and AFK events."""
    rng = random.Random(seed)
    apps = [
        ("firefox", "WhatsApp \u2014 Mozilla Firefox"),
        ("code", "activitywatch.py - middenweg - Visual Studio Code"),
        ("telegram-desktop", "Telegram (3)"),
        ("Slack", "general | Studio Noord - Slack"),
        ("gnome-terminal-server", "anna@laptop: ~/src/middenweg"),
    ]
    ms = 1_767_225_600_000  # 2026-01-01
    windows: list[Event] = []
    for number in range(count):
        duration = rng.randint(500, 120_000)
        app, title = rng.choice(apps)
        windows.append(window(ms, duration, app, f"{title} #{number % 97}", style))
        ms += duration + rng.choice((0, 0, 0, 200, 3_000))
    end = ms
    ms, afks, status = 1_767_225_600_000, [], "not-afk"
    while ms < end:
        duration = rng.randint(60_000, 3_600_000)
        afks.append(afk(ms, duration, status, style))
        ms += duration
        status = "afk" if status == "not-afk" else "not-afk"
    windows.reverse()
    afks.reverse()
    return export(window_bucket("laptop", windows, style=style), afk_bucket("laptop", afks, style=style), style=style)


def _benchmark() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "app"))
    from middenweg.interchange.activitywatch import parse_export

    count = 500_000
    for style in ("python", "rust"):
        raw = large_export(count, style=style)
        best = float("inf")
        for _round in range(3):
            started = time.perf_counter()
            result = parse_export(raw, source="generated.json")
            best = min(best, time.perf_counter() - started)
        stretches = sum(len(host.activities) for host in result.hosts)
        print(
            f"{style:6} export: {len(raw) / 1e6:6.1f} MB, {count:,} window events -> {stretches:,} activities, "
            f"best of 3: {best:.2f} s = {count / best:,.0f} window events/s"
        )


if __name__ == "__main__":
    _benchmark()
