"""Security (issue 9, point 7): private files, no listening port, a single-instance channel for the same user only,
no shell anywhere near a window title, and no title in the logs when titles are not stored.

The real CLI, the real headless tracker and the real tray app run under Xvfb with icewm (tray) and a private D-Bus
session bus with a notification server, with umask 000 so that only Middenweg's own file modes protect the data.
Another account is made for the test with useradd (root only; the tests that need it skip otherwise) and removed
afterwards. Waits are real seconds, kept to a few. Existing unit tests already check the mode of each file type
as it is written (tests/unit/test_config.py, test_private_files.py, rules/test_rules_userfile.py,
notifications/test_notifications_chain.py, storage/test_engine.py); these check whole runs.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psutil
import pytest

from clirunner import CliRunner
from dbus_notifications import NotificationServer, start_notification_server
from desktop import Desktop, require, running_desktop, stop_process, wait_until

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app" / "middenweg"
AMS = ZoneInfo("Europe/Amsterdam")
LEAD = 3  # seconds between the tracker's start and the evening's (the tracker runs under faketime)


# -- nothing passes text to a shell: the source ------------------------------------------------------------------

_SHELL_CALLS = {
    ("os", "system"),
    ("os", "popen"),
    ("subprocess", "getoutput"),
    ("subprocess", "getstatusoutput"),
    ("pty", "spawn"),
    ("QProcess", "startCommand"),
    ("commands", "getoutput"),
}
_PROCESS_CALLS = {"run", "call", "check_call", "check_output", "Popen", "execv", "execvp", "execve", "execl", "execlp"}
_SHELLS = {"sh", "bash", "dash", "zsh", "/bin/sh", "/bin/bash", "cmd", "cmd.exe", "powershell", "pwsh"}


def shell_uses(source: str, filename: str = "<source>") -> list[str]:
    """Every place in ``source`` that could hand text to a shell: shell=True (or not literally False), os.system,
    os.popen and friends, a command given as one string, or a shell run with -c."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        where = f"{filename}:{node.lineno}"
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
        if (owner, name) in _SHELL_CALLS or name in ("system", "popen", "startCommand", "getoutput"):
            found.append(f"{where}: {owner}.{name}()")
        for keyword in node.keywords:
            if keyword.arg == "shell" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            ):
                found.append(f"{where}: shell={ast.unparse(keyword.value)}")
        if name in _PROCESS_CALLS and node.args:
            command = node.args[0]
            if isinstance(command, ast.Constant | ast.JoinedStr | ast.BinOp):
                found.append(f"{where}: {name}() with a command line in one string")
            if isinstance(command, ast.List | ast.Tuple) and command.elts:
                first = command.elts[0]
                words = [e.value for e in command.elts if isinstance(e, ast.Constant)]
                if isinstance(first, ast.Constant) and str(first.value) in _SHELLS and "-c" in words:
                    found.append(f"{where}: {name}() runs a shell with -c")
    return found


def test_the_checker_finds_every_way_to_a_shell() -> None:
    bad = """
import os, subprocess
os.system("notify-send " + title)
os.popen(f"xdotool {title}")
subprocess.run("notify-send x", shell=True)
subprocess.call(["notify-send", title], shell=flag)
subprocess.Popen(f"xprop {title}")
subprocess.run(["sh", "-c", title])
process.startCommand("notify-send " + title)
"""
    lines = {int(use.split(":")[1]) for use in shell_uses(bad)}
    assert lines == set(range(3, 10)), shell_uses(bad)
    assert shell_uses('subprocess.run(["notify-send", "--", title], shell=False)') == []


def test_no_app_code_hands_text_to_a_shell() -> None:
    files = sorted(APP.rglob("*.py"))
    assert len(files) > 50
    found = [use for path in files for use in shell_uses(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))]
    assert found == []


# -- helpers for the real processes ---------------------------------------------------------------------------------


