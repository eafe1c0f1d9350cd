"""The KDE Plasma probes on a real private session bus, against stand-ins for KWin's scripting interface and KDE's
screen saver (standin_kde.py), and the KWin script itself in Qt's JavaScript engine and node."""

from __future__ import annotations

import importlib.util
import os
import shutil
import stat
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from standin_kde import (
    CONTROL_IFACE,
    SCRIPT_IFACE,
    SCRIPTING_IFACE,
    KdeStandin,
    run_in_qt,
    start_kde_standin,
)
from standins import each_stopped

from desktop import SessionBus, wait_until
from fakes import FakeClock
from middenweg.tracking.platforms.kde import (
    CHECK_SECONDS,
    PLUGIN_NAME,
    RELOAD_SECONDS,
    REPORT_GRACE_SECONDS,
    REPORT_INTERFACE,
    REPORT_NO_WINDOW,
    REPORT_PATH,
    REPORT_WINDOW,
    RETRY_SECONDS,
    KWinWindowProbe,
    ScreenSaverIdleProbe,
    create_kde,
    script_text,
)
from middenweg.tracking.probes import IdleReading, ProbeState, ProbeStatus, WindowInfo, WindowReading

pytest_plugins = ["desktop"]
pytestmark = pytest.mark.wayland

StartStandin = Callable[..., KdeStandin]

NO_KWIN = (
    "KWin is not on the session bus: this is not a KDE Plasma session, or KWin is not running. On KDE Plasma, log in "
    'to a Plasma session; on other desktops, see README, "Tracking on Wayland".'
)
NO_SCREENSAVER = (
    "Idle time is unknown on this desktop: nothing on the session bus answers "
    "org.freedesktop.ScreenSaver.GetSessionIdleTime. On KDE Plasma it comes with the screen locker (package "
    "kscreenlocker); without it, time away from the computer counts until the screen locks."
)
IDLE_NOT_SUPPORTED = (
    "KDE Plasma does not give other programs the idle time in a Wayland session (GetSessionIdleTime is not "
    "supported), so Middenweg cannot see when you step away; lock the screen when you leave (Meta+L) so that the "
    "time away is not counted."
)
WAITING = "Middenweg's KWin script is starting; the active window is known as soon as KWin reports it."

ME = psutil.Process(os.getpid())
TELEGRAM = {
    "resourceClass": "org.telegram.desktop",
    "resourceName": "telegram-desktop",
    "caption": "Telegram (3)",
    "pid": ME.pid,
    "desktopFileName": "org.telegram.desktop",
}
FIREFOX = {
    "resourceClass": "firefox",
    "resourceName": "Navigator",
    "caption": "Instagram — Mozilla Firefox",
    "pid": ME.pid,
    "desktopFileName": "firefox",
}


def seen(window: dict[str, Any]) -> WindowInfo:
    """What the probe should read for a window the stand-in activates (its pid is this test process)."""
    return WindowInfo(
        app=window["resourceClass"], title=window["caption"], pid=ME.pid, process=ME.name(), executable=ME.exe()
    )


@pytest.fixture
def kde(dbus_session: SessionBus, tmp_path: Path) -> Iterator[StartStandin]:
    """Start stand-ins on the test's bus (keyword arguments as start_kde_standin); all stopped at teardown (a frozen
    one too: stop_process wakes it to act on TERM)."""

    def start(number: int, **options: Any) -> KdeStandin:
        return start_kde_standin(dbus_session, tmp_path / f"kde{number}", **options)

    yield from each_stopped(start)


@pytest.fixture
def runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "run"
    path.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(path))
    return path


@pytest.fixture
def probes(dbus_session: SessionBus, runtime_dir: Path) -> Iterator[tuple[KWinWindowProbe, ScreenSaverIdleProbe]]:
    window, idle = create_kde()  # the bus address comes from the environment, as in a Plasma session
    yield window, idle
    window.close()
    idle.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(0.0)


