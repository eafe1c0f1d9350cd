"""The command line: the scripting interface of Middenweg and the harness of its end-to-end tests.

Every failure a person can cause (bad settings, rules, database, import file, arguments) ends in one clear message
on stderr and a non-zero exit, never a traceback; unexpected errors are written to the log folder instead.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import shutil
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from middenweg import __version__, i18n
from middenweg.cli_text import day_in_range, file_to_write
from middenweg.config import CONFIG_KEYS, SettingsError, get_value, list_values, load_settings, set_value
from middenweg.domain.weeks import IsoWeek, WeekFormatError
from middenweg.i18n import _, ngettext
from middenweg.instance import AlreadyRunningError
from middenweg.interchange.errors import Error as InterchangeError
from middenweg.paths import Paths
from middenweg.private_files import replaced_privately
from middenweg.startup_memory import lean_long_running_process
from middenweg.storage.errors import StorageError

if TYPE_CHECKING:
    from middenweg.bootstrap import Context
    from middenweg.sync_folder import SyncResult
    from middenweg.tracking.sampler import TickResult

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_NO_PROBE = 0, 1, 2, 3


class UserError(Exception):
    """A problem with what the user asked for, shown as it is."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, _("{prog}: error: {message}\n").format(prog=self.prog, message=message))


def _iso_date(text: str) -> date:
    try:
        return day_in_range(date.fromisoformat(text), text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20").format(text=text)
        ) from None


def _iso_week(text: str) -> IsoWeek:
    try:
        week = IsoWeek.parse(text)
        day_in_range(week.monday, text)
        return week
    except WeekFormatError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not an ISO week; write it as YYYY-Www, e.g. 2026-W44").format(text=text)
        ) from None