def wrong_modes(home: Path) -> list[str]:
    """Every folder under config, data and logs that is not 0700 and every file that is not 0600."""
    wrong = []
    for top in ("config", "data", "logs"):
        base = home / top
        for path in [base, *sorted(base.rglob("*"))]:
            info = path.lstat()
            mode = stat.S_IMODE(info.st_mode)
            if (stat.S_ISDIR(info.st_mode) and mode != 0o700) or (stat.S_ISREG(info.st_mode) and mode != 0o600):
                wrong.append(f"{oct(mode)} {path.relative_to(home)}")
            elif not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
                wrong.append(f"{oct(info.st_mode)} {path.relative_to(home)} is neither a file nor a folder")
    return wrong


def socket_inodes(pid: int) -> dict[int, int]:
    """The sockets of ``pid`` and all its children: inode -> pid."""
    parent = psutil.Process(pid)
    inodes = {}
    for process in [parent, *parent.children(recursive=True)]:
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{process.pid}/fd"):
                with contextlib.suppress(OSError):
                    target = os.readlink(f"/proc/{process.pid}/fd/{fd}")
                    if target.startswith("socket:["):
                        inodes[int(target[8:-1])] = process.pid
    return inodes


def listening(pid: int) -> list[str]:
    """Network sockets of ``pid`` and its children that wait for others: TCP in LISTEN, any UDP or raw socket.

    Read twice: from /proc/net by socket inode, and from psutil."""
    inodes = socket_inodes(pid)
    found = []
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
                fields = line.split()
                local, state, inode = fields[1], fields[3], int(fields[9])
                if inode in inodes and (not table.startswith("tcp") or state == "0A"):
                    found.append(f"/proc/net/{table}: {local} (pid {inodes[inode]})")
    parent = psutil.Process(pid)
    for process in [parent, *parent.children(recursive=True)]:
        for connection in process.net_connections(kind="inet"):
            if connection.status == psutil.CONN_LISTEN or connection.type != socket.SOCK_STREAM:
                found.append(f"psutil: {connection.laddr} (pid {process.pid})")
    return found


def unix_listeners(pid: int) -> list[str]:
    """Paths of the Unix sockets ``pid`` listens on (/proc/net/unix: flag __SO_ACCEPTCON)."""
    inodes = socket_inodes(pid)
    paths = []
    for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 8 and int(fields[6]) in inodes and int(fields[3], 16) & 0x10000:
            paths.append(fields[7])
    return paths


def test_the_port_check_sees_a_listening_socket() -> None:
    with socket.socket() as server, socket.socket(type=socket.SOCK_DGRAM) as datagrams:
        server.bind(("127.0.0.1", 0))
        server.listen()
        datagrams.bind(("127.0.0.1", 0))
        found = listening(os.getpid())
    assert any("tcp" in line for line in found) and any("udp" in line for line in found), found


def private_home(prefix: str) -> Path:
    """A home in /tmp that every account may pass through (0755), so that only Middenweg's modes protect it."""
    root = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    root.chmod(0o755)
    return root / "home"


def run_cli(cli: CliRunner, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "middenweg", *args],
        env=cli.env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        umask=0,
    )


# -- the desktop, a tracker and a tray app, once for the module -----------------------------------------------------


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    require("Xvfb", "icewm", "xdotool", "dbus-daemon")
    with running_desktop(tmp_path_factory.mktemp("desktop")) as desktop:
        yield desktop


@pytest.fixture(scope="module")
def notifications(desk: Desktop, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NotificationServer]:
    assert desk.bus is not None
    server = start_notification_server(desk.bus, tmp_path_factory.mktemp("notifications"))
    yield server
    server.stop()


