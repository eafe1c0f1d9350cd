"""Hostile command lines (issue 9, point 4): ``middenweg.cli.main`` in-process with argv drawn by hypothesis, for
every subcommand, in a private home.

Whatever the arguments, the result is an exit code (an int, or argparse's SystemExit with 0 or 2), never an
uncaught exception and never the last-resort "something went wrong" (which writes crash.log); stdout is a strict
UTF-8 stream as on a terminal, so text that cannot be printed is found too; and nothing is written outside the
private folders: an audit hook (PEP 578) records every file the command opens for writing, creates, renames,
removes or changes the mode of, every database it opens and every program it starts.

Arguments come as the operating system hands them over: any text without NUL, and bytes that are not UTF-8
(which Python turns into lone surrogates with surrogateescape). CI runs modest counts; ``MIDDENWEG_LONG=1`` runs
twenty times as many (and marks the module slow). The tray app, ``dashboard`` and ``track`` are run without a
display, where they end at once with their documented message; ``demo`` is tried once.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st
from long_runs import SLOW_WHEN_LONG, fuzz

from middenweg import cli
from middenweg.config import CONFIG_KEYS
from middenweg.domain.goals import GoalName

pytestmark = SLOW_WHEN_LONG


# -- watching what a command does to the file system --------------------------------------------------------------

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
#: Audit events that change the file system: for each, (index of a path, index of its dir_fd or None) per path.
_PATH_EVENTS: dict[str, tuple[tuple[int, int | None], ...]] = {
    "os.mkdir": ((0, 2),),
    "os.rename": ((0, 2), (1, 3)),
    "os.remove": ((0, 1),),
    "os.rmdir": ((0, 1),),
    "os.link": ((0, 2), (1, 3)),
    "os.symlink": ((1, 2),),
    "os.chmod": ((0, 2),),
    "os.chown": ((0, 3),),
    "os.truncate": ((0, None),),
    "os.utime": ((0, 3),),
    "shutil.rmtree": ((0, 1),),
    "shutil.copyfile": ((1, None),),
    "sqlite3.connect": ((0, None),),
}


def _full_path(path: str, dir_fd: object) -> str:
    """``path`` as an absolute path; relative to ``dir_fd`` (shutil.rmtree works so) or else the working folder."""
    if isinstance(dir_fd, int) and not os.path.isabs(path):
        with contextlib.suppress(OSError):
            return os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), path)
    return os.path.abspath(path)


@dataclass
class _Watch:
    """What the audit hook saw while a command ran: paths written and programs started."""

    active: bool = False
    written: list[tuple[str, str]] = field(default_factory=list)
    started: list[Any] = field(default_factory=list)


_WATCH = _Watch()


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _WATCH.active:
        return
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int) or path is None:
            return
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        if writing:
            _WATCH.written.append((event, os.path.abspath(os.fsdecode(path))))
    elif event in _PATH_EVENTS:
        for index, fd_index in _PATH_EVENTS[event]:
            path = args[index] if index < len(args) else None
            if not isinstance(path, str | bytes | os.PathLike):
                continue
            name = os.fsdecode(path)
            if event == "sqlite3.connect" and name.startswith("file:"):  # a URI: file:/path?mode=ro
                name, _sep, query = name.removeprefix("file:").partition("?")
                if "mode=ro" in query.split("&"):
                    continue
            dir_fd = args[fd_index] if fd_index is not None and fd_index < len(args) else None
            _WATCH.written.append((event, _full_path(name, dir_fd)))
    elif event == "subprocess.Popen":
        _WATCH.started.append(args[1])


_HOOKED: list[bool] = []


def _install_hook() -> None:
    # An audit hook cannot be removed; one for the whole session, idle unless a command is being watched.
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED.append(True)


# -- a private world for each command -----------------------------------------------------------------------------


@dataclass
class Sandbox:
    root: Path

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def cwd(self) -> Path:
        return self.root / "cwd"


def write_inputs(cwd: Path) -> None:
    """The files the commands read: a small ActivityWatch export, one cut off inside a number too long for Python,
    and a Middenweg export with control and bidi characters in its names. (A fuzzed export may overwrite them.)"""
    aw = {
        "buckets": {
            "aw-watcher-window_laptop": {
                "type": "currentwindow",
                "hostname": "laptop",
                "events": [
                    {"timestamp": "2026-03-10T09:00:00Z", "duration": 60, "data": {"app": "$(id)", "title": "`x`"}}
                ],
            }
        }
    }
    (cwd / "aw.json").write_text(json.dumps(aw))
    (cwd / "broken.json").write_bytes(b'{"buckets": {"x": [' + b"9" * 5000)
    (cwd / "mw.json").write_text(
        json.dumps(
            {
                "format": "middenweg-export",
                "version": 1,
                "devices": [{"uid": "u1", "host_key": "h", "name": "\u202eevil", "kind": "computer"}],
                "events": [
                    {
                        "device": "u1",
                        "start_utc": "2026-03-10T09:00:00Z",
                        "end_utc": "2026-03-10T09:01:00Z",
                        "app": "\x1b[2Japp",
                        "title": None,
                        "category": "other",
                        "label": "\x00",
                    }
                ],
            }
        )
    )


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """One root for a module's examples: MIDDENWEG_HOME, HOME and the XDG folders, a working folder with files to
    import, and the temporary folder all live in it."""
    with tempfile.TemporaryDirectory(prefix="mw-cli-fuzz-") as folder:
        box = Sandbox(Path(folder).resolve())
        for name in ("cwd/sub", "user/.config", "user/.local/share", "user/.local/state", "user/.cache", "tmp"):
            (box.root / name).mkdir(parents=True)
        write_inputs(box.cwd)
        yield box


@contextlib.contextmanager
def _world(box: Sandbox) -> Iterator[tuple[io.BytesIO, io.BytesIO]]:
    """Environment, working folder, temporary folder and standard streams of one in-process run."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env = {k: v for k, v in env.items() if not k.startswith(("DBUS_", "XDG_"))}
    user = box.root / "user"
    env.update(
        MIDDENWEG_HOME=str(box.home),
        HOME=str(user),
        XDG_CONFIG_HOME=str(user / ".config"),
        XDG_DATA_HOME=str(user / ".local/share"),
        XDG_STATE_HOME=str(user / ".local/state"),
        XDG_CACHE_HOME=str(user / ".cache"),
        TMPDIR=str(box.root / "tmp"),
        LANGUAGE="en",
        TZ="Europe/Amsterdam",
    )
    out, err = io.BytesIO(), io.BytesIO()
    # A terminal in a UTF-8 locale: stdout refuses what is not text, stderr escapes it (Python's own defaults).
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    before = os.getcwd()
    with (
        mock.patch.dict(os.environ, env, clear=True),
        mock.patch.object(tempfile, "tempdir", str(box.root / "tmp")),
        mock.patch.multiple(sys, stdout=stdout, stderr=stderr, stdin=stdin, dont_write_bytecode=True),
    ):
        os.chdir(box.cwd)
        try:
            yield out, err
        finally:
            os.chdir(before)
            for stream in (stdout, stderr, stdin):
                stream.detach()  # a wrapper closes its buffer when it goes; the test still reads out and err


