"""The X11 probe without a display, with a display that dies, and coming back when the display is back."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import x_server
from fakes import FakeClock
from middenweg.tracking.platforms.x11 import RETRY_SECONDS, X11Probe
from middenweg.tracking.probes import ProbeState

pytest_plugins = ["desktop"]
pytestmark = pytest.mark.x11


def _free_display_number() -> int:
    # Xvfb and Xorg take the lowest free numbers; nobody runs this high.
    for number in range(873, 999):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise AssertionError("no free X display number")


def test_without_display_the_probe_says_so_and_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    probe = X11Probe()

    window, idle = probe.active_window(), probe.idle()

    assert window.status.state is ProbeState.UNSUPPORTED and window.window is None
    assert idle.status == window.status and idle.seconds is None
    assert "DISPLAY is not set" in window.status.reason
    assert "Wayland" in window.status.reason


def test_a_display_set_later_is_used_after_the_retry_delay(tmp_path: Path) -> None:
    clock = FakeClock(0.0)
    environ: dict[str, str] = {}
    probe = X11Probe(monotonic=clock.monotonic, environ=environ)
    assert probe.idle().status.state is ProbeState.UNSUPPORTED

    with x_server(tmp_path / "x") as server:
        environ["DISPLAY"] = server.display
        clock.advance(RETRY_SECONDS - 0.5)
        too_soon = probe.idle()
        clock.advance(0.5)
        on_time = probe.idle()
        probe.close()

    assert too_soon.status.state is ProbeState.UNSUPPORTED  # no attempt yet: at most one every few seconds
    assert on_time.status.ok and on_time.seconds is not None


def test_a_display_with_no_server_is_reported_with_its_name() -> None:
    name = f":{_free_display_number()}"
    probe = X11Probe(name)

    reading = probe.active_window()

    assert reading.status.state is ProbeState.UNSUPPORTED
    assert f"Cannot connect to the X display {name}" in reading.status.reason


def test_killing_the_x_server_makes_it_unsupported_and_a_new_one_brings_it_back(tmp_path: Path) -> None:
    clock = FakeClock(0.0)
    with x_server(tmp_path / "first") as server:
        probe = X11Probe(server.display, monotonic=clock.monotonic)
        assert probe.active_window().status.ok and probe.idle().status.ok
        number = server.number
        server.stop()

        lost = probe.active_window()
        lost_idle = probe.idle()

    assert lost.status.state is ProbeState.UNSUPPORTED
    assert f"connection to the X display :{number} was lost" in lost.status.reason
    assert lost_idle.status == lost.status

    with x_server(tmp_path / "second", number=number) as again:
        assert again.display == f":{number}"
        not_yet = probe.active_window()
        clock.advance(RETRY_SECONDS)
        back_window = probe.active_window()
        back_idle = probe.idle()
        probe.close()

    assert not_yet.status == lost.status  # the reconnect waits for the retry delay
    assert back_window.status.ok and back_window.window is None  # a fresh bare server: nothing in front
    assert back_idle.status.ok and back_idle.seconds is not None and back_idle.seconds < 30
