"""Start at login, as a person would notice it: after "on" the session finds an entry that starts Middenweg, after
"off" it does not, and what the desktop changed (Hidden=true) is what "status" reports.

Linux runs for real: the XDG autostart entry is written into a temporary XDG_CONFIG_HOME, read back with
configparser, checked with desktop-file-validate and launched with GLib's own `gio launch` when those are
installed. macOS runs for real too as far as the file goes (a LaunchAgent plist under a temporary home; launchd
itself is not here). Windows cannot run here: the Run key is a dict-backed stand-in that behaves as the documented
winreg API does (docs.python.org/3/library/winreg.html; learn.microsoft.com RegQueryValueExW / RegDeleteValueW):
reading or deleting a value that is not there raises FileNotFoundError (ERROR_FILE_NOT_FOUND), other failures are
OSError.
"""

from __future__ import annotations

import configparser
import io
import json
import os
import plistlib
import re
import shlex
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from middenweg.autostart import (
    RUN_KEY_PATH,
    RUN_VALUE,
    AutostartError,
    _start_command,
    autostart_backend,
    cli_autostart,
    desktop_exec,
    start_command,
)

APP = Path(__file__).resolve().parents[2] / "app"


# --- helpers ------------------------------------------------------------------------------------------------


@pytest.fixture
def xdg(tmp_path: Path) -> dict[str, str]:
    """An environment whose user and system config folders are all under tmp_path."""
    return {
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CONFIG_DIRS": str(tmp_path / "etc-xdg"),
    }


def entry_path(env: Mapping[str, str]) -> Path:
    return Path(env["XDG_CONFIG_HOME"]) / "autostart" / "middenweg.desktop"


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # desktop keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def unescape_desktop_string(value: str) -> str:
    """The string escapes of the Desktop Entry spec, undone (written here again, apart from the module)."""
    table = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    return re.sub(r"\\([sntr\\])", lambda m: table[m.group(1)], value)


def exec_argv_by_shell(exec_value: str, cwd: Path) -> list[str]:
    """Split an Exec value with /bin/sh: inside double quotes sh undoes exactly the spec's escapes (\\" \\` \\$ \\\\).

    The file's string escapes are undone first and "%%" last, in the spec's order.
    """
    command = "printf '%s\\0' " + unescape_desktop_string(exec_value)
    done = subprocess.run(["sh", "-c", command], capture_output=True, check=True, cwd=cwd, timeout=30)
    return [arg.replace("%%", "%") for arg in os.fsdecode(done.stdout).split("\0")[:-1]]


def runs_middenweg(argv: list[str]) -> bool:
    """Does this argv start Middenweg? Asked the harmless way, with --version."""
    env = {**os.environ, "PYTHONPATH": str(APP)}
    done = subprocess.run([*argv, "--version"], capture_output=True, text=True, env=env, timeout=60, check=False)
    return done.returncode == 0 and done.stdout.startswith("middenweg ")


def make_recorder(folder: Path, record: Path) -> Path:
    """An executable "middenweg" that writes the arguments it was started with, one per NUL."""
    folder.mkdir(parents=True)
    script = folder / "middenweg"
    target, partial = shlex.quote(str(record)), shlex.quote(str(record) + ".part")
    # Written aside and renamed, so the test never reads half a file.
    script.write_text(f'#!/bin/sh\nprintf \'%s\\0\' "$0" "$@" > {partial} && mv {partial} {target}\n', encoding="utf-8")
    script.chmod(0o755)
    return script


# --- the command --------------------------------------------------------------------------------------------


def test_the_start_command_is_absolute_and_starts_middenweg() -> None:
    argv = start_command()
    assert os.path.isabs(argv[0])
    assert os.access(argv[0], os.X_OK)
    assert runs_middenweg(argv)


def test_the_interpreters_own_console_script_comes_before_path(tmp_path: Path) -> None:
    scripts = tmp_path / "venv" / "bin"
    scripts.mkdir(parents=True)
    own = scripts / "middenweg"
    own.write_text("#!/bin/sh\n", encoding="utf-8")
    own.chmod(0o755)
    argv = _start_command(
        platform="linux", executable="/usr/bin/python3", frozen=False, scripts_dir=str(scripts),
        which=lambda _name: "/elsewhere/bin/middenweg",
    )  # fmt: skip
    assert argv == [str(own)]


