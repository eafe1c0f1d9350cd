"""A real desktop for tests: a private D-Bus session bus, Xvfb, icewm (window manager and tray), test windows,
xdotool input and an MPRIS media player stand-in, each started for a test and torn down with its process group.

Use it as a pytest plugin (``pytest_plugins = ["desktop"]``) for the fixtures ``dbus_session``, ``xvfb`` (a bare X
server, no window manager), ``desktop`` (bus + Xvfb + icewm) and ``mpris_player`` (a factory), or compose the
context managers ``session_bus``, ``x_server`` and ``window_manager`` yourself for a longer-lived desktop. The
fixtures skip with a reason only when a program (Xvfb, icewm, xdotool, dbus-daemon) is not installed; a program
that is installed but fails to start is an error. Nothing here may leave a process behind: every child runs in its
own session and its whole process group is killed on teardown.

Run as a script it is the other end of the helpers: ``python desktop.py window ...`` is a tiny python-xlib client
that keeps one top-level window open and obeys JSON commands on stdin; ``python desktop.py mpris ...`` owns
``org.mpris.MediaPlayer2.<name>`` on the session bus and answers PlaybackStatus.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

HERE = Path(__file__).resolve()
#: Seconds any start-up or wait may take before the helper gives up with an error that says what it waited for.
START_TIMEOUT = 10.0
#: Seconds an xdotool call may take: without a window manager `windowactivate --sync` would wait forever.
XDOTOOL_TIMEOUT = 5.0
DEFAULT_CLASS = ("middenweg-test", "MiddenwegTest")

_T = TypeVar("_T")

_INSTALL_HINT = {
    "Xvfb": "xvfb",
    "icewm": "icewm",
    "xdotool": "xdotool",
    "dbus-daemon": "dbus",
}


class DesktopError(RuntimeError):
    """A desktop piece that is installed did not start or answer in time; the message says which and why."""


def require(*programs: str) -> None:
    """Skip the test, with the apt package to install, when one of ``programs`` is not on PATH."""
    for program in programs:
        if shutil.which(program) is None:
            package = _INSTALL_HINT.get(program, program)
            pytest.skip(f"{program} is not installed (apt-get install {package}); this test needs a real desktop")


def wait_until(predicate: Callable[[], _T], what: str, timeout: float = START_TIMEOUT, interval: float = 0.02) -> _T:
    """Poll ``predicate`` until it returns something truthy; raise DesktopError naming ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise DesktopError(f"Timed out after {timeout:g} s waiting for {what}.")
        time.sleep(interval)


# -- processes ------------------------------------------------------------------------------------------------


def _spawn(
    argv: Sequence[str],
    *,
    env: dict[str, str],
    log: Path | None = None,
    stdin: int | None = subprocess.DEVNULL,
    stdout: int | None = None,
    pass_fds: Sequence[int] = (),
) -> subprocess.Popen[bytes]:
    """Start a child in a new session, so that its whole process group can be killed at teardown."""
    err: Any = subprocess.DEVNULL
    if log is not None:
        err = log.open("ab")
    try:
        return subprocess.Popen(
            list(argv),
            env=env,
            stdin=stdin,
            stdout=stdout if stdout is not None else err,
            stderr=err,
            pass_fds=tuple(pass_fds),
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    finally:
        if log is not None:
            err.close()


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if the test process dies (killed by a CI timeout) so nothing lingers."""
    import ctypes

    ctypes.CDLL(None).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG


def stop_process(process: subprocess.Popen[Any], timeout: float = 3.0, sig: int = signal.SIGTERM) -> None:
    """Kill the process group of ``process`` (TERM, then KILL) and reap the leader; safe to call twice."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
            os.killpg(process.pid, signal.SIGCONT)  # a paused child would not act on TERM
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout)
    # Children that outlived their leader (same group) are killed too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def _read_line(stream: Any, timeout: float, what: str, process: subprocess.Popen[Any], log: Path | None) -> str:
    """One line from a child's pipe, or DesktopError if it does not come in time or the child dies first."""
    selector = selectors.DefaultSelector()
    selector.register(stream, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    buffer = b""
    try:
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DesktopError(
                    f"Timed out after {timeout:g} s waiting for {what}. Log:\n{_tail(log) if log else ''}"
                )
            if not selector.select(remaining):
                continue
            chunk = os.read(stream.fileno(), 4096)
            if not chunk:
                code = process.poll()
                raise DesktopError(f"{what} failed: the process exited ({code}). Log:\n{_tail(log) if log else ''}")
            buffer += chunk
    finally:
        selector.close()
    return buffer.split(b"\n", 1)[0].decode()


def base_env() -> dict[str, str]:
    """The environment for desktop children: this one, minus anything that would reach the real desktop."""
    # QT_QPA_PLATFORM too: the in-process widget tests set it to offscreen, where no window reaches this desktop.
    dropped = ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "QT_QPA_PLATFORM")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# -- D-Bus session bus ----------------------------------------------------------------------------------------

