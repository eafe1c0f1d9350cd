"""The X11 probe against a real Xvfb, with icewm as window manager or with no window manager at all."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import Desktop, wait_until
from middenweg.tracking.platforms.x11 import X11Probe, create_x11
from middenweg.tracking.probes import WindowInfo, WindowReading

pytest_plugins = ["desktop"]
pytestmark = pytest.mark.x11


@pytest.fixture
def probe() -> Iterator[X11Probe]:
    # DISPLAY is read on first use, so the desktop fixture may set it after this one.
    made = create_x11()
    yield made
    made.close()


def _window(probe: X11Probe) -> WindowInfo | None:
    reading = probe.active_window()
    assert reading.status.ok, reading.status.reason
    return reading.window


def test_reads_class_title_pid_and_process_of_the_active_window(desktop: Desktop, probe: X11Probe) -> None:
    title = "Telegram (3) 👋 שלום עליכם — مرحبا 日本語"
    window = desktop.open_window(title, ("telegram-desktop", "TelegramDesktop"), process_name="tg-stand-in")
    desktop.activate(window)

    info = _window(probe)

    assert info is not None
    assert info.app == "TelegramDesktop"
    assert info.title == title
    assert info.pid == window.pid
    assert info.process == "tg-stand-in"
    assert info.executable is not None
    assert Path(info.executable).resolve() == Path(sys.executable).resolve()


def test_switching_focus_with_xdotool_changes_the_answer(desktop: Desktop, probe: X11Probe) -> None:
    firefox = desktop.open_window("Home / X — Mozilla Firefox", ("Navigator", "firefox"))
    whatsapp = desktop.open_window("WhatsApp", ("whatsapp-for-linux", "Whatsapp-for-linux"))

    desktop.activate(firefox)
    first = _window(probe)
    desktop.activate(whatsapp)
    second = _window(probe)
    desktop.activate("Home / X — Mozilla Firefox")  # by title, the way a script would
    third = _window(probe)

    assert (first and first.app, first and first.title) == ("firefox", "Home / X — Mozilla Firefox")
    assert (second and second.app, second and second.title) == ("Whatsapp-for-linux", "WhatsApp")
    assert third is not None and third.app == "firefox"


def test_a_title_change_is_seen_on_the_next_read(desktop: Desktop, probe: X11Probe) -> None:
    window = desktop.open_window("Inbox - Signal", ("signal", "Signal"))
    desktop.activate(window)
    assert (_window(probe) or WindowInfo("", "")).title == "Inbox - Signal"

    window.set_title("(1) Inbox - Signal ✉")

    assert (_window(probe) or WindowInfo("", "")).title == "(1) Inbox - Signal ✉"


@pytest.mark.parametrize(
    ("data", "kind", "expected"),
    [
        # ICCCM STRING is Latin-1 ...
        (b"Caf\xe9 cr\xe8me \xbd", "STRING", "Café crème ½"),
        # ... but programs put UTF-8 there too, and valid UTF-8 is read as such.
        ("naïve ✓".encode(), "STRING", "naïve ✓"),
        # Broken UTF-8 never raises: each bad byte becomes U+FFFD.
        (b"bad \xff\xfe title \xc3", "UTF8_STRING", "bad \ufffd\ufffd title \ufffd"),
        # COMPOUND_TEXT as libX11's Xutf8TextListToTextProperty writes "Ωμέγα Москва" (ISO 8859-7 and -5 in GR).
        (b"\x1b-F\xd9\xec\xdd\xe3\xe1 \x1b-L\xbc\xde\xe1\xda\xd2\xd0", "COMPOUND_TEXT", "Ωμέγα Москва"),
    ],
)
def test_wm_name_is_read_when_net_wm_name_is_missing(
    desktop: Desktop, probe: X11Probe, data: bytes, kind: str, expected: str
) -> None:
    window = desktop.open_window("placeholder", ("xterm", "XTerm"), wm_name=data, wm_name_type=kind)
    desktop.activate(window)

    info = _window(probe)

    assert info is not None and info.app == "XTerm"
    assert info.title == expected


def test_class_falls_back_to_instance_then_to_the_process_name(desktop: Desktop, probe: X11Probe) -> None:
    no_class = desktop.open_window("only an instance", ("lonely-instance", ""))
    desktop.activate(no_class)
    assert (_window(probe) or WindowInfo("", "")).app == "lonely-instance"

    bare = desktop.open_window("no WM_CLASS at all", None, process_name="bare-client")
    desktop.activate(bare)
    info = _window(probe)
    assert info is not None
    assert (info.app, info.process, info.title) == ("bare-client", "bare-client", "no WM_CLASS at all")


def test_a_pid_from_another_host_is_not_mapped_to_a_local_process(desktop: Desktop, probe: X11Probe) -> None:
    window = desktop.open_window("ssh -X", ("remote-app", "RemoteApp"), client_machine="elsewhere.example.org")
    desktop.activate(window)

    info = _window(probe)

    assert info is not None and info.app == "RemoteApp"
    assert (info.pid, info.process, info.executable) == (None, None, None)


def test_no_window_in_front_is_ok_and_empty(desktop: Desktop, probe: X11Probe) -> None:
    reading = probe.active_window()

    assert reading == WindowReading(reading.status, None)
    assert reading.status.ok


def test_a_window_gone_before_the_window_manager_noticed_gives_a_fresh_read(desktop: Desktop, probe: X11Probe) -> None:
    stays = desktop.open_window("Stays", ("stays", "Stays"))
    goes = desktop.open_window("Goes", ("goes", "Goes"))
    desktop.activate(goes)
    assert (_window(probe) or WindowInfo("", "")).app == "Goes"
    assert desktop.wm is not None

    # Frozen, icewm cannot move _NET_ACTIVE_WINDOW off the dead window: the probe meets BadWindow on every read.
    desktop.wm.pause()
    try:
        goes.kill()
        wait_until(lambda: not desktop.window_exists(goes.id), "the killed client's window to be destroyed")
        assert desktop.active_window_id() == goes.id
        readings = [probe.active_window() for _ in range(3)]
    finally:
        desktop.wm.resume()

    assert all(r.status.ok and r.window is None for r in readings), readings
    # Once the window manager moves on, so does the probe, on the same connection.
    info = wait_until(lambda: _window(probe), "the probe to see the remaining window")
    assert info.app == "Stays"
    assert stays.id == desktop.active_window_id()


def test_windows_closing_while_being_read_never_break_the_probe(desktop: Desktop, probe: X11Probe) -> None:
    keeper = desktop.open_window("Keeper", ("keeper", "Keeper"))
    seen: list[WindowReading] = []
    for round_ in range(6):
        window = desktop.open_window(f"Short-lived {round_}", ("short", "Short"))
        desktop.activate(window)
        seen.append(probe.active_window())
        (window.kill if round_ % 2 else window.close)()
        seen.extend(probe.active_window() for _ in range(5))

    assert all(r.status.ok for r in seen), [r.status for r in seen if not r.status.ok]
    assert {r.window.app for r in seen if r.window is not None} <= {"Short", "Keeper"}
    desktop.activate(keeper)
    assert (_window(probe) or WindowInfo("", "")).app == "Keeper"


def test_without_a_window_manager_the_input_focus_is_used(xvfb: Desktop, probe: X11Probe) -> None:
    editor = xvfb.open_window("notes.txt - Editor", ("editor", "Editor"))
    chat = xvfb.open_window("Chat — Element", ("element", "Element"))
    assert xvfb.active_window_id() is None  # no window manager, no _NET_ACTIVE_WINDOW

    before = _window(probe)
    editor.focus()
    on_editor = _window(probe)
    chat.focus(child=True)  # focus on a child window without WM_CLASS belongs to its top level
    on_chat_child = _window(probe)
    xvfb.focus(editor)  # xdotool windowfocus works without a window manager
    back = _window(probe)

    assert before is None  # X starts with the focus on PointerRoot: nothing in front
    assert on_editor is not None and (on_editor.app, on_editor.title) == ("Editor", "notes.txt - Editor")
    assert on_chat_child is not None and (on_chat_child.app, on_chat_child.title) == ("Element", "Chat — Element")
    assert on_chat_child.pid == chat.pid
    assert back is not None and back.app == "Editor"


def test_idle_grows_while_nothing_happens_and_resets_on_input(xvfb: Desktop, probe: X11Probe) -> None:
    xvfb.move_mouse()
    start = probe.idle()
    time.sleep(1.2)
    later = probe.idle()
    xvfb.move_mouse()
    after_move = probe.idle()
    time.sleep(0.3)
    xvfb.press_key("shift")
    after_key = probe.idle()

    assert start.status.ok and later.status.ok, (start, later)
    assert start.seconds is not None and later.seconds is not None
    assert start.seconds < 0.5
    assert 1.1 <= later.seconds - start.seconds < 2.5
    assert after_move.seconds is not None and after_move.seconds < 0.5
    assert after_key.seconds is not None and after_key.seconds < 0.25
    # The probe reads the same clock X itself keeps.
    assert abs((probe.idle().seconds or 0.0) - xvfb.idle_seconds()) < 0.2


def test_cpu_cost_per_sample(desktop: Desktop, probe: X11Probe, capsys: pytest.CaptureFixture[str]) -> None:
    """Measured, not asserted: CPU time of active_window() + idle(), the probe's share of one 1 Hz sample."""
    window = desktop.open_window("Measuring — Mozilla Firefox", ("Navigator", "firefox"))
    desktop.activate(window)
    probe.active_window()  # connect and fill the process cache first
    calls = 1000
    start = time.process_time()
    for _ in range(calls):
        probe.active_window()
        probe.idle()
    per_sample = (time.process_time() - start) / calls
    with capsys.disabled():
        print(f"\nX11 probe CPU per sample (active_window + idle): {per_sample * 1e3:.3f} ms over {calls} calls")
    assert _window(probe) is not None
