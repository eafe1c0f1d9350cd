"""The notifier chain on a real private session bus: plyer reaches a real notification server when one runs, and
the chain falls through to the log file, with the reason logged once, when none does."""

from __future__ import annotations

import datetime
import logging
import os
import signal
import stat
import time
from pathlib import Path

import pytest

from dbus_notifications import NotificationServer, Received, notification_server  # noqa: F401
from desktop import SessionBus
from fakes import FakeClock
from middenweg.notifications import LogNotifier, Notification, NotifierChain, PlyerNotifier

NO_SERVICE = (
    "No notification service is running on the session bus (org.freedesktop.Notifications), "
    "so desktop notifications cannot be shown."
)


class Refusing:
    """A third-party style adapter (as the Qt tray will be) that is there but never takes a notification."""

    name = "refusing"

    def __init__(self) -> None:
        self.offered: list[Notification] = []

    def available(self) -> tuple[bool, str]:
        return True, ""

    def send(self, note: Notification) -> bool:
        self.offered.append(note)
        return False


class Crashing:
    name = "crashing"

    def available(self) -> tuple[bool, str]:
        return True, ""

    def send(self, note: Notification) -> bool:
        raise RuntimeError("the tray icon went away")


def log_lines(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def test_plyer_delivers_to_the_running_notification_server(notification_server: NotificationServer) -> None:  # noqa: F811
    notifier = PlyerNotifier()
    assert notifier.available() == (True, "")

    assert notifier.send(Notification("Phone-free evening", "Your evening starts in 10 minutes.")) is True

    assert notification_server.wait_for(1) == [
        Received(app_name="Middenweg", summary="Phone-free evening", body="Your evening starts in 10 minutes.")
    ]


def test_chain_uses_plyer_first_and_leaves_the_log_alone(
    notification_server: NotificationServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    log_file = tmp_path / "logs" / "notifications.log"
    chain = NotifierChain([PlyerNotifier(), LogNotifier(log_file)])

    assert chain.send(Notification("Weekly summary", "2 h 5 min in social apps")) == "plyer"

    assert [r.summary for r in notification_server.wait_for(1)] == ["Weekly summary"]
    assert not log_file.exists()
    assert chain.describe() == [("plyer", True, ""), ("log", True, "")]


def test_without_a_notification_service_the_chain_falls_through_to_the_log(
    dbus_session: SessionBus, tmp_path: Path
) -> None:
    plyer = PlyerNotifier()
    assert plyer.available() == (False, NO_SERVICE)

    log_file = tmp_path / "logs" / "notifications.log"
    chain = NotifierChain([plyer, LogNotifier(log_file, clock=FakeClock(1_700_000_000.0))])

    assert chain.send(Notification("Goal reached", "Well done:\tunder 1 h today.\nSee you tomorrow.")) == "log"

    [(when, title, body)] = log_lines(log_file)
    assert title == "Goal reached"
    assert body == "Well done: under 1 h today. See you tomorrow."
    stamp = datetime.datetime.fromisoformat(when)
    assert stamp.utcoffset() is not None
    assert stamp.timestamp() == 1_700_000_000.0
    assert stat.S_IMODE(os.stat(log_file).st_mode) == 0o600
    assert chain.describe() == [("plyer", False, NO_SERVICE), ("log", True, "")]


def test_the_service_going_away_is_noticed_on_the_next_send(
    notification_server: NotificationServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    log_file = tmp_path / "notifications.log"
    chain = NotifierChain([PlyerNotifier(), LogNotifier(log_file)])
    assert chain.send(Notification("first", "shown")) == "plyer"

    notification_server.stop()

    assert chain.send(Notification("second", "logged")) == "log"
    assert [title for _, title, _ in log_lines(log_file)] == ["second"]


def test_the_skip_reason_is_logged_once_over_several_sends(
    dbus_session: SessionBus, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    chain = NotifierChain([PlyerNotifier(), LogNotifier(tmp_path / "notifications.log")])

    with caplog.at_level(logging.INFO, logger="middenweg.notifications"):
        for n in range(4):
            assert chain.send(Notification(f"note {n}", "body")) == "log"

    skips = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert skips == [f"Notifier 'plyer' is skipped: {NO_SERVICE}"]
    assert len(log_lines(tmp_path / "notifications.log")) == 4


def test_no_bus_at_all_is_unavailable_without_hanging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nowhere = f"unix:path={tmp_path / 'no-such-bus'}"
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", nowhere)
    started = time.monotonic()

    ok, reason = PlyerNotifier().available()

    assert time.monotonic() - started < 1.0
    assert not ok
    assert "cannot be reached" in reason
    assert nowhere in reason


def test_a_bus_that_never_answers_is_unavailable_within_the_time_limit(
    dbus_session: SessionBus, tmp_path: Path
) -> None:
    # A frozen bus daemon: the socket still accepts connections, but nobody reads them.
    os.kill(dbus_session.process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        ok, reason = PlyerNotifier().available()
        elapsed = time.monotonic() - started
    finally:
        os.kill(dbus_session.process.pid, signal.SIGCONT)

    assert not ok
    assert "cannot be reached" in reason
    assert elapsed < 1.0


def test_no_bus_address_is_unavailable_with_its_own_reason(tmp_path: Path) -> None:
    ok, reason = PlyerNotifier(environ={"XDG_RUNTIME_DIR": str(tmp_path)}).available()

    assert not ok
    assert "There is no D-Bus session bus" in reason


def test_outside_linux_plyer_is_offered_without_a_bus_check() -> None:
    assert PlyerNotifier(environ={}, platform="win32").available() == (True, "")
    assert PlyerNotifier(environ={}, platform="darwin").available() == (True, "")


def test_a_refusing_or_crashing_adapter_does_not_cost_the_notification(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    refusing = Refusing()
    log_file = tmp_path / "notifications.log"
    chain = NotifierChain([Crashing(), refusing, LogNotifier(log_file)])
    note = Notification("Evening check-in", "How did it go?", urgency="low")

    with caplog.at_level(logging.WARNING, logger="middenweg.notifications"):
        assert chain.send(note) == "log"

    assert refusing.offered == [note]
    assert [title for _, title, _ in log_lines(log_file)] == ["Evening check-in"]
    assert any("'crashing' failed" in r.getMessage() for r in caplog.records)


def test_when_nothing_delivers_the_chain_says_so(tmp_path: Path) -> None:
    # A log folder that is a file cannot take the log: the last link fails too.
    blocker = tmp_path / "logs"
    blocker.write_text("not a folder")
    chain = NotifierChain([Refusing(), LogNotifier(blocker / "notifications.log")])

    assert chain.send(Notification("t", "b")) is None


def test_the_log_keeps_earlier_lines_and_tightens_a_loose_file(tmp_path: Path) -> None:
    log_file = tmp_path / "notifications.log"
    log_file.write_text("earlier\tline\there\n")
    log_file.chmod(0o644)

    assert LogNotifier(log_file).send(Notification("later", "line")) is True

    assert [line[1] for line in log_lines(log_file)] == ["line", "later"]
    assert stat.S_IMODE(os.stat(log_file).st_mode) == 0o600


def test_a_text_starting_with_a_dash_is_never_read_as_an_option_by_notify_send() -> None:
    import shutil
    import subprocess

    from middenweg.notifications.plyer_adapter import not_an_option

    assert not_an_option("-u late evening") == "\u2060-u late evening"
    assert not_an_option("Board games") == "Board games"
    if shutil.which("notify-send") is None:
        return
    # notify-send itself, with no bus: a bare "-u late" is taken for the urgency option; with the joiner it is the
    # title, and only the missing bus is complained about.
    env = {"PATH": "/usr/bin:/bin", "DBUS_SESSION_BUS_ADDRESS": ""}
    bad = subprocess.run(["notify-send", "-u late", "body"], capture_output=True, text=True, env=env, check=False)
    good = subprocess.run(
        ["notify-send", not_an_option("-u late"), "body"], capture_output=True, text=True, env=env, check=False
    )
    assert "urgency" in (bad.stderr + bad.stdout).lower()
    assert "urgency" not in (good.stderr + good.stdout).lower()