# A session bus with no service directories: nothing is ever activated behind the test's back.
_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@dataclass
class SessionBus:
    address: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        stop_process(self.process)


@contextlib.contextmanager
def session_bus(workdir: Path) -> Iterator[SessionBus]:
    """A private D-Bus session bus (``dbus-daemon --nofork --print-address=1``) with its own socket folder."""
    require("dbus-daemon")
    workdir.mkdir(parents=True, exist_ok=True)
    # Socket paths are limited to 107 bytes; pytest's tmp_path can be longer, so the socket lives in /tmp.
    sockets = Path(_short_tempdir("mw-bus-"))
    config = workdir / "session-bus.conf"
    config.write_text(_BUS_CONFIG.format(dir=sockets))
    log = workdir / "dbus-daemon.log"
    process = _spawn(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
        env=base_env(),
        log=log,
        stdout=subprocess.PIPE,
    )
    try:
        address = _read_line(process.stdout, START_TIMEOUT, "dbus-daemon to print its address", process, log)
        yield SessionBus(address.strip(), process)
    finally:
        stop_process(process)
        shutil.rmtree(sockets, ignore_errors=True)


def _short_tempdir(prefix: str) -> str:
    import tempfile

    return tempfile.mkdtemp(prefix=prefix, dir="/tmp")


# -- X server -------------------------------------------------------------------------------------------------


@dataclass
class XServer:
    """A running Xvfb. ``stop()`` kills it (what a test does to cut the probe's connection)."""

    number: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def display(self) -> str:
        return f":{self.number}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        stop_process(self.process)


@contextlib.contextmanager
def x_server(workdir: Path, number: int | None = None, screen: str = "1280x800x24") -> Iterator[XServer]:
    """Xvfb on a free display (or on ``number``), ready to accept connections when this yields."""
    require("Xvfb")
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / (f"xvfb-{number}.log" if number is not None else "xvfb.log")
    read_fd, write_fd = os.pipe()
    argv = ["Xvfb", *([f":{number}"] if number is not None else [])]
    argv += ["-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp", "-noreset"]
    try:
        process = _spawn(argv, env=base_env(), log=log, pass_fds=(write_fd,))
    finally:
        os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as reader:
            # Xvfb writes the display number to -displayfd once it accepts connections.
            line = _read_line(reader, START_TIMEOUT, "Xvfb to accept connections", process, log)
        server = XServer(int(line.strip()), process, log)
        yield server
    finally:
        stop_process(process)


# -- window manager -------------------------------------------------------------------------------------------


