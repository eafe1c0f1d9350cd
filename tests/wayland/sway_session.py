"""A real sway for tests: headless (no GPU, no input devices, pixman rendering), with its own runtime folder,
Wayland socket and IPC socket, windows opened in it (foot for native Wayland, a python-xlib client on XWayland), and
everything torn down with its process group.

``sway_session(workdir)`` is a context manager yielding a ``SwaySession``: ``.env`` is the environment a program in
that session sees (WAYLAND_DISPLAY, SWAYSOCK, XDG_RUNTIME_DIR, XDG_SESSION_TYPE=wayland, XDG_CURRENT_DESKTOP=sway),
``.swaymsg(*args)`` runs swaymsg against it, ``.open_window(app_id, title)`` opens a foot window and returns its
process once sway shows the window, ``.open_x_window(title, wm_class)`` does the same on XWayland.

sway refuses to run as root ("Unable to drop root"), and CI runs as root: then sway runs in a user namespace where
this root is an ordinary user (``unshare --user --map-user=1000``). Everything else (windows, Xwayland's clients, the
probes) runs as this user outside it; Xwayland, started by sway, lets them in because their uid maps to its own. The
runtime folder (mode 0700) is in /tmp because socket paths are limited to 107 bytes. A program that is not installed
skips the test with the apt package to install; one that is installed but does not start is an error with its log.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from desktop import DEFAULT_CLASS, HERE, START_TIMEOUT, DesktopError, base_env, stop_process, wait_until

#: Seconds a swaymsg call may take.
SWAYMSG_TIMEOUT = 5.0
_INSTALL_HINT = {"sway": "sway", "swaymsg": "sway", "foot": "foot", "Xwayland": "xwayland"}
#: The config of the test sway: no bar, no wallpaper, no idle daemon, XWayland started at once (when installed).
_CONFIG = """# Written by tests/wayland/sway_session.py
xwayland {xwayland}
"""


def require(*programs: str) -> None:
    """Skip the test, with the apt package to install, when one of ``programs`` is not on PATH."""
    for program in programs:
        if shutil.which(program) is None:
            package = _INSTALL_HINT.get(program, program)
            pytest.skip(f"{program} is not installed (apt-get install {package}); this test needs a real sway")


def _not_as_root() -> list[str]:
    """The command prefix that keeps sway from seeing root: none for an ordinary user, else a user namespace."""
    if os.geteuid() != 0:
        return []
    require("unshare")
    prefix = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]
    if subprocess.run([*prefix, "true"], check=False).returncode != 0:
        pytest.skip("sway refuses to run as root and this machine allows no user namespaces (unshare --user)")
    return prefix


def _spawn(
    argv: Sequence[str],
    *,
    env: dict[str, str],
    log: Path,
    stdin: int | None = subprocess.DEVNULL,
    stdout: int | None = None,
) -> subprocess.Popen[bytes]:
    """Start a child in a new session, so that its whole process group can be killed at teardown."""
    with log.open("ab") as err:
        return subprocess.Popen(
            list(argv),
            env=env,
            stdin=stdin,
            stdout=stdout if stdout is not None else err,
            stderr=err,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the test process dies (killed by a CI timeout), so nothing lingers."""
    import ctypes

    ctypes.CDLL(None).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) or "(empty log)"
    except OSError:
        return "(no log)"


