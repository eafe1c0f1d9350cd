"""The Windows probes against recorded answers of user32, kernel32 and psutil: what the tracker would see in front.

Recorded answers written from the official documentation; they cannot be recorded on this Linux machine (the
sources are listed in windows_recordings.py). Only the Win32 calls and psutil are stood in for; the adapter logic
(titles and last errors, process names, store apps, the 32-bit tick wrap, retrying) runs for real.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import windows_recordings as rec
from hypothesis import given
from hypothesis import strategies as st

from fakes import FakeClock
from middenweg.domain.categories import Category
from middenweg.rules import builtin_rules
from middenweg.tracking.platforms.windows import (
    RETRY_SECONDS,
    WindowsIdleProbe,
    WindowsMediaProbe,
    WindowsWindowProbe,
    create_windows,
)
from middenweg.tracking.probes import OK, IdleReading, ProbeState, WindowInfo, WindowReading

REPO_APP = Path(__file__).resolve().parents[3] / "app"


def read(scene: rec.Scene) -> WindowReading:
    return WindowsWindowProbe(scene.win32, processes=scene.processes).active_window()


def window_of(scene: rec.Scene) -> WindowInfo:
    reading = read(scene)
    assert reading.status == OK
    assert reading.window is not None
    return reading.window


# --- The window in front --------------------------------------------------------------------------------------------


def test_an_app_is_named_by_its_executable_and_counts_as_what_it_is() -> None:
    window = window_of(rec.whatsapp_in_front())

    assert window == WindowInfo(
        app="WhatsApp.exe", title="WhatsApp", pid=10244, process="WhatsApp.exe", executable=rec.WHATSAPP_EXE
    )
    assert builtin_rules().classify(window.app, window.title).category is Category.MESSAGING


def test_an_edge_tab_title_keeps_edges_zero_width_space_and_is_still_recognised() -> None:
    window = window_of(rec.edge_tab_in_front())

    # The probe hands the title over as Windows gave it; cleaning is for the sampler and the rules.
    assert window.title == rec.EDGE_TITLE
    assert "\u200b" in (window.title or "")
    assert window.app == "msedge.exe"
    classification = builtin_rules().classify(window.app, window.title)
    assert (classification.category, classification.label) == (Category.SOCIAL, "Instagram")


@pytest.mark.parametrize("scene", [rec.nothing_in_front, rec.window_closed_after_asking])
def test_no_window_in_front_is_an_ok_reading_without_a_window(scene: Callable[[], rec.Scene]) -> None:
    # Lock screen, UAC prompt, a window losing activation, or a window gone before it could be read: the user
    # is counted as away for that moment, and nothing is wrong with the probe.
    assert read(scene()) == WindowReading(OK, None)


@pytest.mark.parametrize("scene", [rec.process_gone, rec.process_exiting])
def test_a_window_whose_process_ended_keeps_its_title_and_pid_and_nothing_more(scene: Callable[[], rec.Scene]) -> None:
    window = window_of(scene())

    assert window == WindowInfo(app="", title="notes.txt - Notepad", pid=7312, process=None, executable=None)


def test_an_elevated_process_that_hides_its_path_is_named_by_its_process_name() -> None:
    window = window_of(rec.elevated_process_named())

    assert window == WindowInfo(app="Taskmgr.exe", title="Task Manager", pid=5120, process="Taskmgr.exe")


def test_a_process_that_refuses_everything_still_gives_a_reading_with_its_title() -> None:
    window = window_of(rec.elevated_process_refused())

    assert window == WindowInfo(app="", title="Task Manager", pid=5120, process=None, executable=None)


@pytest.mark.parametrize("scene", [rec.taskbar_in_front, rec.taskbar_after_a_failed_call])
def test_an_empty_title_is_empty_not_unknown(scene: Callable[[], rec.Scene]) -> None:
    # A leftover error code from an earlier call must not turn "no title" into "could not read the title".
    window = window_of(scene())

    assert window.title == ""
    assert window.app == "explorer.exe"


def test_a_title_windows_will_not_give_is_unknown_and_the_app_is_still_named() -> None:
    window = window_of(rec.title_unreadable())

    assert window.title is None
    assert window.app == "WhatsApp.exe"


def test_a_title_cut_inside_an_emoji_comes_back_storable() -> None:
    window = window_of(rec.title_grew_between_calls())

    assert window.title == "(1) Chat \ufffd"
    (window.title or "").encode("utf-8")  # what SQLite needs; an unpaired surrogate would raise here


def test_an_unpaired_surrogate_in_a_title_becomes_a_replacement_character() -> None:
    window = window_of(rec.title_with_unpaired_surrogate())

    assert window.title == "broken \ufffd title"


def test_a_store_app_is_found_behind_the_application_frame_host() -> None:
    window = window_of(rec.calculator_in_frame())

    assert window == WindowInfo(
        app="CalculatorApp.exe",
        title="Calculator",
        pid=rec.CALCULATOR.pid,
        process="CalculatorApp.exe",
        executable=rec.CALCULATOR_EXE,
    )


def test_a_store_app_outside_its_frame_stays_the_frame_host_which_the_rules_know() -> None:
    window = window_of(rec.uwp_app_left_the_frame())

    assert (window.app, window.title, window.pid) == ("ApplicationFrameHost.exe", "WhatsApp", rec.FRAME_HOST.pid)
    assert builtin_rules().classify(window.app, window.title).category is Category.MESSAGING


def test_a_store_app_whose_process_will_not_tell_leaves_the_frame_host() -> None:
    window = window_of(rec.uwp_app_process_refused())

    assert window.app == "ApplicationFrameHost.exe"
    assert window.executable == rec.FRAME_HOST_EXE


def test_a_crash_inside_user32_becomes_a_status_and_is_retried_a_few_seconds_later() -> None:
    recorded = rec.whatsapp_in_front()
    recorded.win32.crash = OSError("exception: access violation reading 0x0000000000000000")
    clock = FakeClock(0.0)
    probe = WindowsWindowProbe(recorded.win32, processes=recorded.processes, clock=clock.monotonic)

    first = probe.active_window()
    assert first.status.state is ProbeState.UNSUPPORTED
    assert "access violation" in first.status.reason
    assert first.window is None

    recorded.win32.crash = None
    clock.advance(1)
    calls = recorded.win32.calls
    assert probe.active_window() == first  # too early: Windows is not asked again
    assert recorded.win32.calls == calls

    clock.advance(RETRY_SECONDS)
    again = probe.active_window()
    assert again.status == OK
    assert again.window is not None and again.window.app == "WhatsApp.exe"


# --- Input idle time ------------------------------------------------------------------------------------------------


def idle_seconds(last_input: int | None, tick64: int) -> IdleReading:
    return WindowsIdleProbe(rec.idle(last_input, tick64)).idle()


def test_idle_time_is_the_time_since_the_last_input() -> None:
    five_hours = 5 * 60 * 60 * 1000

    assert idle_seconds(five_hours - 42_000, five_hours) == IdleReading(OK, 42.0)


@pytest.mark.parametrize(
    ("last_input", "tick64", "seconds"),
    [
        # Input just before the 32-bit count wrapped, asked just after.
        (rec.TICK_WRAP - 10_000, rec.TICK_WRAP + 5_000, 15.0),
        # Up 60 days, input 3 s ago after the wrap: a 64-bit subtraction would say 49.7 days.
        ((60 * rec.DAY_MS - 3_000) % rec.TICK_WRAP, 60 * rec.DAY_MS, 3.0),
        # Up 120 days (two wraps), idle for an hour.
        ((120 * rec.DAY_MS - 3_600_000) % rec.TICK_WRAP, 120 * rec.DAY_MS, 3600.0),
        # Up for exactly one wrap, input at the very start of the new count.
        (0, rec.TICK_WRAP + 250, 0.25),
    ],
)
def test_idle_time_survives_the_49_7_day_tick_wrap(last_input: int, tick64: int, seconds: float) -> None:
    assert idle_seconds(last_input, tick64) == IdleReading(OK, seconds)


def test_input_stamped_slightly_after_now_counts_as_no_idle_time() -> None:
    # "not guaranteed to be incremental": SendInput supplies its own tick count, which can be ahead of ours.
    tick64 = 3 * rec.DAY_MS

    assert idle_seconds((tick64 + 16) % rec.TICK_WRAP, tick64) == IdleReading(OK, 0.0)


@given(uptime_ms=st.integers(0, 2**42), idle_ms=st.integers(0, 2**31 - 1))
def test_idle_time_is_right_at_any_uptime(uptime_ms: int, idle_ms: int) -> None:
    if idle_ms > uptime_ms:
        idle_ms = uptime_ms
    dw_time = (uptime_ms - idle_ms) % rec.TICK_WRAP  # what GetTickCount returned at the last input

    assert idle_seconds(dw_time, uptime_ms) == IdleReading(OK, idle_ms / 1000)


def test_get_last_input_info_failing_is_unsupported_with_a_reason_and_asked_again_next_time() -> None:
    recorded = rec.idle(None, 10_000)
    probe = WindowsIdleProbe(recorded)

    failed = probe.idle()
    assert failed.status.state is ProbeState.UNSUPPORTED
    assert failed.seconds is None
    assert "keyboard or mouse" in failed.status.reason

    recorded.last_input = 7_000
    assert probe.idle() == IdleReading(OK, 3.0)


# --- Media, the factory, and other systems --------------------------------------------------------------------------


def test_media_playback_is_unknown_on_windows_and_says_why() -> None:
    media = WindowsMediaProbe()

    assert media.playing() is None
    assert media.status.state is ProbeState.UNSUPPORTED
    assert media.status.reason


def test_the_factory_works_with_recorded_answers() -> None:
    recorded = rec.whatsapp_in_front()
    recorded.win32.last_input = 1_000
    recorded.win32.tick64 = 61_000

    window, idle, media = create_windows(recorded.win32, processes=recorded.processes)

    assert window.active_window().window == window_of(rec.whatsapp_in_front())
    assert idle.idle() == IdleReading(OK, 60.0)
    assert media is not None and media.playing() is None
    for probe in (window, idle, media):
        probe.close()


@pytest.mark.skipif(sys.platform == "win32", reason="checks the answer on systems other than Windows")
def test_on_another_system_the_probes_say_they_are_unsupported_instead_of_raising() -> None:
    window, idle, media = create_windows()

    window_reading = window.active_window()
    idle_reading = idle.idle()

    assert window_reading.status.state is ProbeState.UNSUPPORTED
    assert "Windows" in window_reading.status.reason
    assert window_reading.window is None
    assert idle_reading.status.state is ProbeState.UNSUPPORTED
    assert idle_reading.seconds is None
    assert media is not None and media.playing() is None


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows the module defines its ctypes structures on import")
def test_importing_the_module_loads_neither_ctypes_nor_psutil() -> None:
    code = (
        "import sys, middenweg.tracking.platforms.windows\n"
        "print(sorted(m for m in ('ctypes', 'psutil') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(REPO_APP)},
        capture_output=True,
        text=True,
        check=True,
    )

    assert done.stdout.strip() == "[]"
