"""Start Middenweg when the user logs in: an XDG autostart entry on Linux and the other free desktops, a
value under the per-user Run key of the Windows registry, a LaunchAgent on macOS.

Each place sits behind the same small `Backend` (status, enable, disable), and every OS dependency is a seam
(the folders, the registry) so the logic runs in tests on any system. This module must never do anything at
import time, never write outside the user's own autostart place (no system folders, no HKEY_LOCAL_MACHINE, no
sudo), never touch another program's entry, and never start or load anything itself: the entry takes effect at
the next login.
"""

from __future__ import annotations

import json
import os
import plistlib
import shlex
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO
from xml.parsers.expat import ExpatError

from middenweg.i18n import _
from middenweg.public_files import write_public

__all__ = [
    "DESKTOP_FILE_NAME",
    "LAUNCH_AGENT_LABEL",
    "RUN_KEY",
    "RUN_KEY_PATH",
    "RUN_VALUE",
    "AutostartError",
    "AutostartState",
    "Backend",
    "LaunchAgentAutostart",
    "RunKey",
    "WindowsRunAutostart",
    "WinregRunKey",
    "XdgAutostart",
    "autostart_backend",
    "cli_autostart",
    "desktop_exec",
    "start_command",
    "windows_command_line",
]

DESKTOP_FILE_NAME = "middenweg.desktop"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_KEY_PATH = "HKEY_CURRENT_USER\\" + RUN_KEY
RUN_VALUE = "Middenweg"
LAUNCH_AGENT_LABEL = "nl.middenweg.app"

# Desktop files carry their own translations (Desktop Entry spec, "Localized values for keys"), so these are
# not passed through `_`: the session reads the file in whatever language the user logs in with.
_COMMENT_EN = "Measure time in social and messaging apps and keep phone-free evenings"
_COMMENT_NL = "Meet je tijd in sociale en berichtenapps en houd telefoonvrije avonden"

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class AutostartError(Exception):
    """Start at login could not be read or changed; the message says where and what to do."""


@dataclass(frozen=True, slots=True)
class AutostartState:
    """Whether Middenweg starts at login, the file or registry key that says so, and the command it runs."""

    enabled: bool
    where: str
    command: str | None


class Backend(Protocol):
    """One OS's start-at-login place. Calls do file or registry I/O and return quickly; any thread will do."""

    def status(self) -> AutostartState: ...

    def enable(self) -> AutostartState: ...

    def disable(self) -> AutostartState: ...


# --- the command --------------------------------------------------------------------------------------------


class _Which(Protocol):
    def __call__(self, cmd: str, /) -> str | None: ...


def start_command() -> list[str]:
    """The argv that starts the Middenweg tray app (``middenweg`` without arguments), as absolute paths."""
    return _start_command(
        platform=sys.platform,
        executable=sys.executable,
        frozen=bool(getattr(sys, "frozen", False)),
        scripts_dir=sysconfig.get_path("scripts"),
        which=shutil.which,
    )


def _start_command(
    *,
    platform: str,
    executable: str,
    frozen: bool,
    scripts_dir: str | None,
    which: _Which,
) -> list[str]:
    interpreter = os.path.abspath(executable)
    if frozen:
        # A PyInstaller bundle: the executable is Middenweg itself.
        return [interpreter]
    if platform == "win32":
        # The pip launcher middenweg.exe is a console program: at login it would open a console window that
        # stays open as long as the tray app runs. pythonw.exe runs the same package without one.
        pythonw = Path(interpreter).with_name("pythonw.exe")
        if pythonw.is_file():
            return [str(pythonw), "-m", "middenweg"]
    # The console script of this very interpreter first, so the entry starts the installation that is running
    # now even when another `middenweg` comes earlier on PATH.
    names = ("middenweg.exe", "middenweg") if platform == "win32" else ("middenweg",)
    if scripts_dir:
        for name in names:
            script = Path(scripts_dir) / name
            if script.is_file() and os.access(script, os.X_OK):
                return [os.path.abspath(script)]
    found = which("middenweg")
    if found:
        # Not resolved through symlinks: ~/.local/bin/middenweg (packaging/install.sh) outlives reinstalls.
        return [os.path.abspath(found)]
    return [interpreter, "-m", "middenweg"]


