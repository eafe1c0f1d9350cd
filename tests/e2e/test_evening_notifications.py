"""An evening's notifications from the real headless tracker, through a real notification server on a private
session bus, on a real X server: "starts now" on time, a nudge when a messenger is used, nothing twice.

The tracker runs under libfaketime with its clock set a few seconds before the evening starts (evenings start on
a whole minute; waiting up to a minute for one would make this test slow). The X server, the bus and the
notification server keep the real time. Waits are real seconds, kept to a few.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from clirunner import CliRunner
from dbus_notifications import NotificationServer, notification_server  # noqa: F401
from desktop import Desktop, stop_process, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.x11]

AMS = ZoneInfo("Europe/Amsterdam")
MESSENGER = ("WhatsApp", ("whatsapp", "WhatsApp"))
EDITOR = ("notes.md - Visual Studio Code", ("code", "Code"))
SLIP_TITLES = {"Your evening is still on", "A gentle reminder", "Offline for a little longer"}
LEAD = 4  # seconds between the tracker's start and the evening's


def start_tracker(cli: CliRunner, desktop: Desktop, offset: float, log: Path) -> subprocess.Popen[bytes]:
    env = cli.env(DISPLAY=desktop.display, **{k: v for k, v in desktop.env().items() if k.startswith("DBUS")})
    env["DONT_FAKE_MONOTONIC"] = "1"  # timed waits (the tick loop's) need the real monotonic clock
    handle = log.open("w")
    process = subprocess.Popen(
        ["faketime", "-f", f"{offset:+.3f}s", sys.executable, "-m", "middenweg", "track", "--headless"],
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_until(lambda: "Ctrl+C" in log.read_text(), "the tracker to start", timeout=20)
    return process


def keep_busy(desktop: Desktop, seconds: float) -> None:
    end = time.monotonic() + seconds
    x = 10
    while time.monotonic() < end:
        x = 30 if x == 10 else 10
        desktop.move_mouse(x, 10)
        time.sleep(0.25)


@pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime (libfaketime) is not installed")
def test_starts_now_on_time_a_nudge_for_a_messenger_and_nothing_twice_after_a_restart(
    cli: CliRunner,
    desktop: Desktop,
    notification_server: NotificationServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    editor = desktop.open_window(*EDITOR)
    messenger = desktop.open_window(*MESSENGER)
    desktop.activate(editor)
    start = (datetime.now(AMS) + timedelta(minutes=2)).replace(second=0, microsecond=0)
    added = cli("evenings", "add", "--on", start.date().isoformat(), "--from", f"{start:%H:%M}",
                "--to", f"{start + timedelta(hours=1):%H:%M}", "--title", "Game night", "--remind", "0m")  # fmt: skip
    assert added.code == 0, added.err
    offset = start.timestamp() - LEAD - time.time()  # the tracker's clock: LEAD seconds before the start

    began = time.monotonic()
    tracker = start_tracker(cli, desktop, offset, tmp_path / "tracker1.log")
    try:
        (first,) = notification_server.wait_for(1, timeout=LEAD + 10)
        arrived = time.monotonic() - began
        assert first.summary == "Game night starts now"
        assert first.app_name == "Middenweg"
        assert arrived <= LEAD + 4  # on time, give or take a tick and the notification round trip
        desktop.activate(messenger)
        keep_busy(desktop, 1)
        second = notification_server.wait_for(2, timeout=10)[1]
        assert second.summary in SLIP_TITLES
        assert "Game night" in second.body
    finally:
        stop_process(tracker, timeout=10)

    offset = start.timestamp() + 30 - time.time()  # restarted half a minute into the evening, still on WhatsApp
    again = start_tracker(cli, desktop, offset, tmp_path / "tracker2.log")
    try:
        keep_busy(desktop, 4)
        assert len(notification_server.received()) == 2  # neither "starts now" nor a nudge again
    finally:
        stop_process(again, timeout=10)
