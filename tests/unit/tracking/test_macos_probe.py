"""The macOS probes, driven by recorded answers of AppKit, the Accessibility API and CoreGraphics.

Recorded answers written from Apple's documentation; they cannot be recorded on this Linux machine (see
macos_recordings.py for the pages each answer comes from). What runs for real here: the probes' logic, psutil for
the process-name fallback, the import failure when pyobjc is missing, and the ctypes declarations against a
stand-in C library with CoreGraphics' documented signature.
"""

from __future__ import annotations

import functools
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from macos_recordings import (
    FAKE_COREGRAPHICS_C,
    LOGIN_WINDOW,
    NO_PID,
    RECORDED_IDLE_SECONDS,
    SAFARI,
    SAFARI_TITLE,
    UNNAMED_HELPER,
    WHATSAPP,
    WHATSAPP_TITLE,
    FailingWorkspace,
    PyObjCMac,
    RecordedIdle,
    RecordedWorkspace,
    without_info_plist,
)

from fakes import FakeClock
from middenweg.tracking.platforms import macos
from middenweg.tracking.platforms.macos import (
    AXError,
    FrontmostApp,
    MacIdleProbe,
    MacMediaProbe,
    MacWindowProbe,
    WorkspaceApi,
    create,
    load_hid_idle_api,
    load_workspace_api,
)
from middenweg.tracking.probes import ProbeState, WindowInfo


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_700_000_000.0)


def window_probe(api: WorkspaceApi, clock: FakeClock) -> MacWindowProbe:
    return MacWindowProbe(api, monotonic=clock.monotonic)


# --- The app in front and its title ---------------------------------------------------------------------------------


def test_safari_in_front_with_accessibility_gives_app_and_page_title(clock: FakeClock) -> None:
    mac = RecordedWorkspace(SAFARI, trusted=True, titles={SAFARI.pid: [(AXError.SUCCESS, SAFARI_TITLE)]})

    reading = window_probe(mac, clock).active_window()

    assert reading.status.ok
    assert reading.window == WindowInfo(
        app="Safari",
        title="Instagram",
        pid=412,
        process="Safari",
        executable="/Applications/Safari.app/Contents/MacOS/Safari",
    )


def test_whatsapp_without_accessibility_is_still_tracked_by_app_and_says_where_to_allow_it(clock: FakeClock) -> None:
    mac = RecordedWorkspace(WHATSAPP, trusted=False, titles={WHATSAPP.pid: [(AXError.SUCCESS, WHATSAPP_TITLE)]})

    reading = window_probe(mac, clock).active_window()

    assert reading.status.state is ProbeState.NEEDS_PERMISSION
    assert "System Settings → Privacy & Security → Accessibility" in reading.status.reason
    assert "your terminal" in reading.status.reason
    assert reading.window is not None
    assert (reading.window.app, reading.window.title) == ("WhatsApp", None)
    # The title is never asked for while macOS would refuse it anyway.
    assert "focused_window_title(733)" not in mac.calls


def test_titles_appear_within_seconds_of_granting_accessibility_without_restart(clock: FakeClock) -> None:
    mac = RecordedWorkspace(WHATSAPP, trusted=False, titles={WHATSAPP.pid: [(AXError.SUCCESS, WHATSAPP_TITLE)]})
    probe = window_probe(mac, clock)

    for _ in range(3):
        assert probe.active_window().status.state is ProbeState.NEEDS_PERMISSION
        clock.advance(1)
    # Not asked once a tick while waiting: at most once per recheck interval.
    assert mac.calls.count("ax_trusted") == 1

    mac.trusted = True  # the user ticks the box in System Settings
    clock.advance(macos.TRUST_RECHECK_SECONDS)
    reading = probe.active_window()

    assert reading.status.ok
    assert reading.window is not None
    assert reading.window.title == "WhatsApp"


def test_permission_revoked_while_running_goes_back_to_app_only(clock: FakeClock) -> None:
    mac = RecordedWorkspace(SAFARI, trusted=True, titles={SAFARI.pid: [(AXError.SUCCESS, SAFARI_TITLE)]})
    probe = window_probe(mac, clock)
    assert probe.active_window().status.ok

    mac.trusted = False  # AX calls now answer kAXErrorAPIDisabled
    reading = probe.active_window()

    assert reading.status.state is ProbeState.NEEDS_PERMISSION
    assert reading.window is not None
    assert (reading.window.app, reading.window.title) == ("Safari", None)