# Desktop Entry spec, "The Exec key": an argument holding one of these must be quoted.
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def desktop_exec(argv: Sequence[str]) -> str:
    """``argv`` as the value of a desktop file's Exec key, ready to write after ``Exec=``.

    Two layers, as the spec orders them: each argument is quoted for the Exec key (double quotes; backslash
    before ``"``, backtick, ``$`` and ``\\``; ``%`` doubled because it starts field codes), then the whole
    value is escaped as a desktop-file string (``\\\\``, ``\\n``, ``\\t``, ``\\r``), so one literal backslash
    takes four.
    """
    parts: list[str] = []
    for arg in argv:
        text = arg.replace("%", "%%")
        if not arg or any(ch in _EXEC_RESERVED for ch in arg):
            for ch in '\\"`$':
                text = text.replace(ch, "\\" + ch)
            text = f'"{text}"'
        parts.append(text)
    return _escape_string(" ".join(parts))


def windows_command_line(argv: Sequence[str]) -> str:
    """``argv`` as one Windows command line; the program is always in double quotes.

    The Run key is read like CreateProcess reads lpCommandLine: an unquoted path with spaces would be cut at
    the first space ("C:\\Program" ...). Windows file names cannot hold ``"``, so plain quotes are enough for
    the program; the arguments follow the C runtime's rules (subprocess.list2cmdline).
    """
    program, *args = argv
    line = f'"{program}"'
    return f"{line} {subprocess.list2cmdline(args)}" if args else line


# --- Linux and other free desktops: XDG autostart -----------------------------------------------------------


def _escape_string(value: str) -> str:
    # Desktop Entry spec, "Possible value types": escapes of the string type.
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def _unescape_string(value: str) -> str:
    escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    out: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value) and value[i + 1] in escapes:
            out.append(escapes[value[i + 1]])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _exec_argv(argv: Sequence[str]) -> list[str]:
    """``argv`` as a desktop entry's Exec key must run it (the autostart entry and the menu entry alike)."""
    run = list(argv)
    if "%" in run[0]:
        # GLib (GNOME, Xfce, Cinnamon...) checks that the program exists before it expands field codes, so a
        # program path with "%%" in it would never be found; env takes the path as an argument instead.
        run.insert(0, shutil.which("env") or "/usr/bin/env")
    return run


def _desktop_entry(argv: Sequence[str], *, hidden: bool = False) -> str:
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Name=Middenweg",
        f"Comment={_COMMENT_EN}",
        f"Comment[nl]={_COMMENT_NL}",
        # TryExec: once Middenweg is uninstalled the session skips the entry instead of failing at login.
        f"TryExec={_escape_string(argv[0])}",
        f"Exec={desktop_exec(_exec_argv(argv))}",
        "Icon=middenweg",
        "Terminal=false",
        # The tray app maps no window at start, so startup notification would only show a busy cursor.
        "StartupNotify=false",
        "Categories=Utility;",
        "NoDisplay=false",
        "X-GNOME-Autostart-enabled=true",
    ]
    if hidden:
        # XDG Autostart spec: a user file with Hidden=true switches off a system-wide entry of the same name.
        lines.append("Hidden=true")
    return "\n".join(lines) + "\n"


def _read_desktop_entry(text: str) -> dict[str, str]:
    """The keys of the [Desktop Entry] group, string escapes undone; other groups and comments are skipped."""
    keys: dict[str, str] = {}
    in_group = False
    # Lines end at "\n" only (Desktop Entry spec, "Basic format"); str.splitlines would also cut at \x0b, \x85...
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            in_group = line == "[Desktop Entry]"
            continue
        if in_group and "=" in line:
            key, value = line.split("=", 1)
            # Duplicate keys are invalid; the first one is what most readers (GLib included) use.
            keys.setdefault(key.strip(), _unescape_string(value.strip()))
    return keys