@dataclass
class WindowManager:
    process: subprocess.Popen[bytes]
    log: Path

    def pause(self) -> None:
        """Freeze the window manager (SIGSTOP): root properties such as _NET_ACTIVE_WINDOW stop being updated."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.killpg(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        stop_process(self.process)


def wm_ready(display: str) -> bool:
    """Whether an EWMH window manager runs on ``display`` and the system tray selection has an owner."""
    from Xlib import X, Xatom
    from Xlib import display as xdisplay

    conn = xdisplay.Display(display)
    try:
        root = conn.screen().root
        check_atom = conn.intern_atom("_NET_SUPPORTING_WM_CHECK")
        check = root.get_full_property(check_atom, Xatom.WINDOW)
        if check is None or not len(check.value):
            return False
        tray = conn.get_selection_owner(conn.intern_atom("_NET_SYSTEM_TRAY_S0"))
        return bool(tray) and tray != X.NONE
    finally:
        conn.close()


@contextlib.contextmanager
def window_manager(server: XServer, workdir: Path, bus: SessionBus | None = None) -> Iterator[WindowManager]:
    """icewm (window manager with an XEmbed tray) on ``server``; yields once it manages windows and owns the tray."""
    require("icewm")
    config = workdir / "icewm"
    config.mkdir(parents=True, exist_ok=True)
    env = base_env()
    env.update(DISPLAY=server.display, ICEWM_PRIVCFG=str(config), HOME=str(workdir))
    if bus is not None:
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    log = workdir / "icewm.log"
    process = _spawn(["icewm"], env=env, log=log)
    try:

        def ready() -> bool:
            if process.poll() is not None:
                raise DesktopError(f"icewm exited ({process.returncode}) before it was ready. Log:\n{_tail(log)}")
            return wm_ready(server.display)

        wait_until(ready, "icewm to set _NET_SUPPORTING_WM_CHECK and own _NET_SYSTEM_TRAY_S0")
        yield WindowManager(process, log)
    finally:
        stop_process(process)


# -- the desktop a test drives ----------------------------------------------------------------------------------


@dataclass
class TestWindow:
    """A real top-level window kept open by a client process; commands return once the X server has them."""

    __test__ = False  # not a test class, whatever its name says

    id: int
    pid: int
    process: subprocess.Popen[bytes] = field(repr=False)
    log: Path = field(repr=False)

    def _command(self, **command: object) -> dict[str, Any]:
        if self.process.stdin is None or self.process.poll() is not None:
            raise DesktopError(f"The test window 0x{self.id:x} has no client any more. Log:\n{_tail(self.log)}")
        self.process.stdin.write(json.dumps(command).encode() + b"\n")
        self.process.stdin.flush()
        answer = json.loads(_read_line(self.process.stdout, START_TIMEOUT, f"window {command}", self.process, self.log))
        if not answer.get("ok"):
            raise DesktopError(f"The test window refused {command}: {answer}")
        return dict(answer)

    def set_title(self, title: str) -> None:
        """Set ``_NET_WM_NAME`` (UTF-8) and ``WM_NAME`` (UTF-8 as well, which many programs do)."""
        self._command(op="title", title=title)

    def set_wm_name(self, data: bytes, type_name: str = "STRING", drop_net_wm_name: bool = True) -> None:
        """Set ``WM_NAME`` to raw bytes of type ``type_name`` (STRING, UTF8_STRING, COMPOUND_TEXT); by default
        remove ``_NET_WM_NAME`` so that readers must fall back to ``WM_NAME``."""
        self._command(op="wm_name", hex=data.hex(), type=type_name, drop_net=drop_net_wm_name)

    def focus(self, child: bool = False) -> None:
        """Give this window (or, with ``child``, its small child window) the input focus itself (XSetInputFocus),
        the way it happens without a window manager."""
        self._command(op="focus", child=child)

    def close(self) -> None:
        """Destroy the window and let its client exit (a normal close)."""
        if self.process.poll() is None:
            with contextlib.suppress(DesktopError, OSError, ValueError):
                self._command(op="close")
        stop_process(self.process)

    def kill(self) -> None:
        """Kill the client at once: the X server destroys the window when it notices (a crash)."""
        stop_process(self.process, sig=signal.SIGKILL)


@dataclass
class MprisPlayer:
    """A stand-in media player on the session bus: ``org.mpris.MediaPlayer2.<name>`` with a PlaybackStatus."""

    name: str
    process: subprocess.Popen[bytes] = field(repr=False)
    log: Path = field(repr=False)

    @property
    def bus_name(self) -> str:
        return f"org.mpris.MediaPlayer2.{self.name}"

    def set_status(self, status: str) -> None:
        """ "Playing", "Paused" or "Stopped"; returns once the player answers with the new status."""
        if self.process.stdin is None:
            raise DesktopError("The MPRIS stand-in has no stdin.")
        self.process.stdin.write(status.encode() + b"\n")
        self.process.stdin.flush()
        _read_line(self.process.stdout, START_TIMEOUT, f"the MPRIS stand-in to take {status}", self.process, self.log)

    def freeze(self) -> None:
        """Stop the player process (SIGSTOP): it stays on the bus but never answers, like a hung program."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def stop(self) -> None:
        stop_process(self.process)