def _seconds_arg(text: str) -> float:
    from middenweg.config import parse_duration

    try:
        value: float | None = float(text)
    except ValueError:
        value = parse_duration(text)
    if value is None or not 0 < value < 86400:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a number of seconds; write it as 1, 0.5, 90 or 3m").format(text=text)
        )
    return float(value)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="middenweg",
        description=_("Middenweg: see how much time social and messaging apps take, and keep phone-free evenings."),
    )
    parser.add_argument("--version", action="version", version=f"middenweg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)

    report = sub.add_parser("report", help=_("show a week's social and messaging time"))
    report.add_argument("--week", type=_iso_week, help=_("ISO week such as 2026-W44 (default: this week)"))
    report.add_argument("--json", action="store_true", help=_("print JSON (schema in README)"))

    config = sub.add_parser("config", help=_("read and change settings"))
    config_sub = config.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=_Parser)
    get = config_sub.add_parser("get", help=_("print one setting"))
    get.add_argument("key", choices=CONFIG_KEYS, metavar=_("KEY"))
    setp = config_sub.add_parser("set", help=_("change one setting"))
    setp.add_argument("key", choices=CONFIG_KEYS, metavar=_("KEY"))
    setp.add_argument("value", metavar=_("VALUE"))
    listp = config_sub.add_parser("list", help=_("print every setting"))
    listp.add_argument("--json", action="store_true", help=_("print JSON"))
    config_sub.add_parser("path", help=_("print where settings, data and logs are kept"))

    imp = sub.add_parser("import", help=_("import history from another program or a Middenweg export"))
    imp_sub = imp.add_subparsers(dest="source", metavar=_("SOURCE"), required=True, parser_class=_Parser)
    aw = imp_sub.add_parser("activitywatch", help=_('an ActivityWatch export ("Export all buckets")'))
    aw.add_argument("file", type=Path, metavar=_("FILE"))
    mw = imp_sub.add_parser("middenweg", help=_("a JSON file made by `middenweg export --format json`"))
    mw.add_argument("file", type=Path, metavar=_("FILE"))

    exp = sub.add_parser("export", help=_("write all events as CSV or JSON"))
    exp.add_argument("--format", choices=("csv", "json"), default="csv", help=_("file format (default: csv)"))
    exp.add_argument("--from", dest="first", type=_iso_date, metavar=_("DATE"), help=_("first local day"))
    exp.add_argument("--to", dest="last", type=_iso_date, metavar=_("DATE"), help=_("last local day"))
    exp.add_argument("--output", type=file_to_write, metavar=_("FILE"), help=_("write here instead of standard output"))

    forget = sub.add_parser("forget", help=_("delete history"))
    which = forget.add_mutually_exclusive_group(required=True)
    which.add_argument("--day", type=_iso_date, metavar=_("DATE"), help=_("delete one local day"))
    which.add_argument("--all", action="store_true", help=_("delete all history"))
    forget.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))

    track = sub.add_parser("track", help=_("track the active window until stopped"))
    track.add_argument("--headless", action="store_true", help=_("run without a window or tray icon"))
    track.add_argument(
        "--interval", type=_seconds_arg, default=1.0, metavar=_("SECONDS"), help=_("seconds between samples")
    )
    track.add_argument(
        "--idle-after",
        type=_seconds_arg,
        metavar=_("SECONDS"),
        help=_("seconds without input before you count as away"),
    )
    track.add_argument("--flush-interval", type=_seconds_arg, default=10.0, help=argparse.SUPPRESS)

    sync_cmd = sub.add_parser("sync", help=_("share this computer's time through the sync folder and read the others'"))
    sync_cmd.add_argument("--json", action="store_true", help=_("print JSON"))

    probe = sub.add_parser("probe", help=_("show once what Middenweg sees now"))
    probe.add_argument("--json", action="store_true", help=_("print JSON"))

    pause = sub.add_parser("pause", help=_("pause tracking for 15m, 1h, until tomorrow 06:00, or until resumed"))
    pause.add_argument("duration", nargs="?", metavar=_("DURATION"), help=_("15m, 1h or tomorrow"))
    sub.add_parser("resume", help=_("resume tracking"))

    dash = sub.add_parser("dashboard", help=_("open the weekly dashboard"))
    dash.add_argument("--week", type=_iso_week, help=_("ISO week such as 2026-W44 (default: this week)"))
    sub.add_parser("demo", help=_("open Middenweg on six weeks of made-up usage (your data is not touched)"))
    auto = sub.add_parser("autostart", help=_("start Middenweg when you log in"))
    auto.add_argument("action", choices=("on", "off", "status"), metavar=_("on|off|status"))
    auto.add_argument("--json", action="store_true", help=_("print JSON"))
    sub.add_parser(
        "install-desktop-entry", help=_("add Middenweg to the application menu (Linux and other free desktops)")
    )
    sub.add_parser("remove-desktop-entry", help=_("take Middenweg out of the application menu again"))

    from middenweg import cli_evenings, cli_goals, cli_phone

    cli_evenings.add_parser(sub, _Parser)
    cli_goals.add_parser(sub, _Parser)
    cli_phone.add_parser(sub, _Parser)

    rules = sub.add_parser("rules", help=_("check the categorisation rules"))
    rules_sub = rules.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=_Parser)
    rules_sub.add_parser("check", help=_("report problems in rules.toml"))
    test = rules_sub.add_parser("test", help=_("show how a window would be categorised"))
    test.add_argument("app", metavar=_("APP"))
    test.add_argument("title", nargs="?", metavar=_("TITLE"))
    return parser


# -- commands ------------------------------------------------------------------------------------------------------


def _warn(message: str) -> None:
    print(_("Warning: {message}").format(message=message), file=sys.stderr)


def _context() -> Context:
    from middenweg.bootstrap import Context  # storage and rules load only for commands that need them

    ctx = Context.create()
    for warning in ctx.settings_warnings:
        _warn(warning)
    ctx.on_notice = _warn  # e.g. a damaged database kept aside: said on stderr the moment it happens
    return ctx


def _rule_warnings(ctx: Context) -> None:
    for problem in ctx.rules()[1]:
        _warn(str(problem))


def cmd_report(args: argparse.Namespace) -> int:
    from middenweg.cli_text import render_report
    from middenweg.history import current_week, goal_day, goals_progress, weekly_report
    from middenweg.storage.goal_store import GoalStore

    as_json = getattr(args, "json", False)
    ctx = _context()
    try:
        store = ctx.store()
        _rule_warnings(ctx)
        _sync(ctx)
        tz = ctx.tz
        now = ctx.clock.time()
        this_week = current_week(now, tz)
        week = getattr(args, "week", None) or this_week
        report = weekly_report(store, week, tz, ctx.settings.age_group)
        if as_json:
            goals = goals_progress(store, GoalStore(store).all(), week, goal_day(week, now, tz), tz)
    finally:
        ctx.close()
    if as_json:
        data = report.to_json() | {"goals": [goal.to_json() for goal in goals]}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render_report(report, current=week == this_week))
    return EXIT_OK