@dataclass
class Run:
    code: int
    out: str
    err: str
    outside: list[tuple[str, str]]
    started: list[Any]
    root: Path


def run(box: Sandbox, argv: list[str]) -> Run:
    """``middenweg ARGV`` in-process in ``box``; what it returned and what it touched."""
    _install_hook()
    crash = box.home / "logs" / "crash.log"
    crash.unlink(missing_ok=True)
    _WATCH.written.clear()
    _WATCH.started.clear()
    with _world(box) as (out, err):
        _WATCH.active = True
        try:
            code: Any = cli.main(argv)
        except SystemExit as leaving:  # argparse: --help, --version, or a usage error
            code = leaving.code
        finally:
            _WATCH.active = False
    text_out = out.getvalue().decode("utf-8", "replace")
    text_err = err.getvalue().decode("utf-8", "replace")
    root = str(box.root)
    outside = [
        (event, path) for event, path in _WATCH.written if not path.startswith(root + os.sep) and path != os.devnull
    ]
    assert not crash.exists(), f"{argv!r} crashed:\n{crash.read_text()}\n{text_err}"
    return Run(code, text_out, text_err, outside, list(_WATCH.started), box.root)


def check(result: Run, argv: list[str]) -> None:
    """What holds for every command line, whatever it asks."""
    assert isinstance(result.code, int) and not isinstance(result.code, bool), (argv, result.code)
    assert result.code in (0, 1, 2, 3), (argv, result.code, result.err)
    assert "Traceback" not in result.err and "something went wrong" not in result.err, (argv, result.err)
    assert not result.outside, (argv, result.outside)
    for program in result.started:
        # Only the desktop-menu helpers may run, and only on folders of this home.
        words = [os.fsdecode(word) for word in (program or [])]
        assert words and Path(words[0]).name in ("update-desktop-database", "gtk-update-icon-cache"), words
        assert all(w.startswith(str(result.root)) for w in words[1:] if w.startswith("/")), words
    if result.code == 2:
        assert "usage:" in result.err, (argv, result.err)  # argparse says how to call it
    if result.code == 1:
        assert result.err.strip(), (argv, result.out)  # a failure says why


