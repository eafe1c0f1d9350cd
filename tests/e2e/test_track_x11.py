"""The real tracker process on a real X server with a window manager: switch windows, type or not, kill it.

Waits here are real seconds (kept to a few) because the process under test runs on the real clock.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clirunner import CliRunner
from desktop import Desktop
from tracker_process import Tracker, seconds_by_category

pytestmark = [pytest.mark.e2e, pytest.mark.x11]

MESSENGER = ("Telegram (3)", ("telegram-desktop", "TelegramDesktop"))
SOCIAL = ("(2) Facebook — Mozilla Firefox", ("Navigator", "firefox"))
EDITOR = ("notes.md - middenweg - Visual Studio Code", ("code", "Code"))


def start_tracker(cli: CliRunner, desktop: Desktop, *args: str) -> Tracker:
    """The tracker on the test's X display and its session bus."""
    env = cli.env(DISPLAY=desktop.display, **{k: v for k, v in desktop.env().items() if k.startswith("DBUS")})
    return Tracker(cli, env, *args)


def stay(desktop: Desktop, seconds: float, *, typing: bool = True) -> float:
    """Keep the user at the keyboard (or not) for ``seconds`` real seconds; returns the time actually spent."""
    start = time.monotonic()
    x = 10
    while time.monotonic() - start < seconds:
        if typing:
            x = 30 if x == 10 else 10
            desktop.move_mouse(x, 10)
        time.sleep(0.25)
    return time.monotonic() - start


@pytest.fixture
def windows(desktop: Desktop) -> Iterator[dict[str, object]]:
    opened = {name: desktop.open_window(title, cls) for name, (title, cls) in
              {"messenger": MESSENGER, "social": SOCIAL, "editor": EDITOR}.items()}  # fmt: skip
    yield opened
    for window in opened.values():
        window.close()  # type: ignore[attr-defined]


def test_each_category_gets_the_seconds_it_was_in_front(
    cli: CliRunner, desktop: Desktop, windows: dict[str, object]
) -> None:
    desktop.activate(windows["messenger"])  # type: ignore[arg-type]
    tracker = start_tracker(cli, desktop)
    spent = {"messaging": stay(desktop, 4)}
    desktop.activate(windows["social"])  # type: ignore[arg-type]
    spent["social"] = stay(desktop, 3)
    desktop.activate(windows["editor"])  # type: ignore[arg-type]
    spent["other"] = stay(desktop, 3)
    assert tracker.stop() == 0
    counted = seconds_by_category(cli)
    for category, seconds in spent.items():
        assert abs(counted[category] - seconds) <= 2, (category, counted, spent)


def test_idle_time_is_not_counted(cli: CliRunner, desktop: Desktop, windows: dict[str, object]) -> None:
    desktop.activate(windows["social"])  # type: ignore[arg-type]
    tracker = start_tracker(cli, desktop, "--idle-after", "2")
    stay(desktop, 1)
    stay(desktop, 5, typing=False)  # reading a long post without touching anything: away after 2 s
    assert tracker.stop() == 0
    assert seconds_by_category(cli)["social"] <= 1 + 1


def test_kill_9_loses_at_most_the_flush_interval_and_never_damages_the_database(
    cli: CliRunner, desktop: Desktop, windows: dict[str, object]
) -> None:
    desktop.activate(windows["messenger"])  # type: ignore[arg-type]
    tracker = start_tracker(cli, desktop, "--flush-interval", "2")
    maps = Path(f"/proc/{tracker.process.pid}/maps").read_text()
    assert "PySide6" not in maps and "matplotlib" not in maps  # headless means no Qt, no charts
    spent = stay(desktop, 5)
    tracker.stop(signal.SIGKILL)
    db = cli.home / "data" / "middenweg.sqlite3"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    counted = seconds_by_category(cli)["messaging"]
    assert spent - 2 - 1.5 <= counted <= spent + 1


def test_a_second_tracker_says_who_is_tracking(cli: CliRunner, desktop: Desktop) -> None:
    tracker = start_tracker(cli, desktop)
    second = cli("track", "--headless", DISPLAY=desktop.display)
    assert second.code == 1
    assert f"process {tracker.process.pid}" in second.err and "already tracking" in second.err
    assert tracker.stop() == 0


def test_probe_shows_what_it_sees(cli: CliRunner, desktop: Desktop, windows: dict[str, object]) -> None:
    desktop.activate(windows["social"])  # type: ignore[arg-type]
    result = cli("probe", "--json", DISPLAY=desktop.display)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["probe"] == "x11"
    assert data["window"]["app"] == "firefox" and data["window"]["title"] == SOCIAL[0]
    assert (data["category"], data["label"]) == ("social", "Facebook")
    assert data["window"]["pid"] is not None and data["idle_seconds"] is not None


def test_a_tracker_shares_its_time_through_the_sync_folder_when_it_stops(
    cli: CliRunner, desktop: Desktop, windows: dict[str, object], tmp_path: Path
) -> None:
    folder = tmp_path / "Sync"
    assert cli("config", "set", "sync-folder", str(folder)).code == 0
    desktop.activate(windows["messenger"])  # type: ignore[arg-type]
    tracker = start_tracker(cli, desktop)
    spent = stay(desktop, 3)
    assert tracker.stop() == 0
    other = CliRunner(tmp_path / "other-computer")
    assert other("config", "set", "sync-folder", str(folder)).code == 0
    week = json.loads(other("report", "--json").out)
    shared = [d for d in week["devices"] if d["totals"]["messaging"]]
    assert len(shared) == 1 and abs(shared[0]["totals"]["messaging"] - spent) <= 2


def test_titles_none_set_while_tracking_keeps_titles_out_from_then_on(
    cli: CliRunner, desktop: Desktop, windows: dict[str, object]
) -> None:
    assert cli("config", "set", "titles", "all").code == 0
    desktop.activate(windows["editor"])  # type: ignore[arg-type]
    tracker = start_tracker(cli, desktop, "--flush-interval", "1")
    stay(desktop, 2)
    assert cli("config", "set", "titles", "none").code == 0
    stay(desktop, 6)  # the tracker looks at its settings file every 5 s
    desktop.activate(windows["social"])  # type: ignore[arg-type]
    stay(desktop, 2)
    assert tracker.stop() == 0
    events = json.loads(cli("export", "--format", "json").out)["events"]
    assert events[0]["title"] == EDITOR[0]  # stored while titles were kept
    assert events[-1]["category"] == "social" and events[-1]["title"] is None
    assert events[-2]["title"] is None  # the editor too, once the tracker saw the change
