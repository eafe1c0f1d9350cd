"""The GNOME probes on a real private session bus, against stand-ins of the two GNOME Shell extensions and of Mutter's
idle monitor (standin_gnome.py): what the tracker would record, what the user is told when a piece is missing, and
that a hung, vanished or nonsensical service never stalls or breaks the probe."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from standin_gnome import GnomeStandin, start_gnome_standin
from standins import each_stopped

from desktop import SessionBus, session_bus
from fakes import FakeClock
from middenweg.tracking.platforms.gnome import RETRY_SECONDS, GnomeWindowProbe, MutterIdleProbe, create_gnome
from middenweg.tracking.probes import ProbeState, WindowInfo, WindowReading

pytest_plugins = ["desktop"]
pytestmark = pytest.mark.wayland

StartStandin = Callable[..., GnomeStandin]

NO_EXTENSION = (
    'GNOME Shell tells which window is in front only through an extension, and neither "Focused Window D-Bus" nor '
    '"Window Calls Extended" answers on the session bus: install one of them from extensions.gnome.org, enable it, '
    "then log out and in again."
)
NO_SHELL = (
    "GNOME Shell is not running on this session bus, so it cannot say which window is in front; on GNOME, start "
    "Middenweg from within your GNOME session."
)
NO_IDLE_MONITOR = (
    "Mutter's idle monitor does not answer on the session bus, so idle time cannot be measured: this is not a GNOME "
    "session, or its GNOME is too old; log in to a GNOME 3.10 or later session."
)
SHELL_SILENT = (
    "GNOME Shell did not answer within 200 ms; Middenweg asks again in a few seconds (if this lasts, log out and in "
    "again)."
)
IDLE_SILENT = (
    "Mutter's idle monitor did not answer within 200 ms; Middenweg asks again in a few seconds (if this lasts, log "
    "out and in again)."
)

#: The extension flags of the stand-in, one per way GNOME Shell can tell the window in front.
EXTENSIONS = {
    "focused-window": {"focused_window": True},
    "focused-window-gnome-43": {"focused_window_43": True},
    "window-calls-extended": {"window_calls": True},
}
PROBE_NAMES = {
    "focused-window": "gnome-focused-window",
    "focused-window-gnome-43": "gnome-focused-window",
    "window-calls-extended": "gnome-window-calls",
}


@pytest.fixture
def gnome(dbus_session: SessionBus, tmp_path: Path) -> Iterator[StartStandin]:
    """A factory: ``gnome(focused_window=True, ...)`` starts a stand-in on the test's bus; all stop at teardown."""

    def start(number: int, **parts: Any) -> GnomeStandin:
        return start_gnome_standin(dbus_session, tmp_path / f"gnome-{number}", **parts)

    yield from each_stopped(start)


@pytest.fixture
def probes(dbus_session: SessionBus) -> Iterator[tuple[GnomeWindowProbe, MutterIdleProbe]]:
    window, idle = create_gnome()  # the bus address comes from the environment, as in a desktop session
    yield window, idle
    window.close()
    idle.close()


@pytest.fixture
def app_process() -> Iterator[psutil.Process]:
    """A real process to stand for the app whose window is in front (its pid is what GNOME Shell would give)."""
    process = subprocess.Popen(["sleep", "300"])
    yield psutil.Process(process.pid)
    process.kill()
    process.wait()


def editor(pid: int, title: str = "notes.txt — Text Editor", window_id: int = 2274918779) -> dict[str, Any]:
    return {
        "title": title,
        "wm_class": "org.gnome.TextEditor",
        "wm_class_instance": "org.gnome.TextEditor",
        "pid": pid,
        "id": window_id,
    }


def firefox(pid: int) -> dict[str, Any]:
    # An XWayland window: Mutter's get_wm_class() is the X11 class, get_wm_class_instance() the instance.
    return {"title": "Middenweg — Mozilla Firefox", "wm_class": "firefox", "wm_class_instance": "Navigator", "pid": pid}