# -- what the operating system can hand over as an argument --------------------------------------------------------

os_text = st.one_of(
    st.text(alphabet=st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=30),
    st.binary(max_size=20).filter(lambda raw: b"\x00" not in raw).map(os.fsdecode),  # not UTF-8: lone surrogates
    st.sampled_from(
        [
            "",
            " ",
            "-",
            "--",
            "-h",
            "--json",
            "$(touch pwned)",
            "`touch pwned`",
            "; touch pwned",
            "\u202eevil",
            "\x1b[2J",
            "{}",
            "{0}",
            "%s",
            "9" * 5000,
            "-" + "9" * 30,
            "1e999",
            "nan",
            "\udcff",
        ]
    ),
)
dates = st.sampled_from(["2026-11-20", "2026-02-30", "0001-01-01", "9999-12-31", "2026-W44", "today", "+2026-01-01"])
weeks = st.sampled_from(["2026-W44", "2026-W53", "2020-W53", "2026-W00", "0001-W01", "9999-W52", "10000-W01", "1-W1"])
numbers = st.sampled_from(["0", "1", "-1", "7", "53", "99999999999999999999", "9" * 5000, "0x10", " 3 ", "1e3"])
durations = st.sampled_from(["15m", "1h", "1h30m", "tomorrow", "0", "0m", "-5m", "99999999h", "9" * 30 + "m", "off"])
clocks = st.sampled_from(["21:00", "23:59", "00:00", "24:00", "9:5", "-1:00", "21:00:00", "2100"])
days = st.sampled_from(["thu", "thu,sat", "mon,mon", "sun,mon,tue,wed,thu,fri,sat", "", "xyz", "thu,"])
reminders = st.sampled_from(["30m,0m", "0m", "1d,30m,0m", "-5m", "99999999m", "1h,1h", "", "9" * 40 + "d"])
inputs = st.sampled_from(["aw.json", "mw.json", "broken.json", "missing.json", "sub", ".", "/dev/null", "ü\udcff.json"])
outputs = st.sampled_from(["out.csv", "sub/out.json", "missing/out.csv", "sub", ".", "aw.json", "ö \udce9.ics", ""])


