"""The Hyprland window probe against a stand-in hyprctl socket, and the Wayland idle probe's ext-idle-notify-v1 path
(what Hyprland and sway 1.8+ offer) against a stand-in compositor: Hyprland cannot run here (no GPU, no Hyprland
package in Debian 12), and the real sway in this suite offers only the older org_kde_kwin_idle.

The stand-in hyprctl socket answers as Hyprland's ``src/debug/HyprCtl.cpp`` does (hyprwm/Hyprland): one request per
connection, read in 1023-byte pieces; ``j/activewindow`` answered by ``activeWindowRequest``: ``{}`` when no window
is mapped and focused, else ``getWindowData`` in its JSON form (the format string below is that function's, with its
trailing comma popped), then the connection is closed. The socket is ``$XDG_RUNTIME_DIR/hypr/$SIGNATURE/.socket.sock``
(``hyprctl/main.cpp``, ``getRuntimeDir``), ``/tmp/hypr/$SIGNATURE/.socket.sock`` in older releases.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from standin_hyprland import NO_WINDOW, Hypr, active_window_answer
from standins import StandInSocket, each_stopped

from desktop import wait_until
from fakes import FakeClock
from middenweg.tracking.platforms.wlroots import (
    IDLE_TIMEOUT,
    RETRY_SECONDS,
    HyprlandProbe,
    WaylandIdleProbe,
    create_hyprland,
)
from middenweg.tracking.probes import ProbeState, WindowInfo

pytestmark = pytest.mark.wayland


def _window(probe: HyprlandProbe) -> WindowInfo | None:
    reading = probe.active_window()
    assert reading.status.ok, reading.status.reason
    return reading.window


# -- windows --------------------------------------------------------------------------------------------------------


def test_the_active_window_is_recorded_by_class_title_and_process(hypr: Hypr) -> None:
    title = 'Telegram (3) 👋 "quoted" \\ back\tslash'
    server = hypr.start(active_window_answer("org.telegram.desktop", title, os.getpid()))
    probe = HyprlandProbe(environ=hypr.environ)

    info = _window(probe)

    me = psutil.Process()
    assert info == WindowInfo(
        app="org.telegram.desktop", title=title, pid=os.getpid(), process=me.name(), executable=me.exe()
    )
    assert server.requests == [b"j/activewindow"]  # exactly what `hyprctl -j activewindow` sends


def test_no_window_in_front_is_an_ok_reading_without_a_window(hypr: Hypr) -> None:
    hypr.start(NO_WINDOW)

    reading = HyprlandProbe(environ=hypr.environ).active_window()

    assert reading.status.ok and reading.window is None


def test_an_xwayland_window_is_recorded_by_its_class(hypr: Hypr) -> None:
    hypr.start(active_window_answer("steam", "Steam", 4242, xwayland=True))

    info = _window(HyprlandProbe(environ=hypr.environ))

    assert info is not None and (info.app, info.title, info.pid) == ("steam", "Steam", 4242)


def test_an_empty_class_falls_back_to_the_initial_class(hypr: Hypr) -> None:
    hypr.start(active_window_answer("", "Untitled", 4242, initial_class="org.gnome.TextEditor"))

    info = _window(HyprlandProbe(environ=hypr.environ))

    assert info is not None and info.app == "org.gnome.TextEditor"


def test_the_older_socket_place_under_tmp_is_found(hypr: Hypr) -> None:
    hypr.start(active_window_answer("firefox", "Mozilla Firefox", 4242), old_place=True)

    info = _window(HyprlandProbe(environ=hypr.environ))

    assert info is not None and info.app == "firefox"


def test_without_the_instance_signature_the_reason_says_what_to_do() -> None:
    reading = HyprlandProbe(environ={"XDG_RUNTIME_DIR": "/nonexistent"}).active_window()

    assert reading.status.state is ProbeState.UNSUPPORTED and reading.window is None
    assert reading.status.reason.startswith("HYPRLAND_INSTANCE_SIGNATURE is not set")
    assert '"exec-once = middenweg" in hyprland.conf' in reading.status.reason


def test_no_socket_names_the_place_it_should_be(hypr: Hypr) -> None:
    reading = HyprlandProbe(environ=hypr.environ).active_window()

    assert reading.status.state is ProbeState.UNSUPPORTED
    assert reading.status.reason.startswith(f"Cannot reach Hyprland at {hypr.socket_path()} (")
    assert "hyprctl activewindow" in reading.status.reason


def test_a_dead_socket_is_reported_and_retried_after_the_delay(hypr: Hypr) -> None:
    path = hypr.socket_path()
    path.parent.mkdir(parents=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))  # there, but nobody listens: what a crashed Hyprland leaves behind
    dead.close()
    clock = FakeClock(0.0)
    probe = HyprlandProbe(environ=hypr.environ, monotonic=clock.monotonic)

    refused = probe.active_window()
    path.unlink()
    hypr.start(active_window_answer("firefox", "Firefox", 4242))
    too_soon = probe.active_window()
    clock.advance(RETRY_SECONDS)
    back = probe.active_window()

    assert refused.status.reason.startswith(f"Cannot reach Hyprland at {path} (")
    assert too_soon.status == refused.status
    assert back.status.ok and back.window is not None and back.window.app == "firefox"


GARBAGE: dict[str, bytes | None] = {
    "unknown request": b"unknown request",
    "unsafe state": b"unsafe state",
    "closed without a word": None,
    "silence": b"",
    "a JSON list": b"[]",
    "binary": bytes(range(256)) * 4,
    "cut short": active_window_answer("firefox", "Firefox", 4242)[:100],
}


@pytest.mark.parametrize("case", sorted(GARBAGE))
def test_garbage_gives_a_reason_and_never_hangs(hypr: Hypr, case: str) -> None:
    server = hypr.start(GARBAGE[case])
    probe = HyprlandProbe(environ=hypr.environ)

    reading = probe.active_window()

    assert reading.status.state is ProbeState.UNSUPPORTED and reading.window is None
    if case == "silence":
        assert reading.status.reason.startswith(f"Cannot reach Hyprland at {server.path} (no answer in time)")
    else:
        assert reading.status.reason.startswith(f"Hyprland gave an answer Middenweg cannot read at {server.path} (")


def test_odd_values_do_not_break_the_reading(hypr: Hypr) -> None:
    odd = {"address": ["x"], "class": 12, "title": None, "initialClass": "kitty", "pid": True}
    hypr.start(json.dumps(odd).encode() + b"\n")

    info = _window(HyprlandProbe(environ=hypr.environ))

    assert info == WindowInfo(app="kitty", title="", pid=None, process=None, executable=None)


def test_invalid_utf8_in_a_title_is_replaced_not_fatal(hypr: Hypr) -> None:
    answer = active_window_answer("firefox", "@@", 4242).replace(b"@@", b"caf\xe9")
    hypr.start(answer)

    info = _window(HyprlandProbe(environ=hypr.environ))

    assert info is not None and info.title == "caf\ufffd"


def test_create_hyprland_gives_the_window_and_idle_probes() -> None:
    window, idle = create_hyprland({"HYPRLAND_INSTANCE_SIGNATURE": "x_1_2", "XDG_RUNTIME_DIR": "/nonexistent"})

    assert (window.name, idle.name) == ("hyprland", "wayland-idle")
    assert idle.idle().status.state is ProbeState.UNSUPPORTED  # no WAYLAND_DISPLAY: never raises


# -- the stand-in compositor: ext-idle-notify-v1 --------------------------------------------------------------------

_HEADER = struct.Struct("=II")


def _string(text: str) -> bytes:
    data = text.encode() + b"\0"
    return struct.pack("=I", len(data)) + data + b"\0" * (-len(data) % 4)


def _event(object_id: int, opcode: int, body: bytes = b"") -> bytes:
    return _HEADER.pack(object_id, (8 + len(body)) << 16 | opcode) + body


class StandInCompositor(StandInSocket):
    """A stand-in Wayland compositor, NOT a compositor: it speaks the Wayland wire format for just what an idle
    client uses, as the protocol files define it: wl_display.sync/get_registry and the error and delete_id events,
    wl_registry.bind and global, wl_callback.done (wayland.xml); ext_idle_notifier_v1.get_idle_notification
    (opcode 1: new_id, timeout in ms, seat) and ext_idle_notification_v1.idled/resumed (wayland-protocols
    staging/ext-idle-notify/ext-idle-notify-v1.xml); org_kde_kwin_idle.get_idle_timeout (opcode 0: new_id, seat,
    timeout) from plasma-wayland-protocols' idle.xml. ``globals_`` are the interfaces it offers."""

    def __init__(self, path: Path, globals_: list[tuple[str, int]], *, silent: bool = False) -> None:
        self.globals = globals_
        self.silent = silent
        self.bound: dict[int, str] = {}  # object id -> interface
        self.notifications: list[tuple[str, int, int, int]] = []  # (interface, new id, timeout ms, seat id)
        self._conn: socket.socket | None = None
        self._lock = threading.Lock()
        super().__init__(path, backlog=1)

    def _send(self, data: bytes) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.sendall(data)

    def _talk(self, conn: socket.socket) -> None:
        with self._lock:
            self._conn = conn
        buffer = b""
        for chunk in self._received(conn):
            buffer += chunk
            while len(buffer) >= 8:
                object_id, size_opcode = _HEADER.unpack_from(buffer)
                size = size_opcode >> 16
                if len(buffer) < size:
                    break
                self._request(object_id, size_opcode & 0xFFFF, buffer[8:size])
                buffer = buffer[size:]
        with self._lock:
            self._conn = None

    def _request(self, object_id: int, opcode: int, body: bytes) -> None:
        if self.silent:
            return
        if object_id == 1 and opcode == 0:  # wl_display.sync(callback)
            (callback,) = struct.unpack_from("=I", body)
            self._send(_event(callback, 0, struct.pack("=I", 1)) + _event(1, 1, struct.pack("=I", callback)))
        elif object_id == 1 and opcode == 1:  # wl_display.get_registry(registry)
            (registry,) = struct.unpack_from("=I", body)
            events = b"".join(
                _event(registry, 0, struct.pack("=I", name) + _string(interface) + struct.pack("=I", version))
                for name, (interface, version) in enumerate(self.globals, start=1)
            )
            self._send(events)
            self.bound[registry] = "wl_registry"
        elif self.bound.get(object_id) == "wl_registry" and opcode == 0:  # bind(name, interface, version, id)
            (length,) = struct.unpack_from("=I", body, 4)
            interface = body[8 : 8 + length - 1].decode()
            offset = 8 + length + (-length % 4)
            _version, new_id = struct.unpack_from("=II", body, offset)
            self.bound[new_id] = interface
        elif self.bound.get(object_id) == "ext_idle_notifier_v1" and opcode == 1:
            new_id, timeout, seat = struct.unpack_from("=III", body)
            self.notifications.append(("ext_idle_notifier_v1", new_id, timeout, seat))
        elif self.bound.get(object_id) == "org_kde_kwin_idle" and opcode == 0:
            new_id, seat, timeout = struct.unpack_from("=III", body)
            self.notifications.append(("org_kde_kwin_idle", new_id, timeout, seat))

    def seat_id(self) -> int:
        return next(object_id for object_id, interface in self.bound.items() if interface == "wl_seat")

    def idled(self) -> None:
        self._send(_event(self.notifications[-1][1], 0))

    def resumed(self) -> None:
        self._send(_event(self.notifications[-1][1], 1))

    def protocol_error(self) -> None:
        """What libwayland sends before it cuts a client off: wl_display.error(object, code, message)."""
        self._send(_event(1, 0, struct.pack("=II", self.notifications[-1][1], 1) + _string("invalid timeout")))