# -- what the tracker records --------------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", list(EXTENSIONS))
def test_each_extension_gives_the_app_title_and_process(
    extension: str, gnome: StartStandin, probes: tuple[GnomeWindowProbe, MutterIdleProbe], app_process: psutil.Process
) -> None:
    window_probe, _idle = probes
    gnome(**EXTENSIONS[extension], state={"window": editor(app_process.pid), "others": [firefox(app_process.pid)]})

    reading = window_probe.active_window()

    assert reading.status.ok, reading.status.reason
    assert reading.window == WindowInfo(
        app="org.gnome.TextEditor",
        title="notes.txt — Text Editor",
        pid=app_process.pid,
        process="sleep",
        executable=app_process.exe(),
    )
    assert window_probe.name == PROBE_NAMES[extension]


@pytest.mark.parametrize("extension", list(EXTENSIONS))
def test_switching_focus_is_seen_on_the_next_call(
    extension: str, gnome: StartStandin, probes: tuple[GnomeWindowProbe, MutterIdleProbe], app_process: psutil.Process
) -> None:
    window_probe, _idle = probes
    shell = gnome(**EXTENSIONS[extension], state={"window": editor(app_process.pid)})
    first = window_probe.active_window().window

    shell.focus(firefox(app_process.pid), others=[editor(app_process.pid)])
    second = window_probe.active_window().window
    shell.focus(editor(app_process.pid, title="todo.md — Text Editor"))
    third = window_probe.active_window().window

    assert [(w.app, w.title) if w else None for w in (first, second, third)] == [
        ("org.gnome.TextEditor", "notes.txt — Text Editor"),
        ("firefox", "Middenweg — Mozilla Firefox"),
        ("org.gnome.TextEditor", "todo.md — Text Editor"),
    ]


@pytest.mark.parametrize("extension", list(EXTENSIONS))
def test_no_window_in_focus_is_an_ok_reading_without_a_window(
    extension: str, gnome: StartStandin, probes: tuple[GnomeWindowProbe, MutterIdleProbe], app_process: psutil.Process
) -> None:
    """The lock screen or the overview: GNOME Shell has no focused window, so the user is away from any app."""
    window_probe, _idle = probes
    shell = gnome(**EXTENSIONS[extension], state={"window": editor(app_process.pid)})
    assert window_probe.active_window().window is not None

    shell.focus(None, others=[firefox(app_process.pid)])
    locked = window_probe.active_window()

    assert locked.status.ok, locked.status.reason
    assert locked.window is None
    assert window_probe.name == PROBE_NAMES[extension]


def test_a_window_without_a_class_is_named_by_its_instance_or_its_process(
    gnome: StartStandin, probes: tuple[GnomeWindowProbe, MutterIdleProbe], app_process: psutil.Process
) -> None:
    window_probe, _idle = probes
    shell = gnome(focused_window=True)
    shell.focus({"title": "Untitled", "wm_class": None, "wm_class_instance": "scratchpad", "pid": app_process.pid})
    by_instance = window_probe.active_window().window
    shell.focus({"title": "Untitled", "wm_class": "", "wm_class_instance": None, "pid": app_process.pid})
    by_process = window_probe.active_window().window

    assert by_instance is not None and by_instance.app == "scratchpad"
    assert by_process is not None and by_process.app == "sleep"


def test_window_calls_extended_with_a_classless_window_names_its_process(
    gnome: StartStandin, probes: tuple[GnomeWindowProbe, MutterIdleProbe], app_process: psutil.Process
) -> None:
    """Its FocusClass cannot answer for such a window (GJS cannot pack null); its List says null, which the probe
    reads."""
    window_probe, _idle = probes
    gnome(window_calls=True, state={"window": {"title": None, "wm_class": None, "pid": app_process.pid, "id": 7}})

    reading = window_probe.active_window()

    assert reading.status.ok, reading.status.reason
    assert reading.window == WindowInfo("sleep", None, app_process.pid, "sleep", app_process.exe())