def _sync(ctx: Context) -> SyncResult | None:
    """Share and read through the sync folder when one is set; its problems go to stderr (they never stop a
    report: what was read before stays)."""
    folder = ctx.settings.folder_to_sync
    if folder is None:
        return None
    from middenweg.sync_folder import sync

    result = sync(ctx.store(), folder, home=ctx.local_device(), tz=ctx.tz, now=int(ctx.clock.time()))
    for problem in result.problems:
        print(_("middenweg: {message}").format(message=problem), file=sys.stderr)
    return result


def _sync_while_tracking(ctx: Context) -> None:
    """A tracker's periodic sync: a problem with the folder or the database is told, and tracking goes on."""
    try:
        _sync(ctx)
    except Exception as error:  # a storage or folder problem must not stop tracking
        print(_("middenweg: {message}").format(message=error), file=sys.stderr)


def cmd_sync(args: argparse.Namespace) -> int:
    ctx = _context()
    try:
        if ctx.settings.sync_folder is not None and ctx.settings.database_url is not None:
            raise UserError(
                _(
                    "A shared database is set, so the sync folder is not used: the computers on that database already "
                    "see each other's time. To use the folder instead: middenweg config set database-url local"
                )
            )
        if ctx.settings.sync_folder is None:
            raise UserError(
                _("No sync folder is set. Choose one that your sync tool shares: middenweg config set sync-folder DIR")
            )
        result = _sync(ctx)
        assert result is not None
    finally:
        ctx.close()
    if args.json:
        print(json.dumps({"written": result.written, "read": result.read, "problems": result.problems}, indent=2))
    else:
        print(
            ngettext(
                "Shared {count} file of this computer.", "Shared {count} files of this computer.", len(result.written)
            ).format(count=len(result.written))
        )
        for month in result.read:
            print(_("Read {what}.").format(what=month))
    return EXIT_OK


def _rename_this_computer() -> None:
    """Reports name devices from the database: give this computer its new name there now, not at the next start.
    A database that cannot be opened now is no reason to fail: the name is used the next time Middenweg opens it."""
    from middenweg.storage.errors import StorageError

    ctx = _context()
    try:
        ctx.local_device()
    except StorageError:
        pass
    finally:
        ctx.close()


def cmd_config(args: argparse.Namespace) -> int:
    paths = Paths.from_environment()
    if args.action == "path":
        print(_("Settings: {path}").format(path=paths.settings_file))
        print(_("Rules:    {path}").format(path=paths.rules_file))
        print(_("Data:     {path}").format(path=paths.database_file))
        print(_("Logs:     {path}").format(path=paths.log_dir))
        return EXIT_OK
    if args.action == "set":
        paths.ensure()
        set_value(paths.settings_file, args.key, args.value)
        settings = load_settings(paths.settings_file)
        print(_("{key} = {value}").format(key=args.key, value=get_value(settings, args.key)))
        if args.key == "device-name" and (settings.database_url is not None or paths.database_file.exists()):
            _rename_this_computer()
        return EXIT_OK
    settings = load_settings(paths.settings_file)
    if args.action == "get":
        print(get_value(settings, args.key))
    elif args.json:
        print(json.dumps({key: value for key, value, _help in list_values(settings)}, ensure_ascii=False, indent=2))
    else:
        for key, value, help_text in list_values(settings):
            print(f"{key:<14} {value:<24} {help_text}")
    return EXIT_OK


class _ProgressLine:
    """A one-line percentage on stderr when it is a terminal; silent otherwise."""

    def __init__(self, label: str, stream: IO[str]) -> None:
        self.label, self.stream, self.last = label, stream, -1
        self.enabled = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total <= 0 else done * 100 // total
        if self.enabled and percent != self.last:
            self.last = percent
            self.stream.write(f"\r{self.label} {percent}%")
            self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self.last >= 0:
            self.stream.write("\n")