def test_a_script_on_path_is_made_absolute_and_the_interpreter_is_the_last_resort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    empty = tmp_path / "no-scripts"
    on_path = _start_command(
        platform="linux", executable="/usr/bin/python3", frozen=False, scripts_dir=str(empty),
        which=lambda _name: "bin/middenweg",  # a relative PATH entry
    )  # fmt: skip
    assert on_path == [str(tmp_path / "bin" / "middenweg")]
    fallback = _start_command(
        platform="linux", executable="/usr/bin/python3", frozen=False, scripts_dir=None, which=lambda _name: None
    )
    assert fallback == ["/usr/bin/python3", "-m", "middenweg"]


def test_windows_prefers_pythonw_so_no_console_window_stays_open(tmp_path: Path) -> None:
    (tmp_path / "python.exe").write_bytes(b"")
    (tmp_path / "pythonw.exe").write_bytes(b"")
    argv = _start_command(
        platform="win32", executable=str(tmp_path / "python.exe"), frozen=False, scripts_dir=None,
        which=lambda _name: None,
    )  # fmt: skip
    assert argv == [str(tmp_path / "pythonw.exe"), "-m", "middenweg"]


def test_a_frozen_app_starts_itself(tmp_path: Path) -> None:
    exe = str(tmp_path / "Middenweg")
    argv = _start_command(platform="linux", executable=exe, frozen=True, scripts_dir=None, which=lambda _n: None)
    assert argv == [exe]


# --- Linux: the XDG autostart entry -------------------------------------------------------------------------


def test_on_writes_an_entry_that_starts_middenweg(xdg: dict[str, str]) -> None:
    old_umask = os.umask(0o077)  # a strict umask must not make the entry unreadable to the session
    try:
        state = autostart_backend("linux", environ=xdg).enable()
    finally:
        os.umask(old_umask)
    path = entry_path(xdg)
    assert state.enabled
    assert state.where == str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert os.listdir(path.parent) == ["middenweg.desktop"]  # no temp file left behind

    entry = read_entry(path)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Middenweg"
    assert entry["Comment"] and entry["Comment[nl]"] and entry["Comment[nl]"] != entry["Comment"]
    assert entry["Icon"] == "middenweg"
    assert entry["Terminal"] == "false"
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert entry["NoDisplay"] == "false"
    assert entry["Categories"] == "Utility;"
    assert "Hidden" not in entry
    argv = exec_argv_by_shell(entry["Exec"], path.parent)
    assert os.path.isabs(argv[0]) and os.access(argv[0], os.X_OK)
    assert runs_middenweg(argv)
    assert state.command == entry["Exec"]


def test_status_follows_on_and_off(xdg: dict[str, str]) -> None:
    backend = autostart_backend("linux", environ=xdg, command=["/usr/bin/middenweg"])
    assert not backend.status().enabled
    assert backend.enable().enabled
    assert backend.status().enabled
    off = backend.disable()
    assert not off.enabled
    assert not entry_path(xdg).exists()
    assert not backend.disable().enabled  # off twice is fine
    assert not backend.status().enabled


@pytest.mark.parametrize("switch", ["Hidden=true", "X-GNOME-Autostart-enabled=false"])
def test_an_entry_switched_off_through_the_desktop_reads_as_off_and_on_turns_it_back(
    xdg: dict[str, str], switch: str
) -> None:
    backend = autostart_backend("linux", environ=xdg, command=["/usr/bin/middenweg"])
    backend.enable()
    path = entry_path(xdg)
    key = switch.split("=")[0]
    # What a desktop's startup-applications tool does: change the key in place.
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if not line.startswith(f"{key}=")]
    path.write_text("\n".join([*lines[:-1], switch, ""]), encoding="utf-8")
    assert not backend.status().enabled
    assert backend.enable().enabled
    assert read_entry(path).get("Hidden") is None