def reads(probe: KWinWindowProbe, expected: WindowReading) -> None:
    """Wait until the probe reads ``expected`` (a report crosses the bus asynchronously, as from KWin)."""
    wait_until(lambda: probe.active_window() == expected, f"the KWin probe to read {expected}")


def ok(window: WindowInfo | None) -> WindowReading:
    return WindowReading(ProbeStatus(ProbeState.OK), window)


def script_running(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe], in_front: dict[str, Any] | None = None
) -> tuple[KdeStandin, KWinWindowProbe]:
    """A stand-in KWin with ``in_front`` in front (None: no window), and the window probe once it has read that: its
    script is loaded and running."""
    standin = kde()
    if in_front is not None:
        standin.activate(in_front)
    window, _idle = probes
    assert window.active_window() == ok(None if in_front is None else seen(in_front))
    return standin, window


# -- the window probe ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("plasma", [6, 5])
def test_the_script_is_loaded_run_and_reports_the_window_in_front(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe], runtime_dir: Path, plasma: int
) -> None:
    standin = kde(plasma=plasma)
    standin.activate(TELEGRAM)  # in front before Middenweg starts: the script reports it when it runs
    window, _idle = probes

    first = window.active_window()

    state = standin.state()
    (script,) = state["scripts"]
    assert first == ok(seen(TELEGRAM))
    assert script["plugin"] == PLUGIN_NAME
    assert script["running"] and script["reports_to"] is not None
    assert script["text"] == script_text(script["reports_to"])
    assert script["object_path"] == ("/Scripting/Script0" if plasma == 6 else "/0")
    assert [call[:2] for call in state["calls"]] == [
        [SCRIPTING_IFACE, "unloadScript"],
        [SCRIPTING_IFACE, "loadScript"],
        [SCRIPT_IFACE, "run"],
    ]
    assert state["calls"][1][2] == [script["file"], PLUGIN_NAME]
    # KWin needs a file: a private one in the user's runtime folder.
    assert Path(script["file"]).parent == runtime_dir
    assert stat.S_IMODE(os.stat(script["file"]).st_mode) == 0o600
    assert state["report_replies"] == [[REPORT_WINDOW, "return"]]
    # Without KDE_SESSION_VERSION the Plasma 6 path is asked first.
    assert state["unknown_objects"] == ([] if plasma == 6 else [["/Scripting/Script0", SCRIPT_IFACE, "run"]])


def test_on_plasma_5_the_plasma_5_object_path_is_asked_first(
    kde: StartStandin, dbus_session: SessionBus, runtime_dir: Path
) -> None:
    standin = kde(plasma=5)
    standin.activate(FIREFOX)
    probe = KWinWindowProbe(environ={"DBUS_SESSION_BUS_ADDRESS": dbus_session.address, "KDE_SESSION_VERSION": "5"})
    try:
        assert probe.active_window() == ok(seen(FIREFOX))
    finally:
        probe.close()
    assert standin.state()["unknown_objects"] == []


