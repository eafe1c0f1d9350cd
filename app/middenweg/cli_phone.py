"""`middenweg phone add|list|remove`: a day's phone time by hand, as the phone's own screen-time screen shows it."""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from middenweg.cli_text import day_in_range
from middenweg.i18n import _

if TYPE_CHECKING:
    from middenweg.bootstrap import Context
    from middenweg.phone_entries import PhoneDay

#: How many days `phone list` shows unless told otherwise.
LIST_DAYS = 14


class PhoneInputError(Exception):
    """A phone command that cannot be carried out as asked; the message says what to do instead."""


def _day(text: str) -> date:
    try:
        return day_in_range(date.fromisoformat(text.strip()), text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-05").format(text=text)
        ) from None


def _duration(text: str) -> int:
    from middenweg.config import parse_duration

    # A bare number would be seconds to parse_duration; a phone's screen says hours and minutes.
    seconds = None if text.strip().isdigit() and text.strip() != "0" else parse_duration(text)
    if seconds is None:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a duration; write it as the phone shows it, such as 3h10m, 45m or 0").format(text=text)
        )
    return seconds


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    phone = sub.add_parser("phone", help=_("enter a day's phone time by hand, as your phone's screen time shows it"))
    actions = phone.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=parser_class)
    add = actions.add_parser("add", help=_("enter (or correct) one day's phone time"))
    add.add_argument("--date", type=_day, metavar=_("DATE"), help=_("the day, YYYY-MM-DD (default: today)"))
    add.add_argument("--total", type=_duration, required=True, metavar=_("DURATION"),
                     help=_("all screen time that day, e.g. 3h10m"))  # fmt: skip
    add.add_argument("--social", type=_duration, default=0, metavar=_("DURATION"),
                     help=_("of which social media, e.g. 1h05m"))  # fmt: skip
    add.add_argument("--messaging", type=_duration, default=0, metavar=_("DURATION"),
                     help=_("of which messaging, e.g. 40m"))  # fmt: skip
    listing = actions.add_parser("list", help=_("show the days entered by hand"))
    listing.add_argument("--days", type=int, default=LIST_DAYS, metavar=_("N"),
                         help=_("how many days back (default: 14)"))  # fmt: skip
    listing.add_argument("--json", action="store_true", help=_("print JSON (schema in README)"))
    remove = actions.add_parser("remove", help=_("delete one day's entry"))
    remove.add_argument("--date", type=_day, required=True, metavar=_("DATE"))


def run(ctx: Context, args: argparse.Namespace) -> int:
    from middenweg import phone_entries
    from middenweg.domain.weeks import local_date

    store, tz = ctx.store(), ctx.tz
    today = local_date(int(ctx.clock.time()), tz)
    if args.action == "add":
        day = args.date or today
        if day > today:
            raise PhoneInputError(_("{date} has not happened yet; enter a day up to today.").format(date=day))
        entry = phone_entries.PhoneDay(day, args.total, args.social, args.messaging)
        try:
            phone_entries.save(store, entry, tz)
        except phone_entries.PhoneEntryError as error:
            raise PhoneInputError(str(error)) from error
        print(_("Phone time of {date} is stored: {line}").format(date=day.isoformat(), line=entry_line(entry)))
        return 0
    if args.action == "remove":
        if not phone_entries.remove(store, args.date, tz):
            raise PhoneInputError(_("There is no phone time entered for {date}.").format(date=args.date.isoformat()))
        print(_("Phone time of {date} is deleted.").format(date=args.date.isoformat()))
        return 0
    if args.days < 1:
        raise PhoneInputError(_("Choose at least 1 day."))
    days = [today - timedelta(days=back) for back in range(args.days - 1, -1, -1)]
    found = phone_entries.entries(store, days, tz)
    if args.json:
        print(json.dumps({"days": [entry.to_json() for entry in found]}, ensure_ascii=False, indent=2))
        return 0
    if not found:
        print(_("No phone time entered in the last {n} days. Enter a day with "
                "`middenweg phone add --total 3h10m --social 1h05m --messaging 40m`.").format(n=args.days))  # fmt: skip
    for entry in found:
        print(f"{entry.date.isoformat()}  {entry_line(entry)}")
    return 0


def entry_line(entry: PhoneDay) -> str:
    """ "3 h 10 min in all, of which social 1 h 5 min and messaging 40 min" """
    from middenweg.reference.compare import format_duration

    return _("{total} in all, of which social {social} and messaging {messaging}").format(
        total=format_duration(entry.total),
        social=format_duration(entry.social),
        messaging=format_duration(entry.messaging),
    )
