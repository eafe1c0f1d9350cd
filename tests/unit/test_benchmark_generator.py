"""The benchmark history generator: the same seed gives the same history, and the history looks like real use.

Also runs the benchmark script in its quick mode, so a broken benchmark shows up in the test run. No timing is
asserted: that is what the benchmark itself reports.
"""

from __future__ import annotations

import importlib
import json
import statistics
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from middenweg.domain.categories import Category
from middenweg.interchange.activitywatch import read_export

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Four weeks around the end of summer time (2026-10-25), so the clock change is inside.
FIRST, LAST = date(2026, 10, 5), date(2026, 11, 1)


def load(name: str) -> ModuleType:
    # The benchmarks are scripts, not a package: they import each other as top-level modules.
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return load("generate")


@pytest.fixture(scope="module")
def year(gen: ModuleType) -> list[Any]:
    """One year of days, as the benchmark's one-year history."""
    return list(gen.generate_days(*gen.period(1), seed=7, tz=AMSTERDAM))


def test_same_seed_same_history_other_seed_other_history(gen: ModuleType) -> None:
    first = list(gen.generate_activities(FIRST, LAST, seed=7, tz=AMSTERDAM))
    again = list(gen.generate_activities(FIRST, LAST, seed=7, tz=AMSTERDAM))
    other = list(gen.generate_activities(FIRST, LAST, seed=8, tz=AMSTERDAM))
    assert first == again
    assert first != other
    assert len(first) > 5000


def test_activity_never_overlaps_and_stays_in_local_daytime(gen: ModuleType, year: list[Any]) -> None:
    previous_end = 0
    for day in year:
        for session in day.sessions:
            assert day.start <= session.start < session.end <= day.end
            local_start = datetime.fromtimestamp(session.start, AMSTERDAM)
            local_end = datetime.fromtimestamp(session.end, AMSTERDAM)
            assert local_start.date() == local_end.date() == day.date
            assert local_start.hour >= 6
            assert (local_end.hour, local_end.minute) <= (23, 45)
            cursor = session.start
            for activity in session.activities:
                assert activity.start == cursor >= previous_end
                assert activity.duration >= 1
                cursor = previous_end = activity.end
            assert cursor == session.end
            # A focus change always shows another window.
            pairs = zip(session.activities, session.activities[1:], strict=False)
            assert all((a.app, a.title) != (b.app, b.title) for a, b in pairs)


def test_a_year_has_realistic_hours_switches_and_days_off(year: list[Any]) -> None:
    activities = [a for day in year for s in day.sessions for a in s.activities]
    durations = [a.duration for a in activities]
    assert 30 <= statistics.mean(durations) <= 50  # a focus change every ~40 s
    assert statistics.median(durations) < statistics.mean(durations)  # a long tail...
    assert sum(d >= 3600 for d in durations) >= 5  # ...with some hour-long sittings
    off = [day for day in year if not day.sessions]
    assert 0.02 <= len(off) / len(year) <= 0.15
    worked = [day for day in year if day.sessions]
    hours = statistics.mean(day.active_seconds for day in worked) / 3600
    assert 7 <= hours <= 9.5
    weekday = statistics.mean(d.active_seconds for d in worked if d.date.weekday() < 5)
    weekend = statistics.mean(d.active_seconds for d in worked if d.date.weekday() >= 5)
    assert weekend < 0.8 * weekday
    assert 200_000 <= len(activities) <= 300_000


