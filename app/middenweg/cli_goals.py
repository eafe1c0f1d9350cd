"""`middenweg goals ...`: set offline goals and see this week's progress against them.

Reads and writes only through ``GoalStore`` and ``history``; a bad value is refused before anything is written.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from middenweg.domain.goals import Goal, GoalName
from middenweg.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from middenweg.bootstrap import Context
    from middenweg.goals.progress import GoalProgress
    from middenweg.storage.goal_store import GoalStore

MAX_WEEKLY_HOURS = 168
MAX_DAILY_HOURS = 24
MAX_EVENINGS = 7
#: What a goal option's type returns for "off": no limit or target is ever 0, so 0 cannot mean anything else.
OFF = 0

GOAL_LABELS = {
    GoalName.WEEKLY_SOCIAL: N_("Social apps"),
    GoalName.WEEKLY_MESSAGING: N_("Messaging apps"),
    GoalName.WEEKLY_TOTAL: N_("Social and messaging"),
    GoalName.DAILY_TOTAL: N_("Social and messaging"),
    GoalName.EVENINGS_PER_WEEK: N_("Phone-free evenings"),
}


class GoalInputError(Exception):
    """A goals command that cannot be carried out as asked; the message says what to do instead."""


def _is_off(text: str) -> bool:
    return text.strip().lower() == "off"


def _limit(text: str, most_hours: int, out_of_range: str) -> int:
    from middenweg.config import parse_duration

    if _is_off(text):
        return OFF
    # A bare number would be seconds to parse_duration; nobody means a five-second weekly limit.
    seconds = None if text.strip().isdigit() else parse_duration(text)
    if seconds is None:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a duration; write a duration such as 5h or 1h30m, or off").format(text=text)
        )
    if not 0 < seconds <= most_hours * 3600:
        raise argparse.ArgumentTypeError(out_of_range.format(text=text, hours=most_hours))
    return seconds


def _weekly_limit(text: str) -> int:
    return _limit(text, MAX_WEEKLY_HOURS, _("{text!r} is not a weekly limit; choose more than 0 and at most {hours} h, "
                                            "such as 5h or 1h30m, or off"))  # fmt: skip


def _daily_limit(text: str) -> int:
    return _limit(text, MAX_DAILY_HOURS, _("{text!r} is not a daily limit; choose more than 0 and at most {hours} h, "
                                           "such as 1h or 1h30m, or off"))  # fmt: skip


def _evenings(text: str) -> int:
    if _is_off(text):
        return OFF
    try:
        count = int(text.strip())
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_EVENINGS:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a number of evenings; choose 1 to {most}, or off").format(text=text, most=MAX_EVENINGS)
        )
    return count


_OPTIONS = {
    GoalName.WEEKLY_SOCIAL: _weekly_limit,
    GoalName.WEEKLY_MESSAGING: _weekly_limit,
    GoalName.WEEKLY_TOTAL: _weekly_limit,
    GoalName.DAILY_TOTAL: _daily_limit,
    GoalName.EVENINGS_PER_WEEK: _evenings,
}


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    goals = sub.add_parser("goals", help=_("set offline goals and see how far you are"))
    actions = goals.add_subparsers(dest="action", metavar=_("ACTION"), required=True, parser_class=parser_class)
    setp = actions.add_parser("set", help=_("set or switch off goals (a value of off switches a goal off)"))
    helps = {
        GoalName.WEEKLY_SOCIAL: _("most time in social apps per week, e.g. 5h"),
        GoalName.WEEKLY_MESSAGING: _("most time in messaging apps per week, e.g. 3h"),
        GoalName.WEEKLY_TOTAL: _("most time in social and messaging apps together per week, e.g. 7h"),
        GoalName.DAILY_TOTAL: _("most time in social and messaging apps together per day, e.g. 1h30m"),
        GoalName.EVENINGS_PER_WEEK: _("phone-free evenings to keep per week, 1 to 7"),
    }
    for name, parse in _OPTIONS.items():
        metavar = _("N") if name is GoalName.EVENINGS_PER_WEEK else _("DURATION")
        setp.add_argument(f"--{name.value}", dest=name.value, type=parse, metavar=metavar, help=helps[name])
    show = actions.add_parser("show", help=_("show this week's progress against your goals"))
    show.add_argument("--json", action="store_true", help=_("print JSON (schema in README)"))


def run(ctx: Context, args: argparse.Namespace) -> int:
    from middenweg.storage.goal_store import GoalStore

    store = GoalStore(ctx.store())
    if args.action == "set":
        return _set(store, args, int(ctx.clock.time()))
    return _show(ctx, store.all(), json_output=args.json)


def _set(store: GoalStore, args: argparse.Namespace, now: int) -> int:
    chosen = {name: getattr(args, name.value) for name in GoalName if getattr(args, name.value) is not None}
    if not chosen:
        raise GoalInputError(
            _("Say which goal to set, e.g. `middenweg goals set --weekly-total 7h`; "
              "`middenweg goals set --help` lists them all.")
        )  # fmt: skip
    store.set(
        [Goal(name, value) for name, value in chosen.items() if value != OFF],
        [name for name, value in chosen.items() if value == OFF],
        now,
    )
    goals = store.all()
    if not goals:
        print(_("You have no goals now."))
        print(no_goals_hint())
        return 0
    print(_("Your goals:"))
    for goal in goals:
        print("  " + describe(goal))
    return 0


def describe(goal: Goal) -> str:
    """A goal as a sentence: "Social and messaging: at most 7 h a week"."""
    from middenweg.reference.compare import format_duration

    label = _(GOAL_LABELS[goal.name])
    if not goal.is_limit:
        return _("{label}: {n} a week").format(label=label, n=goal.value)
    if goal.daily:
        return _("{label}: at most {limit} a day").format(label=label, limit=format_duration(goal.value))
    return _("{label}: at most {limit} a week").format(label=label, limit=format_duration(goal.value))


def progress_line(progress: GoalProgress) -> str:
    """ "Social and messaging this week: 4 h 12 min of 7 h (60 %)", or the evenings kept of the target."""
    from middenweg.reference.compare import format_duration

    goal = progress.goal
    if not goal.is_limit:
        return _("Phone-free evenings kept this week: {kept} of {target}").format(kept=progress.used, target=goal.value)
    template = (
        _("{label} today: {used} of {limit} ({percent} %)")
        if goal.daily
        else _("{label} this week: {used} of {limit} ({percent} %)")
    )
    return template.format(
        label=_(GOAL_LABELS[goal.name]),
        used=format_duration(progress.used),
        limit=format_duration(goal.value),
        percent=round(progress.fraction * 100),
    )


def streak_line(count: int) -> str:
    return ngettext("Streak: {n} evening kept in a row.", "Streak: {n} evenings kept in a row.", count).format(n=count)


def no_goals_hint() -> str:
    return _(
        "Set a goal with `middenweg goals set --weekly-total 7h` (social and messaging together) "
        "or `middenweg goals set --evenings-per-week 2`."
    )


def _show(ctx: Context, goals: list[Goal], *, json_output: bool) -> int:
    from middenweg.domain.weeks import local_date
    from middenweg.history import current_week, evening_streak, goals_progress
    from middenweg.storage.evening_store import EveningStore

    now, tz = ctx.clock.time(), ctx.tz
    store = ctx.store()
    week = current_week(now, tz)
    progress = goals_progress(store, goals, week, local_date(int(now), tz), tz)
    kept_in_a_row = evening_streak(EveningStore(store), now, tz)
    if json_output:
        data = {"week": str(week), "goals": [p.to_json() for p in progress], "streak": kept_in_a_row}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if not goals:
        print(_("You have no goals yet.") + " " + no_goals_hint())
    for entry in progress:
        print(progress_line(entry))
    if kept_in_a_row or any(not goal.is_limit for goal in goals):
        print(streak_line(kept_in_a_row))
    return 0