def cmd_import(args: argparse.Namespace) -> int:
    from middenweg.history import import_activitywatch, import_middenweg
    from middenweg.reference.compare import format_duration

    ctx = _context()
    try:
        store = ctx.store()
        if args.source == "activitywatch":
            ruleset = ctx.rules()[0]
            _rule_warnings(ctx)
            progress = _ProgressLine(_("Reading {name}…").format(name=args.file.name), sys.stderr)
            try:
                result = import_activitywatch(
                    store, args.file, ruleset, policy=ctx.title_policy, exclusions=ctx.exclusions, progress=progress
                )
            finally:
                progress.finish()
        else:
            result = import_middenweg(store, args.file, policy=ctx.title_policy, exclusions=ctx.exclusions)
    finally:
        ctx.close()
    if not result.outcomes:
        print(_("{file} holds no window activity to import; nothing was changed.").format(file=args.file))
        return EXIT_OK
    for outcome in result.outcomes:
        kind = _("phone") if outcome.device.kind.value == "phone" else _("computer")
        line = _("{device} ({kind}): added {added}").format(
            device=outcome.device.name, kind=kind, added=format_duration(outcome.added_seconds)
        )
        if outcome.skipped_seconds:
            line += _("; skipped {skipped} already recorded").format(skipped=format_duration(outcome.skipped_seconds))
        if outcome.added_unlocks:
            unlocks = ngettext("{count} unlock", "{count} unlocks", outcome.added_unlocks)
            line += "; " + unlocks.format(count=outcome.added_unlocks)
        print(line)
    events = sum(o.added_events for o in result.outcomes)
    print(ngettext("Imported {n} event.", "Imported {n} events.", events).format(n=events))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from middenweg.history import export_history

    if args.first and args.last and args.last < args.first:
        raise UserError(_("--to ({last}) is before --from ({first}).").format(last=args.last, first=args.first))
    ctx = _context()
    try:
        store = ctx.store()
        if args.output is None:
            export_history(store, sys.stdout, args.format, ctx.tz, args.first, args.last, ctx.clock.time())
            return EXIT_OK
        try:
            with replaced_privately(args.output) as out:
                count = export_history(store, out, args.format, ctx.tz, args.first, args.last, ctx.clock.time())
        except OSError as exc:
            raise UserError(
                _("Cannot write {path}: {problem}.").format(path=args.output, problem=exc.strerror or exc)
            ) from exc
    finally:
        ctx.close()
    print(
        ngettext("Wrote {n} event to {path}.", "Wrote {n} events to {path}.", count).format(n=count, path=args.output)
    )
    return EXIT_OK


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        raise UserError(_("{question} Add --yes to confirm when not running in a terminal.").format(question=question))
    answer = input(question + " " + _("[y/N]") + " ").strip().lower()
    return answer in (_("y"), _("yes"), "y", "yes")


def cmd_forget(args: argparse.Namespace) -> int:
    from middenweg.history import forget_days

    if args.all:
        question = _("Delete ALL history from Middenweg? This cannot be undone.")
    else:
        question = _("Delete the history of {day}? This cannot be undone.").format(day=args.day.isoformat())
    if not args.yes and not _confirm(question):
        print(_("Nothing was deleted."))
        return EXIT_OK
    ctx = _context()
    try:
        store = ctx.store()
        removed = store.forget_all() if args.all else forget_days(store, ctx.tz, args.day, args.day)
    finally:
        ctx.close()
    print(ngettext("Deleted {n} event.", "Deleted {n} events.", removed).format(n=removed))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    ctx = _context()
    ruleset, problems = ctx.rules()
    if args.action == "check":
        for problem in problems:
            print(str(problem), file=sys.stderr)
        if problems:
            return EXIT_ERROR
        print(_("{path}: no problems.").format(path=ctx.paths.rules_file))
        return EXIT_OK
    _rule_warnings(ctx)
    result = ruleset.classify(args.app, args.title)
    print(_("{category} ({label})").format(category=result.category.value, label=result.label))
    return EXIT_OK