def test_apps_and_titles_repeat_like_real_ones(year: list[Any]) -> None:
    activities = [a for day in year for s in day.sessions for a in s.activities]
    truth = [t for day in year for s in day.sessions for t in s.truth]
    apps = {a.app for a in activities}
    assert 25 <= len(apps) <= 35
    online_labels = {label for category, label in truth if category is not Category.OTHER}
    assert 8 <= len(online_labels) <= 16
    assert {"WhatsApp", "TelegramDesktop", "Signal", "discord", "Slack", "firefox", "Google-chrome"} <= apps
    titles = Counter(a.title for a in activities)
    assert 1000 <= len(titles) <= 10_000  # a few thousand a year, not one per event
    assert titles.most_common(1)[0][1] > 1000
    assert any(t.endswith(" - YouTube - Google Chrome") for t in titles)
    assert {"(2) Facebook — Mozilla Firefox", "Home / X — Mozilla Firefox", "WhatsApp - Google Chrome"} <= set(titles)
    seconds = Counter[Category]()
    for activity, (category, _label) in zip(activities, truth, strict=True):
        seconds[category] += activity.duration
    online = (seconds[Category.SOCIAL] + seconds[Category.MESSAGING]) / sum(seconds.values())
    assert 0.15 <= online <= 0.5


def test_export_is_shaped_like_aw_server_and_reads_back_exactly(gen: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    summary = gen.write_aw_export(path, FIRST, LAST, seed=7, tz=AMSTERDAM, host="desk")
    buckets = json.loads(path.read_text(encoding="utf-8"))["buckets"]
    assert set(buckets) == {"aw-watcher-window_desk", "aw-watcher-afk_desk"}
    window, afk = buckets["aw-watcher-window_desk"], buckets["aw-watcher-afk_desk"]
    assert (window["type"], window["client"], window["hostname"]) == ("currentwindow", "aw-watcher-window", "desk")
    assert (afk["type"], afk["client"]) == ("afkstatus", "aw-watcher-afk")
    assert len(window["events"]) == summary.window_events
    for bucket in (window, afk):
        events = bucket["events"]
        starts = [datetime.fromisoformat(e["timestamp"]) for e in events]
        assert all(s.utcoffset() == timedelta(0) for s in starts)
        assert starts == sorted(starts, reverse=True)  # newest first
        assert [e["id"] for e in events] == list(range(len(events), 0, -1))
    assert {e["data"]["status"] for e in afk["events"]} == {"afk", "not-afk"}
    # AFK events tile every day from the first local midnight to the last, without gaps.
    oldest_first = list(reversed(afk["events"]))
    start = datetime.fromisoformat(oldest_first[0]["timestamp"]).timestamp()
    end = start
    for event in oldest_first:
        assert datetime.fromisoformat(event["timestamp"]).timestamp() == pytest.approx(end, abs=1e-6)
        end += event["duration"]
    assert start == datetime(2026, 10, 5, tzinfo=AMSTERDAM).timestamp()
    assert end == pytest.approx(datetime(2026, 11, 2, tzinfo=AMSTERDAM).timestamp())
    # Middenweg's own importer (which leaves AFK time out) gets back exactly the generated activity.
    imported = read_export(path)
    assert [(h.hostname, len(h.activities)) for h in imported.hosts] == [("desk", summary.window_events)]
    assert list(imported.hosts[0].activities) == list(gen.generate_activities(FIRST, LAST, seed=7, tz=AMSTERDAM))


def test_generate_command_writes_an_export(gen: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "two-weeks.json"
    assert gen.main(["--years", "0.04", "--seed", "3", "--out", str(out)]) == 0
    assert "window events" in capsys.readouterr().out
    assert len(read_export(out).hosts[0].activities) > 1000


def test_quick_benchmark_prints_every_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = load("run")
    assert run.main(["--quick", "--work", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Machine: ")
    table = [line for line in out.splitlines() if line.startswith("| ")]
    measures = [line.split(" | ")[0] for line in table[1:]]
    for expected in (
        "| Import ActivityWatch export",
        "| Storage write",
        "| Size on disk, 3 weeks",
        "| Size on disk, 6 weeks",
        "| Weekly report, 3 weeks",
        "| Weekly report, 6 weeks",
        "| Year view",
    ):
        assert any(m.startswith(expected) for m in measures), expected
    # The cached history is reused by a second run rather than built again.
    assert run.main(["--quick", "--work", str(tmp_path)]) == 0
    assert "reused from --work" in capsys.readouterr().out
