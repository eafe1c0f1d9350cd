"""`middenweg evenings ...`: plan phone-free evenings, skip or move one, check in, and export a calendar."""

from __future__ import annotations

import argparse
import json
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from middenweg.cli_text import WEEKDAYS, day_in_range, file_to_write, friend_names
from middenweg.domain import lengths
from middenweg.domain.evenings import Evening, EveningChange, EveningKind, Occurrence
from middenweg.i18n import _
from middenweg.privacy import clean_text
from middenweg.private_files import write_private

if TYPE_CHECKING:
    from middenweg.bootstrap import Context
    from middenweg.storage.evening_store import EveningStore

WEEKDAY_WORDS = {
    **{w: i for i, w in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{w: i for i, w in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{w: i for i, w in enumerate(("ma", "di", "wo", "do", "vr", "za", "zo"))},
    **{w: i for i, w in enumerate(("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"))},
}
_OFFSET = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")


class EveningInputError(Exception):
    """A value on the command line that does not describe an evening; the message says what is allowed."""


def _weekdays(text: str) -> tuple[int, ...]:
    days = []
    for word in text.lower().replace(" ", "").split(","):
        if word not in WEEKDAY_WORDS:
            raise argparse.ArgumentTypeError(
                _("{word!r} is not a weekday; use mon, tue, wed, thu, fri, sat, sun (or ma, di, wo, do, vr, za, zo)")
                .format(word=word)
            )  # fmt: skip
        days.append(WEEKDAY_WORDS[word])
    return tuple(sorted(set(days)))


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text if len(text) > 2 else f"{int(text):02d}:00")
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text!r} is not a time of day; write it as HH:MM, e.g. 19:30").format(
            text=text)) from None  # fmt: skip


def _day(text: str) -> date:
    try:
        return day_in_range(date.fromisoformat(text), text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-05").format(text=text)
        ) from None


def _evening_id(text: str) -> int:
    """An evening's number as `evenings list` shows it: any whole number SQLite can hold (64 bits)."""
    try:
        number = int(text)
    except ValueError:  # not a number, or more digits than Python converts
        number = 1 << 63
    if not -(1 << 63) <= number < 1 << 63:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not the number of an evening; `middenweg evenings list` shows them").format(text=text)
        )
    return number