def cmd_track(args: argparse.Namespace) -> int:
    lean_long_running_process()
    from middenweg.instance import InstanceLock
    from middenweg.tracking.pause import PauseFile
    from middenweg.tracking.runner import HeadlessLoop, StoreSink
    from middenweg.tracking.sampler import Sampler
    from middenweg.tracking.select import select_probes

    ctx = _context()
    lock = InstanceLock(ctx.paths.data_dir / "tracker.lock", "middenweg track --headless")
    try:
        ctx.paths.ensure()
        lock.acquire()
    except OSError as exc:  # a read-only or unwritable data folder
        from middenweg.storage.engine import data_folder_error

        raise data_folder_error(ctx.paths.data_dir, exc) from exc
    ctx.holds_tracker_lock = True
    try:
        probes, attempts = select_probes()
        if probes is None:
            for attempt in attempts:
                print(f"{attempt.name}: {attempt.status.reason}", file=sys.stderr)
            return EXIT_NO_PROBE
        store = ctx.store()
        _rule_warnings(ctx)
        device = ctx.local_device()
        sampler = Sampler(
            probes.window,
            probes.idle,
            probes.media,
            ctx.rules()[0],
            StoreSink(store, device),
            idle_after=args.idle_after or ctx.settings.idle_after,
            interval=args.interval,
            flush_every=args.flush_interval,
            policy=ctx.title_policy,
            exclusions=ctx.exclusions,
            paused=PauseFile(ctx.paths.data_dir / "pause.json").active,
        )
        loop = HeadlessLoop(sampler, ctx.clock, args.interval)
        loop.install_signal_handlers()
        print(
            _("Middenweg is keeping track on {device} (reading {probe}). Stop with Ctrl+C.").format(
                device=device.name, probe=probes.name
            ),
            file=sys.stderr,
            flush=True,
        )
        from middenweg.bootstrap import LOOK_AT_FILES_EVERY
        from middenweg.scheduler import TickPacer
        from middenweg.sync_folder import SYNC_EVERY

        pacer = TickPacer(ctx.scheduler(ctx.notifier()), ctx.clock)  # evening reminders and nudges, headless too
        next_sync = ctx.clock.time() + SYNC_EVERY
        next_look = ctx.clock.monotonic() + LOOK_AT_FILES_EVERY

        def on_tick(result: TickResult) -> None:
            nonlocal next_sync, next_look
            pacer.on_tick(result)
            if ctx.clock.monotonic() >= next_look:  # `config set` or an edited rules file while tracking
                next_look = ctx.clock.monotonic() + LOOK_AT_FILES_EVERY
                settings_changed, rules_changed = ctx.reload_changed_files()
                if rules_changed:
                    sampler.set_rules(ctx.rules()[0])
                if settings_changed:
                    sampler.set_privacy(ctx.title_policy, ctx.exclusions)
                    sampler.idle_after = args.idle_after or ctx.settings.idle_after
                    ctx.local_device()  # a new device name
            if ctx.clock.time() >= next_sync:
                next_sync = ctx.clock.time() + SYNC_EVERY
                _sync_while_tracking(ctx)

        try:
            loop.run(on_tick=on_tick)
        finally:
            probes.close()
            _sync_while_tracking(ctx)  # the last minutes, shared before the computer goes off
    finally:
        ctx.close()
        lock.release()
    if not loop.saved:
        print(
            _("middenweg: the last minutes of tracking could not be stored (see the message above)."),
            file=sys.stderr,
        )
        return EXIT_ERROR
    return EXIT_OK


def cmd_probe(args: argparse.Namespace) -> int:
    from middenweg.tracking.select import select_probes

    ctx = _context()
    ruleset = ctx.rules()[0]
    probes, attempts = select_probes()
    data: dict[str, object] = {
        "probe": None,
        "window": None,
        "category": None,
        "label": None,
        "idle_seconds": None,
        "idle_probe": None,
        "idle_reason": None,
        "media_playing": None,
        "attempts": [
            {"probe": a.name, "state": a.status.state.value, "reason": a.status.reason, "note": a.note}
            for a in attempts
        ],
    }
    answered = False
    if probes is not None:
        reading = probes.window.active_window()
        idle = probes.idle.idle()
        if reading.status.ok or reading.window is not None:
            answered = True
            data["probe"] = probes.name
        if reading.window is not None:
            w = reading.window
            result = ruleset.classify(w.app, w.title)
            data["window"] = {
                "app": w.app, "title": w.title, "pid": w.pid, "process": w.process, "executable": w.executable
            }  # fmt: skip
            data["category"], data["label"] = result.category.value, result.label
        data["idle_seconds"] = round(idle.seconds, 1) if idle.seconds is not None else None
        data["idle_probe"] = probes.idle.name
        data["idle_reason"] = idle.status.reason or None
        data["media_playing"] = probes.media.playing() if probes.media is not None else None
        probes.close()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_probe(data)
    return EXIT_OK if answered else EXIT_NO_PROBE