@pytest.fixture
def compositor(tmp_path: Path) -> Iterator[Callable[..., StandInCompositor]]:
    def start(number: int, globals_: list[tuple[str, int]], **options: bool) -> StandInCompositor:
        return StandInCompositor(tmp_path / f"wayland-{number + 1}", globals_, **options)

    yield from each_stopped(start)


HYPRLAND_GLOBALS = [("wl_compositor", 6), ("wl_seat", 9), ("ext_idle_notifier_v1", 1), ("xdg_wm_base", 6)]


def _idle_probe(server: StandInCompositor, clock: FakeClock | None = None) -> WaylandIdleProbe:
    environ = {"WAYLAND_DISPLAY": server.path.name, "XDG_RUNTIME_DIR": str(server.path.parent)}
    if clock is None:
        return WaylandIdleProbe(environ=environ)
    return WaylandIdleProbe(environ=environ, monotonic=clock.monotonic)


def test_ext_idle_notify_is_asked_for_the_timeout_on_the_seat(compositor: Callable[..., StandInCompositor]) -> None:
    server = compositor(HYPRLAND_GLOBALS)
    clock = FakeClock(0.0)
    probe = _idle_probe(server, clock)

    first = probe.idle()
    server.idled()
    idle = wait_until(lambda: probe.idle().seconds, "the probe to read the idled event")
    clock.advance(30.0)
    later = probe.idle()
    server.resumed()
    wait_until(lambda: probe.idle().seconds == 0.0, "the probe to read the resumed event")
    protocol = probe.protocol
    probe.close()

    assert protocol == "ext_idle_notifier_v1" and first.status.ok and first.seconds == 0.0
    assert server.notifications == [("ext_idle_notifier_v1", server.notifications[0][1], 10000, server.seat_id())]
    assert idle == IDLE_TIMEOUT
    assert later.seconds == IDLE_TIMEOUT + 30.0