def value(specific: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly what the option expects (good and bad), sometimes anything."""
    return st.one_of(specific, specific, os_text)


def _flags(**named: st.SearchStrategy[str] | None) -> dict[str, st.SearchStrategy[str] | None]:
    return {"--" + name.replace("_", "-"): strategy for name, strategy in named.items()}


def subcommand(*words: str, positional: list[st.SearchStrategy[str]] | None = None, **named: Any) -> Any:
    flags = _flags(**named)
    items = [
        st.just([name]) if strategy is None else value(strategy).map(lambda v, n=name: [n, v])
        for name, strategy in flags.items()
    ]
    chosen = st.lists(st.one_of(*items), max_size=5) if items else st.just([])
    positionals = st.tuples(*(value(p) for p in positional or [])).map(list)
    extra = st.lists(os_text, max_size=1)
    return st.tuples(chosen, positionals, extra).map(
        lambda parts: [*words, *[w for part in parts[0] for w in part], *parts[1], *parts[2]]
    )


goal_flags = {name.value.replace("-", "_"): durations | numbers for name in GoalName}
COMMANDS = {
    "report": subcommand("report", week=weeks, json=None),
    "config": st.one_of(
        subcommand("config", "get", positional=[st.sampled_from(CONFIG_KEYS)]),
        subcommand(
            "config",
            "set",
            positional=[
                st.sampled_from(CONFIG_KEYS),
                st.sampled_from(["all", "none", "3m", "Europe/Amsterdam", "app:x,title:*y*", "22:00-07:00", "x"]),
            ],
        ),
        subcommand("config", "list", json=None),
        subcommand("config", "path"),
    ),
    "import": st.one_of(
        subcommand("import", "activitywatch", positional=[inputs]),
        subcommand("import", "middenweg", positional=[inputs]),
    ),
    "export": subcommand(
        "export", format=st.sampled_from(["csv", "json", "xml"]), output=outputs, **{"from": dates, "to": dates}
    ),
    "forget": subcommand("forget", day=dates, all=None, yes=None),
    "rules": st.one_of(
        subcommand("rules", "check"),
        subcommand("rules", "test", positional=[os_text, os_text]),
    ),
    "track": subcommand("track", headless=None, interval=durations, idle_after=durations, flush_interval=numbers),
    "probe": subcommand("probe", json=None),
    "pause": subcommand("pause", positional=[durations]),
    "resume": subcommand("resume"),
    "dashboard": subcommand("dashboard", week=weeks),
    "autostart": subcommand("autostart", positional=[st.sampled_from(["on", "off", "status"])], json=None),
    "desktop-entry": st.sampled_from([["install-desktop-entry"], ["remove-desktop-entry"]]),
    "evenings": st.one_of(
        subcommand(
            "evenings",
            "add",
            weekly=days,
            on=dates,
            every=numbers,
            starting=dates,
            kind=st.sampled_from(["phone-free", "screen-free", "other"]),
            title=os_text,
            friends=os_text,
            remind=reminders,
            no_end_note=None,
            no_checkin=None,
            **{"from": clocks, "to": clocks},
        ),
        subcommand("evenings", "list", json=None),
        subcommand("evenings", "skip", positional=[numbers], date=dates),
        subcommand(
            "evenings", "move", positional=[numbers], date=dates, to_date=dates, **{"from": clocks, "to": clocks}
        ),
        subcommand("evenings", "remove", positional=[numbers]),
        subcommand("evenings", "checkin", positional=[st.sampled_from(["kept", "partly", "not", "1"])], date=dates),
        subcommand("evenings", "export", ics=outputs),
    ),
    "goals": st.one_of(subcommand("goals", "set", **goal_flags), subcommand("goals", "show", json=None)),
    "phone": st.one_of(
        subcommand("phone", "add", date=dates, total=durations, social=durations, messaging=durations),
        subcommand("phone", "list", days=numbers, json=None),
        subcommand("phone", "remove", date=dates),
    ),
    "app": st.lists(st.sampled_from(["--version", "--help", "-h", "--nonsense"]), max_size=1),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_any_command_line_ends_in_an_exit_code_and_writes_only_at_home(sandbox: Sandbox, name: str) -> None:
    @fuzz(25)
    @given(argv=COMMANDS[name])
    def each(argv: list[str]) -> None:
        check(run(sandbox, argv), argv)

    each()


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["evenings", "remove", "99999999999999999999"], 2),  # was: OverflowError from SQLite, a crash log
        (["rules", "test", "\udc80", ""], 0),  # was: UnicodeEncodeError printing it
        (["evenings", "add", "--on", "2026-12-05", "--from", "21:00", "--to", "23:00", "--title", "\udcff"], 2),
        (["export", "--output", ""], 2),  # was: ValueError, "PosixPath('.') has an empty name"
        (["evenings", "export", "--ics", "."], 2),
        (["phone", "remove", "--date", "9999-12-31"], 2),  # was: OverflowError at the end of the calendar
        (["report", "--week", "0001-W01"], 2),  # was: OverflowError for the week before
        (["forget", "--day", "1969-12-31", "--yes"], 2),
    ],
)
def test_command_lines_the_fuzzing_found_end_cleanly(sandbox: Sandbox, argv: list[str], code: int) -> None:
    result = run(sandbox, argv)
    check(result, argv)
    assert result.code == code, result.err


@fuzz(60)
@given(argv=st.lists(os_text, max_size=6))
def test_any_words_at_all_end_in_an_exit_code(sandbox: Sandbox, argv: list[str]) -> None:
    check(run(sandbox, argv), argv)


def test_a_realistic_session_stays_at_home_and_leaves_no_crash(sandbox: Sandbox) -> None:
    """The commands that change things, in the order a person runs them, with hostile text where text goes."""
    write_inputs(sandbox.cwd)
    evening = ["evenings", "add", "--weekly", "thu", "--from", "21:00", "--to", "23:00", "--title"]
    steps = [
        (["config", "set", "device-name", "\u202eevil $(touch pwned)"], 1),  # not printable: refused
        (["config", "set", "device-name", "$(touch pwned); `touch pwned`"], 0),
        (["import", "activitywatch", "aw.json"], 0),
        (["import", "activitywatch", "broken.json"], 1),
        (["import", "middenweg", "mw.json"], 0),
        ([*evening, "`touch pwned` $(touch pwned)"], 0),
        ([*evening, "caf\udce9"], 2),  # Latin-1 bytes from the terminal: not text
        (["evenings", "export", "--ics", "sub/evenings.ics"], 0),
        (["rules", "test", "\udcff\x1b[2J", "\u202e(2) Facebook — Mozilla Firefox"], 0),
        (["report"], 0),
        (["report", "--json"], 0),
        (["export", "--format", "json", "--output", "sub/all.json"], 0),
        (["export", "--output", "caf\udce9.csv"], 0),  # a file name in bytes is fine
        (["export"], 0),
        (["pause", "15m"], 0),
        (["resume"], 0),
        (["autostart", "on"], 0),
        (["autostart", "status", "--json"], 0),
        (["autostart", "off"], 0),
        (["install-desktop-entry"], 0),
        (["remove-desktop-entry"], 0),
        (["forget", "--all", "--yes"], 0),
    ]
    for argv, code in steps:
        result = run(sandbox, argv)
        check(result, argv)
        assert result.code == code, (argv, result.err)
    assert "\\udcff" in run(sandbox, ["rules", "test", "\udcff"]).out  # shown escaped, not refused by stdout
    assert (sandbox.cwd / "caf\udce9.csv").exists()
    assert not list(sandbox.root.rglob("pwned"))
    assert not (Path.cwd() / "pwned").exists()


def test_demo_without_a_display_says_so_and_leaves_nothing_behind(sandbox: Sandbox) -> None:
    result = run(sandbox, ["demo"])
    check(result, ["demo"])
    assert result.code == 1 and "DISPLAY is not set" in result.err
    assert not list((sandbox.root / "tmp").glob("middenweg-demo-*"))