def _print_probe(data: dict[str, object]) -> None:
    window = data["window"]
    if data["probe"] is None:
        print(_("No probe can see the active window here."))
    elif isinstance(window, dict):
        print(_("Probe:    {name}").format(name=data["probe"]))
        print(_("App:      {app}").format(app=window["app"]))
        print(_("Title:    {title}").format(title=window["title"] if window["title"] is not None else "–"))
        print(_("Process:  {process} ({pid})").format(process=window["process"] or "–", pid=window["pid"] or "–"))
        print(_("Category: {category} ({label})").format(category=data["category"], label=data["label"]))
    else:
        print(_("Probe:    {name}").format(name=data["probe"]))
        print(_("No window is in front (locked screen?)."))
    idle = data["idle_seconds"]
    print(_("Idle:     {seconds} s").format(seconds=idle) if idle is not None else _("Idle:     unknown"))
    if data["idle_reason"]:
        print(f"{data['idle_probe']}: {data['idle_reason']}")
    attempts = data["attempts"]
    assert isinstance(attempts, list)
    for attempt in attempts:
        for text in (attempt["reason"], attempt["note"]):
            if text:
                print(f"{attempt['probe']}: {text}")


def cmd_pause(args: argparse.Namespace) -> int:
    from middenweg.tracking.pause import FOREVER, PauseFile, pause_until

    ctx = _context()
    now = ctx.clock.time()
    try:
        until = pause_until(args.duration, now, ctx.tz)
    except ValueError:
        raise UserError(
            _("{text!r} is not a pause length; use 15m, 1h, tomorrow, or nothing to pause until you resume.").format(
                text=args.duration
            )
        ) from None
    ctx.paths.ensure()
    PauseFile(ctx.paths.data_dir / "pause.json").set(until)
    if until == FOREVER:
        print(_("Tracking is paused until you resume it (`middenweg resume`)."))
    else:
        from middenweg.cli_text import short_date
        from middenweg.domain.weeks import to_local

        moment, today = to_local(int(until), ctx.tz), to_local(int(now), ctx.tz).date()
        when = moment.strftime("%H:%M") if moment.date() == today else f"{short_date(moment.date())} {moment:%H:%M}"
        print(_("Tracking is paused until {time}.").format(time=when))
    return EXIT_OK


def cmd_resume(_args: argparse.Namespace) -> int:
    from middenweg.tracking.pause import PauseFile

    ctx = _context()
    PauseFile(ctx.paths.data_dir / "pause.json").clear()
    print(_("Tracking resumed."))
    return EXIT_OK


def _run_gui(ctx: Context, **options: Any) -> int:
    from middenweg.gui.app import NoDisplayError, run

    try:
        return run(ctx, **options)
    except NoDisplayError as exc:
        raise UserError(str(exc)) from exc


def _handed_over(message: str) -> bool:
    """True when a running Middenweg for this data folder took the request (checked before anything heavy loads)."""
    if os.environ.get("DISPLAY") is None and sys.platform.startswith("linux") and not os.environ.get("WAYLAND_DISPLAY"):
        return False
    from middenweg.gui.handover import ask_running_instance, server_name

    if not ask_running_instance(server_name(Paths.from_environment().data_dir), message):
        return False
    print(_("Middenweg is already running; its dashboard is open now."))
    return True


def cmd_app(args: argparse.Namespace) -> int:
    lean_long_running_process()
    if _handed_over("dashboard"):
        return EXIT_OK
    ctx = _gui_context()
    return EXIT_ERROR if ctx is None else _run_gui(ctx)


def cmd_dashboard(args: argparse.Namespace) -> int:
    lean_long_running_process()
    if _handed_over("dashboard" + (f" {args.week}" if args.week else "")):
        return EXIT_OK
    ctx = _gui_context()
    return EXIT_ERROR if ctx is None else _run_gui(ctx, dashboard_week=args.week, open_dashboard=True)


def _gui_context() -> Context | None:
    """The context for the tray app, or None once a settings file it cannot read was shown in a window: started
    at login or from the menu there is no terminal to read stderr in (#9)."""
    try:
        return _context()
    except SettingsError as exc:
        from middenweg.gui.app import NoDisplayError, show_startup_problem

        try:
            show_startup_problem(str(exc))
        except NoDisplayError:
            raise exc from None
        return None


