"""The real `middenweg probe` and `middenweg track --headless` processes in Wayland sessions: GNOME (the stand-in GNOME
Shell extensions and Mutter idle monitor on a private bus), KDE Plasma (the stand-in KWin and ScreenSaver) and Sway
(the real compositor, headless) and Hyprland (its socket answering as written from Hyprland's source). Switch windows,
be idle or not, and count the seconds, as on X11.

Waits are real seconds (kept to a few) because the process under test runs on the real clock.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from standin_gnome import GnomeStandin, start_gnome_standin
from standin_hyprland import Hypr, active_window_answer
from standin_kde import KdeStandin, start_kde_standin
from sway_session import SwaySession, sway_session

from clirunner import CliRunner, Result
from desktop import SessionBus, wait_until
from tracker_process import Tracker, seconds_by_category

pytestmark = [pytest.mark.e2e, pytest.mark.wayland]

#: A GNOME Wayland session as GDM starts it; there is no X11 (no DISPLAY) and nothing listens on WAYLAND_DISPLAY:
#: the probes ask GNOME Shell over the bus only.
GNOME_SESSION = {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "GNOME", "WAYLAND_DISPLAY": "wayland-0"}
#: A Plasma 6 Wayland session as SDDM starts it (KWin and the screen locker are the stand-ins on the bus).
PLASMA_SESSION = {
    "XDG_SESSION_TYPE": "wayland",
    "XDG_CURRENT_DESKTOP": "KDE",
    "KDE_SESSION_VERSION": "6",
    "WAYLAND_DISPLAY": "wayland-0",
}


def session_env(cli: CliRunner, bus: SessionBus, session: dict[str, str]) -> dict[str, str]:
    """The environment of a process started in ``session``: its bus and variables, and no X11 display."""
    env = cli.env(DBUS_SESSION_BUS_ADDRESS=bus.address, **session)
    for name in ("DISPLAY", "SWAYSOCK", "HYPRLAND_INSTANCE_SIGNATURE", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION"):
        if name not in session:
            env.pop(name, None)
    return env


def middenweg(env: dict[str, str], *args: str) -> Result:
    proc = subprocess.run(
        [sys.executable, "-m", "middenweg", *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def app_process() -> Iterator[int]:
    """A real process to stand for the apps in front (its pid is what the desktop would give)."""
    process = subprocess.Popen(["sleep", "300"])
    yield process.pid
    process.kill()
    process.wait()


def gnome_window(title: str, wm_class: str, pid: int) -> dict[str, Any]:
    return {"title": title, "wm_class": wm_class, "wm_class_instance": wm_class.lower(), "pid": pid, "id": pid}


@pytest.fixture
def gnome_shell(dbus_session: SessionBus, tmp_path: Path) -> Iterator[GnomeStandin]:
    shell = start_gnome_standin(
        dbus_session, tmp_path / "gnome", focused_window=True, idle_monitor=True, state={"window": None, "idle_ms": 0}
    )
    yield shell
    shell.stop()


def test_gnome_probe_reports_the_window_and_idle_time(
    cli: CliRunner, dbus_session: SessionBus, gnome_shell: GnomeStandin, app_process: int
) -> None:
    gnome_shell.set_state(
        {"window": gnome_window("Telegram (3)", "org.telegram.desktop", app_process), "idle_ms": 4500}
    )
    result = middenweg(session_env(cli, dbus_session, GNOME_SESSION), "probe", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["probe"] == "gnome-focused-window"
    assert data["window"]["app"] == "org.telegram.desktop" and data["window"]["title"] == "Telegram (3)"
    assert (data["category"], data["label"]) == ("messaging", "Telegram")
    assert data["idle_seconds"] == 4.5 and data["idle_probe"] == "gnome-idle"


def test_gnome_without_an_extension_says_what_to_install(
    cli: CliRunner, dbus_session: SessionBus, tmp_path: Path
) -> None:
    shell = start_gnome_standin(dbus_session, tmp_path / "bare", shell=True, idle_monitor=True)
    try:
        result = middenweg(session_env(cli, dbus_session, GNOME_SESSION), "probe", "--json")
        human = middenweg(session_env(cli, dbus_session, GNOME_SESSION), "probe")
    finally:
        shell.stop()
    assert result.code == 3
    data = json.loads(result.out)
    assert data["window"] is None
    reasons = {a["probe"]: a["reason"] for a in data["attempts"]}
    assert '"Focused Window D-Bus"' in reasons["gnome"] and "extensions.gnome.org" in reasons["gnome"]
    assert "extensions.gnome.org" in human.out and "Traceback" not in human.err


def test_gnome_tracking_counts_each_window_and_not_the_idle_time(
    cli: CliRunner, dbus_session: SessionBus, gnome_shell: GnomeStandin, app_process: int
) -> None:
    def show(title: str, wm_class: str, idle_ms: int = 0) -> None:
        gnome_shell.set_state({"window": gnome_window(title, wm_class, app_process), "idle_ms": idle_ms})

    show("Telegram (3)", "org.telegram.desktop")
    tracker = Tracker(cli, session_env(cli, dbus_session, GNOME_SESSION), "--idle-after", "2")
    started = time.monotonic()
    time.sleep(3)
    spent = {"messaging": time.monotonic() - started}
    show("(2) Facebook — Mozilla Firefox", "firefox")
    started = time.monotonic()
    time.sleep(3)
    spent["social"] = time.monotonic() - started
    # Then reading notes without touching anything: Mutter's idle time grows from the switch on; after 2 s the
    # user counts as away, and the time since the last input is taken back.
    show("notes.txt — Text Editor", "org.gnome.TextEditor")
    started = time.monotonic()
    while (idle := time.monotonic() - started) < 4:
        show("notes.txt — Text Editor", "org.gnome.TextEditor", idle_ms=int(idle * 1000))
        time.sleep(0.25)
    assert tracker.stop() == 0
    counted = seconds_by_category(cli)
    for category, seconds in spent.items():
        assert abs(counted[category] - seconds) <= 2, (category, counted, spent)
    assert counted["other"] <= 1, counted


# -- KDE Plasma --------------------------------------------------------------------------------------------------------


def plasma_window(caption: str, resource_class: str, pid: int) -> dict[str, Any]:
    return {
        "resourceClass": resource_class,
        "resourceName": resource_class.lower(),
        "caption": caption,
        "pid": pid,
        "desktopFileName": resource_class,
    }


@pytest.fixture
def kwin(dbus_session: SessionBus, tmp_path: Path) -> Iterator[KdeStandin]:
    standin = start_kde_standin(dbus_session, tmp_path / "kde", idle_ms=0)
    yield standin
    standin.resume()
    standin.stop()


def test_plasma_probe_loads_the_script_and_reports_the_window(
    cli: CliRunner, dbus_session: SessionBus, kwin: KdeStandin, app_process: int
) -> None:
    env = session_env(cli, dbus_session, PLASMA_SESSION)
    # The first reading loads the script; KWin's report (the stand-in's, as the script would send it) follows.
    first = json.loads(middenweg(env, "probe", "--json").out)
    assert [a["probe"] for a in first["attempts"]][:1] == ["kwin"]
    tracker = Tracker(cli, env)  # keeps its script loaded, as the tray app does
    try:
        wait_until(lambda: any(s["running"] for s in kwin.state()["scripts"]), "KWin to run the tracker's script")
        kwin.activate(plasma_window("Telegram (3)", "org.telegram.desktop", app_process))
        kwin.set_idle_ms(2_000)
        time.sleep(2)
    finally:
        assert tracker.stop() == 0
    assert seconds_by_category(cli)["messaging"] >= 1
    assert not any(s["running"] for s in kwin.state()["scripts"])  # the tracker took its script away on exit


def test_plasma_without_kwin_says_so(cli: CliRunner, dbus_session: SessionBus) -> None:
    result = middenweg(session_env(cli, dbus_session, PLASMA_SESSION), "probe", "--json")
    assert result.code == 3
    reasons = {a["probe"]: a["reason"] for a in json.loads(result.out)["attempts"]}
    assert "KWin is not on the session bus" in reasons["kwin"]


def test_plasma_tracking_counts_each_window(
    cli: CliRunner, dbus_session: SessionBus, kwin: KdeStandin, app_process: int
) -> None:
    tracker = Tracker(cli, session_env(cli, dbus_session, PLASMA_SESSION), "--idle-after", "60")
    wait_until(lambda: any(s["running"] for s in kwin.state()["scripts"]), "KWin to run the tracker's script")
    kwin.activate(plasma_window("Telegram (3)", "org.telegram.desktop", app_process))
    started = time.monotonic()
    time.sleep(3)
    spent = {"messaging": time.monotonic() - started}
    kwin.activate(plasma_window("(2) Facebook — Mozilla Firefox", "firefox", app_process))
    started = time.monotonic()
    time.sleep(3)
    spent["social"] = time.monotonic() - started
    kwin.activate(None)  # nothing in front (the lock screen): not counted
    time.sleep(1.5)
    assert tracker.stop() == 0
    counted = seconds_by_category(cli)
    for category, seconds in spent.items():
        assert abs(counted[category] - seconds) <= 2, (category, counted, spent)
    assert counted["other"] == 0


# -- Sway (real, headless) -------------------------------------------------------------------------------------------


@pytest.fixture
def sway(tmp_path: Path) -> Iterator[SwaySession]:
    with sway_session(tmp_path / "sway") as session:
        yield session


def sway_env(cli: CliRunner, sway: SwaySession) -> dict[str, str]:
    env = cli.env(**sway.env)
    env.pop("DISPLAY", None)
    return env


def test_sway_probe_reports_the_window_and_idle_time(cli: CliRunner, sway: SwaySession) -> None:
    sway.open_window("org.telegram.desktop", "Telegram (3)")
    result = middenweg(sway_env(cli, sway), "probe", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["probe"] == "sway" and data["window"]["app"] == "org.telegram.desktop"
    assert (data["category"], data["label"]) == ("messaging", "Telegram")
    assert data["idle_probe"] == "wayland-idle" and data["idle_seconds"] == 0.0


def test_sway_tracking_counts_each_window(cli: CliRunner, sway: SwaySession) -> None:
    sway.open_window("org.telegram.desktop", "Telegram (3)")
    sway.open_window("firefox", "(2) Facebook — Mozilla Firefox")
    sway.swaymsg("[app_id=org.telegram.desktop] focus")
    tracker = Tracker(cli, sway_env(cli, sway), "--idle-after", "60")
    started = time.monotonic()
    time.sleep(3)
    spent = {"messaging": time.monotonic() - started}
    sway.swaymsg("[app_id=firefox] focus")
    started = time.monotonic()
    time.sleep(3)
    spent["social"] = time.monotonic() - started
    assert tracker.stop() == 0
    counted = seconds_by_category(cli)
    for category, seconds in spent.items():
        assert abs(counted[category] - seconds) <= 2, (category, counted, spent)


# -- Hyprland (a stand-in socket) ------------------------------------------------------------------------------------


def hyprland_env(cli: CliRunner, hypr: Hypr) -> dict[str, str]:
    session = {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "Hyprland", "WAYLAND_DISPLAY": "wayland-1"}
    env = cli.env(**session, **hypr.environ)
    for name in ("DISPLAY", "SWAYSOCK", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(name, None)
    return env


def test_hyprland_probe_reports_the_window_and_why_idle_is_unknown(
    cli: CliRunner, hypr: Hypr, app_process: int
) -> None:
    hypr.start(active_window_answer("org.telegram.desktop", "Telegram (3)", app_process))
    result = middenweg(hyprland_env(cli, hypr), "probe", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["probe"] == "hyprland" and data["window"]["title"] == "Telegram (3)"
    assert (data["category"], data["label"]) == ("messaging", "Telegram")
    # The stand-in is only the hyprctl socket: nothing listens on WAYLAND_DISPLAY, so idle time is unknown, and why.
    assert data["idle_seconds"] is None and "wayland-1" in data["idle_reason"]


def test_hyprland_tracking_counts_each_window(cli: CliRunner, hypr: Hypr, app_process: int) -> None:
    server = hypr.start(active_window_answer("org.telegram.desktop", "Telegram (3)", app_process))
    tracker = Tracker(cli, hyprland_env(cli, hypr))
    started = time.monotonic()
    time.sleep(3)
    spent = {"messaging": time.monotonic() - started}
    server.answer = active_window_answer("firefox", "(2) Facebook — Mozilla Firefox", app_process)
    started = time.monotonic()
    time.sleep(3)
    spent["social"] = time.monotonic() - started
    assert tracker.stop() == 0
    counted = seconds_by_category(cli)
    for category, seconds in spent.items():
        assert abs(counted[category] - seconds) <= 2, (category, counted, spent)