def test_nothing_in_front_means_nobody_at_the_mac(clock: FakeClock) -> None:
    reading = window_probe(RecordedWorkspace(None), clock).active_window()

    assert reading.status.ok
    assert reading.window is None


def test_locked_screen_counts_as_nothing_in_front(clock: FakeClock) -> None:
    reading = window_probe(RecordedWorkspace(LOGIN_WINDOW), clock).active_window()

    assert reading.status.ok
    assert reading.window is None


@pytest.mark.parametrize(
    "code",
    [
        AXError.NO_VALUE,  # the app has no focused window (only a menu bar)
        AXError.CANNOT_COMPLETE,  # the app is busy, or our short messaging timeout ran out
        AXError.ATTRIBUTE_UNSUPPORTED,
        AXError.NOT_IMPLEMENTED,  # the app does not support the accessibility API
        AXError.INVALID_UI_ELEMENT,  # the app quit between the two calls
        AXError.FAILURE,
        -1,  # a code Apple may add later
    ],
)
def test_ax_errors_keep_the_app_and_leave_the_title_empty(clock: FakeClock, code: int) -> None:
    mac = RecordedWorkspace(SAFARI, trusted=True, titles={SAFARI.pid: [(code, None)]})

    reading = window_probe(mac, clock).active_window()

    assert reading.status.ok
    assert reading.window is not None
    assert (reading.window.app, reading.window.title) == ("Safari", None)


def test_busy_app_is_asked_again_on_the_next_call(clock: FakeClock) -> None:
    answers: list[tuple[int, str | bytes | None]] = [(AXError.CANNOT_COMPLETE, None), (AXError.SUCCESS, SAFARI_TITLE)]
    probe = window_probe(RecordedWorkspace(SAFARI, titles={SAFARI.pid: answers}), clock)

    first, second = probe.active_window(), probe.active_window()

    assert first.window is not None and first.window.title is None
    assert second.window is not None and second.window.title == "Instagram"


def test_app_without_localized_name_is_named_by_its_bundle_id(clock: FakeClock) -> None:
    reading = window_probe(RecordedWorkspace(UNNAMED_HELPER), clock).active_window()

    assert reading.window is not None
    assert reading.window.app == "com.example.TimerHelper"
    assert reading.window.process == "TimerHelper"


def test_app_without_name_or_bundle_is_named_by_its_process(clock: FakeClock) -> None:
    # A live pid, so psutil answers for real.
    reading = window_probe(RecordedWorkspace(without_info_plist(os.getpid())), clock).active_window()

    assert reading.window is not None
    assert reading.window.app == psutil.Process(os.getpid()).name()
    assert reading.window.pid == os.getpid()


def test_app_with_nothing_to_name_it_by_counts_as_nothing_in_front(clock: FakeClock) -> None:
    reading = window_probe(RecordedWorkspace(without_info_plist(-1)), clock).active_window()

    assert reading.status.ok
    assert reading.window is None


def test_app_without_pid_is_tracked_without_asking_accessibility(clock: FakeClock) -> None:
    mac = RecordedWorkspace(NO_PID, trusted=False)

    reading = window_probe(mac, clock).active_window()

    # No pid means no AXUIElement to ask, so no title and nothing to grant for it.
    assert reading.status.ok
    assert reading.window == WindowInfo(app="Dashboard", title=None, pid=None, process=None, executable=None)
    assert mac.calls == ["frontmost_app"]


def test_title_with_invalid_utf8_is_decoded_with_replacement_characters(clock: FakeClock) -> None:
    mac = RecordedWorkspace(SAFARI, titles={SAFARI.pid: [(AXError.SUCCESS, b"Caf\xe9 \xff Men\xc3\xbc")]})

    reading = window_probe(mac, clock).active_window()

    assert reading.window is not None
    assert reading.window.title == "Caf\ufffd \ufffd Menü"


# --- Failures and retries -------------------------------------------------------------------------------------------


def test_pyobjc_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    monkeypatch.setitem(sys.modules, "AppKit", None)  # makes `import AppKit` fail, as on a Mac without pyobjc
    probe = MacWindowProbe(loader=functools.partial(load_workspace_api, platform="darwin"), monotonic=clock.monotonic)

    reading = probe.active_window()

    assert reading.status.state is ProbeState.UNSUPPORTED
    assert "pip install pyobjc-framework-Cocoa" in reading.status.reason
    assert reading.window is None


