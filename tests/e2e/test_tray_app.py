"""The real tray app on Xvfb with icewm (window manager and tray): icon, single instance, quitting cleanly."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clirunner import CliRunner
from desktop import Desktop, stop_process, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.x11]


def start(cli: CliRunner, desktop: Desktop, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
    log = cli.home.parent / f"app-{len(list(cli.home.parent.glob('app-*.log')))}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "middenweg", *args],
        env=cli.env(**desktop.env()),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, log


def test_tray_icon_single_instance_and_clean_quit(cli: CliRunner, desktop: Desktop) -> None:
    chat = desktop.open_window("Signal", ("signal", "Signal"))
    desktop.activate(chat)
    app, log = start(cli, desktop)
    wait_until(lambda: "running in the system tray" in log.read_text(), "the tray icon", timeout=30)
    second = cli("dashboard", **desktop.env())
    assert second.code == 0 and "already running" in second.out
    wait_until(lambda: desktop.xdotool("search", "--onlyvisible", "--name", "Your week").strip(), "the dashboard")
    desktop.activate(chat)  # back to the chat for a few seconds (the dashboard had the focus)
    began = time.monotonic()
    while time.monotonic() - began < 3:
        desktop.move_mouse(40 + int(time.monotonic() * 10) % 50, 40)
        time.sleep(0.25)
    stop_process(app, sig=signal.SIGTERM, timeout=10)
    assert app.returncode == 0, log.read_text()
    # Quitting wrote what it tracked, including the last seconds before the quit.
    events = json.loads(cli("export", "--format", "json").out)["events"]
    signal_seconds = sum(e["duration"] for e in events if e["label"] == "Signal")
    assert signal_seconds >= 3 - 1, events  # 3 s in front of Signal; a tick's worth of tolerance on a busy machine


def test_a_headless_tracker_keeps_the_tray_app_out(cli: CliRunner, desktop: Desktop) -> None:
    tracker, log = start(cli, desktop, "track", "--headless")
    wait_until(lambda: "Ctrl+C" in log.read_text(), "the headless tracker", timeout=30)
    app = cli(**desktop.env())
    assert app.code == 1
    assert "already tracking" in app.err and f"process {tracker.pid}" in app.err
    stop_process(tracker, sig=signal.SIGINT, timeout=10)


def test_without_a_tray_the_dashboard_opens_and_says_why(cli: CliRunner, xvfb: Desktop) -> None:
    app, log = start(cli, xvfb)
    wait_until(lambda: "No system tray" in log.read_text(), "the no-tray fallback", timeout=40)
    wait_until(lambda: xvfb.xdotool("search", "--name", "Your week").strip(), "the dashboard window")
    stop_process(app, sig=signal.SIGTERM, timeout=10)
    assert app.returncode == 0


def test_demo_opens_on_made_up_weeks_and_leaves_the_real_home_alone(cli: CliRunner, desktop: Desktop) -> None:
    app, log = start(cli, desktop, "demo")
    wait_until(lambda: "running in the system tray" in log.read_text(), "the demo's tray icon", timeout=40)
    wait_until(lambda: desktop.xdotool("search", "--onlyvisible", "--name", "Your week").strip(), "the dashboard")
    demo_home = Path(log.read_text().split("Demo data is in ")[1].split(";")[0])
    weeks = json.loads(cli("report", "--json", MIDDENWEG_HOME=str(demo_home)).out)
    assert weeks["reference"]["age_group"] == "25-34" and weeks["previous_week_totals"]["social"] > 0
    stop_process(app, sig=signal.SIGTERM, timeout=10)
    assert app.returncode == 0
    assert not demo_home.exists()  # made-up data is removed when the demo quits
    assert not cli.home.exists()  # and the real home was never created, let alone touched