def test_the_extension_that_answered_last_is_asked_first_and_a_removed_one_is_replaced(
    dbus_session: SessionBus, tmp_path: Path, probes: tuple[GnomeWindowProbe, MutterIdleProbe]
) -> None:
    window_probe, _idle = probes
    state = {"window": editor(4242)}
    names: list[str] = []
    # Each start is a new GNOME Shell login with a different set of extensions enabled.
    for number, parts in enumerate(
        [{"window_calls": True}, {"window_calls": True, "focused_window": True}, {"focused_window": True}]
    ):
        shell = start_gnome_standin(dbus_session, tmp_path / f"login-{number}", state=state, **parts)
        try:
            reading = window_probe.active_window()
            assert reading.status.ok, reading.status.reason
            names.append(window_probe.name)
        finally:
            shell.stop()

    # Window Calls Extended answered first, so with both enabled it is still the one asked; once it is gone,
    # Focused Window D-Bus answers on the same call.
    assert names == ["gnome-window-calls", "gnome-window-calls", "gnome-focused-window"]


# -- what is missing, and what the user is told --------------------------------------------------------------------


def test_gnome_shell_without_either_extension(
    gnome: StartStandin, probes: tuple[GnomeWindowProbe, MutterIdleProbe]
) -> None:
    window_probe, idle_probe = probes
    gnome(shell=True, idle_monitor=True, state={"window": editor(4242), "idle_ms": 1500})

    reading = window_probe.active_window()

    assert (reading.status.state, reading.status.reason, reading.window) == (
        ProbeState.UNSUPPORTED,
        NO_EXTENSION,
        None,
    )
    assert window_probe.name == "gnome"
    assert idle_probe.idle().seconds == 1.5  # the idle time does not need an extension


def test_no_gnome_shell_on_the_bus(probes: tuple[GnomeWindowProbe, MutterIdleProbe]) -> None:
    """Another desktop (KDE, Sway) on Wayland: nobody owns org.gnome.Shell or org.gnome.Mutter.IdleMonitor."""
    window_probe, idle_probe = probes

    window = window_probe.active_window()
    idle = idle_probe.idle()

    assert (window.status.state, window.status.reason) == (ProbeState.UNSUPPORTED, NO_SHELL)
    assert (idle.status.state, idle.status.reason, idle.seconds) == (ProbeState.UNSUPPORTED, NO_IDLE_MONITOR, None)


def test_an_extension_without_mutter_idle_monitor(
    gnome: StartStandin, probes: tuple[GnomeWindowProbe, MutterIdleProbe]
) -> None:
    window_probe, idle_probe = probes
    gnome(focused_window=True, state={"window": editor(4242)})

    assert window_probe.active_window().status.ok
    assert idle_probe.idle().status.reason == NO_IDLE_MONITOR


def test_without_a_session_bus(tmp_path: Path) -> None:
    window_probe, idle_probe = create_gnome({"XDG_RUNTIME_DIR": str(tmp_path)})  # no address, no $XDG_RUNTIME_DIR/bus
    try:
        window = window_probe.active_window()
        idle = idle_probe.idle()
    finally:
        window_probe.close()
        idle_probe.close()

    expected = (
        "There is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set); start Middenweg inside your desktop "
        "session, and it will try again in a few seconds."
    )
    assert (window.status.reason, idle.status.reason) == (expected, expected)
    assert window.window is None and idle.seconds is None


# -- idle time ------------------------------------------------------------------------------------------------------


def test_mutter_idle_time_in_seconds(gnome: StartStandin, probes: tuple[GnomeWindowProbe, MutterIdleProbe]) -> None:
    _window, idle_probe = probes
    mutter = gnome(idle_monitor=True, state={"idle_ms": 93_250})
    away = idle_probe.idle()

    mutter.set_state({"idle_ms": 0})
    typing = idle_probe.idle()
    mutter.set_state({"idle_ms": 7 * 24 * 3600 * 1000 + 1})  # a week away: uint64 milliseconds
    week = idle_probe.idle()

    assert away.status.ok and typing.status.ok and week.status.ok
    assert (away.seconds, typing.seconds, week.seconds) == (93.25, 0.0, 604800.001)


# -- hung, vanished and returning services ---------------------------------------------------------------------------