def keep_busy(desktop: Desktop, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        desktop.move_mouse()
        time.sleep(0.2)


@dataclass
class Tracker:
    """A headless tracker with ``titles = none`` in front of a window whose title and class are shell commands,
    an evening titled with shell commands starting LEAD seconds after it."""

    cli: CliRunner
    process: subprocess.Popen[bytes]
    log: Path
    workdir: Path
    secret: str
    pwned: list[Path]
    window: Any
    notes: list[Any] = field(default_factory=list)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM, as at logout; faketime passes it on to the tracker, which writes what it has and ends."""
        children = psutil.Process(self.process.pid).children(recursive=True) if self.alive() else []
        stop_process(self.process, sig=signal.SIGTERM, timeout=10)
        psutil.wait_procs(children, timeout=10)


@pytest.fixture(scope="module")
def tracker(desk: Desktop, notifications: NotificationServer) -> Iterator[Tracker]:
    require("faketime")
    home = private_home("mw-sec-tracker-")
    workdir = home.parent / "work"
    workdir.mkdir()
    cli = CliRunner(home)
    tag = uuid.uuid4().hex[:8]
    pwned = [Path(f"/tmp/mw-pwned-{tag}-{n}") for n in range(8)] + [workdir / "pwned"]
    secret = f"Zebra-{tag}-secret"
    title = f"{secret} $(touch {pwned[0]}) `touch {pwned[1]}` ; touch {pwned[2]} | touch pwned"
    evening = f"$(touch {pwned[3]}) `touch {pwned[4]}`; touch {pwned[5]} && touch pwned"
    assert run_cli(cli, "config", "set", "titles", "none").returncode == 0
    start = (datetime.now(AMS) + timedelta(minutes=2)).replace(second=0, microsecond=0)
    added = run_cli(cli, "evenings", "add", "--on", start.date().isoformat(), "--from", f"{start:%H:%M}",
                    "--to", f"{start + timedelta(hours=1):%H:%M}", "--title", evening, "--remind", "0m")  # fmt: skip
    assert added.returncode == 0, added.stderr
    window = desk.open_window(title, (f"mw-$(touch {pwned[6]})", f"Mw`touch {pwned[7]}`"))
    desk.activate(window)
    env = cli.env(**desk.env())
    env["DONT_FAKE_MONOTONIC"] = "1"
    log = workdir / "tracker.log"
    offset = start.timestamp() - LEAD - time.time()
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["faketime", "-f", f"{offset:+.3f}s", sys.executable, "-m", "middenweg", "track", "--headless",
             "--interval", "0.5", "--flush-interval", "1"],
            env=env, cwd=workdir, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, umask=0,
        )  # fmt: skip
    run = Tracker(cli, process, log, workdir, secret, pwned, window)
    try:
        wait_until(lambda: "Ctrl+C" in log.read_text(), "the tracker to start", timeout=20)
        keep_busy(desk, LEAD + 1)
        run.notes = notifications.wait_for(1, timeout=10)
        keep_busy(desk, 1)
        yield run
    finally:
        run.stop()
        window.close()
        for path in pwned:
            path.unlink(missing_ok=True)
        shutil.rmtree(home.parent, ignore_errors=True)


@dataclass
class TrayApp:
    cli: CliRunner
    process: subprocess.Popen[bytes]
    log: Path
    channel: str  # the path of its single-instance socket

    def alive(self) -> bool:
        return self.process.poll() is None


def _channel_path(cli: CliRunner, desk: Desktop) -> str:
    """Where the app in ``cli``'s home listens, worked out in its environment. (/proc/net/unix shows where Qt bound
    the socket, in a private folder, before it renamed it into place.)"""
    code = (
        "import os; from PySide6.QtCore import QDir; from middenweg.paths import Paths; "
        "from middenweg.gui.handover import server_name; name = server_name(Paths.from_environment().data_dir); "
        "print(name if '/' in name else os.path.join(QDir.tempPath(), name))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=cli.env(**desk.env()), capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def tray(desk: Desktop) -> Iterator[TrayApp]:
    home = private_home("mw-sec-tray-")
    cli = CliRunner(home)
    # Answered, so that no welcome window takes the focus from the tracker's window on the same desktop.
    assert run_cli(cli, "config", "set", "age-group", "none").returncode == 0
    log = home.parent / "app.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "middenweg"],
            env=cli.env(**desk.env()),
            cwd=home.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            umask=0,
        )
    app = TrayApp(cli, process, log, _channel_path(cli, desk))
    try:
        wait_until(lambda: "running in the system tray" in log.read_text(), "the tray icon", timeout=30)
        wait_until(lambda: unix_listeners(process.pid), "the single-instance channel", timeout=10)
        yield app
    finally:
        stop_process(process, sig=signal.SIGTERM, timeout=10)
        shutil.rmtree(home.parent, ignore_errors=True)


# -- private files --------------------------------------------------------------------------------------------------


def test_a_cli_session_leaves_only_private_files(tmp_path: Path) -> None:
    cli = CliRunner(private_home("mw-sec-cli-"))
    try:
        export = json.dumps(
            {
                "buckets": {
                    "w": {
                        "type": "currentwindow",
                        "hostname": "laptop",
                        "events": [{"timestamp": "2026-03-10T09:00:00Z", "duration": 60, "data": {"app": "a"}}],
                    }
                }
            }
        )
        (tmp_path / "aw.json").write_text(export)
        for args in (
            ("config", "set", "titles", "all"),
            ("import", "activitywatch", str(tmp_path / "aw.json")),
            ("evenings", "add", "--weekly", "thu", "--from", "21:00", "--to", "23:00"),
            ("goals", "set", "--weekly-social", "5h"),
            ("phone", "add", "--total", "1h"),
            ("pause", "15m"),
            ("report", "--json"),
            ("export", "--output", str(cli.home / "data" / "all.csv")),
            ("evenings", "export", "--ics", str(cli.home / "data" / "evenings.ics")),
        ):
            result = run_cli(cli, *args)
            assert result.returncode == 0, (args, result.stderr)
        assert (cli.home / "data" / "middenweg.sqlite3").exists() and (cli.home / "config" / "settings.toml").exists()
        assert wrong_modes(cli.home) == []
    finally:
        shutil.rmtree(cli.home.parent, ignore_errors=True)


@pytest.mark.e2e
@pytest.mark.x11
def test_a_running_tracker_keeps_its_files_private(tracker: Tracker) -> None:
    assert tracker.alive(), tracker.log.read_text()
    data = tracker.cli.home / "data"
    for name in ("middenweg.sqlite3", "middenweg.sqlite3-wal", "middenweg.sqlite3-shm", "tracker.lock"):
        assert (data / name).exists(), name  # the write-ahead log and lock exist while it runs: checked too
    assert wrong_modes(tracker.cli.home) == []


@pytest.mark.e2e
@pytest.mark.x11
def test_a_running_tray_app_keeps_its_files_private(tray: TrayApp) -> None:
    assert tray.alive(), tray.log.read_text()
    assert (tray.cli.home / "data" / "tracker.lock").exists()
    assert wrong_modes(tray.cli.home) == []


# -- no listening port ----------------------------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.x11
def test_the_tracker_and_the_tray_app_listen_on_no_port(tracker: Tracker, tray: TrayApp) -> None:
    assert tracker.alive() and tray.alive()
    for pid in (tracker.process.pid, tray.process.pid):
        assert socket_inodes(pid), "the check sees the process's sockets (X11, D-Bus)"
        assert listening(pid) == []


# -- nothing reaches a shell ------------------------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.x11
def test_shell_commands_in_titles_names_and_notifications_run_nowhere(tracker: Tracker, desk: Desktop) -> None:
    # The notification went out (plyer runs notify-send) with the evening's title as it was typed.
    assert any("$(touch" in note.summary and "`touch" in note.summary for note in tracker.notes), tracker.notes
    desk.activate(tracker.window)
    probe = json.loads(tracker.cli("probe", "--json", **desk.env()).out)
    assert tracker.secret in probe["window"]["title"]  # the tracker's probe does see the hostile title
    time.sleep(0.5)  # a command run in the background would have had time to finish
    assert [path for path in tracker.pwned if path.exists()] == []


# -- no titles in the logs ------------------------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.x11
def test_with_titles_none_no_log_and_no_database_holds_the_title(tracker: Tracker) -> None:
    tracker.stop()
    assert "Traceback" not in tracker.log.read_text()
    events = json.loads(tracker.cli("export", "--format", "json").out)["events"]
    seen = [event for event in events if "touch" in event["app"]]
    assert seen and all(event["title"] is None for event in seen), events  # it tracked the window, title-less
    secret = tracker.secret.encode()
    files = [p for p in (tracker.cli.home, tracker.workdir) for p in p.rglob("*") if p.is_file()]
    assert any(p.name == "middenweg.sqlite3" for p in files) and tracker.log in files
    holding = [str(p) for p in files if secret in p.read_bytes() or secret.hex().encode() in p.read_bytes()]
    assert holding == []


# -- the single-instance channel: this user only --------------------------------------------------------------------


_CLIENT = """
import json, os, socket, sys
path, home, how = sys.argv[1], sys.argv[2], sys.argv[3]
result = {}
if how != "qt-only":
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(path)
        result["connect"] = "connected"
    except OSError as error:
        result["connect"] = error.errno
    s.close()
