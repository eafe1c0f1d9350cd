"""The sway window probe and the Wayland idle probe against a real headless sway 1.7 (``sway_session``): the window
the tracker would record, focus moves, empty workspaces, XWayland windows, sway going away and coming back, idle
time from ``org_kde_kwin_idle`` with input made on sway's seat. Then the sway probe against stand-in IPC sockets
that answer what sway never would (wrong magic, huge or cut frames, silence, not JSON, odd types): it must give a
reason and never raise or hang.
"""

from __future__ import annotations

import copy
import json
import socket
import struct
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from standins import StandInSocket, each_stopped
from sway_session import SwaySession, sway_session

from desktop import wait_until
from fakes import FakeClock
from middenweg.tracking.platforms.wlroots import (
    RETRY_SECONDS,
    SwayProbe,
    WaylandIdleProbe,
    create_sway,
)
from middenweg.tracking.probes import IdleReading, ProbeState, WindowInfo

pytest_plugins = ["desktop"]
pytestmark = pytest.mark.wayland


@pytest.fixture
def sway(tmp_path: Path) -> Iterator[SwaySession]:
    with sway_session(tmp_path / "sway") as session:
        yield session


@pytest.fixture
def probe(sway: SwaySession) -> Iterator[SwayProbe]:
    made = SwayProbe(environ=sway.env)
    yield made
    made.close()


def _window(probe: SwayProbe) -> WindowInfo | None:
    reading = probe.active_window()
    assert reading.status.ok, reading.status.reason
    return reading.window


# -- windows on a real sway -----------------------------------------------------------------------------------------


def test_the_focused_native_window_is_recorded_by_app_id_title_and_process(sway: SwaySession, probe: SwayProbe) -> None:
    title = "Telegram (3) 👋 שלום — 日本語"
    foot = sway.open_window("org.telegram.desktop", title)

    info = _window(probe)

    assert info == WindowInfo(
        app="org.telegram.desktop", title=title, pid=foot.pid, process="foot", executable="/usr/bin/foot"
    )


def test_focus_moves_made_with_swaymsg_are_seen(sway: SwaySession, probe: SwayProbe) -> None:
    sway.open_window("firefox", "Home — Mozilla Firefox")
    sway.open_window("Slack", "general | Slack")

    newest = _window(probe)
    sway.swaymsg("[app_id=firefox]", "focus")
    first = _window(probe)
    sway.swaymsg("focus", "right")
    back = _window(probe)

    assert newest is not None and newest.app == "Slack"
    assert first is not None and (first.app, first.title) == ("firefox", "Home — Mozilla Firefox")
    assert back is not None and back.app == "Slack"


def test_an_empty_workspace_means_no_window_in_front(sway: SwaySession, probe: SwayProbe) -> None:
    sway.open_window("firefox", "Firefox")

    sway.swaymsg("workspace", "9")
    empty = probe.active_window()
    sway.swaymsg("workspace", "1")
    again = _window(probe)

    assert empty.status.ok and empty.window is None
    assert again is not None and again.app == "firefox"


def test_a_focused_workspace_stands_for_the_window_that_had_the_focus(sway: SwaySession, probe: SwayProbe) -> None:
    sway.open_window("firefox", "Firefox")
    sway.open_window("Slack", "Slack")
    sway.swaymsg("[app_id=firefox]", "focus")

    sway.swaymsg("focus", "parent")  # the workspace itself has the focus now
    focused = [n for n in _nodes(sway.swaymsg("-t", "get_tree")) if n.get("focused")]
    info = _window(probe)

    assert [n["type"] for n in focused] == ["workspace"]
    assert info is not None and info.app == "firefox"


def test_an_xwayland_window_is_recorded_by_its_class(sway: SwaySession, probe: SwayProbe) -> None:
    client = sway.open_x_window("Inbox — Thunderbird", ("Mail", "thunderbird"))

    info = _window(probe)

    assert info is not None
    assert (info.app, info.title, info.pid) == ("thunderbird", "Inbox — Thunderbird", client.pid)
    assert info.process is not None


def _nodes(tree: dict[str, Any]) -> Iterator[dict[str, Any]]:
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.get("nodes", []) + node.get("floating_nodes", []))


# -- finding sway, losing it, finding it again ----------------------------------------------------------------------


def test_without_any_sway_socket_the_reason_says_what_to_do(tmp_path: Path) -> None:
    probe = SwayProbe(environ={"XDG_RUNTIME_DIR": str(tmp_path)})

    reading = probe.active_window()

    assert reading.status.state is ProbeState.UNSUPPORTED and reading.window is None
    assert reading.status.reason.startswith("SWAYSOCK is not set and no sway socket was found in XDG_RUNTIME_DIR")
    assert '"exec middenweg" in the sway config' in reading.status.reason