def test_a_hung_gnome_shell_costs_one_timeout_then_is_left_alone_until_the_retry_time(
    dbus_session: SessionBus, gnome: StartStandin
) -> None:
    clock = FakeClock(0.0)
    window_probe, idle_probe = create_gnome(address=dbus_session.address, monotonic=clock.monotonic)
    shell = gnome(focused_window=True, idle_monitor=True, state={"window": editor(4242), "idle_ms": 10})
    try:
        assert window_probe.active_window().status.ok and idle_probe.idle().status.ok
        shell.freeze()
        asked_before = len(shell.calls())
        hung_window = window_probe.active_window()
        hung_idle = idle_probe.idle()
        again_window = window_probe.active_window()
        again_idle = idle_probe.idle()
        shell.resume()
        too_soon = window_probe.active_window()
        clock.advance(RETRY_SECONDS)
        back_window = window_probe.active_window()
        back_idle = idle_probe.idle()
        # The stand-in answers in order: the questions queued while it hung, then the ones after the retry time.
        asked = shell.calls()[asked_before:]
    finally:
        window_probe.close()
        idle_probe.close()

    assert [r.status.reason for r in (hung_window, again_window, too_soon)] == [SHELL_SILENT] * 3
    assert [r.status.reason for r in (hung_idle, again_idle)] == [IDLE_SILENT] * 2
    # One timeout each while it hung, nothing more until the retry time, then asked again.
    assert asked == ["Get", "GetIdletime", "Get", "GetIdletime"]
    assert back_window.status.ok and back_window.window is not None
    assert back_window.window.title == "notes.txt — Text Editor"
    assert back_idle.seconds == 0.01


def test_a_gnome_shell_that_goes_away_and_comes_back(
    dbus_session: SessionBus, tmp_path: Path, probes: tuple[GnomeWindowProbe, MutterIdleProbe]
) -> None:
    """Logging out of GNOME Shell and in again with the same bus (or a crash and restart)."""
    window_probe, idle_probe = probes
    state = {"window": editor(4242), "idle_ms": 2000}
    shell = start_gnome_standin(dbus_session, tmp_path / "first", focused_window=True, idle_monitor=True, state=state)
    before = (window_probe.active_window(), idle_probe.idle())
    shell.stop()

    gone = (window_probe.active_window(), idle_probe.idle())
    shell = start_gnome_standin(dbus_session, tmp_path / "again", focused_window=True, idle_monitor=True, state=state)
    try:
        back = (window_probe.active_window(), idle_probe.idle())
    finally:
        shell.stop()

    assert before[0].status.ok and before[1].seconds == 2.0
    assert (gone[0].status.reason, gone[1].status.reason) == (NO_SHELL, NO_IDLE_MONITOR)
    assert back[0].window is not None and back[0].window.app == "org.gnome.TextEditor" and back[1].seconds == 2.0


def test_a_session_bus_that_goes_away_and_comes_back(tmp_path: Path) -> None:
    clock = FakeClock(0.0)
    environ: dict[str, str] = {}
    window_probe, idle_probe = create_gnome(environ, monotonic=clock.monotonic)
    state = {"window": editor(4242), "idle_ms": 500}
    try:
        with session_bus(tmp_path / "bus1") as bus:
            environ["DBUS_SESSION_BUS_ADDRESS"] = bus.address
            shell = start_gnome_standin(bus, tmp_path / "s1", window_calls=True, idle_monitor=True, state=state)
            first = (window_probe.active_window().status.ok, idle_probe.idle().seconds)
            shell.stop()
        gone = (window_probe.active_window().status, idle_probe.idle().status)

        with session_bus(tmp_path / "bus2") as bus:
            environ["DBUS_SESSION_BUS_ADDRESS"] = bus.address
            shell = start_gnome_standin(bus, tmp_path / "s2", window_calls=True, idle_monitor=True, state=state)
            too_soon = window_probe.active_window().status.ok
            clock.advance(RETRY_SECONDS)
            back = (window_probe.active_window().status.ok, idle_probe.idle().seconds)
            shell.stop()
    finally:
        window_probe.close()
        idle_probe.close()

    assert first == (True, 0.5)
    assert all(status.state is ProbeState.UNSUPPORTED for status in gone)
    # The bus broke under the window probe's call; the idle probe finds no bus until the retry time.
    assert gone[0].reason.startswith("The connection to the D-Bus session bus was lost (")
    assert gone[1].reason.startswith("There is no D-Bus session bus (")
    assert (too_soon, back) == (False, (True, 0.5))