def start_mpris_player(
    bus: SessionBus, workdir: Path, name: str = "testplayer", status: str = "Playing"
) -> MprisPlayer:
    """Start an MPRIS stand-in on ``bus``; it owns its name when this returns. Stop it with ``stop()``."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = base_env()
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    log = workdir / f"mpris-{name}.log"
    process = _spawn(
        [sys.executable, str(HERE), "mpris", "--name", name, "--status", status],
        env=env,
        log=log,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        _read_line(
            process.stdout, START_TIMEOUT, f"the MPRIS stand-in to own org.mpris.MediaPlayer2.{name}", process, log
        )
    except BaseException:
        stop_process(process)
        raise
    return MprisPlayer(name, process, log)


class Desktop:
    """An X server (with or without a window manager) and optionally a session bus, and the things a test does there.

    ``env()`` is what a subprocess under test needs (DISPLAY, DBUS_SESSION_BUS_ADDRESS). Windows opened here are
    closed by ``close()`` (the fixtures call it).
    """

    def __init__(
        self, server: XServer, workdir: Path, bus: SessionBus | None = None, wm: WindowManager | None = None
    ) -> None:
        self.server = server
        self.workdir = workdir
        self.bus = bus
        self.wm = wm
        self._windows: list[TestWindow] = []
        self._conn: Any = None
        self._mouse_step = 0

    @property
    def display(self) -> str:
        return self.server.display

    def env(self, **extra: str) -> dict[str, str]:
        env = base_env()
        env["DISPLAY"] = self.display
        if self.bus is not None:
            env["DBUS_SESSION_BUS_ADDRESS"] = self.bus.address
        env.update(extra)
        return env

    # windows

    def open_window(
        self,
        title: str,
        wm_class: tuple[str, str] | None = DEFAULT_CLASS,
        *,
        process_name: str | None = None,
        wm_name: bytes | None = None,
        wm_name_type: str = "STRING",
        net_wm_name: bool = True,
        pid: bool = True,
        client_machine: str | None = None,
    ) -> TestWindow:
        """Open a mapped top-level window and return once the X server shows it mapped.

        ``wm_class`` is (instance, class), or None for a window without WM_CLASS. The title goes to
        ``_NET_WM_NAME`` (unless ``net_wm_name`` is False) and ``WM_NAME``, or ``WM_NAME`` gets the raw ``wm_name``
        bytes of type ``wm_name_type``. ``process_name`` renames the client process (what psutil reports as its
        name); ``pid`` False leaves out ``_NET_WM_PID``; ``client_machine`` sets ``WM_CLIENT_MACHINE`` (default:
        this host).
        """
        spec = {
            "title": title,
            "wm_class": list(wm_class) if wm_class is not None else None,
            "process_name": process_name,
            "wm_name": wm_name.hex() if wm_name is not None else None,
            "wm_name_type": wm_name_type,
            "net_wm_name": net_wm_name,
            "pid": pid,
            "client_machine": client_machine if client_machine is not None else socket.gethostname(),
        }
        log = self.workdir / f"window-{len(self._windows)}.log"
        process = _spawn(
            [sys.executable, str(HERE), "window", json.dumps(spec)],
            env=self.env(),
            log=log,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        try:
            ready = json.loads(_read_line(process.stdout, START_TIMEOUT, f"test window {title!r}", process, log))
        except BaseException:
            stop_process(process)
            raise
        window = TestWindow(int(ready["id"]), int(ready["pid"]), process, log)
        self._windows.append(window)
        return window

    def activate(self, window: TestWindow | int | str) -> int:
        """Make a window active through the window manager (``xdotool windowactivate --sync``); by window, id or
        exact title. Returns the window id. Needs a window manager."""
        window_id = self._window_id(window)
        self.xdotool("windowactivate", "--sync", str(window_id))
        return window_id

    def focus(self, window: TestWindow | int | str) -> int:
        """Give a window the input focus directly (``xdotool windowfocus --sync``); works without a window manager."""
        window_id = self._window_id(window)
        self.xdotool("windowfocus", "--sync", str(window_id))
        return window_id

    def _window_id(self, window: TestWindow | int | str) -> int:
        if isinstance(window, TestWindow):
            return window.id
        if isinstance(window, int):
            return window
        found = self.xdotool("search", "--name", f"^{_regex_escape(window)}$").split()
        if not found:
            raise DesktopError(f"No window is titled {window!r} on {self.display}.")
        return int(found[0])

    def window_exists(self, window: TestWindow | int) -> bool:
        """Whether the X server still has the window (it destroys a killed client's windows when it notices)."""
        from Xlib import error

        window_id = window.id if isinstance(window, TestWindow) else window
        try:
            self._x().create_resource_object("window", window_id).get_geometry()
        except error.XError:  # BadDrawable: no such window any more
            return False
        return True

    def active_window_id(self) -> int | None:
        """The root's ``_NET_ACTIVE_WINDOW`` as the window manager sets it, or None."""
        from Xlib import Xatom

        conn = self._x()
        prop = conn.screen().root.get_full_property(conn.intern_atom("_NET_ACTIVE_WINDOW"), Xatom.WINDOW)
        if prop is None or not len(prop.value) or not prop.value[0]:
            return None
        return int(prop.value[0])

    # input

    def move_mouse(self, x: int | None = None, y: int | None = None) -> None:
        """A real pointer move (a zero move does not reset X's idle time); without coordinates, to a new spot."""
        if x is None or y is None:
            self._mouse_step += 1
            x, y = 100 + 37 * (self._mouse_step % 13), 120 + 23 * (self._mouse_step % 11)
        self.xdotool("mousemove", "--sync", str(x), str(y))

    def press_key(self, key: str = "shift") -> None:
        self.xdotool("key", key)

    def idle_seconds(self) -> float:
        """X's own idle time (MIT-SCREEN-SAVER), read independently of any probe."""
        conn = self._x()
        return int(conn.screen().root.screensaver_query_info().idle) / 1000.0

    def xdotool(self, *args: str, timeout: float = XDOTOOL_TIMEOUT) -> str:
        """Run xdotool on this display with a time limit (it can wait forever without a window manager)."""
        require("xdotool")
        try:
            done = subprocess.run(
                ["xdotool", *args],
                env=self.env(),
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired as error:
            raise DesktopError(
                f"xdotool {' '.join(args)} did not finish within {timeout:g} s on {self.display}."
            ) from error
        if done.returncode != 0 and args[0] != "search":
            raise DesktopError(f"xdotool {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout

    # lifetime

    def _x(self) -> Any:
        if self._conn is None:
            from Xlib import display as xdisplay

            self._conn = xdisplay.Display(self.display)
        return self._conn

    def close(self) -> None:
        for window in self._windows:
            window.close()
        self._windows.clear()
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None


def _regex_escape(text: str) -> str:
    # xdotool search takes a POSIX extended regex.
    return "".join("\\" + c if c in r"\.^$|?*+()[]{}" else c for c in text)


@contextlib.contextmanager
def running_desktop(workdir: Path, *, wm: bool = True, bus: bool = True) -> Iterator[Desktop]:
    """Bus (optional), Xvfb and icewm (optional), in that order, torn down in reverse; for session-scoped setups."""
    with contextlib.ExitStack() as stack:
        session = stack.enter_context(session_bus(workdir / "bus")) if bus else None
        server = stack.enter_context(x_server(workdir / "x"))
        manager = stack.enter_context(window_manager(server, workdir / "wm", session)) if wm else None
        desktop = Desktop(server, workdir, session, manager)
        stack.callback(desktop.close)
        yield desktop


# -- fixtures -----------------------------------------------------------------------------------------------------


@pytest.fixture
def dbus_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SessionBus]:
    """A private session bus; DBUS_SESSION_BUS_ADDRESS points at it for the test."""
    with session_bus(tmp_path / "bus") as bus:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
        yield bus


@pytest.fixture
def xvfb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:
    """A bare X server without a window manager (no _NET_ACTIVE_WINDOW); DISPLAY points at it for the test."""
    require("Xvfb", "xdotool")
    with running_desktop(tmp_path / "desktop", wm=False, bus=False) as desktop:
        monkeypatch.setenv("DISPLAY", desktop.display)
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        yield desktop


@pytest.fixture
def desktop(dbus_session: SessionBus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:
    """Session bus + Xvfb + icewm (window manager and tray); DISPLAY and the bus address are set for the test."""
    require("Xvfb", "icewm", "xdotool")
    workdir = tmp_path / "desktop"
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(x_server(workdir / "x"))
        manager = stack.enter_context(window_manager(server, workdir / "wm", dbus_session))
        result = Desktop(server, workdir, dbus_session, manager)
        stack.callback(result.close)
        monkeypatch.setenv("DISPLAY", result.display)
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        yield result


@pytest.fixture
def mpris_player(dbus_session: SessionBus, tmp_path: Path) -> Iterator[Callable[..., MprisPlayer]]:
    """A factory: ``mpris_player(name="testplayer", status="Playing")`` starts a stand-in; all stop at teardown."""
    players: list[MprisPlayer] = []

    def start(name: str = "testplayer", status: str = "Playing") -> MprisPlayer:
        player = start_mpris_player(dbus_session, tmp_path / "mpris", name, status)
        players.append(player)
        return player

    yield start
    for player in players:
        player.stop()


# -- the client ends, run as `python desktop.py window|mpris ...` -----------------------------------------------


def _window_client(spec: dict[str, Any]) -> int:
    """Keep one window open; answer each JSON command line on stdin with one JSON line once the server has it."""
    from Xlib import X, Xatom, Xutil
    from Xlib import display as xdisplay

    if spec.get("process_name"):
        import ctypes

        libc = ctypes.CDLL(None)
        libc.prctl(15, spec["process_name"].encode()[:15], 0, 0, 0)  # PR_SET_NAME: what psutil calls the name

    conn = xdisplay.Display()
    screen = conn.screen()
    utf8 = conn.intern_atom("UTF8_STRING")
    net_wm_name = conn.intern_atom("_NET_WM_NAME")
    window = screen.root.create_window(
        50,
        50,
        320,
        200,
        0,
        screen.root_depth,
        X.InputOutput,
        X.CopyFromParent,
        background_pixel=screen.white_pixel,
        event_mask=X.StructureNotifyMask,
    )
    # A child without WM_CLASS, like the focus proxies of real toolkits: focus on it belongs to the top level.
    child = window.create_window(10, 10, 20, 20, 0, screen.root_depth, X.InputOutput, X.CopyFromParent)
    child.map()
    if spec.get("wm_class") is not None:
        window.set_wm_class(*spec["wm_class"])
    window.set_wm_hints(flags=Xutil.InputHint, input=1)
    window.change_property(Xatom.WM_CLIENT_MACHINE, Xatom.STRING, 8, spec["client_machine"].encode())
    if spec.get("pid", True):
        window.change_property(conn.intern_atom("_NET_WM_PID"), Xatom.CARDINAL, 32, [os.getpid()])

    def set_title(title: str) -> None:
        data = title.encode()
        window.change_property(net_wm_name, utf8, 8, data)
        window.change_property(Xatom.WM_NAME, utf8, 8, data)

    def set_wm_name(data: bytes, type_name: str, drop_net: bool) -> None:
        if drop_net:
            window.delete_property(net_wm_name)
        window.change_property(Xatom.WM_NAME, conn.intern_atom(type_name), 8, data)

    if spec.get("wm_name") is not None:
        set_wm_name(bytes.fromhex(spec["wm_name"]), spec["wm_name_type"], True)
    elif spec.get("net_wm_name", True):
        set_title(spec["title"])
    else:
        window.change_property(Xatom.WM_NAME, Xatom.STRING, 8, spec["title"].encode("latin-1", "replace"))
    window.map()
    conn.flush()
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if conn.pending_events():
            if conn.next_event().type == X.MapNotify:
                break
            continue
        if time.monotonic() > deadline:
            sys.stderr.write("the window was never mapped\n")
            return 1
        time.sleep(0.005)
    _answer(id=window.id, pid=os.getpid())

    selector = selectors.DefaultSelector()
    selector.register(sys.stdin.buffer, selectors.EVENT_READ, "stdin")
    selector.register(conn.fileno(), selectors.EVENT_READ, "x")
    buffer = b""
    while True:
        for key, _events in selector.select():
            if key.data == "x":
                while conn.pending_events():  # keep X's queue drained; nothing here needs the events
                    conn.next_event()
                continue
            chunk = os.read(sys.stdin.fileno(), 4096)
            if not chunk:
                return 0  # the test process went away: so does the window
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                command = json.loads(line)
                op = command["op"]
                if op == "title":
                    set_title(command["title"])
                elif op == "wm_name":
                    set_wm_name(bytes.fromhex(command["hex"]), command["type"], command["drop_net"])
                elif op == "focus":
                    (child if command.get("child") else window).set_input_focus(X.RevertToParent, X.CurrentTime)
                elif op == "close":
                    window.destroy()
                    conn.sync()
                    _answer()
                    conn.close()
                    return 0
                else:
                    _answer(ok=False, error=f"unknown op {op}")
                    continue
                conn.sync()
                _answer()


def _answer(ok: bool = True, **fields: object) -> None:
    sys.stdout.write(json.dumps({"ok": ok, **fields}) + "\n")
    sys.stdout.flush()


def _mpris_client(name: str, status: str) -> int:
    """Own org.mpris.MediaPlayer2.<name>; answer Properties.Get/GetAll; a line on stdin changes the status."""
    from jeepney import HeaderFields, MessageType, new_error, new_method_return
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    state = {"status": status}
    lock = threading.Lock()
    conn = open_dbus_connection(bus="SESSION")
    reply = conn.send_and_get_reply(message_bus.RequestName(f"org.mpris.MediaPlayer2.{name}", 4), timeout=5)
    if reply.body[0] not in (1, 4):  # primary owner, or already owner
        sys.stderr.write(f"could not own the name: {reply.body}\n")
        return 1

    def read_stdin() -> None:
        for line in sys.stdin.buffer:
            with lock:
                state["status"] = line.decode().strip()
            _answer(status=state["status"])
        os._exit(0)  # the test process went away

    player = "org.mpris.MediaPlayer2.Player"
    root = "org.mpris.MediaPlayer2"

    def properties(interface: str) -> dict[str, tuple[str, Any]]:
        with lock:
            current = state["status"]
        if interface == player:
            return {"PlaybackStatus": ("s", current), "CanPlay": ("b", True), "CanPause": ("b", True)}
        if interface == root:
            return {"Identity": ("s", f"Middenweg test player {name}"), "CanQuit": ("b", False)}
        return {}

    _answer(name=f"org.mpris.MediaPlayer2.{name}")
    threading.Thread(target=read_stdin, daemon=True).start()
    while True:
        message = conn.receive()
        if message.header.message_type is not MessageType.method_call:
            continue
        fields = message.header.fields
        interface = fields.get(HeaderFields.interface)
        member = fields.get(HeaderFields.member)
        path = fields.get(HeaderFields.path)
        if interface == "org.freedesktop.DBus.Properties" and path == "/org/mpris/MediaPlayer2":
            if member == "Get":
                wanted_interface, wanted = message.body
                found = properties(wanted_interface)
                if wanted in found:
                    conn.send(new_method_return(message, "v", (found[wanted],)))
                    continue
                conn.send(new_error(message, "org.freedesktop.DBus.Error.InvalidArgs", "s", (f"no {wanted}",)))
                continue
            if member == "GetAll":
                conn.send(new_method_return(message, "a{sv}", (properties(message.body[0]),)))
                continue
        conn.send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"no {member}",)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    window = commands.add_parser("window", help="keep one X window open (spec as JSON)")
    window.add_argument("spec")
    mpris = commands.add_parser("mpris", help="an MPRIS player stand-in on the session bus")
    mpris.add_argument("--name", default="testplayer")
    mpris.add_argument("--status", default="Playing")
    args = parser.parse_args(argv)
    if args.command == "window":
        return _window_client(json.loads(args.spec))
    return _mpris_client(args.name, args.status)


if __name__ == "__main__":
    sys.exit(main())