def test_without_swaysock_the_sway_socket_in_the_runtime_dir_is_used(sway: SwaySession) -> None:
    sway.open_window("firefox", "Firefox")
    environ = {k: v for k, v in sway.env.items() if k != "SWAYSOCK"}
    probe = SwayProbe(environ=environ)

    info = _window(probe)
    probe.close()

    assert info is not None and info.app == "firefox"


def test_sway_going_away_is_reported_and_a_new_sway_is_picked_up(tmp_path: Path) -> None:
    clock = FakeClock(0.0)
    environ: dict[str, str] = {}
    probe = SwayProbe(environ=environ, monotonic=clock.monotonic)
    try:
        with sway_session(tmp_path / "first") as first:
            environ.update(first.env)
            first.open_window("firefox", "Firefox")
            before = probe.active_window()
            old_socket = first.socket
            first.stop()
            lost = probe.active_window()
            gone = probe.active_window()  # a reconnect attempt, straight after a connection that worked

        with sway_session(tmp_path / "second") as second:
            environ.clear()
            environ.update(second.env)
            second.open_window("Slack", "Slack")
            too_soon = probe.active_window()
            clock.advance(RETRY_SECONDS)
            back = probe.active_window()
    finally:
        probe.close()

    assert before.window is not None and before.window.app == "firefox"
    assert lost.status.state is ProbeState.UNSUPPORTED
    assert lost.status.reason.startswith(f"The connection to sway at {old_socket} failed (")
    assert gone.status.reason.startswith(f"Cannot reach sway at {old_socket} (")
    assert "swaymsg -t get_version" in gone.status.reason
    assert too_soon.status == gone.status  # at most one attempt every RETRY_SECONDS
    assert back.status.ok and back.window is not None and back.window.app == "Slack"


def test_create_sway_gives_the_window_and_idle_probes_of_the_session(sway: SwaySession) -> None:
    sway.open_window("firefox", "Firefox")

    window, idle = create_sway(sway.env)
    try:
        names = (window.name, idle.name)
        reading, idle_reading = window.active_window(), idle.idle()
    finally:
        window.close()
        idle.close()

    assert names == ("sway", "wayland-idle")
    assert reading.window is not None and reading.window.app == "firefox"
    assert idle_reading.status.ok and idle_reading.seconds == 0.0


def test_cpu_cost_per_reading(sway: SwaySession, probe: SwayProbe, capsys: pytest.CaptureFixture[str]) -> None:
    """Measured (and bounded far above what it is): CPU time of one active_window() with four windows open."""
    for number in range(4):
        sway.open_window(f"app{number}", f"Window {number}")
    calls = 1000
    probe.active_window()  # connect first
    start_cpu, start = time.process_time(), time.perf_counter()
    apps = {info.app if (info := _window(probe)) else None for _ in range(calls)}
    cpu, wall = (time.process_time() - start_cpu) / calls, (time.perf_counter() - start) / calls
    with capsys.disabled():
        print(f"\nsway probe per active_window(): {cpu * 1e3:.3f} ms CPU, {wall * 1e3:.3f} ms wall ({calls} calls)")

    assert apps == {"app3"}
    assert cpu < 0.010


# -- idle on a real sway (org_kde_kwin_idle) ------------------------------------------------------------------------


def test_idle_is_zero_until_sway_says_idle_then_counts_from_the_timeout(sway: SwaySession) -> None:
    clock = FakeClock(0.0)
    probe = WaylandIdleProbe(environ=sway.env, monotonic=clock.monotonic, idle_timeout=0.3)
    try:
        first = probe.idle()
        protocol = probe.protocol
        # sway says "idle" 0.3 s after the notification was asked for, with no input meanwhile.
        wait_until(lambda: probe.idle().seconds, "sway to say the seat is idle")
        at_idle = probe.idle()
        clock.advance(42.0)
        later = probe.idle()
    finally:
        probe.close()

    assert protocol == "org_kde_kwin_idle"  # sway 1.7 (wlroots 0.15) has no ext-idle-notify-v1 yet
    assert first.status.ok and first.seconds == 0.0
    assert at_idle.seconds == pytest.approx(0.3)
    assert later.seconds == pytest.approx(42.3)


def test_input_on_the_seat_resets_idle(sway: SwaySession) -> None:
    probe = WaylandIdleProbe(environ=sway.env, idle_timeout=0.3)
    try:
        probe.idle()
        wait_until(lambda: probe.idle().seconds, "sway to say the seat is idle")
        # A pointer motion on the seat (no input devices in headless sway; this is what reaches the seat).
        sway.swaymsg("seat", "-", "cursor", "move", "5", "5")
        wait_until(lambda: probe.idle().seconds == 0.0, "sway to say the seat is active again")
        resumed = probe.idle()
    finally:
        probe.close()

    assert resumed.status.ok and resumed.seconds == 0.0