def cmd_demo(_args: argparse.Namespace) -> int:
    from middenweg.bootstrap import Context
    from middenweg.demo import demo_root, make_demo_home

    lean_long_running_process()
    root = demo_root()
    environ = {**os.environ, "MIDDENWEG_HOME": str(root)}
    probe_ctx = Context.create(environ)
    make_demo_home(root, now=probe_ctx.clock.time(), tz=probe_ctx.tz)
    print(_("Demo data is in {path}; your own data is not touched.").format(path=root), flush=True)
    try:
        return _run_gui(Context.create(environ), open_dashboard=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)  # made-up data: nothing to keep


def cmd_evenings(args: argparse.Namespace) -> int:
    from middenweg import cli_evenings

    ctx = _context()
    try:
        return cli_evenings.run(ctx, args)
    except cli_evenings.EveningInputError as exc:
        raise UserError(str(exc)) from exc
    finally:
        ctx.close()


def cmd_goals(args: argparse.Namespace) -> int:
    from middenweg import cli_goals

    ctx = _context()
    try:
        return cli_goals.run(ctx, args)
    except cli_goals.GoalInputError as exc:
        raise UserError(str(exc)) from exc
    finally:
        ctx.close()


def cmd_phone(args: argparse.Namespace) -> int:
    from middenweg import cli_phone

    ctx = _context()
    try:
        return cli_phone.run(ctx, args)
    except cli_phone.PhoneInputError as exc:
        raise UserError(str(exc)) from exc
    finally:
        ctx.close()


def cmd_autostart(args: argparse.Namespace) -> int:
    from middenweg.autostart import cli_autostart

    return cli_autostart(args.action, sys.stdout, json_output=args.json)


def cmd_desktop_entry(args: argparse.Namespace) -> int:
    from middenweg.desktop_entry import cli_desktop_entry

    return cli_desktop_entry("install" if args.command == "install-desktop-entry" else "remove", sys.stdout)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "report": cmd_report,
    "config": cmd_config,
    "import": cmd_import,
    "export": cmd_export,
    "forget": cmd_forget,
    "rules": cmd_rules,
    "track": cmd_track,
    "probe": cmd_probe,
    "sync": cmd_sync,
    "pause": cmd_pause,
    "resume": cmd_resume,
    "app": cmd_app,
    "dashboard": cmd_dashboard,
    "demo": cmd_demo,
    "autostart": cmd_autostart,
    "install-desktop-entry": cmd_desktop_entry,
    "remove-desktop-entry": cmd_desktop_entry,
    "evenings": cmd_evenings,
    "goals": cmd_goals,
    "phone": cmd_phone,
}


def _activate_language() -> None:
    """Speak the user's language from the first message on, even when the settings file is broken."""
    try:
        setting = load_settings(Paths.from_environment().settings_file).language
    except SettingsError:
        setting = "system"
    i18n.activate(i18n.resolve_language(setting))


def _log_crash() -> Path | None:
    try:
        paths = Paths.from_environment()
        paths.ensure()
        log = paths.log_dir / "crash.log"
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with open(fd, "a", encoding="utf-8") as handle:
            handle.write(traceback.format_exc() + "\n")
        return log
    except OSError:
        return None


def _printable_streams() -> None:
    """Let stdout show what cannot be encoded (a file name or argument in bytes that are not UTF-8 arrives as lone
    surrogates) as a backslash escape instead of failing, as Python's stderr already does."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None and getattr(sys.stdout, "errors", None) == "strict":
        reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _printable_streams()
    _activate_language()
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "app"
    try:
        return COMMANDS[command](args)
    except (SettingsError, StorageError, InterchangeError, UserError, AlreadyRunningError) as exc:
        print(_("middenweg: {message}").format(message=exc), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(_("middenweg: interrupted; nothing more was changed."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `middenweg export | head`: the reader left; that is not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # last resort: never show a traceback to a person
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
            # A full disk or a read-only folder (#9) is the machine's state, not a bug: say what to do.
            message = (
                _("{path} could not be written ({problem}).").format(path=exc.filename, problem=exc.strerror)
                if exc.filename
                else _("A file could not be written ({problem}).").format(problem=exc.strerror or exc)
            )
            advice = _("Free some space or make the folder writable, then try again.")
            print(_("middenweg: {message}").format(message=f"{message} {advice}"), file=sys.stderr)
            return EXIT_ERROR
        log = _log_crash()
        where = _(" Details were written to {log}.").format(log=log) if log else ""
        print(
            _("middenweg: something went wrong ({problem}).{where}").format(problem=exc, where=where),
            file=sys.stderr,
        )
        return EXIT_ERROR
