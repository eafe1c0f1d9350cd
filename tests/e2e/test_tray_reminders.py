"""The real tray app delivers an evening's notifications through a real notification server on a private session
bus, on a real X server with a window manager and a tray: "starts now" on time, a nudge when a messenger is used
during the evening, and nothing twice after a restart.

As in ``test_evening_notifications`` (the headless tracker), the app runs under libfaketime with its clock a few
seconds before the evening's start; the X server, the bus and the notification server keep the real time, and
waits are real seconds, kept to a few.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_evening_notifications import EDITOR, MESSENGER, SLIP_TITLES, keep_busy

from clirunner import CliRunner
from dbus_notifications import NotificationServer, notification_server  # noqa: F401
from desktop import Desktop, stop_process, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.x11]

AMS = ZoneInfo("Europe/Amsterdam")
LEAD = 6  # seconds between the app's start and the evening's: the tray app takes about a second to be ready


def start_app(cli: CliRunner, desktop: Desktop, offset: float, log: Path) -> subprocess.Popen[bytes]:
    env = cli.env(**desktop.env())
    env["DONT_FAKE_MONOTONIC"] = "1"  # Qt's timers need the real monotonic clock
    process = subprocess.Popen(
        ["faketime", "-f", f"{offset:+.3f}s", sys.executable, "-m", "middenweg"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_until(lambda: "running in the system tray" in log.read_text(), "the tray icon", timeout=30)
    return process


@pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime (libfaketime) is not installed")
def test_the_tray_app_says_starts_now_nudges_once_and_not_again_after_a_restart(
    cli: CliRunner,
    desktop: Desktop,
    notification_server: NotificationServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    assert cli("config", "set", "age-group", "25-34").code == 0  # no welcome window in the way
    editor = desktop.open_window(*EDITOR)
    messenger = desktop.open_window(*MESSENGER)
    desktop.activate(editor)
    start = (datetime.now(AMS) + timedelta(minutes=2)).replace(second=0, microsecond=0)
    added = cli("evenings", "add", "--on", start.date().isoformat(), "--from", f"{start:%H:%M}",
                "--to", f"{start + timedelta(hours=1):%H:%M}", "--title", "Quiz night", "--remind", "0m")  # fmt: skip
    assert added.code == 0, added.err

    began = time.monotonic()
    app = start_app(cli, desktop, start.timestamp() - LEAD - time.time(), tmp_path / "app1.log")
    try:
        (first,) = notification_server.wait_for(1, timeout=LEAD + 10)
        arrived = time.monotonic() - began
        assert first.summary == "Quiz night starts now" and first.app_name == "Middenweg"
        assert arrived <= LEAD + 4  # on time, give or take the timer's margin and the round trip
        desktop.activate(messenger)
        keep_busy(desktop, 1)
        second = notification_server.wait_for(2, timeout=10)[1]
        assert second.summary in SLIP_TITLES and "Quiz night" in second.body
    finally:
        stop_process(app, sig=signal.SIGTERM, timeout=10)  # faketime's own exit code says nothing: not checked

    app = start_app(cli, desktop, start.timestamp() + 30 - time.time(), tmp_path / "app2.log")
    try:
        keep_busy(desktop, 4)  # still on the messenger, half a minute into the evening
        assert len(notification_server.received()) == 2  # neither "starts now" nor a nudge again
    finally:
        stop_process(app, sig=signal.SIGTERM, timeout=10)