def test_idle_says_so_when_sway_goes_away(tmp_path: Path) -> None:
    clock = FakeClock(0.0)
    with sway_session(tmp_path / "sway") as session:
        probe = WaylandIdleProbe(environ=session.env, monotonic=clock.monotonic)
        before = probe.idle()
        display = session.wayland_display
        session.stop()
        lost = wait_until(lambda: _failed(probe.idle()), "the idle probe to notice that sway is gone")
        again = probe.idle()
        clock.advance(RETRY_SECONDS)
        retried = probe.idle()
    probe.close()

    assert before.status.ok
    assert lost is not None
    assert lost.status.reason.startswith(f"The connection to the Wayland display {display} was lost (")
    assert again.status == lost.status
    assert retried.status.reason.startswith(f"Cannot connect to the Wayland display {display} (")


def _failed(reading: IdleReading) -> IdleReading | None:
    return None if reading.status.ok else reading


def test_idle_without_a_wayland_display_says_what_to_do(tmp_path: Path) -> None:
    probe = WaylandIdleProbe(environ={"XDG_RUNTIME_DIR": str(tmp_path)})

    reading = probe.idle()

    assert reading.status.state is ProbeState.UNSUPPORTED and reading.seconds is None
    assert "WAYLAND_DISPLAY or XDG_RUNTIME_DIR is not set" in reading.status.reason
    assert "start Middenweg from inside your Wayland session" in reading.status.reason


# -- stand-in sockets: what sway itself would never send ---------------------------------------------------------------

_HEADER = struct.Struct("=6sII")  # sway-ipc(7): "i3-ipc", payload length, message type, in native byte order
GET_TREE = 4

# Recorded from sway 1.7 (swaymsg -t get_tree in this suite's headless session): a native (xdg_shell) view.
_VIEW: dict[str, Any] = {
    "id": 5,
    "type": "con",
    "orientation": "none",
    "percent": 0.5,
    "urgent": False,
    "marks": [],
    "focused": False,
    "layout": "none",
    "border": "normal",
    "current_border_width": 2,
    "rect": {"x": 0, "y": 25, "width": 640, "height": 695},
    "deco_rect": {"x": 0, "y": 0, "width": 640, "height": 25},
    "window_rect": {"x": 2, "y": 0, "width": 636, "height": 693},
    "geometry": {"x": 0, "y": 0, "width": 700, "height": 500},
    "name": "Foot title",
    "window": None,
    "nodes": [],
    "floating_nodes": [],
    "focus": [],
    "fullscreen_mode": 0,
    "sticky": False,
    "pid": 17661,
    "app_id": "org.example.Foot",
    "visible": True,
    "max_render_time": 0,
    "shell": "xdg_shell",
    "inhibit_idle": False,
    "idle_inhibitors": {"user": "none", "application": "none"},
}


def _big_tree(workspaces: int, per_workspace: int, focused: int) -> dict[str, Any]:
    """A GET_TREE answer shaped like sway's (root, outputs, workspaces, views) with many views; view ``focused``
    (counting from 0) has the focus."""
    next_id = 10
    spaces = []
    for number in range(workspaces):
        views = []
        for _ in range(per_workspace):
            view = copy.deepcopy(_VIEW)
            view.update(id=next_id, pid=100000 + next_id, app_id=f"app.n{next_id}", name=f"Title {next_id} " * 8)
            view["focused"] = next_id - 10 == focused
            views.append(view)
            next_id += 1
        spaces.append(
            {"id": 1000 + number, "type": "workspace", "name": str(number + 1), "nodes": views, "floating_nodes": []}
        )
        spaces[-1]["focus"] = [v["id"] for v in views]
    output = {"id": 3, "type": "output", "name": "HEADLESS-1", "nodes": spaces, "floating_nodes": [], "focus": []}
    scratch = {"id": 2147483647, "type": "output", "name": "__i3", "nodes": [], "floating_nodes": [], "focus": []}
    return {"id": 1, "type": "root", "name": "root", "nodes": [scratch, output], "floating_nodes": [], "focus": [3]}


class StandInSway(StandInSocket):
    """A stand-in for sway's IPC socket, NOT sway: it reads i3-ipc messages and answers each GET_TREE with the bytes
    ``answer(kind)`` returns (None: close the connection; b"": say nothing)."""

    def __init__(self, path: Path, answer: Callable[[int], bytes | None]) -> None:
        self.answer = answer
        self.requests: list[int] = []
        super().__init__(path, backlog=4)

    def _talk(self, conn: socket.socket) -> None:
        buffer = b""
        for chunk in self._received(conn):
            buffer += chunk
            while len(buffer) >= _HEADER.size:
                _magic, length, kind = _HEADER.unpack_from(buffer)
                buffer = buffer[_HEADER.size + length :]
                self.requests.append(kind)
                answer = self.answer(kind)
                if answer is None:
                    return
                conn.sendall(answer)