def test_ext_idle_notify_is_preferred_over_the_kde_protocol(compositor: Callable[..., StandInCompositor]) -> None:
    server = compositor([("wl_seat", 7), ("org_kde_kwin_idle", 1), ("ext_idle_notifier_v1", 1)])
    probe = _idle_probe(server)

    reading = probe.idle()
    protocol = probe.protocol
    probe.close()

    assert reading.status.ok and protocol == "ext_idle_notifier_v1"
    assert [n[0] for n in server.notifications] == ["ext_idle_notifier_v1"]


def test_a_compositor_without_an_idle_protocol_is_explained(compositor: Callable[..., StandInCompositor]) -> None:
    server = compositor([("wl_compositor", 6), ("wl_seat", 9), ("xdg_wm_base", 6)])

    reading = _idle_probe(server).idle()

    assert reading.status.state is ProbeState.UNSUPPORTED and reading.seconds is None
    assert reading.status.reason.startswith("This compositor does not tell Middenweg how long you have been idle")
    assert "time is counted while a window is in front" in reading.status.reason


def test_a_protocol_error_drops_the_connection_with_a_reason(compositor: Callable[..., StandInCompositor]) -> None:
    server = compositor(HYPRLAND_GLOBALS)
    probe = _idle_probe(server)
    assert probe.idle().status.ok

    server.protocol_error()
    lost = wait_until(lambda: None if (r := probe.idle()).status.ok else r, "the probe to read the error")

    assert lost is not None
    assert lost.status.reason.startswith(f"The connection to the Wayland display {server.path.name} was lost (")
    assert "invalid timeout" in lost.status.reason


def test_a_compositor_that_never_answers_costs_at_most_the_timeout(
    compositor: Callable[..., StandInCompositor],
) -> None:
    server = compositor(HYPRLAND_GLOBALS, silent=True)
    probe = _idle_probe(server)

    reading = probe.idle()

    assert reading.status.reason.startswith(
        f"Cannot connect to the Wayland display {server.path.name} (no answer in time)"
    )