def test_a_system_wide_entry_is_switched_off_with_hidden_not_left_running(xdg: dict[str, str]) -> None:
    system = Path(xdg["XDG_CONFIG_DIRS"]) / "autostart" / "middenweg.desktop"
    system.parent.mkdir(parents=True)
    system.write_text("[Desktop Entry]\nType=Application\nName=Middenweg\nExec=middenweg\n", encoding="utf-8")
    backend = autostart_backend("linux", environ=xdg, command=["/usr/bin/middenweg"])
    assert backend.status().enabled
    assert backend.status().where == str(system)

    off = backend.disable()
    assert not off.enabled
    assert read_entry(entry_path(xdg))["Hidden"] == "true"  # the user's file masks the system one
    assert system.exists()  # never touched
    assert backend.enable().enabled
    assert backend.status().where == str(entry_path(xdg))


def test_config_home_defaults_to_dot_config_and_a_relative_one_is_ignored(tmp_path: Path) -> None:
    for env in ({}, {"XDG_CONFIG_HOME": "relative/config"}):
        state = autostart_backend("linux", environ=env, home=tmp_path, command=["/usr/bin/middenweg"]).enable()
        assert state.where == str(tmp_path / ".config" / "autostart" / "middenweg.desktop")


@pytest.mark.skipif(os.name == "posix" and os.geteuid() == 0, reason="root may write to any folder")
def test_a_read_only_autostart_folder_is_a_clear_error(xdg: dict[str, str]) -> None:
    folder = entry_path(xdg).parent
    folder.mkdir(parents=True)
    folder.chmod(0o555)
    try:
        with pytest.raises(AutostartError, match=re.escape(str(folder))):
            autostart_backend("linux", environ=xdg, command=["/usr/bin/middenweg"]).enable()
    finally:
        folder.chmod(0o755)


def test_an_entry_that_cannot_be_written_is_a_clear_error_naming_it(xdg: dict[str, str]) -> None:
    # Works as root too: no permission bits involved, the place is taken by a folder.
    path = entry_path(xdg)
    path.mkdir(parents=True)
    with pytest.raises(AutostartError, match=re.escape(str(path))):
        autostart_backend("linux", environ=xdg, command=["/usr/bin/middenweg"]).enable()
    assert os.listdir(path.parent) == ["middenweg.desktop"]  # no temp file left behind