# -- odd data -------------------------------------------------------------------------------------------------------


def cannot_use(reading: WindowReading, extension: str) -> None:
    """The reading says that ``extension`` gave an answer the probe cannot use, and names no window."""
    assert reading.status.state is ProbeState.UNSUPPORTED
    assert reading.status.reason.startswith(
        f'The GNOME Shell extension "{extension}" gave an answer Middenweg cannot use ('
    )
    assert reading.status.reason.endswith("); update or reinstall it from extensions.gnome.org.")
    assert reading.window is None


ODD_FOCUSED_WINDOW_ANSWERS = {
    "not JSON": "{'title': 'python repr'}",
    "empty string": "",
    "JSON array": "[1, 2]",
    "JSON string": '"firefox"',
    "wrong types": '{"title": 5, "wm_class": ["x"], "wm_class_instance": {}, "pid": "12"}',
    "missing fields": '{"width": 10, "height": 20}',
    "deep nesting": "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("answer", ODD_FOCUSED_WINDOW_ANSWERS.values(), ids=ODD_FOCUSED_WINDOW_ANSWERS.keys())
def test_a_focused_window_answer_it_cannot_use_says_which_extension(
    answer: str, gnome: StartStandin, probes: tuple[GnomeWindowProbe, MutterIdleProbe]
) -> None:
    window_probe, _idle = probes
    gnome(focused_window=True, state={"focused_window_answer": answer})

    cannot_use(window_probe.active_window(), "Focused Window D-Bus")


ODD_WINDOW_LISTS = {
    "not JSON": "[{class: 'x'}]",
    "JSON object": '{"focus": true}',
    "focused entry of nothing usable": '[{"focus": true, "class": 3, "title": [], "pid": -1}]',
}


@pytest.mark.parametrize("answer", ODD_WINDOW_LISTS.values(), ids=ODD_WINDOW_LISTS.keys())
def test_a_window_list_it_cannot_use_says_which_extension(
    answer: str, gnome: StartStandin, probes: tuple[GnomeWindowProbe, MutterIdleProbe]
) -> None:
    window_probe, _idle = probes
    gnome(window_calls=True, state={"window_list_answer": answer})

    cannot_use(window_probe.active_window(), "Window Calls Extended")


SANE_READINGS = {
    "a pid of true is no pid": ('{"wm_class": "kitty", "title": "~", "pid": true}', ("kitty", "~", None)),
    "a pid beyond 31 bits is no pid": ('{"wm_class": "kitty", "pid": 99999999999999}', ("kitty", None, None)),
    "a negative pid is no pid": ('{"wm_class": "kitty", "title": "", "pid": -1}', ("kitty", "", None)),
    "a lone surrogate is passed on for the sampler to clean": ('{"wm_class": "a\\ud800b"}', ("a\ud800b", None, None)),
    "control characters are passed on too": ('{"wm_class": "x", "title": "a\\u0000\\nb"}', ("x", "a\x00\nb", None)),
    "unknown extra fields are ignored": ('{"wm_class": "x", "future": {"a": [1]}, "title": "t"}', ("x", "t", None)),
}


@pytest.mark.parametrize("answer, expected", SANE_READINGS.values(), ids=SANE_READINGS.keys())
def test_odd_but_usable_fields_give_a_sane_reading(
    answer: str, expected: tuple[str, str | None, int | None], gnome: StartStandin, probes: tuple[Any, Any]
) -> None:
    window_probe, _idle = probes
    gnome(focused_window=True, state={"focused_window_answer": answer})

    reading = window_probe.active_window()

    assert reading.status.ok, reading.status.reason
    assert reading.window is not None
    assert (reading.window.app, reading.window.title, reading.window.pid) == expected


def test_a_huge_title_is_cut_not_fatal(gnome: StartStandin, probes: tuple[GnomeWindowProbe, MutterIdleProbe]) -> None:
    window_probe, _idle = probes
    gnome(window_calls=True, state={"window": {"wm_class": "x", "title": "ab" * 100_000, "pid": 0}})

    reading = window_probe.active_window()

    assert reading.status.ok and reading.window is not None
    assert reading.window.title is not None and 1000 < len(reading.window.title) <= 16384


def test_an_idle_time_of_the_wrong_type(gnome: StartStandin, probes: tuple[GnomeWindowProbe, MutterIdleProbe]) -> None:
    _window, idle_probe = probes
    gnome(idle_monitor=True, state={"idle_answer": ["s", "93250"]})

    reading = idle_probe.idle()

    assert (reading.status.state, reading.seconds) == (ProbeState.UNSUPPORTED, None)
    assert reading.status.reason == (
        "Mutter's idle monitor gave an answer Middenweg cannot use (a reply of type (s), not (t)); please report "
        "this with your GNOME version."
    )


# -- the stand-in itself answers as the published interfaces do -----------------------------------------------------


def test_the_standin_answers_unknown_objects_and_methods_as_gdbus_does(
    dbus_session: SessionBus, gnome: StartStandin
) -> None:
    """The probe's "extension missing" reason rests on these answers, so check them against GDBus's own wording."""
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    gnome(focused_window=True, idle_monitor=True)
    conn = open_dbus_connection(bus=dbus_session.address)

    def call(path: str, interface: str, method: str) -> tuple[str, str]:
        reply = conn.send_and_get_reply(
            new_method_call(DBusAddress(path, "org.gnome.Shell", interface), method), timeout=5
        )
        from jeepney import HeaderFields

        return str(reply.header.fields.get(HeaderFields.error_name, "")), str(reply.body[0])

    try:
        no_object = call("/org/gnome/Shell/Extensions/WindowsExt", "org.gnome.Shell.Extensions.WindowsExt", "List")
        no_interface = call("/org/gnome/shell/extensions/FocusedWindow", "org.example.Nope", "Get")
        no_method = call("/org/gnome/shell/extensions/FocusedWindow", "org.gnome.shell.extensions.FocusedWindow", "X")
        _ok, root = call("/", "org.freedesktop.DBus.Introspectable", "Introspect")
        _ok, node = call(
            "/org/gnome/shell/extensions/FocusedWindow", "org.freedesktop.DBus.Introspectable", "Introspect"
        )
    finally:
        conn.close()

    assert no_object == (
        "org.freedesktop.DBus.Error.UnknownMethod",
        "Object does not exist at path “/org/gnome/Shell/Extensions/WindowsExt”",
    )
    assert no_interface == (
        "org.freedesktop.DBus.Error.UnknownMethod",
        "No such interface “org.example.Nope” on object at path /org/gnome/shell/extensions/FocusedWindow",
    )
    assert no_method == ("org.freedesktop.DBus.Error.UnknownMethod", "No such method “X”")
    assert '<node name="org"/>' in root
    assert '<interface name="org.gnome.shell.extensions.FocusedWindow">' in node
    assert '<method name="Get">' in node


def test_cpu_cost_per_reading(
    gnome: StartStandin, probes: tuple[GnomeWindowProbe, MutterIdleProbe], capsys: pytest.CaptureFixture[str]
) -> None:
    """Measured, not asserted: CPU time of one window reading plus one idle reading, on the fast path and with no
    extension (every path asked each time)."""
    window_probe, idle_probe = probes
    calls = 100
    shell = gnome(focused_window=True, idle_monitor=True, state={"window": editor(4242), "idle_ms": 10})
    window_probe.active_window()
    start = time.process_time()
    fast = {(window_probe.active_window().status.ok, idle_probe.idle().status.ok) for _ in range(calls)}
    per_fast = (time.process_time() - start) / calls
    shell.stop()
    gnome(shell=True, idle_monitor=True, state={"idle_ms": 10})
    start = time.process_time()
    missing = {window_probe.active_window().status.reason for _ in range(calls)}
    per_missing = (time.process_time() - start) / calls
    with capsys.disabled():
        print(
            f"\nGNOME probes CPU per tick: {per_fast * 1e3:.3f} ms (window + idle), "
            f"{per_missing * 1e3:.3f} ms (window, no extension) ({calls} calls each)"
        )
    assert fast == {(True, True)}
    assert missing == {NO_EXTENSION}
