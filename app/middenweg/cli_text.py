"""How the CLI shows a weekly report and durations as text, in the active language."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from middenweg.domain import lengths
from middenweg.domain.categories import CATEGORY_ORDER, Category
from middenweg.i18n import N_, _
from middenweg.privacy import clean_text
from middenweg.reference.compare import comparison_sentence
from middenweg.reports.weekly import WeeklyReport

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
#: Full weekday names, Monday first: for screen readers, spoken summaries and choices in a list.
WEEKDAY_NAMES = (
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"),
)  # fmt: skip
MONTHS = (
    N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
    N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"),
)  # fmt: skip
CATEGORY_NAMES = {
    Category.SOCIAL: N_("Social"),
    Category.MESSAGING: N_("Messaging"),
    Category.OTHER: N_("Other"),
}


#: The days the command line takes: Middenweg keeps time from 1970 on, and a day at the very end of the calendar
#: (the year 9999) has no next day or week to count to.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(9998, 12, 31)


def day_in_range(day: date, text: str) -> date:
    """``day`` (typed as ``text``) for an argparse type, or an ArgumentTypeError when it is out of range."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            _("{text!r} is too far away; give a day in the years 1970 to 9998").format(text=text)
        )
    return day


def file_to_write(text: str) -> Path:
    """An argparse type for a file the command writes: a path that ends in a file name."""
    path = Path(text)
    if path.name in ("", ".", ".."):
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a file name; give the file to write, e.g. week.csv").format(text=text)
        )
    return path


def short_date(day: date) -> str:
    return f"{_(WEEKDAYS[day.weekday()])} {day.day} {_(MONTHS[day.month - 1])}"


def hours_minutes(seconds: int) -> str:
    """ "3:05" for 3 h 5 min; minutes are rounded to the nearest whole minute."""
    minutes = (seconds + 30) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"


def signed_percent(value: float | None) -> str:
    return "–" if value is None else f"{value:+.0f}%"


def render_report(report: WeeklyReport, current: bool = True) -> str:
    days = report.days
    span = f"{short_date(days[0].date)} – {short_date(days[-1].date)} {days[-1].date.year}"
    lines = [_("Week {week} · {span} · {zone}").format(week=report.week, span=span, zone=report.timezone), ""]
    width = 16
    header = _("hours:minutes").ljust(width) + "".join(_(CATEGORY_NAMES[c]).rjust(12) for c in CATEGORY_ORDER)
    lines.append(header)
    for day in days:
        cells = "".join(hours_minutes(day.seconds.get(c)).rjust(12) for c in CATEGORY_ORDER)
        lines.append(short_date(day.date).ljust(width) + cells)
    lines.append("-" * len(header))
    lines.append(
        _("This week").ljust(width) + "".join(hours_minutes(report.totals.get(c)).rjust(12) for c in CATEGORY_ORDER)
    )
    lines.append(
        _("Previous week").ljust(width)
        + "".join(hours_minutes(report.previous_week_totals.get(c)).rjust(12) for c in CATEGORY_ORDER)
    )
    change = report.change_percent
    lines.append(_("Change").ljust(width) + "".join(signed_percent(change[c.value]).rjust(12) for c in CATEGORY_ORDER))
    lines.append("")
    if report.top_apps:
        lines.append(_("Top apps and sites"))
        for category in CATEGORY_ORDER:
            apps = [a for a in report.top_apps if a.category is category]
            if apps:
                listed = ", ".join(f"{a.label} {hours_minutes(a.seconds)}" for a in apps)
                lines.append(f"  {_(CATEGORY_NAMES[category]).ljust(11)}{listed}")
    else:
        lines.append(_("Nothing recorded this week yet."))
    lines.append("")
    lines.append(
        comparison_sentence(report.reference, report.totals.online, None if current else report.week.week, report.scope)
    )
    lines.append(report.reference.caveat)
    return "\n".join(lines)


def friend_names(text: str) -> tuple[str, ...]:
    """The names in "Sanne, Joris": cleaned like titles (no control characters), each at most a title long."""
    return tuple(name for part in text.split(",") if (name := clean_text(part, lengths.EVENING_TITLE)))