def _is_false(value: str | None) -> bool:
    return value is not None and value.strip().lower() == "false"


def _is_true(value: str | None) -> bool:
    return value is not None and value.strip().lower() == "true"


class XdgAutostart:
    """``$XDG_CONFIG_HOME/autostart/middenweg.desktop`` (freedesktop.org Desktop Application Autostart spec).

    A file of the same name in a system folder (``$XDG_CONFIG_DIRS/autostart``, e.g. from a distribution
    package) is honoured: the user's file overrides it, so "off" writes ``Hidden=true`` there instead of
    deleting.
    """

    def __init__(self, folder: Path, system_folders: Sequence[Path] = (), command: Sequence[str] | None = None) -> None:
        self.folder = folder
        self.path = folder / DESKTOP_FILE_NAME
        self.system_folders = tuple(system_folders)
        self._command = tuple(command) if command is not None else None

    def _argv(self) -> list[str]:
        return list(self._command) if self._command is not None else start_command()

    def _system_entry(self) -> Path | None:
        for folder in self.system_folders:
            candidate = folder / DESKTOP_FILE_NAME
            if candidate.is_file():
                return candidate
        return None

    def _state_of(self, path: Path) -> AutostartState:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise AutostartError(
                _("Could not read the start-at-login entry {path} ({reason}). Check its permissions.").format(
                    path=path, reason=_reason(exc)
                )
            ) from exc
        keys = _read_desktop_entry(text)
        # Hidden=true is how desktops (and the spec) switch an entry off; GNOME's older tools set
        # X-GNOME-Autostart-enabled=false instead.
        enabled = not _is_true(keys.get("Hidden")) and not _is_false(keys.get("X-GNOME-Autostart-enabled"))
        return AutostartState(enabled, str(path), keys.get("Exec"))

    def status(self) -> AutostartState:
        if self.path.exists() or self.path.is_symlink():
            return self._state_of(self.path)
        system = self._system_entry()
        if system is not None:
            return self._state_of(system)
        return AutostartState(False, str(self.path), None)

    def enable(self) -> AutostartState:
        _write_atomically(self.path, _desktop_entry(self._argv()).encode("utf-8"))
        return self.status()

    def disable(self) -> AutostartState:
        system = self._system_entry()
        if system is not None and self._state_of(system).enabled:
            _write_atomically(self.path, _desktop_entry(self._argv(), hidden=True).encode("utf-8"))
        else:
            _remove(self.path)
        return self.status()


# --- macOS: a LaunchAgent -----------------------------------------------------------------------------------


class LaunchAgentAutostart:
    """``~/Library/LaunchAgents/nl.middenweg.app.plist`` (launchd.plist(5)).

    launchd reads the folder at login and RunAtLoad starts the job then; the file is not loaded with launchctl
    now, which would start a second Middenweg next to the running one.
    """

    def __init__(self, agents_dir: Path, command: Sequence[str] | None = None) -> None:
        self.path = agents_dir / f"{LAUNCH_AGENT_LABEL}.plist"
        self._command = tuple(command) if command is not None else None

    def status(self) -> AutostartState:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return AutostartState(False, str(self.path), None)
        except OSError as exc:
            raise AutostartError(
                _("Could not read the start-at-login entry {path} ({reason}). Check its permissions.").format(
                    path=self.path, reason=_reason(exc)
                )
            ) from exc
        try:
            plist = plistlib.loads(data)
        # A cut-off XML file fails in expat, not in plistlib itself.
        except (plistlib.InvalidFileException, ValueError, ExpatError) as exc:
            raise AutostartError(
                _(
                    "The start-at-login entry {path} is damaged ({reason}). Turn start at login off and "
                    "on again to write a new one."
                ).format(path=self.path, reason=exc)
            ) from exc
        if not isinstance(plist, dict):
            plist = {}
        arguments = plist.get("ProgramArguments")
        command = _join_posix(arguments) if isinstance(arguments, list) else None
        # Disabled=true is launchctl's hint not to load the job.
        return AutostartState(plist.get("Disabled") is not True, str(self.path), command)

    def enable(self) -> AutostartState:
        argv = list(self._command) if self._command is not None else start_command()
        plist = {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": argv,
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            # Only in the graphical login session, not for ssh logins: a tray app needs the menu bar.
            "LimitLoadToSessionType": "Aqua",
        }
        _write_atomically(self.path, plistlib.dumps(plist, fmt=plistlib.FMT_XML))
        return self.status()

    def disable(self) -> AutostartState:
        _remove(self.path)
        return self.status()