@pytest.fixture
def stand_in(tmp_path: Path) -> Iterator[Callable[[Callable[[int], bytes | None]], StandInSway]]:
    def start(number: int, answer: Callable[[int], bytes | None]) -> StandInSway:
        return StandInSway(tmp_path / f"sway-ipc.{number}.sock", answer)

    yield from each_stopped(start)


def _frame(payload: bytes, kind: int = GET_TREE, magic: bytes = b"i3-ipc", length: int | None = None) -> bytes:
    return _HEADER.pack(magic, len(payload) if length is None else length, kind) + payload


_TREE = _big_tree(1, 2, focused=1)

BROKEN_ANSWERS: dict[str, bytes | None] = {
    "wrong magic": _frame(json.dumps(_TREE).encode(), magic=b"i4-ipc"),
    "huge length": _frame(b"", length=0xFFFFFFF0),
    "frame cut short": _frame(b'{"id": 1, "nodes": [', length=4000),
    "silence": b"",
    "closed": None,
    "not JSON": _frame(b"<html>sway?</html>"),
    "answer of another type": _frame(b"{}", kind=7),
    "JSON nested too deep": _frame(b"[" * 200000 + b"]" * 200000),
}


@pytest.mark.parametrize("case", sorted(BROKEN_ANSWERS))
def test_a_broken_answer_gives_a_reason_and_never_hangs(
    case: str, stand_in: Callable[[Callable[[int], bytes | None]], StandInSway]
) -> None:
    server = stand_in(lambda _kind: BROKEN_ANSWERS[case])
    probe = SwayProbe(str(server.path))

    reading = probe.active_window()
    probe.close()

    assert reading.status.state is ProbeState.UNSUPPORTED and reading.window is None
    assert reading.status.reason.startswith(f"The connection to sway at {server.path} failed (")
    assert server.requests[:1] == [GET_TREE]


def test_events_before_the_answer_are_skipped(stand_in: Callable[[Callable[[int], bytes | None]], StandInSway]) -> None:
    event = _frame(b'{"change": "focus"}', kind=0x80000003)  # a window event, high bit set
    server = stand_in(lambda _kind: event + _frame(json.dumps(_TREE).encode()))

    info = _window(SwayProbe(str(server.path)))

    assert info is not None and info.app == "app.n11"


def test_odd_values_in_the_tree_do_not_break_the_reading(
    stand_in: Callable[[Callable[[int], bytes | None]], StandInSway],
) -> None:
    view = {"id": 7, "type": "con", "focused": True, "app_id": 12, "name": ["x"], "pid": "123", "nodes": "none"}
    raw = json.dumps({"id": 1, "type": "root", "nodes": [view, None, 5, "x"]}).encode()
    latin1 = json.dumps({"id": 1, "nodes": [dict(_VIEW, focused=True, name="@@")]}).encode()
    latin1 = latin1.replace(b"@@", b"caf\xe9 \x01")  # invalid UTF-8 and a raw control character in a string
    answers = iter([_frame(raw), _frame(latin1)])
    server = stand_in(lambda _kind: next(answers))
    probe = SwayProbe(str(server.path))

    odd = _window(probe)
    mangled = _window(probe)

    assert odd == WindowInfo(app="", title="", pid=None, process=None, executable=None)
    assert mangled is not None and mangled.title == "caf\ufffd \x01" and mangled.app == "org.example.Foot"


def test_a_big_tree_is_read_well_within_the_time_a_tick_may_take(
    stand_in: Callable[[Callable[[int], bytes | None]], StandInSway], capsys: pytest.CaptureFixture[str]
) -> None:
    tree = _big_tree(10, 50, focused=377)  # 500 windows on 10 workspaces
    answer = _frame(json.dumps(tree).encode())
    server = stand_in(lambda _kind: answer)
    probe = SwayProbe(str(server.path))
    calls = 50

    start_cpu, start = time.process_time(), time.perf_counter()
    infos = {_window(probe) for _ in range(calls)}
    cpu, wall = (time.process_time() - start_cpu) / calls, (time.perf_counter() - start) / calls
    probe.close()
    with capsys.disabled():
        print(
            f"\nsway probe, 500-window tree ({len(answer) // 1024} KiB): {cpu * 1e3:.2f} ms CPU, "
            f"{wall * 1e3:.2f} ms wall per active_window() ({calls} calls, stand-in server included)"
        )

    assert [(i.app, i.pid) for i in infos if i is not None] == [("app.n387", 100387)]