@dataclass
class SwaySession:
    """A running headless sway. ``stop()`` ends it (what a test does to take sway away from a probe)."""

    workdir: Path
    runtime_dir: Path
    process: subprocess.Popen[bytes]
    socket: str
    wayland_display: str
    log: Path
    _clients: list[subprocess.Popen[bytes]] = field(default_factory=list, repr=False)

    @property
    def env(self) -> dict[str, str]:
        """What a program started inside this sway session sees."""
        env = base_env()
        for name in ("SWAYSOCK", "I3SOCK", "HYPRLAND_INSTANCE_SIGNATURE", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION"):
            env.pop(name, None)
        env.update(
            WAYLAND_DISPLAY=self.wayland_display,
            SWAYSOCK=self.socket,
            XDG_RUNTIME_DIR=str(self.runtime_dir),
            XDG_SESSION_TYPE="wayland",
            XDG_CURRENT_DESKTOP="sway",
        )
        return env

    def alive(self) -> bool:
        return self.process.poll() is None

    def swaymsg(self, *args: str) -> Any:
        """Run ``swaymsg -s SOCKET -r ARGS`` and return its JSON answer; DesktopError when sway refuses."""
        result = subprocess.run(
            ["swaymsg", "-s", self.socket, "-r", *args],
            env=self.env,
            capture_output=True,
            timeout=SWAYMSG_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            raise DesktopError(f"swaymsg {' '.join(args)} failed ({result.returncode}): {result.stdout!r}")
        return json.loads(result.stdout) if result.stdout.strip() else None

    def views(self) -> list[dict[str, Any]]:
        """Every window sway manages, from its tree."""
        found: list[dict[str, Any]] = []
        stack = [self.swaymsg("-t", "get_tree")]
        while stack:
            node = stack.pop()
            if node.get("type") in ("con", "floating_con") and ("app_id" in node or "window_properties" in node):
                found.append(node)
            stack.extend(node.get("nodes", []) + node.get("floating_nodes", []))
        return found

    def client_env(self) -> dict[str, str]:
        env = self.env
        env["HOME"] = str(self.runtime_dir)  # fontconfig's cache and foot's state stay out of the real home
        return env

    def open_window(self, app_id: str, title: str) -> subprocess.Popen[bytes]:
        """A native Wayland window (foot running ``sleep``) with ``app_id`` and ``title``; returns its process once
        sway manages the window (new windows take the focus)."""
        require("foot")
        log = self.workdir / f"foot-{len(self._clients)}.log"
        argv = ["foot", f"--app-id={app_id}", f"--title={title}", "--", "sleep", "86400"]
        process = _spawn(argv, env=self.client_env(), log=log)
        self._clients.append(process)

        def shown() -> bool:
            if process.poll() is not None:
                raise DesktopError(f"foot exited ({process.returncode}) before its window showed. Log:\n{_tail(log)}")
            return any(view.get("pid") == process.pid for view in self.views())

        wait_until(shown, f"sway to show the foot window {app_id!r}")
        return process

    def x_display(self) -> str:
        """The X display XWayland serves for this sway (``xwayland force`` starts it with sway)."""
        require("Xwayland")
        import psutil

        def find() -> str | None:
            for process in psutil.process_iter(["name", "cmdline"]):
                try:
                    if process.info["name"] != "Xwayland" or os.getpgid(process.pid) != self.process.pid:
                        continue
                except (psutil.Error, OSError):
                    continue
                cmdline = process.info["cmdline"] or []
                return next((arg for arg in cmdline[1:] if arg.startswith(":")), None)
            return None

        display = wait_until(find, "sway to start Xwayland")
        assert display is not None  # wait_until returns only a truthy value
        number = display.lstrip(":")
        wait_until(lambda: Path(f"/tmp/.X11-unix/X{number}").exists(), f"Xwayland to listen on {display}")
        return display

    def open_x_window(self, title: str, wm_class: tuple[str, str] = DEFAULT_CLASS) -> subprocess.Popen[bytes]:
        """An X11 window on XWayland (tests/desktop.py's window client) with ``wm_class`` (instance, class) and
        ``title``; returns its process once sway manages the window."""
        import socket as socket_module

        env = self.client_env()
        env["DISPLAY"] = self.x_display()
        spec = {
            "title": title,
            "wm_class": list(wm_class),
            "client_machine": socket_module.gethostname(),
        }
        log = self.workdir / f"x-window-{len(self._clients)}.log"
        process = _spawn(
            [sys.executable, str(HERE), "window", json.dumps(spec)],
            env=env,
            log=log,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._clients.append(process)
        _read_line(process, log, f"the X window {title!r} to be mapped")
        wait_until(
            lambda: any(view.get("pid") == process.pid for view in self.views()),
            f"sway to show the X window {title!r}",
        )
        return process

    def stop(self) -> None:
        """End the windows and sway (and its Xwayland, same process group)."""
        for client in self._clients:
            stop_process(client)
        stop_process(self.process)


def _read_line(process: subprocess.Popen[bytes], log: Path, what: str) -> str:
    selector = selectors.DefaultSelector()
    assert process.stdout is not None
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + START_TIMEOUT
    buffer = b""
    try:
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DesktopError(f"Timed out waiting for {what}. Log:\n{_tail(log)}")
            if not selector.select(remaining):
                continue
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                raise DesktopError(f"{what} failed: the client exited ({process.poll()}). Log:\n{_tail(log)}")
            buffer += chunk
    finally:
        selector.close()
    return buffer.split(b"\n", 1)[0].decode()


@contextlib.contextmanager
def sway_session(workdir: Path) -> Iterator[SwaySession]:
    """A headless sway, ready when this yields (its IPC socket answers), stopped with everything it started."""
    require("sway", "swaymsg")
    workdir.mkdir(parents=True, exist_ok=True)
    prefix = _not_as_root()
    runtime = Path(tempfile.mkdtemp(prefix="mw-sway-", dir="/tmp"))  # mode 0700, as XDG_RUNTIME_DIR must be
    try:
        config = runtime / "config"
        config.write_text(_CONFIG.format(xwayland="force" if shutil.which("Xwayland") else "disable"))
        env = base_env()
        for name in ("SWAYSOCK", "I3SOCK", "WAYLAND_SOCKET"):
            env.pop(name, None)
        env.update(
            XDG_RUNTIME_DIR=str(runtime),
            HOME=str(runtime),
            WLR_BACKENDS="headless",
            WLR_LIBINPUT_NO_DEVICES="1",
            WLR_RENDERER="pixman",
        )
        log = workdir / "sway.log"
        process = _spawn([*prefix, "sway", "-c", str(config)], env=env, log=log)
        try:
            # sway (unshare execs it: same pid) names its IPC socket sway-ipc.UID.PID.sock, UID as it sees itself;
            # the Wayland socket is the first free wayland-N.
            def ready() -> tuple[Path, str] | None:
                if process.poll() is not None:
                    raise DesktopError(f"sway exited ({process.returncode}) before it was ready. Log:\n{_tail(log)}")
                ipc = next(iter(runtime.glob(f"sway-ipc.*.{process.pid}.sock")), None)
                if ipc is None:
                    return None
                sockets = sorted(p.name for p in runtime.glob("wayland-*") if not p.name.endswith(".lock"))
                if not sockets:
                    return None
                answer = subprocess.run(
                    ["swaymsg", "-s", str(ipc), "-t", "get_version"],
                    capture_output=True,
                    timeout=SWAYMSG_TIMEOUT,
                    check=False,
                )
                return (ipc, sockets[0]) if answer.returncode == 0 else None

            found = wait_until(ready, "sway to answer on its IPC socket")
            assert found is not None  # wait_until returns only a truthy value
            ipc, display = found
            session = SwaySession(workdir, runtime, process, str(ipc), display, log)
            try:
                yield session
            finally:
                session.stop()
        finally:
            stop_process(process)
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