def test_focus_and_title_changes_show_up_as_the_app_title_and_process(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    standin, window = script_running(kde, probes, TELEGRAM)

    standin.activate(FIREFOX)
    reads(window, ok(seen(FIREFOX)))
    renamed = {**FIREFOX, "caption": "WhatsApp — Mozilla Firefox"}
    standin.activate(renamed)
    reads(window, ok(seen(renamed)))
    standin.activate(TELEGRAM)
    reads(window, ok(seen(TELEGRAM)))


def test_a_window_without_a_class_is_named_by_its_desktop_file_its_name_or_its_process(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    standin = kde()
    window, _idle = probes
    assert window.active_window().status.state is ProbeState.OK

    standin.activate({**TELEGRAM, "resourceClass": ""})
    reads(window, ok(seen({**TELEGRAM, "resourceClass": "org.telegram.desktop"})))
    standin.activate({**TELEGRAM, "resourceClass": "", "desktopFileName": ""})
    reads(window, ok(seen({**TELEGRAM, "resourceClass": "telegram-desktop"})))
    standin.activate({"caption": "untitled", "pid": ME.pid})
    reads(window, ok(WindowInfo(app=ME.name(), title="untitled", pid=ME.pid, process=ME.name(), executable=ME.exe())))
    standin.activate({"resourceClass": "kitty", "caption": "~", "pid": None})
    reads(window, ok(WindowInfo(app="kitty", title="~", pid=None)))


def test_no_active_window_is_an_ok_reading_without_a_window(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    standin, window = script_running(kde, probes)  # nothing was in front when the script was loaded

    standin.activate(TELEGRAM)
    reads(window, ok(seen(TELEGRAM)))
    standin.activate(None)
    reads(window, ok(None))
    assert standin.state()["report_replies"][-1] == [REPORT_NO_WINDOW, "return"]


def test_close_unloads_the_script_and_removes_its_file(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    standin, window = script_running(kde, probes)
    file = Path(standin.state()["scripts"][0]["file"])

    window.close()

    state = standin.state()
    assert state["scripts"] == []
    assert state["calls"][-1] == [SCRIPTING_IFACE, "unloadScript", [PLUGIN_NAME]]
    assert not file.exists()


def test_a_stale_script_of_the_same_name_is_unloaded_before_loading(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe], tmp_path: Path
) -> None:
    standin = kde()
    stale = tmp_path / "stale.js"
    stale.write_text(script_text(":1.999"))  # left by a Middenweg that crashed
    assert standin.scripting("loadScript", "ss", (str(stale), PLUGIN_NAME)).body == (0,)
    standin.activate(FIREFOX)
    window, _idle = probes

    assert window.active_window() == ok(seen(FIREFOX))

    state = standin.state()
    (script,) = state["scripts"]
    assert script["file"] != str(stale) and script["reports_to"] != ":1.999"
    assert [call[:3] for call in state["calls"]] == [
        [SCRIPTING_IFACE, "loadScript", [str(stale), PLUGIN_NAME]],
        [SCRIPTING_IFACE, "unloadScript", [PLUGIN_NAME]],
        [SCRIPTING_IFACE, "loadScript", [script["file"], PLUGIN_NAME]],
        [SCRIPT_IFACE, "run", [0]],
    ]


def test_kwin_restarting_gets_the_script_loaded_again_at_once(
    kde: StartStandin, dbus_session: SessionBus, runtime_dir: Path, clock: FakeClock
) -> None:
    first = kde()
    first.activate(TELEGRAM)
    probe = KWinWindowProbe(dbus_session.address, monotonic=clock.monotonic)  # the clock stands still
    try:
        assert probe.active_window() == ok(seen(TELEGRAM))

        first.stop()
        reads(probe, WindowReading(ProbeStatus(ProbeState.UNSUPPORTED, NO_KWIN)))
        second = kde()
        second.activate(FIREFOX)
        reads(probe, ok(seen(FIREFOX)))  # without waiting for the retry time
        (script,) = second.state()["scripts"]
    finally:
        probe.close()

    assert script["running"] and script["reports_to"] is not None


def test_a_script_unloaded_by_another_program_is_loaded_again(
    kde: StartStandin, dbus_session: SessionBus, runtime_dir: Path, clock: FakeClock
) -> None:
    standin = kde()
    standin.activate(TELEGRAM)
    probe = KWinWindowProbe(dbus_session.address, monotonic=clock.monotonic)
    try:
        assert probe.active_window() == ok(seen(TELEGRAM))
        assert standin.scripting("unloadScript", "s", (PLUGIN_NAME,)).body == (True,)

        clock.advance(CHECK_SECONDS)
        after = probe.active_window()
        state = standin.state()
    finally:
        probe.close()

    assert after == ok(seen(TELEGRAM))
    assert len(state["scripts"]) == 1
    assert [call[1] for call in state["calls"][-5:]] == [
        "unloadScript",  # the other program
        "isScriptLoaded",
        "unloadScript",
        "loadScript",
        "run",
    ]


def test_no_kwin_on_the_bus_says_what_to_do(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    kde(kwin=False)  # a desktop with a screen saver service but no KWin
    window, _idle = probes

    assert window.active_window() == WindowReading(ProbeStatus(ProbeState.UNSUPPORTED, NO_KWIN))
    assert window.name == "kwin"


def test_a_kwin_without_scripting_gives_its_answer_as_the_reason(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    kde(no_scripting=True)
    window, _idle = probes

    assert window.active_window().status == ProbeStatus(
        ProbeState.UNSUPPORTED,
        "KWin did not run Middenweg's window script (org.freedesktop.DBus.Error.UnknownObject: No such object path "
        "'/Scripting'); Middenweg will try again in a few seconds. If this stays, log out of Plasma and in again, and "
        "report it to Middenweg if that does not help.",
    )


def test_a_script_that_never_reports_is_waited_for_then_explained_then_loaded_again(
    kde: StartStandin, dbus_session: SessionBus, runtime_dir: Path, clock: FakeClock
) -> None:
    standin = kde(silent_scripts=True)
    probe = KWinWindowProbe(dbus_session.address, monotonic=clock.monotonic)
    try:
        starting = probe.active_window()
        clock.advance(REPORT_GRACE_SECONDS)
        silent = probe.active_window()
        loads_before = [call[1] for call in standin.state()["calls"]].count("loadScript")
        clock.advance(RELOAD_SECONDS)
        probe.active_window()  # notices it has waited long enough
        probe.active_window()  # loads it again
        loads_after = [call[1] for call in standin.state()["calls"]].count("loadScript")
    finally:
        probe.close()

    assert starting == WindowReading(ProbeStatus(ProbeState.UNSUPPORTED, WAITING))
    assert silent == WindowReading(
        ProbeStatus(
            ProbeState.UNSUPPORTED,
            "KWin loaded Middenweg's script, but the script has not reported the active window; look for a script "
            'error in the KWin log ("journalctl --user -b | grep -i kwin"). Middenweg loads it again in a minute.',
        )
    )
    assert (loads_before, loads_after) == (1, 2)


def test_a_hung_kwin_costs_one_timeout_then_waits_for_the_retry_time(
    kde: StartStandin, dbus_session: SessionBus, runtime_dir: Path, clock: FakeClock
) -> None:
    standin = kde()
    standin.freeze()  # owns org.kde.KWin but answers nothing
    probe = KWinWindowProbe(dbus_session.address, monotonic=clock.monotonic)
    try:
        first = probe.active_window()
        again = probe.active_window()
        standin.resume()
        # The stand-in answers in order: what was queued while it hung comes before this question of the test's.
        asked_while_hung = [call[1] for call in standin.state()["calls"]]
        clock.advance(RETRY_SECONDS)
        wait_until(lambda: probe.active_window().status.ok, "the KWin probe to load its script once KWin answers")
    finally:
        probe.close()

    hung = ProbeStatus(
        ProbeState.UNSUPPORTED, "KWin did not answer in time; Middenweg will try again in a few seconds."
    )
    assert (first.status, again.status) == (hung, hung)
    assert asked_while_hung == ["unloadScript"]  # one question and its timeout; nothing more until the retry time


def test_a_kwin_that_hangs_after_loading_does_not_stall_the_reading(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    standin, window = script_running(kde, probes, TELEGRAM)
    asked_before = len(standin.state()["calls"])
    standin.freeze()
    reading = window.active_window()
    standin.resume()
    asked_after = len(standin.state()["calls"])  # answered in order: after anything the reading sent

    assert reading == ok(seen(TELEGRAM))  # the last report stands
    assert asked_after == asked_before  # the reading did not wait on KWin: it asked nothing


def test_odd_calls_from_kwin_are_answered_and_never_raise(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    standin, window = script_running(kde, probes, TELEGRAM)

    standin.send(REPORT_WINDOW, "i", [7])
    standin.send("Quit", "", [])
    wait_until(lambda: window.active_window() and len(standin.state()["report_replies"]) == 3, "the odd calls")
    assert window.active_window() == ok(seen(TELEGRAM))  # not a window report: nothing changes

    standin.send(REPORT_WINDOW, "isdbu", [1, "x", 2.5, True, 5])  # five arguments of the wrong types
    reads(window, ok(WindowInfo(app="1", title=None, pid=None)))
    standin.send(REPORT_WINDOW, "sssss", ["slack", "slack", "x" * 1_000_000, "-12", ""])
    reads(window, ok(WindowInfo(app="slack", title="x" * 1_000_000, pid=None)))
    standin.send(REPORT_WINDOW, "sssss", ["slack", "slack", "Slack", "99999999999999999999", ""])
    reads(window, ok(WindowInfo(app="slack", title="Slack", pid=None)))

    assert standin.state()["report_replies"] == [
        [REPORT_WINDOW, "return"],
        [REPORT_WINDOW, "org.freedesktop.DBus.Error.InvalidArgs"],
        ["Quit", "org.freedesktop.DBus.Error.UnknownMethod"],
        [REPORT_WINDOW, "return"],
        [REPORT_WINDOW, "return"],
        [REPORT_WINDOW, "return"],
    ]


def test_only_kwin_may_report_the_window(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call

    standin, window = script_running(kde, probes, TELEGRAM)
    probe_name = standin.state()["scripts"][0]["reports_to"]
    address = DBusAddress(REPORT_PATH, bus_name=probe_name, interface=REPORT_INTERFACE)
    spoof = new_method_call(address, REPORT_WINDOW, "sssss", ("evil", "evil", "evil", "1", ""))
    standin.conn.send(spoof)  # from another program's connection

    def answered() -> Any:
        window.active_window()  # the probe answers while it reads
        try:
            return standin.conn.receive(timeout=0.05)
        except TimeoutError:
            return None

    answer = wait_until(answered, "the probe to answer a report from another program")

    assert answer.header.message_type is MessageType.error
    assert answer.header.fields[HeaderFields.error_name] == "org.freedesktop.DBus.Error.AccessDenied"
    assert window.active_window() == ok(seen(TELEGRAM))


def test_the_probe_introspects_its_report_object(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    standin, window = script_running(kde, probes)

    standin.send("org.freedesktop.DBus.Introspectable.Introspect", "", [])
    standin.send("Introspect", "", [])  # on the report interface there is no such method
    wait_until(lambda: window.active_window() and len(standin.state()["report_replies"]) == 3, "Introspect")

    assert standin.state()["report_replies"][1:] == [
        ["Introspect", "return"],
        ["Introspect", "org.freedesktop.DBus.Error.UnknownMethod"],
    ]


def test_without_a_session_bus(tmp_path: Path) -> None:
    window = KWinWindowProbe(environ={"XDG_RUNTIME_DIR": str(tmp_path)})  # no address, no $XDG_RUNTIME_DIR/bus
    idle = ScreenSaverIdleProbe(environ={"XDG_RUNTIME_DIR": str(tmp_path)})

    expected = ProbeStatus(
        ProbeState.UNSUPPORTED,
        "There is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set); start Middenweg inside your desktop "
        "session, and it will try again in a few seconds.",
    )
    assert window.active_window() == WindowReading(expected)
    assert idle.idle().status == expected
    window.close()
    idle.close()


# -- the idle probe -----------------------------------------------------------------------------------------------


def test_idle_time_in_seconds_from_kde_milliseconds(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    standin = kde(kwin=False, idle_ms=12_345)
    _window, idle = probes

    first = idle.idle()
    standin.set_idle_ms(0)
    second = idle.idle()
    standin.set_idle_ms(3_600_000)
    third = idle.idle()

    assert [(r.status.state, r.seconds) for r in (first, second, third)] == [
        (ProbeState.OK, 12.345),
        (ProbeState.OK, 0.0),
        (ProbeState.OK, 3600.0),
    ]
    assert idle.name == "screensaver"


def test_a_screen_saver_at_kdes_own_path_only_is_found_there_and_asked_there_first(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    standin = kde(kwin=False, idle_ms=2_500, screensaver_paths=["/ScreenSaver"])
    _window, idle = probes

    readings = [idle.idle().seconds for _ in range(3)]

    assert readings == [2.5, 2.5, 2.5]
    assert standin.state()["unknown_objects"] == [
        ["/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "GetSessionIdleTime"]
    ]


def test_no_screen_saver_service_says_idle_time_is_unknown(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    kde(screensaver=False)
    _window, idle = probes

    assert idle.idle() == IdleReading(ProbeStatus(ProbeState.UNSUPPORTED, NO_SCREENSAVER))


def test_plasma_on_wayland_refusing_the_idle_time_says_so(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe]
) -> None:
    kde(idle_not_supported=True)
    _window, idle = probes

    reading = idle.idle()

    assert (reading.status, reading.seconds) == (ProbeStatus(ProbeState.UNSUPPORTED, IDLE_NOT_SUPPORTED), None)


def test_a_hung_screen_saver_costs_one_timeout_then_is_left_alone_until_the_retry_time(
    kde: StartStandin, dbus_session: SessionBus, clock: FakeClock
) -> None:
    standin = kde(kwin=False, idle_ms=5_000)
    idle = ScreenSaverIdleProbe(dbus_session.address, monotonic=clock.monotonic)
    try:
        assert idle.idle().seconds == 5.0
        asked_before = len(standin.state()["calls"])
        standin.freeze()
        hung = idle.idle()
        again = idle.idle()
        standin.resume()
        asked_while_hung = [call[1] for call in standin.state()["calls"][asked_before:]]
        clock.advance(RETRY_SECONDS)
        back = idle.idle()
    finally:
        idle.close()

    not_answering = ProbeStatus(
        ProbeState.UNSUPPORTED,
        "The screen saver service did not say the idle time in time; Middenweg will ask again shortly.",
    )
    assert (hung.status, again.status) == (not_answering, not_answering)
    assert asked_while_hung == ["GetSessionIdleTime"]  # one timeout, then left alone until the retry time
    assert back.seconds == 5.0


# -- the script ---------------------------------------------------------------------------------------------------


def needs_qt_javascript() -> None:
    """Skip where PySide6 is absent (the job that runs without it); it is not imported here, only in run_in_qt's
    subprocess."""
    if importlib.util.find_spec("PySide6") is None:
        pytest.skip("PySide6 is not installed; it runs the KWin script in Qt's JavaScript engine")


def test_the_script_uses_both_plasma_apis_and_calls_exactly_what_the_probe_serves() -> None:
    text = script_text(":1.42")

    assert "workspace.windowActivated.connect(activated)" in text and "workspace.activeWindow" in text  # Plasma 6
    assert "workspace.clientActivated.connect(activated)" in text and "workspace.activeClient" in text  # Plasma 5
    assert 'var SERVICE = ":1.42";' in text
    assert f'var PATH = "{REPORT_PATH}";' in text
    assert f'var INTERFACE = "{REPORT_INTERFACE}";' in text
    assert f'callDBus(SERVICE, PATH, INTERFACE, "{REPORT_WINDOW}",' in text
    assert f'callDBus(SERVICE, PATH, INTERFACE, "{REPORT_NO_WINDOW}");' in text
    assert "@SERVICE@" not in text


def test_the_script_is_valid_javascript_for_node(tmp_path: Path) -> None:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node is not installed (apt-get install nodejs); it checks the KWin script's syntax")
    file = tmp_path / "script.js"
    file.write_text(script_text(":1.42"))

    done = subprocess.run([node, "--check", str(file)], capture_output=True, text=True, timeout=30, check=False)

    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("plasma", [6, 5])
def test_the_script_in_qt_javascript_engine_reports_like_the_standin(tmp_path: Path, plasma: int) -> None:
    """KWin runs scripts in QJSEngine; here the script runs there against a fake workspace of each Plasma version
    (on Plasma 5 the class and name are QByteArray properties, ArrayBuffers in JavaScript)."""
    needs_qt_javascript()
    telegram = {"name": "telegram", **TELEGRAM, "caption": "Télégram (3)"}
    kitty = {"name": "kitty", "resourceClass": "kitty", "resourceName": "kitty", "caption": "~", "pid": 4242}
    steps = [
        ["active", telegram],
        ["activate", kitty],
        ["caption", "telegram", "Telegram (4)"],  # no longer in front: not reported
        ["caption", "kitty", "~/src"],
        ["activate", None],
    ]

    made = run_in_qt(script_text(":1.42"), plasma, steps, tmp_path)

    target = {"service": ":1.42", "path": REPORT_PATH, "interface": REPORT_INTERFACE}
    strings = ["str"] * 5
    assert made == [
        {**target, "method": REPORT_WINDOW, "types": strings,
         "args": ["org.telegram.desktop", "telegram-desktop", "Télégram (3)", str(ME.pid), "org.telegram.desktop"]},
        {**target, "method": REPORT_WINDOW, "types": strings, "args": ["kitty", "kitty", "~", "4242", ""]},
        {**target, "method": REPORT_WINDOW, "types": strings, "args": ["kitty", "kitty", "~/src", "4242", ""]},
        {**target, "method": REPORT_NO_WINDOW, "types": [], "args": []},
    ]  # fmt: skip


def test_the_script_reports_no_window_at_load_when_nothing_is_in_front(tmp_path: Path) -> None:
    needs_qt_javascript()
    made = run_in_qt(script_text(":1.7"), 6, [["active", None]], tmp_path)

    assert [(call["method"], call["args"]) for call in made] == [(REPORT_NO_WINDOW, [])]


def test_the_standin_answers_unknown_objects_and_methods_as_qtdbus_does(kde: StartStandin) -> None:
    from jeepney import DBusAddress, HeaderFields, new_method_call

    standin = kde(plasma=6)

    def ask(path: str, interface: str, member: str) -> tuple[str, Any]:
        address = DBusAddress(path, bus_name="org.kde.KWin", interface=interface)
        reply = standin.conn.send_and_get_reply(new_method_call(address, member), timeout=5)
        return str(reply.header.fields.get(HeaderFields.error_name, "")), reply.body

    assert ask("/0", SCRIPT_IFACE, "run") == ("org.freedesktop.DBus.Error.UnknownObject", ("No such object path '/0'",))
    assert ask("/Scripting", "org.kde.kwin.Nothing", "start") == (
        "org.freedesktop.DBus.Error.UnknownInterface",
        ("No such interface 'org.kde.kwin.Nothing' at object path '/Scripting'",),
    )
    assert ask("/Scripting", SCRIPTING_IFACE, "reload") == (
        "org.freedesktop.DBus.Error.UnknownMethod",
        ("No such method 'reload' in interface 'org.kde.kwin.Scripting' at object path '/Scripting' (signature '')",),
    )
    assert ask("/Scripting", SCRIPTING_IFACE, "start") == ("", ())
    assert "org.kde.kwin.Scripting" in ask("/Scripting", "org.freedesktop.DBus.Introspectable", "Introspect")[1][0]
    assert CONTROL_IFACE.startswith("org.middenweg.TestOnly.")


def test_cpu_cost_per_reading(
    kde: StartStandin, probes: tuple[KWinWindowProbe, ScreenSaverIdleProbe], capsys: pytest.CaptureFixture[str]
) -> None:
    """Measured, not asserted: CPU time of one active_window() and one idle() once the script reports."""
    standin = kde(idle_ms=1_000)
    standin.activate(TELEGRAM)
    window, idle = probes
    assert window.active_window().status.ok
    runs = 200
    start = time.process_time()
    readings = {window.active_window() for _ in range(runs)}
    per_window = (time.process_time() - start) / runs
    start = time.process_time()
    idles = {idle.idle().seconds for _ in range(runs)}
    per_idle = (time.process_time() - start) / runs
    with capsys.disabled():
        print(
            f"\nKDE probes CPU: {per_window * 1e3:.3f} ms per active_window(), {per_idle * 1e3:.3f} ms per idle() "
            f"({runs} calls each)"
        )
    assert readings == {ok(seen(TELEGRAM))}
    assert idles == {1.0}