def test_idle_works_without_pyobjc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, clock: FakeClock) -> None:
    library = _stand_in_coregraphics(tmp_path)
    monkeypatch.setitem(sys.modules, "AppKit", None)
    monkeypatch.setitem(sys.modules, "objc", None)
    loader = functools.partial(load_hid_idle_api, platform="darwin", library_paths=(str(library),))

    reading = MacIdleProbe(loader=loader, monotonic=clock.monotonic).idle()

    assert reading.status.ok
    assert reading.seconds == RECORDED_IDLE_SECONDS


def test_appkit_errors_become_a_status_and_reconnects_wait_a_few_seconds(clock: FakeClock) -> None:
    loads: list[float] = []
    answers: list[WorkspaceApi] = [FailingWorkspace(), RecordedWorkspace(SAFARI)]

    def loader() -> WorkspaceApi:
        loads.append(clock.monotonic())
        return answers.pop(0)

    probe = MacWindowProbe(loader=loader, monotonic=clock.monotonic)
    failed = probe.active_window()
    assert failed.status.state is ProbeState.UNSUPPORTED
    assert "ask again in a few seconds" in failed.status.reason

    for _ in range(4):
        clock.advance(1)
        assert probe.active_window().status == failed.status
    assert len(loads) == 1  # no reconnect while waiting

    clock.advance(macos.RETRY_SECONDS)
    recovered = probe.active_window()

    assert len(loads) == 2
    assert recovered.status.ok
    assert recovered.window is not None and recovered.window.app == "Safari"


# --- The real pyobjc seam, answering as pyobjc does --------------------------------------------------------------


def _install(monkeypatch: pytest.MonkeyPatch, mac: PyObjCMac) -> None:
    for name, module in mac.modules().items():
        monkeypatch.setitem(sys.modules, name, module)