if how != "raw":
    from middenweg.gui.handover import ask_running_instance
    result["handover"] = ask_running_instance(path, "dashboard", timeout_ms=10000)
for name in ("config/settings.toml", "data/middenweg.sqlite3", "data/tracker.lock", "logs"):
    try:
        target = os.path.join(home, name)
        os.listdir(target) if name == "logs" else open(target, "rb").close()
        result[name] = "read"
    except OSError as error:
        result[name] = error.errno
print(json.dumps(result))
"""


@dataclass(frozen=True)
class Account:
    """Another account, and a Python it may run (the test's own when it can reach it, else the system's)."""

    user: pwd.struct_passwd
    python: str
    runs_middenweg: bool  # that Python has Middenweg's dependencies (PySide6, SQLAlchemy)

    def run(self, code: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return as_user(self.user, code, *args, python=self.python, **env)


def as_user(
    user: pwd.struct_passwd | None, code: str, *args: str, python: str = sys.executable, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` as ``user`` (None: this user) with Middenweg's source on the path."""
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp", "LANGUAGE": "en"}
    base.update(PYTHONPATH=str(REPO / "app"), PYTHONDONTWRITEBYTECODE="1", **env)
    ids: dict[str, Any] = {} if user is None else {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    return subprocess.run(
        [python, "-c", code, *args], env=base, cwd="/", capture_output=True, text=True, timeout=60, check=False, **ids
    )


@pytest.fixture(scope="module")
def stranger() -> Iterator[Account]:
    """Another account, made for the test and removed after it."""
    if os.geteuid() != 0:
        pytest.skip("making a second account (useradd) needs root")
    if shutil.which("useradd") is None or shutil.which("userdel") is None:
        pytest.skip("useradd and userdel (package passwd) are not installed")
    name = f"mwsec{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
         "--user-group", name],
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        user = pwd.getpwnam(name)
        for python in (sys.executable, "/usr/bin/python3"):
            with contextlib.suppress(OSError):
                if as_user(user, "pass", python=python).returncode == 0:
                    break
        else:
            pytest.skip("the second account can run no Python (the test's Python is in a private folder)")
        runs = as_user(user, "import middenweg.cli, PySide6.QtNetwork, sqlalchemy", python=python).returncode == 0
        yield Account(user, python, runs)
    finally:
        subprocess.run(["userdel", name], check=False, capture_output=True)