def _join_posix(arguments: list[object]) -> str:
    return shlex.join(str(arg) for arg in arguments)


# --- Windows: the per-user Run key --------------------------------------------------------------------------


class RunKey(Protocol):
    """The values of ``HKEY_CURRENT_USER\\...\\CurrentVersion\\Run``, as the winreg module reaches them.

    Like winreg: ``get_value`` and ``delete_value`` raise FileNotFoundError for a value that is not there, and
    other failures are OSError.
    """

    def get_value(self, name: str) -> str: ...

    def set_value(self, name: str, value: str) -> None: ...

    def delete_value(self, name: str) -> None: ...


class WinregRunKey:
    """The real Run key through winreg (imported on first use, so this module imports on any system)."""

    def get_value(self, name: str) -> str:
        if sys.platform == "win32":
            import winreg

            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_QUERY_VALUE) as key:
                value, _kind = winreg.QueryValueEx(key, name)
            return value if isinstance(value, str) else str(value)
        else:  # noqa: RET505 - the else keeps mypy's platform check from marking the raise unreachable
            raise _not_windows()

    def set_value(self, name: str, value: str) -> None:
        if sys.platform == "win32":
            import winreg

            # CreateKeyEx, not OpenKey: on a fresh profile the Run key may not exist yet.
            with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)
        else:
            raise _not_windows()

    def delete_value(self, name: str) -> None:
        if sys.platform == "win32":
            import winreg

            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, name)
        else:
            raise _not_windows()


def _not_windows() -> AutostartError:
    return AutostartError(
        _("Start at login through the Windows registry only works on Windows, and this computer runs {system}.").format(
            system=sys.platform
        )
    )


class WindowsRunAutostart:
    """The value "Middenweg" (REG_SZ, the quoted command line) under the current user's Run key."""

    def __init__(self, key: RunKey, command: Sequence[str] | None = None) -> None:
        self.key = key
        self._command = tuple(command) if command is not None else None

    def status(self) -> AutostartState:
        try:
            value = self.key.get_value(RUN_VALUE)
        except FileNotFoundError:
            return AutostartState(False, RUN_KEY_PATH, None)
        except OSError as exc:
            raise AutostartError(
                _("Could not read {key} in the Windows registry ({reason}).").format(
                    key=RUN_KEY_PATH, reason=_reason(exc)
                )
            ) from exc
        return AutostartState(True, RUN_KEY_PATH, value)

    def enable(self) -> AutostartState:
        argv = list(self._command) if self._command is not None else start_command()
        try:
            self.key.set_value(RUN_VALUE, windows_command_line(argv))
        except OSError as exc:
            raise AutostartError(
                _("Could not write {key} in the Windows registry ({reason}). Check that you may change it.").format(
                    key=RUN_KEY_PATH, reason=_reason(exc)
                )
            ) from exc
        return self.status()

    def disable(self) -> AutostartState:
        try:
            self.key.delete_value(RUN_VALUE)
        except FileNotFoundError:
            pass  # already off: nothing to remove
        except OSError as exc:
            raise AutostartError(
                _("Could not remove {value} from {key} in the Windows registry ({reason}).").format(
                    value=RUN_VALUE, key=RUN_KEY_PATH, reason=_reason(exc)
                )
            ) from exc
        return self.status()


