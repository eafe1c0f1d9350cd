"""A small ActivityWatch export shaped like aw-server's "Export all buckets", and an independent oracle for it."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")
HOST = "werkplek"

#: (local start in Amsterdam, seconds, app, title). The week 2026-W43 ends with the 25-hour Sunday (DST ends).
WINDOW = [
    ("2026-10-19T20:00:00.250", 1799.5, "firefox", "(3) Facebook — Mozilla Firefox"),
    ("2026-10-19T20:30:00", 600.25, "WhatsApp", "WhatsApp"),
    ("2026-10-19T23:50:00", 1200.75, "Google-chrome", "Lofi beats to relax to - YouTube - Google Chrome"),
    ("2026-10-21T09:00:00", 3600, "Code", "weeks.py - middenweg - Visual Studio Code"),
    ("2026-10-21T10:00:00", 900, "TelegramDesktop", "Telegram"),
    ("2026-10-25T01:30:00", 7200.0, "firefox", "Home / X — Mozilla Firefox"),  # across the repeated hour
    ("2026-10-25T23:59:00", 240, "Signal", "Signal"),  # into Monday of the next week
]
#: Away from the keyboard: (local start, seconds). Cuts the Telegram block in half.
AFK = [("2026-10-21T10:07:30", 450)]

CATEGORY = {
    "firefox": "social",
    "Google-chrome": "social",
    "WhatsApp": "messaging",
    "TelegramDesktop": "messaging",
    "Signal": "messaging",
    "Code": "other",
}


def _utc(local: str) -> datetime:
    # fold=0: the first of the two 02:00-03:00 hours on 25 October
    return datetime.fromisoformat(local).replace(tzinfo=AMS).astimezone(UTC)


def _stamp(moment: datetime, style: int) -> str:
    text = moment.isoformat()
    return text.replace("+00:00", "Z") if style % 2 else text


def write_export(path: Path, *, with_afk: bool = True) -> None:
    window_events = []
    for n, (start, seconds, app, title) in enumerate(WINDOW):
        window_events.append(
            {"id": n + 1, "timestamp": _stamp(_utc(start), n), "duration": seconds,
             "data": {"app": app, "title": title, "url": None}}
        )  # fmt: skip
    window_events.reverse()  # aw-server exports newest first
    first = _utc("2026-10-19T00:00:00")
    afk_events = []
    cursor = first
    for n, (start, seconds) in enumerate(AFK):
        away = _utc(start)
        afk_events.append({"id": 2 * n + 1, "timestamp": _stamp(cursor, n), "duration": (away - cursor).total_seconds(),
                           "data": {"status": "not-afk"}})  # fmt: skip
        afk_events.append({"id": 2 * n + 2, "timestamp": _stamp(away, n + 1), "duration": seconds,
                           "data": {"status": "afk"}})  # fmt: skip
        cursor = away + timedelta(seconds=seconds)
    end = _utc("2026-10-27T00:00:00")
    afk_events.append({"id": 99, "timestamp": _stamp(cursor, 0), "duration": (end - cursor).total_seconds(),
                       "data": {"status": "not-afk"}})  # fmt: skip
    buckets = {
        f"aw-watcher-window_{HOST}": {
            "id": f"aw-watcher-window_{HOST}", "created": "2026-01-02T08:00:00.000000+00:00", "name": None,
            "type": "currentwindow", "client": "aw-watcher-window", "hostname": HOST, "events": window_events,
        },
        "aw-watcher-web-firefox": {
            "id": "aw-watcher-web-firefox", "created": "2026-01-02T08:00:00Z", "type": "web.tab.current",
            "client": "aw-client-web", "hostname": "unknown", "events": [],
        },
    }  # fmt: skip
    if with_afk:
        buckets[f"aw-watcher-afk_{HOST}"] = {
            "id": f"aw-watcher-afk_{HOST}", "created": "2026-01-02T08:00:00Z", "name": None, "type": "afkstatus",
            "client": "aw-watcher-afk", "hostname": HOST, "events": afk_events,
        }  # fmt: skip
    path.write_text(json.dumps({"buckets": buckets}, indent=1), encoding="utf-8")


def expected_seconds(week_days: list[str], *, with_afk: bool = True) -> dict[str, dict[str, int]]:
    """Per local date and category, counted second by second from the fixture (endpoints rounded to whole seconds,
    AFK seconds removed), independently of Middenweg's code."""
    away: set[int] = set()
    if with_afk:
        for start, seconds in AFK:
            s = _utc(start).timestamp()
            away.update(range(round(s), round(s + seconds)))
    out = {day: {"social": 0, "messaging": 0, "other": 0} for day in week_days}
    for start, seconds, app, _title in WINDOW:
        s = _utc(start).timestamp()
        lo, hi = math.floor(s + 0.5), math.floor(s + seconds + 0.5)
        for second in range(lo, hi):
            if second in away:
                continue
            day = datetime.fromtimestamp(second, AMS).date().isoformat()
            if day in out:
                out[day][CATEGORY[app]] += 1
    return out