@pytest.mark.e2e
@pytest.mark.x11
def test_another_account_cannot_use_the_channel_or_read_the_files(tray: TrayApp, stranger: Account) -> None:
    path = tray.channel
    info = os.stat(path)
    assert stat.S_ISSOCK(info.st_mode) and info.st_uid == os.getuid()
    assert stat.S_IMODE(info.st_mode) & 0o077 == 0, oct(info.st_mode)  # the socket is the user's alone
    folder = os.stat(os.path.dirname(path))
    # Its folder is the user's own, or a shared one with the sticky bit (/tmp), where nobody removes it.
    assert (folder.st_uid == os.getuid() and folder.st_mode & 0o022 == 0) or folder.st_mode & stat.S_ISVTX

    home = str(tray.cli.home)
    qt = "qt" if stranger.runs_middenweg else "raw"
    outcome = stranger.run(_CLIENT, path, home, qt)
    assert outcome.returncode == 0, outcome.stderr
    seen = json.loads(outcome.stdout)
    assert seen["connect"] == 13, seen  # EACCES: the kernel refuses the connection
    assert seen.get("handover", False) is False, seen
    assert [seen[name] for name in ("config/settings.toml", "data/middenweg.sqlite3", "data/tracker.lock", "logs")] == [
        13
    ] * 4, seen
    if stranger.runs_middenweg:
        # Nor can it run Middenweg on that home: a clear message, no traceback.
        report = stranger.run("from middenweg.cli import main; raise SystemExit(main(['report']))", MIDDENWEG_HOME=home)
        assert report.returncode == 1 and "Traceback" not in report.stderr, report.stderr
    assert tray.alive()

    # The same user can hand over (the channel works; it opens the dashboard).
    mine = json.loads(as_user(None, _CLIENT, path, home, "qt-only").stdout)
    assert mine["handover"] is True, mine