# --- shared file handling -----------------------------------------------------------------------------------


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all, mode 0644 (`write_public`)."""
    try:
        write_public(path, data)
    except OSError as exc:
        raise AutostartError(
            _(
                "Could not write the start-at-login entry {path} ({reason}). Check that you may write to the "
                "folder {folder}, then try again."
            ).format(path=path, reason=_reason(exc), folder=path.parent)
        ) from exc


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass  # already off
    except OSError as exc:
        raise AutostartError(
            _(
                "Could not remove the start-at-login entry {path} ({reason}). Delete it yourself, or check "
                "that you may write to the folder {folder}."
            ).format(path=path, reason=_reason(exc), folder=path.parent)
        ) from exc


# --- choosing a backend, and the CLI ------------------------------------------------------------------------


def _xdg_dir(env: Mapping[str, str], name: str) -> Path | None:
    # XDG Base Directory spec: a relative path in these variables is invalid and must be ignored.
    value = env.get(name, "")
    return Path(value) if value and os.path.isabs(value) else None


def _home(env: Mapping[str, str]) -> Path:
    # $HOME when it is an absolute path, as the XDG folders are read; else what the OS says.
    value = env.get("HOME", "")
    return Path(value) if value and os.path.isabs(value) else Path.home()


def autostart_backend(
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
    registry: RunKey | None = None,
    *,
    command: Sequence[str] | None = None,
) -> Backend:
    """The start-at-login place of ``platform`` (default: this computer's).

    ``environ`` (default os.environ) supplies XDG_CONFIG_HOME, XDG_CONFIG_DIRS and HOME; ``home`` overrides the
    home folder; ``registry`` stands in for the Windows Run key; ``command`` for `start_command()`.
    """
    plat = sys.platform if platform is None else platform
    env = os.environ if environ is None else environ
    if home is None:
        home = _home(env)
    if plat == "win32":
        return WindowsRunAutostart(registry if registry is not None else WinregRunKey(), command)
    if plat == "darwin":
        return LaunchAgentAutostart(home / "Library" / "LaunchAgents", command)
    config_home = _xdg_dir(env, "XDG_CONFIG_HOME") or home / ".config"
    dirs = [Path(d) for d in env.get("XDG_CONFIG_DIRS", "").split(os.pathsep) if d and os.path.isabs(d)]
    return XdgAutostart(config_home / "autostart", [d / "autostart" for d in dirs or [Path("/etc/xdg")]], command)


def cli_autostart(
    action: str,
    out: TextIO,
    *,
    err: TextIO | None = None,
    backend: Backend | None = None,
    json_output: bool = False,
) -> int:
    """``middenweg autostart on|off|status``: one translated line on ``out`` (or JSON), and the exit code.

    A failure is one line on ``err`` (default stderr) and exit code 1; an unknown action exit code 2.
    """
    errors = sys.stderr if err is None else err
    try:
        chosen = backend if backend is not None else autostart_backend()
        if action == "on":
            state = chosen.enable()
        elif action == "off":
            state = chosen.disable()
        elif action == "status":
            state = chosen.status()
        else:
            errors.write(
                _("middenweg: {message}").format(
                    message=_("unknown autostart action {action!r}; use on, off or status.").format(action=action)
                )
                + "\n"
            )
            return EXIT_USAGE
    except AutostartError as exc:
        errors.write(_("middenweg: {message}").format(message=exc) + "\n")
        return EXIT_ERROR
    if json_output:
        out.write(json.dumps({"enabled": state.enabled, "where": state.where, "command": state.command}) + "\n")
    elif action == "status":
        line = (
            _("Start at login is on ({where}).").format(where=state.where)
            if state.enabled
            else _("Start at login is off.")
        )
        out.write(line + "\n")
    elif action == "on":
        out.write(_("Middenweg will start when you log in ({where}).").format(where=state.where) + "\n")
    else:
        out.write(_("Middenweg will no longer start when you log in.") + "\n")
    return EXIT_OK
