"""The words of every reminder and nudge, in the active language. Kind, short, never scolding.

Slip nudges rotate through several wordings so that they do not become wallpaper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from middenweg.domain.evenings import Evening, EveningKind, Occurrence
from middenweg.domain.goals import GoalName
from middenweg.goals.progress import GoalProgress
from middenweg.i18n import N_, _, ngettext
from middenweg.notifications.notifier import Notification
from middenweg.nudges.reminders import Reminder, ReminderKind
from middenweg.reference.compare import format_duration


def _clock(epoch: int, tz: ZoneInfo) -> str:
    return f"{datetime.fromtimestamp(epoch, tz):%H:%M}"


def _what(evening: Evening) -> str:
    if evening.kind is EveningKind.SCREEN_FREE:
        return _("screens")
    return _("phones and chat apps")


def reminder_note(reminder: Reminder, evening: Evening, occurrence: Occurrence) -> Notification:
    tz = ZoneInfo(evening.time_zone)
    start, end = _clock(occurrence.start, tz), _clock(occurrence.end, tz)
    title = evening.title
    with_friends = _(" with {names}").format(names=", ".join(evening.friends)) if evening.friends else ""
    if reminder.kind is ReminderKind.BEFORE and reminder.minutes_before >= 12 * 60:
        day = datetime.fromtimestamp(occurrence.start, tz).date()
        return Notification(
            _("Tomorrow: {title}").format(title=title),
            _("{date}, {start}–{end}{friends}. A good moment to tell people you will be offline.").format(
                date=day.isoformat(), start=start, end=end, friends=with_friends
            ),
            "low",
        )
    if reminder.kind is ReminderKind.BEFORE:
        return Notification(
            ngettext("{title} starts in {n} minute", "{title} starts in {n} minutes", reminder.minutes_before).format(
                title=title, n=reminder.minutes_before
            )
            if reminder.minutes_before < 60
            else _("{title} starts at {start}").format(title=title, start=start),
            _("Charge your phone in another room and tell your friends you are offline until {end}.").format(end=end)
            if evening.kind is EveningKind.PHONE_FREE
            else _("Finish what you are doing on screen; from {start} to {end} the screens stay off.").format(
                start=start, end=end
            ),
        )
    if reminder.kind is ReminderKind.START:
        return Notification(
            _("{title} starts now").format(title=title),
            _("Put away {what} until {end}{friends}. Enjoy your evening!").format(
                what=_what(evening), end=end, friends=with_friends
            ),
        )
    if reminder.kind is ReminderKind.END:
        return Notification(
            _("Well done: {title} is over").format(title=title),
            _("Tomorrow morning Middenweg asks how it went."),
            "low",
        )
    return Notification(
        _("How did your evening go?"),
        _("{title} of {date}: kept, partly, or not? Open Middenweg from the tray to check in.").format(
            title=title, date=occurrence.date.isoformat()
        ),
    )


_SLIP_WORDINGS = (
    (N_("Your evening is still on"), N_("{title} lasts until {end}. The messages will wait for you.")),
    (N_("A gentle reminder"), N_("You planned {title} until {end}. Perhaps close this for now?")),
    (N_("Still {left} to go"), N_("{title} is on until {end}. How about a walk, a book or a game instead?")),
    (N_("Offline for a little longer"), N_("{title}: you are doing this for yourself. It ends at {end}.")),
)
_SCREEN_WORDINGS = (
    (N_("Your screen-free evening is still on"), N_("{title} lasts until {end}. The computer will wait for you.")),
    (N_("A gentle reminder"), N_("You planned {title} without screens until {end}. Perhaps switch off for now?")),
    (N_("Still {left} to go"), N_("{title} is on until {end}. How about a walk, a book or a game instead?")),
)


def slip_note(evening: Evening, occurrence: Occurrence, count: int, now: int) -> Notification:
    """The ``count``-th slip nudge of this evening (0 = the first)."""
    wordings = _SCREEN_WORDINGS if evening.kind is EveningKind.SCREEN_FREE else _SLIP_WORDINGS
    title, body = wordings[count % len(wordings)]
    end = _clock(occurrence.end, ZoneInfo(evening.time_zone))
    left = format_duration(max(60, occurrence.end - now))
    return Notification(_(title).format(left=left), _(body).format(title=evening.title, end=end, left=left), "low")


_GOAL_NAMES = {
    GoalName.WEEKLY_SOCIAL: N_("your weekly limit for social media"),
    GoalName.WEEKLY_MESSAGING: N_("your weekly limit for messaging"),
    GoalName.WEEKLY_TOTAL: N_("your weekly limit for social media and messaging"),
    GoalName.DAILY_TOTAL: N_("today's limit for social media and messaging"),
}


def goal_note(progress: GoalProgress, threshold: int) -> Notification:
    what = _(_GOAL_NAMES[progress.goal.name])
    used, limit = format_duration(progress.used), format_duration(progress.goal.value)
    if threshold >= 100:
        return Notification(
            _("You have reached {what}").format(what=what),
            _("{used} of {limit}. Time for something offline?").format(used=used, limit=limit),
        )
    return Notification(
        _("{percent} % of {what}").format(percent=threshold, what=what),
        _("{used} of {limit} so far. Good to know before it is all used.").format(used=used, limit=limit),
        "low",
    )


@dataclass(frozen=True, slots=True)
class WeekSummary:
    """Last week in a few numbers, for the summary notification and the dashboard."""

    week_number: int
    seconds: int  # social and messaging
    previous_seconds: int
    evenings_kept: int
    streak: int
    reference: str  # one sentence with the source's figure for the user's age group


def summary_note(summary: WeekSummary) -> Notification:
    return Notification(
        _("Your week {number} in short").format(number=summary.week_number), summary_text(summary), "low"
    )


def summary_text(summary: WeekSummary) -> str:
    change = summary.seconds - summary.previous_seconds
    if summary.previous_seconds == 0 and summary.seconds == 0:
        compared = ""
    elif abs(change) < 60:
        compared = _(" (about the same as the week before)")
    elif change < 0:
        compared = _(" ({delta} less than the week before)").format(delta=format_duration(-change))
    else:
        compared = _(" ({delta} more than the week before)").format(delta=format_duration(change))
    lines = [
        _("Social media and messaging: {time}{compared}.").format(
            time=format_duration(summary.seconds), compared=compared
        ),
        _("Phone-free evenings kept: {n}; streak: {streak}.").format(n=summary.evenings_kept, streak=summary.streak),
        summary.reference,
    ]
    return "\n".join(line for line in lines if line)


def phone_note() -> Notification:
    return Notification(
        _("Your phone's screen time today"),
        _("Open the screen-time screen on your phone and enter today's numbers in Middenweg (Add phone time)."),
        "low",
    )