def test_pyobjc_seam_reads_front_app_and_focused_window_title(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    mac = PyObjCMac(front=SAFARI, trusted=True, window_title=SAFARI_TITLE)
    _install(monkeypatch, mac)
    probe = MacWindowProbe(loader=functools.partial(load_workspace_api, platform="darwin"), monotonic=clock.monotonic)

    reading = probe.active_window()

    assert reading.status.ok
    assert reading.window == WindowInfo("Safari", "Instagram", 412, "Safari", SAFARI.executable_path)
    app_element = ("application", 412)
    assert [entry for entry in mac.ax_log if entry[0] != "autorelease_pool"] == [
        ("timeout", app_element, macos.AX_TIMEOUT_SECONDS),
        ("copy", app_element, "AXFocusedWindow", None),
        ("copy", ("window", app_element), "AXTitle", None),
    ]


def test_pyobjc_seam_without_permission_and_with_window_errors(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    mac = PyObjCMac(front=WHATSAPP, trusted=False, window_title=WHATSAPP_TITLE)
    _install(monkeypatch, mac)
    api = load_workspace_api(platform="darwin")

    assert api.ax_trusted() is False
    assert api.focused_window_title(WHATSAPP.pid) == (AXError.API_DISABLED, None)

    mac.trusted, mac.focused_window_error = True, int(AXError.NO_VALUE)
    assert api.focused_window_title(WHATSAPP.pid) == (AXError.NO_VALUE, None)

    mac.focused_window_error, mac.window_title = 0, None
    assert api.focused_window_title(WHATSAPP.pid) == (AXError.NO_VALUE, None)

    mac.front = None
    assert api.frontmost_app() is None


def test_pyobjc_without_application_services_tracks_apps_and_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    mac = PyObjCMac(front=WHATSAPP, trusted=True, window_title=WHATSAPP_TITLE)
    _install(monkeypatch, mac)
    monkeypatch.setitem(sys.modules, "HIServices", None)
    monkeypatch.setitem(sys.modules, "ApplicationServices", None)
    probe = MacWindowProbe(loader=functools.partial(load_workspace_api, platform="darwin"), monotonic=clock.monotonic)

    reading = probe.active_window()

    assert reading.status.state is ProbeState.UNSUPPORTED
    assert "pip install pyobjc-framework-ApplicationServices" in reading.status.reason
    assert reading.window is not None
    assert (reading.window.app, reading.window.title) == ("WhatsApp", None)


# --- Idle time ----------------------------------------------------------------------------------------------------


def test_idle_seconds_come_from_the_hid_system(clock: FakeClock) -> None:
    reading = MacIdleProbe(RecordedIdle([12.75]), monotonic=clock.monotonic).idle()

    assert reading.status.ok
    assert reading.seconds == 12.75


def test_unusable_idle_answer_becomes_a_status_and_is_retried_later(clock: FakeClock) -> None:
    probe = MacIdleProbe(RecordedIdle([math.nan, 3.0]), monotonic=clock.monotonic)

    failed = probe.idle()
    assert failed.status.state is ProbeState.UNSUPPORTED
    assert failed.seconds is None
    assert failed.status.reason

    clock.advance(macos.RETRY_SECONDS)
    assert probe.idle().seconds == 3.0


def test_coregraphics_that_cannot_be_loaded_is_reported(clock: FakeClock, tmp_path: Path) -> None:
    missing = str(tmp_path / "CoreGraphics")
    loader = functools.partial(load_hid_idle_api, platform="darwin", library_paths=(missing,))

    reading = MacIdleProbe(loader=loader, monotonic=clock.monotonic).idle()

    assert reading.status.state is ProbeState.UNSUPPORTED
    assert "CoreGraphics" in reading.status.reason


def _stand_in_coregraphics(tmp_path: Path) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        pytest.skip("needs a C compiler to build the stand-in CoreGraphics library")
    source = tmp_path / "coregraphics.c"
    source.write_text(FAKE_COREGRAPHICS_C)
    library = tmp_path / "libcoregraphics.so"
    subprocess.run([compiler, "-shared", "-fPIC", "-o", str(library), str(source)], check=True, timeout=60)
    return library


def test_ctypes_declarations_pass_hid_state_and_any_input_and_read_a_double(tmp_path: Path, clock: FakeClock) -> None:
    # The stand-in answers 42.5 only for (kCGEventSourceStateHIDSystemState, kCGAnyInputEventType); a wrong
    # constant, argument type or return type gives a different number.
    api = load_hid_idle_api(platform="darwin", library_paths=(str(_stand_in_coregraphics(tmp_path)),))

    assert api.seconds_since_input() == RECORDED_IDLE_SECONDS


# --- Off macOS, and media ---------------------------------------------------------------------------------------


def test_off_macos_every_probe_says_it_only_works_on_macos() -> None:
    window, idle, media = create()
    try:
        window_reading, idle_reading = window.active_window(), idle.idle()
    finally:
        window.close()
        idle.close()

    if sys.platform == "darwin":
        pytest.skip("this test is about running the macOS probes elsewhere")
    for status in (window_reading.status, idle_reading.status):
        assert status.state is ProbeState.UNSUPPORTED
        assert "only works on macOS" in status.reason
    assert media is not None and media.playing() is None
    assert "AppKit" not in sys.modules


def test_media_playing_is_unknown_on_macos() -> None:
    assert MacMediaProbe().playing() is None


# --- Whatever macOS answers, the window probe keeps its promises ------------------------------------------------

_fronts = st.one_of(
    st.none(),
    st.sampled_from([SAFARI, WHATSAPP, LOGIN_WINDOW, UNNAMED_HELPER, NO_PID]),
    st.builds(
        FrontmostApp,
        localized_name=st.none() | st.text(max_size=20),
        bundle_id=st.none() | st.text(max_size=20),
        pid=st.integers(min_value=-1, max_value=10**6),
        executable_path=st.none() | st.text(max_size=30),
    ),
)
_title_answers = st.tuples(
    st.sampled_from([int(code) for code in AXError]) | st.integers(),
    st.none() | st.text(max_size=30) | st.binary(max_size=30),
)


@settings(max_examples=200, deadline=None)
@given(
    steps=st.lists(
        st.tuples(_fronts, st.booleans(), _title_answers, st.floats(min_value=0, max_value=10)),
        min_size=1,
        max_size=12,
    )
)
def test_any_answers_give_a_well_formed_reading(
    steps: list[tuple[FrontmostApp | None, bool, tuple[int, str | bytes | None], float]],
) -> None:
    clock = FakeClock(0.0)
    mac = RecordedWorkspace(None)
    probe = MacWindowProbe(mac, monotonic=clock.monotonic)
    for front, trusted, answer, pause in steps:
        mac.front, mac.trusted = front, trusted
        if front is not None:
            mac.titles[front.pid] = [answer]

        reading = probe.active_window()

        assert reading.status.state in (ProbeState.OK, ProbeState.NEEDS_PERMISSION)
        assert bool(reading.status.reason) is not reading.status.ok
        if reading.status.state is ProbeState.NEEDS_PERMISSION:
            assert reading.window is not None and reading.window.title is None
        if reading.window is not None:
            assert reading.window.app.strip()
            assert reading.window.title is None or isinstance(reading.window.title, str)
        clock.advance(pause)