def _text(text: str) -> str:
    """Text to keep: bytes that are not UTF-8 (lone surrogates in ``sys.argv``) cannot be stored or shown."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not UTF-8 text; type it again in a terminal that uses UTF-8").format(text=text)
        ) from None
    return text


def _reminders(text: str) -> tuple[int, ...]:
    minutes = []
    for part in text.replace(" ", "").split(","):
        match = _OFFSET.match(part.lower())
        if not part or match is None or not any(match.groups()):
            raise argparse.ArgumentTypeError(
                _("{part!r} is not a time before the start; use e.g. 1d, 2h, 30m or 0m").format(part=part)
            )
        d, h, m = (int(g or 0) for g in match.groups())
        minutes.append(d * 1440 + h * 60 + m)
    return tuple(sorted(set(minutes), reverse=True))


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    evenings = sub.add_parser("evenings", help=_("plan phone-free evenings"))
    actions = evenings.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=parser_class)
    add = actions.add_parser("add", help=_("plan an evening (weekly or once)"))
    when = add.add_mutually_exclusive_group(required=True)
    when.add_argument("--weekly", type=_weekdays, metavar=_("DAYS"), help=_("weekdays, e.g. thu or thu,sat"))
    when.add_argument("--on", type=_day, metavar=_("DATE"), help=_("one evening on this date"))
    add.add_argument("--from", dest="start", type=_clock, required=True, metavar=_("HH:MM"), help=_("start"))
    add.add_argument(
        "--to", dest="end", type=_clock, required=True, metavar=_("HH:MM"), help=_("end (may be after midnight)")
    )
    add.add_argument("--every", type=int, default=1, metavar=_("N"), help=_("every N weeks (default 1)"))
    add.add_argument("--starting", type=_day, metavar=_("DATE"), help=_("first week of the series (default: today)"))
    add.add_argument("--kind", choices=[k.value for k in EveningKind], default=EveningKind.PHONE_FREE.value)
    add.add_argument("--title", type=_text, default="", help=_("a name, e.g. Board games with friends"))
    add.add_argument("--friends", type=_text, default="", help=_("names, separated by commas"))
    add.add_argument("--remind", type=_reminders, default=(30, 0), metavar=_("TIMES"),
                     help=_("reminders before the start, e.g. 1d,30m,0m (default 30m,0m)"))  # fmt: skip
    add.add_argument("--no-end-note", action="store_true", help=_("no note when the evening ends"))
    add.add_argument("--no-checkin", action="store_true", help=_("no check-in the next morning"))
    lst = actions.add_parser("list", help=_("show your evenings and when the next ones are"))
    lst.add_argument("--json", action="store_true", help=_("print JSON"))
    skip = actions.add_parser("skip", help=_("skip one evening of a series"))
    skip.add_argument("id", type=_evening_id, metavar=_("ID"))
    skip.add_argument("--date", type=_day, required=True, metavar=_("DATE"))
    move = actions.add_parser("move", help=_("move one evening of a series to another day or time"))
    move.add_argument("id", type=_evening_id, metavar=_("ID"))
    move.add_argument("--date", type=_day, required=True, metavar=_("DATE"))
    move.add_argument("--to-date", type=_day, required=True, metavar=_("DATE"))
    move.add_argument("--from", dest="start", type=_clock, metavar=_("HH:MM"))
    move.add_argument("--to", dest="end", type=_clock, metavar=_("HH:MM"))
    remove = actions.add_parser("remove", help=_("stop an evening (its check-ins are kept)"))
    remove.add_argument("id", type=_evening_id, metavar=_("ID"))
    checkin = actions.add_parser("checkin", help=_("say how an evening went: kept, partly or not"))
    checkin.add_argument("id", type=_evening_id, nargs="?", metavar=_("ID"))
    checkin.add_argument("--date", type=_day, metavar=_("DATE"))
    checkin.add_argument("result", choices=("kept", "partly", "not"))
    export = actions.add_parser("export", help=_("write your evenings as a calendar file"))
    export.add_argument("--ics", type=file_to_write, required=True, metavar=_("FILE"))


def _schedule(evening: Evening) -> str:
    times = f"{evening.start:%H:%M}–{evening.end:%H:%M}"
    if evening.once:
        return _("{date}, {times}").format(date=evening.first_date.isoformat(), times=times)
    days = ", ".join(_(WEEKDAYS[d]) for d in evening.weekdays)
    if evening.every == 1:
        return _("every {days}, {times}").format(days=days, times=times)
    return _("{days} every {n} weeks, {times}").format(days=days, n=evening.every, times=times)


def _local(epoch: int, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, tz).isoformat(timespec="minutes")


def _occurrence_on(evening: Evening, changes: list[EveningChange], day: date) -> Occurrence | None:
    """The occurrence of ``evening`` on series date ``day`` as planned, an earlier skip or move of it left out."""
    from middenweg.evenings.recurrence import occurrence_on

    return occurrence_on(evening, [c for c in changes if not (c.evening_id == evening.id and c.date == day)], day)


def run(ctx: Context, args: argparse.Namespace) -> int:
    from middenweg.storage.evening_store import EveningStore

    store = EveningStore(ctx.store())
    now = int(ctx.clock.time())
    action = args.action
    if action == "add":
        return _add(ctx, store, args, now)
    if action == "list":
        return _list(ctx, store, args, now)
    if action == "export":
        return _export(store, args.ics)
    if action == "checkin":
        return _checkin(store, args, now)
    evening = store.get(args.id)
    if evening is None:
        raise EveningInputError(
            _("There is no evening {id}; `middenweg evenings list` shows yours.").format(id=args.id)
        )
    if action == "remove":
        store.remove(evening.id, now)
        print(_("Evening {id} removed; its check-ins are kept.").format(id=evening.id))
        return 0
    if _occurrence_on(evening, store.changes(), args.date) is None:
        raise EveningInputError(
            _("Evening {id} does not take place on {date} ({schedule}).").format(
                id=evening.id, date=args.date.isoformat(), schedule=_schedule(evening)
            )
        )
    if action == "skip":
        store.set_change(EveningChange(evening.id, args.date))
        print(_("Evening {id} on {date} is skipped; the rest of the series stays.").format(
            id=evening.id, date=args.date.isoformat()))  # fmt: skip
        return 0
    store.set_change(EveningChange(evening.id, args.date, args.to_date, args.start, args.end))
    print(_("Evening {id} of {date} is moved to {new}.").format(
        id=evening.id, date=args.date.isoformat(), new=args.to_date.isoformat()))  # fmt: skip
    return 0


def _add(ctx: Context, store: EveningStore, args: argparse.Namespace, now: int) -> int:
    from middenweg.evenings.recurrence import next_occurrence, validate

    kind = EveningKind(args.kind)
    title = args.title.strip() or (
        _("Phone-free evening") if kind is EveningKind.PHONE_FREE else _("Screen-free evening")
    )
    if len(title) > lengths.EVENING_TITLE:
        raise EveningInputError(
            _("The title has {count} characters; an evening's title may have at most {limit}. Choose a shorter one.")
            .format(count=len(title), limit=lengths.EVENING_TITLE)
        )  # fmt: skip
    title = clean_text(title, lengths.EVENING_TITLE) or title  # a pasted escape or NUL cannot reach a notification
    today = datetime.fromtimestamp(now, ctx.tz).date()
    evening = Evening(
        id=0,
        title=title,
        kind=kind,
        start=args.start,
        end=args.end,
        first_date=args.on or args.starting or today,
        weekdays=args.weekly or (),
        every=args.every,
        time_zone=ctx.tz_name,
        friends=friend_names(args.friends),
        remind_before=args.remind,
        end_note=not args.no_end_note,
        checkin=not args.no_checkin,
    )
    problems = validate(evening)
    if problems:
        raise EveningInputError(" ".join(problems))
    added = store.add(evening, now)
    print(_("Evening {id} planned: {title}, {schedule}.").format(id=added.id, title=added.title,
                                                                  schedule=_schedule(added)))  # fmt: skip
    upcoming = next_occurrence(added, [], now)
    if upcoming is not None:
        print(_("Next: {start}.").format(start=_local(upcoming.start, ctx.tz)))
    return 0


def _list(ctx: Context, store: EveningStore, args: argparse.Namespace, now: int) -> int:
    from middenweg.cli_goals import streak_line
    from middenweg.evenings.recurrence import next_occurrence
    from middenweg.history import evening_streak

    changes = store.changes()
    rows = []
    for evening in store.all():
        tz = ZoneInfo(evening.time_zone)
        upcoming = next_occurrence(evening, [c for c in changes if c.evening_id == evening.id], now)
        rows.append(
            {
                "id": evening.id,
                "title": evening.title,
                "kind": evening.kind.value,
                "from": f"{evening.start:%H:%M}",
                "to": f"{evening.end:%H:%M}",
                "weekdays": list(evening.weekdays),
                "every": evening.every,
                "once_on": evening.first_date.isoformat() if evening.once else None,
                "starting": evening.first_date.isoformat(),
                "time_zone": evening.time_zone,
                "friends": list(evening.friends),
                "remind_before_minutes": list(evening.remind_before),
                "end_note": evening.end_note,
                "checkin": evening.checkin,
                "next": None
                if upcoming is None
                else {"start": _local(upcoming.start, tz), "end": _local(upcoming.end, tz), "moved": upcoming.moved},
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(
            _("No evenings planned yet. Plan one with `middenweg evenings add --weekly thu --from 19:00 --to 23:00`.")
        )
    for row, shown in zip(rows, store.all(), strict=True):
        nxt = row["next"]
        when = _("next {start}").format(start=nxt["start"]) if isinstance(nxt, dict) else _("no more dates")
        friends = _(" with {names}").format(names=", ".join(shown.friends)) if shown.friends else ""
        print(f"{shown.id:>3}  {shown.title}{friends} · {_schedule(shown)} · {when}")
    kept_in_a_row = evening_streak(store, now, ctx.tz)
    if kept_in_a_row:
        print(streak_line(kept_in_a_row))
    return 0


def _checkin(store: EveningStore, args: argparse.Namespace, now: int) -> int:
    from middenweg.evenings.recurrence import occurrences
    from middenweg.history import slipped_seconds
    from middenweg.reference.compare import format_duration

    changes = store.changes()
    candidates: list[Occurrence] = []
    evenings = {evening.id: evening for evening in store.all()}
    for evening in evenings.values():
        if args.id is not None and evening.id != args.id:
            continue
        mine = [c for c in changes if c.evening_id == evening.id]
        candidates += [o for o in occurrences(evening, mine, now - 14 * 86400, now) if o.end <= now + 3600]
    if args.date is not None:
        candidates = [o for o in candidates if o.date == args.date]
    if not candidates:
        raise EveningInputError(_("There is no recent evening to check in for; `middenweg evenings list` shows yours."))
    latest = max(candidates)
    evening = evenings[latest.evening_id]
    slipped = slipped_seconds(store.store.category_totals, evening, latest)
    store.check_in(latest.evening_id, latest.date, args.result, slipped, now)
    messages = {
        "kept": _("Well done: evening {id} of {date} is marked as kept."),
        "partly": _("Evening {id} of {date} is marked as partly kept. Every bit counts."),
        "not": _("Evening {id} of {date} is marked as not kept. Next time is another chance."),
    }
    print(messages[args.result].format(id=latest.evening_id, date=latest.date.isoformat()))
    if slipped >= 60:  # a few seconds of a glance are not worth a sentence (and would read "0 min")
        seen = (
            _("Middenweg recorded {time} of social and messaging apps during it.")
            if evening.kind is EveningKind.PHONE_FREE
            else _("Middenweg recorded {time} of use during it.")
        )
        print(seen.format(time=format_duration(slipped)))
    return 0


def _export(store: EveningStore, path: Path) -> int:
    from middenweg.evenings.ical import to_ics

    data = to_ics(store.all(), store.changes())
    try:
        write_private(path, data)
    except OSError as exc:
        raise EveningInputError(
            _("Cannot write {path}: {problem}.").format(path=path, problem=exc.strerror or exc)
        ) from exc
    print(_("Wrote your evenings to {path}; open it in your calendar app.").format(path=path))
    return 0