_IMPOSTOR = """
import socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.bind(sys.argv[1])
except OSError as error:
    print("denied", error.errno, flush=True)
    raise SystemExit(0)
s.listen(1)
print("listening", flush=True)
s.settimeout(10)
try:
    conn, _ = s.accept()
except OSError:
    print("nobody", flush=True)
    raise SystemExit(0)
conn.settimeout(3)
try:
    data = conn.recv(200)
except OSError:
    data = b""
try:
    conn.sendall(b"ok\\n")
except OSError:
    pass
print("received", data.hex(), flush=True)
"""


@pytest.mark.parametrize("runtime_dir", [False, True], ids=["in-tmp", "in-XDG_RUNTIME_DIR"])
def test_a_channel_another_account_made_first_is_not_trusted(
    stranger: Account, monkeypatch: pytest.MonkeyPatch, runtime_dir: bool
) -> None:
    """Another user who guesses the channel's name and listens there first gets no request and no say."""
    from PySide6.QtCore import QDir

    from middenweg.gui.handover import ask_running_instance, server_name

    folder = Path(tempfile.mkdtemp(prefix="mw-sec-run-", dir="/tmp"))  # 0700, this user's
    try:
        if runtime_dir:
            monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
        else:
            monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
        name = server_name(folder / "home" / "data")
        path = name if "/" in name else os.path.join(QDir.tempPath(), name)  # Qt's rule for a bare name
        impostor = subprocess.Popen(
            [stranger.python, "-c", _IMPOSTOR, path],
            user=stranger.user.pw_uid,
            group=stranger.user.pw_gid,
            extra_groups=[],
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            cwd="/",
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert impostor.stdout is not None
            first = impostor.stdout.readline().split()
            assert first[0] in ("listening", "denied"), first
            if runtime_dir:
                assert first == ["denied", "13"]  # the user's own runtime folder: nobody else can make it there
            assert ask_running_instance(name, "dashboard 2026-W44", timeout_ms=3000) is False
            rest = impostor.communicate(timeout=15)[0].split()
            if first[0] == "listening":
                assert rest[:1] == ["received"] and rest[1:] == [], rest  # not a byte of the request
        finally:
            with contextlib.suppress(ProcessLookupError):
                impostor.kill()
            impostor.wait()
            if not runtime_dir:
                Path(path).unlink(missing_ok=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