def test_an_autostart_folder_that_is_a_file_is_a_clear_error(xdg: dict[str, str]) -> None:
    folder = entry_path(xdg).parent
    folder.parent.mkdir(parents=True)
    folder.write_text("not a folder", encoding="utf-8")
    with pytest.raises(AutostartError, match=re.escape(str(folder))):
        autostart_backend("linux", environ=xdg, command=["/usr/bin/middenweg"]).enable()


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
@pytest.mark.parametrize("hidden", [False, True])
def test_the_entry_passes_desktop_file_validate(xdg: dict[str, str], tmp_path: Path, hidden: bool) -> None:
    if hidden:
        system = Path(xdg["XDG_CONFIG_DIRS"]) / "autostart" / "middenweg.desktop"
        system.parent.mkdir(parents=True)
        system.write_text("[Desktop Entry]\nType=Application\nName=Middenweg\nExec=middenweg\n", encoding="utf-8")
    odd = tmp_path / "Mijn programma's" / '50% $HOME `x` "q" back\\slash' / "middenweg"
    backend = autostart_backend("linux", environ=xdg, command=[str(odd)])
    backend.enable()
    if hidden:
        backend.disable()
    done = subprocess.run(
        ["desktop-file-validate", str(entry_path(xdg))], capture_output=True, text=True, check=False, timeout=30
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout.lower()


@pytest.mark.skipif(shutil.which("gio") is None, reason="GLib's gio tool is not installed")
def test_glib_starts_exactly_the_command_even_from_an_awkward_folder(xdg: dict[str, str], tmp_path: Path) -> None:
    record = tmp_path / "argv.bin"
    script = make_recorder(tmp_path / "Mijn programma's" / '50% $HOME `x` "q" back\\slash (2)', record)
    argv = [str(script), "--flag", "two words", "100%", ""]
    autostart_backend("linux", environ=xdg, command=argv).enable()
    subprocess.run(["gio", "launch", str(entry_path(xdg))], check=True, timeout=30, capture_output=True)
    deadline = time.monotonic() + 20
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # gio launch does not wait for the program it started
    assert os.fsdecode(record.read_bytes()).split("\0")[:-1] == argv


@pytest.fixture(scope="module")
def empty_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # sh runs here, so that an unquoted "[a]" cannot match a file: sh globbing is no part of the spec.
    return tmp_path_factory.mktemp("empty")


@settings(max_examples=60, deadline=None)
@given(argv=st.lists(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\0")), min_size=1))
def test_exec_quoting_gives_back_every_argument(empty_dir: Path, argv: list[str]) -> None:
    program = "/opt/Middenweg/bin/middenweg"
    assert exec_argv_by_shell(desktop_exec([program, *argv]), empty_dir) == [program, *argv]


# --- macOS: the LaunchAgent ---------------------------------------------------------------------------------


def agent_path(home: Path) -> Path:
    return home / "Library" / "LaunchAgents" / "nl.middenweg.app.plist"


def test_macos_on_writes_a_launch_agent_that_runs_at_login(tmp_path: Path) -> None:
    command = ["/Applications/Middenweg.app/Contents/MacOS/Middenweg"]
    state = autostart_backend("darwin", home=tmp_path, command=command).enable()
    path = agent_path(tmp_path)
    assert state.enabled and state.where == str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    with path.open("rb") as handle:
        plist = plistlib.load(handle)
    assert plist["Label"] == "nl.middenweg.app"
    assert plist["ProgramArguments"] == command
    assert plist["RunAtLoad"] is True
    assert plist["ProcessType"] == "Interactive"
    assert plist["LimitLoadToSessionType"] == "Aqua"


def test_macos_off_removes_the_agent_and_off_twice_is_fine(tmp_path: Path) -> None:
    backend = autostart_backend("darwin", home=tmp_path, command=["/usr/local/bin/middenweg"])
    assert not backend.status().enabled
    backend.enable()
    assert backend.status().enabled
    assert not backend.disable().enabled
    assert not agent_path(tmp_path).exists()
    assert not backend.disable().enabled


def test_macos_an_agent_marked_disabled_reads_as_off(tmp_path: Path) -> None:
    backend = autostart_backend("darwin", home=tmp_path, command=["/usr/local/bin/middenweg"])
    backend.enable()
    path = agent_path(tmp_path)
    plist = plistlib.loads(path.read_bytes())
    path.write_bytes(plistlib.dumps({**plist, "Disabled": True}))
    assert not backend.status().enabled


def test_macos_a_damaged_agent_is_a_clear_error(tmp_path: Path) -> None:
    path = agent_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"<?xml version='1.0'?><plist><dict><key>Label")
    with pytest.raises(AutostartError, match=re.escape(str(path))):
        autostart_backend("darwin", home=tmp_path).status()


# --- Windows: the Run key -----------------------------------------------------------------------------------


class DictRunKey:
    """The current user's Run key as a dict, answering as winreg does (see the module docstring)."""

    def __init__(self, values: dict[str, str] | None = None, *, fail_writes: bool = False) -> None:
        self.values = {} if values is None else values
        self.fail_writes = fail_writes

    def get_value(self, name: str) -> str:
        try:
            return self.values[name]
        except KeyError:
            raise FileNotFoundError(2, "The system cannot find the file specified") from None

    def set_value(self, name: str, value: str) -> None:
        if self.fail_writes:
            raise PermissionError(13, "Access is denied")
        self.values[name] = value

    def delete_value(self, name: str) -> None:
        try:
            del self.values[name]
        except KeyError:
            raise FileNotFoundError(2, "The system cannot find the file specified") from None


def test_windows_on_off_status() -> None:
    key = DictRunKey({"OneDrive": r'"C:\Users\an\OneDrive.exe" /background'})
    backend = autostart_backend("win32", registry=key, command=[r"C:\Middenweg\pythonw.exe", "-m", "middenweg"])
    assert not backend.status().enabled
    state = backend.enable()
    assert state.enabled
    assert state.where == RUN_KEY_PATH == r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run"
    assert key.values[RUN_VALUE] == r'"C:\Middenweg\pythonw.exe" -m middenweg'
    assert backend.status().command == key.values[RUN_VALUE]
    assert not backend.disable().enabled
    assert key.values == {"OneDrive": r'"C:\Users\an\OneDrive.exe" /background'}  # others' entries untouched


def test_windows_off_when_already_off_is_fine() -> None:
    backend = autostart_backend("win32", registry=DictRunKey(), command=[r"C:\Middenweg\middenweg.exe"])
    assert not backend.disable().enabled
    assert not backend.disable().enabled


def test_windows_a_path_with_spaces_is_quoted() -> None:
    key = DictRunKey()
    program = r"C:\Program Files\Middenweg\pythonw.exe"
    autostart_backend("win32", registry=key, command=[program, "-m", "middenweg"]).enable()
    # CreateProcess would otherwise try to run "C:\Program" with "Files\Middenweg\pythonw.exe" as an argument.
    assert key.values[RUN_VALUE] == r'"C:\Program Files\Middenweg\pythonw.exe" -m middenweg'


def test_windows_a_refused_write_is_a_clear_error() -> None:
    backend = autostart_backend("win32", registry=DictRunKey(fail_writes=True), command=[r"C:\m\middenweg.exe"])
    with pytest.raises(AutostartError, match=re.escape(RUN_KEY_PATH)):
        backend.enable()


# --- the CLI ------------------------------------------------------------------------------------------------


@pytest.fixture
def streams() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    yield io.StringIO(), io.StringIO()


def test_cli_on_status_off_prints_one_line_each(xdg: dict[str, str], streams: tuple[io.StringIO, io.StringIO]) -> None:
    out, err = streams
    backend = autostart_backend("linux", environ=xdg, command=["/usr/bin/middenweg"])
    for action in ("on", "status", "off", "status"):
        assert cli_autostart(action, out, err=err, backend=backend) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    assert lines[0] == f"Middenweg will start when you log in ({entry_path(xdg)})."
    assert lines[1] == f"Start at login is on ({entry_path(xdg)})."
    assert lines[2] == "Middenweg will no longer start when you log in."
    assert lines[3] == "Start at login is off."
    assert err.getvalue() == ""


def test_cli_json_status(xdg: dict[str, str], streams: tuple[io.StringIO, io.StringIO]) -> None:
    out, err = streams
    backend = autostart_backend("linux", environ=xdg, command=["/usr/bin/middenweg"])
    assert cli_autostart("on", io.StringIO(), err=err, backend=backend) == 0
    assert cli_autostart("status", out, err=err, backend=backend, json_output=True) == 0
    assert json.loads(out.getvalue()) == {
        "enabled": True,
        "where": str(entry_path(xdg)),
        "command": "/usr/bin/middenweg",
    }


def test_cli_failure_is_one_line_on_stderr_and_exit_1(
    xdg: dict[str, str], streams: tuple[io.StringIO, io.StringIO]
) -> None:
    out, err = streams
    entry_path(xdg).mkdir(parents=True)
    backend = autostart_backend("linux", environ=xdg, command=["/usr/bin/middenweg"])
    assert cli_autostart("on", out, err=err, backend=backend) == 1
    assert out.getvalue() == ""
    assert err.getvalue().startswith("middenweg: ") and err.getvalue().count("\n") == 1
    assert str(entry_path(xdg)) in err.getvalue()


@pytest.mark.skipif(sys.platform == "win32", reason="the real registry is there")
def test_cli_windows_registry_elsewhere_is_a_message_not_a_traceback(
    streams: tuple[io.StringIO, io.StringIO],
) -> None:
    out, err = streams
    assert cli_autostart("status", out, err=err, backend=autostart_backend("win32")) == 1
    assert "only works on Windows" in err.getvalue()


def test_cli_unknown_action_is_a_usage_error(streams: tuple[io.StringIO, io.StringIO]) -> None:
    out, err = streams
    assert cli_autostart("maybe", out, err=err) == 2
    assert "on, off or status" in err.getvalue()
    assert out.getvalue() == ""
