"""The scheduler: evening reminders, slip nudges, goal nudges and the weekly summary, delivered once each.

It computes the next due moment from the data and the clock it is given; the driver (a single-shot QTimer in the
tray app, the tick loop of ``track --headless``) wakes it then, and asks again after a suspend or a clock change
(``ClockWatch``) and at least every minute (evenings planned meanwhile from the command line). Every delivered
reminder, nudge and summary is recorded in the database before the next one is considered, so nothing is shown
twice, also across restarts; quiet hours hold back goal and slip nudges, never the evening reminders.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from middenweg import phone_entries
from middenweg.clock import Clock
from middenweg.config import Settings
from middenweg.domain.categories import Category
from middenweg.domain.evenings import Evening, EveningChange, Occurrence
from middenweg.domain.weeks import IsoWeek, local_date
from middenweg.evenings.recurrence import occurrence_on, validate
from middenweg.goals.progress import GoalProgress, evenings_kept
from middenweg.history import evening_streak, goals_progress, weekly_report
from middenweg.notifications.notifier import Notification
from middenweg.nudges import texts
from middenweg.nudges.goal_limits import goal_nudges_due
from middenweg.nudges.phone_reminder import next_phone_reminder, phone_key, phone_reminder_due
from middenweg.nudges.quiet_hours import in_quiet_hours
from middenweg.nudges.reminders import LOOKBACK, ReminderKind, due_reminders, next_wakeup
from middenweg.nudges.slips import current_evening, is_slip, slip_nudge_due, slip_prefix
from middenweg.nudges.weekly_summary import next_summary, summary_due, summary_key
from middenweg.reference.compare import comparison_sentence
from middenweg.storage.errors import StorageError
from middenweg.storage.evening_store import EveningStore
from middenweg.storage.goal_store import DeliveredLedger, GoalStore
from middenweg.storage.store import Store
from middenweg.tracking.sampler import TickResult, TrackState

log = logging.getLogger(__name__)

#: How stale the cached evenings may get (an evening planned from the command line shows up within this).
REFRESH = 60
#: How often goal progress is re-read while social or messaging apps are in use.
GOAL_CHECK = 60


@dataclass
class _Plans:
    evenings: list[Evening]
    changes: list[EveningChange]
    read_at: int


class Scheduler:
    """``notify`` shows a notification (the notifier chain); ``on_checkin`` (the GUI) may open the check-in."""

    def __init__(
        self,
        store: Store,
        settings: Callable[[], Settings],
        tz: Callable[[], ZoneInfo],
        notify: Callable[[Notification], object],
        *,
        on_checkin: Callable[[int, date], object] | None = None,
        on_phone: Callable[[date], object] | None = None,
    ) -> None:
        self.store, self._settings, self._tz, self._notify = store, settings, tz, notify
        self.on_checkin, self.on_phone = on_checkin, on_phone
        self.evening_store, self.goal_store = EveningStore(store), GoalStore(store)
        self.ledger = DeliveredLedger(store)
        self._plans: _Plans | None = None
        self._unusable: set[int] = set()  # evenings already logged as impossible to plan
        self._goals_checked_at: int | None = None

    # -- the data, read again at most every REFRESH seconds ------------------------------------------------------

    def invalidate(self) -> None:
        """Evenings or goals changed here (the GUI): read them again at the next question."""
        self._plans = None
        self._goals_checked_at = None

    def plans(self, now: int) -> tuple[list[Evening], list[EveningChange]]:
        """The evenings that can be planned (one that cannot, e.g. with a time zone this computer does not know, is
        left out and logged: `middenweg evenings list` says what is wrong) and their skips and moves."""
        if self._plans is None or not 0 <= now - self._plans.read_at < REFRESH:
            usable = []
            for evening in self.evening_store.all():
                problems = validate(evening)
                if problems:
                    if evening.id not in self._unusable:
                        log.warning("Evening %s gets no reminders: %s", evening.id, " ".join(problems))
                    self._unusable.add(evening.id)
                else:
                    usable.append(evening)
            self._plans = _Plans(usable, self.evening_store.changes(), now)
        return self._plans.evenings, self._plans.changes

    def _delivered(self, now: int) -> set[str]:
        return self.ledger.keys(since=now - LOOKBACK - 86400)

    # -- timing --------------------------------------------------------------------------------------------------

    def next_wakeup(self, now: int) -> int | None:
        """The next moment something may be due: a reminder or the weekly summary (slips come with activity)."""
        evenings, changes = self.plans(now)
        delivered = self._delivered(now)
        moments = [next_wakeup(evenings, changes, delivered, now)]
        settings = self._settings()
        if summary_due(now, self._tz(), settings.weekly_summary, delivered) is not None:
            moments.append(now)
        moments.append(next_summary(now, self._tz(), settings.weekly_summary))
        if phone_reminder_due(now, self._tz(), settings.phone_reminder, delivered) is not None:
            moments.append(now)
        moments.append(next_phone_reminder(now, self._tz(), settings.phone_reminder))
        return min((m for m in moments if m is not None), default=None)

    def fire_due(self, now: int) -> int:
        """Show everything due at ``now`` (each recorded at once); how many notifications were shown."""
        evenings, changes = self.plans(now)
        by_id = {evening.id: evening for evening in evenings}
        delivered = self._delivered(now)
        shown = 0
        answered: dict[tuple[int, date], str] | None = None
        for reminder in due_reminders(evenings, changes, delivered, now):
            evening = by_id[reminder.evening_id]
            occurrence = occurrence_on(evening, changes, reminder.date)
            if occurrence is None:
                continue
            if reminder.kind is ReminderKind.CHECKIN:
                answered = self.evening_store.checkins() if answered is None else answered
                if (evening.id, reminder.date) in answered:  # already told (the Evenings page, the CLI): no question
                    self.ledger.add([reminder.key], now)
                    continue
            self.ledger.add([reminder.key], now)  # recorded first: a crash while showing never repeats it
            self._notify(texts.reminder_note(reminder, evening, occurrence))
            shown += 1
            if reminder.kind is ReminderKind.CHECKIN and self.on_checkin is not None:
                self.on_checkin(evening.id, reminder.date)
        settings = self._settings()
        week = summary_due(now, self._tz(), settings.weekly_summary, delivered)
        if week is not None:
            self.ledger.add([summary_key(week)], now)
            summary = self.week_summary(week, now)
            if summary.seconds or summary.previous_seconds or summary.evenings_kept:  # else: nothing to tell yet
                self._notify(texts.summary_note(summary))
                shown += 1
        day = phone_reminder_due(now, self._tz(), settings.phone_reminder, delivered)
        if day is not None:
            self.ledger.add([phone_key(day)], now)
            if not phone_entries.entries(self.store, [day], self._tz()):  # entered already: no need to ask
                self._notify(texts.phone_note())
                shown += 1
                if self.on_phone is not None:
                    self.on_phone(day)
        return shown

    # -- what the tracker sees -----------------------------------------------------------------------------------

    def observe(self, now: int, category: Category | None) -> None:
        """Called with each tracking tick: ``category`` of what is in use now, None when nothing is (away, paused)."""
        if category is None:
            return
        quiet = in_quiet_hours(now, self._tz(), self._settings().quiet_hours)
        evenings, changes = self.plans(now)
        on = current_evening(evenings, changes, now)
        if on is not None and not quiet and is_slip(on[0].kind, category):
            self._slip(now, *on)
        stale = self._goals_checked_at is None or not 0 <= now - self._goals_checked_at < GOAL_CHECK
        if category in (Category.SOCIAL, Category.MESSAGING) and not quiet and stale:
            self._goals_checked_at = now
            self._check_goals(now)

    def _slip(self, now: int, evening: Evening, occurrence: Occurrence) -> None:
        prefix = slip_prefix(occurrence)
        if not slip_nudge_due(self.ledger.last(prefix), now):
            return
        count = self.ledger.count(prefix)
        self.ledger.add([f"{prefix}{count + 1}"], now)
        self._notify(texts.slip_note(evening, occurrence, count, now))

    def _check_goals(self, now: int) -> None:
        delivered = self.ledger.keys(since=now - 8 * 86400)
        for progress, threshold, keys in goal_nudges_due(self.goal_progress(now), delivered):
            self.ledger.add(keys, now)
            self._notify(texts.goal_note(progress, threshold))

    # -- facts for the texts, the tray and the dashboard -------------------------------------------------------

    def current_evening(self, now: int) -> tuple[Evening, Occurrence] | None:
        evenings, changes = self.plans(now)
        return current_evening(evenings, changes, now)

    def goal_progress(self, now: int) -> list[GoalProgress]:
        today = local_date(now, self._tz())
        return goals_progress(self.store, self.goal_store.all(), IsoWeek.containing(today), today, self._tz())

    def week_summary(self, week: IsoWeek, now: int) -> texts.WeekSummary:
        report = weekly_report(self.store, week, self._tz(), self._settings().age_group)
        seconds = report.totals.online
        return texts.WeekSummary(
            week_number=week.week,
            seconds=seconds,
            previous_seconds=report.previous_week_totals.online,
            evenings_kept=evenings_kept(self.evening_store.checkins(), week),
            streak=evening_streak(self.evening_store, now, self._tz()),
            reference=comparison_sentence(report.reference, seconds, week.week, report.scope),
        )


class ClockWatch:
    """Notices a suspend or a clock change: the wall clock moving away from the monotonic one by more than 2 s."""

    TOLERANCE = 2.0

    def __init__(self) -> None:
        self._offset: float | None = None

    def jumped(self, wall: float, mono: float) -> bool:
        offset = wall - mono
        changed = self._offset is not None and abs(offset - self._offset) > self.TOLERANCE
        self._offset = offset
        return changed


def category_in_use(result: TickResult) -> Category | None:
    """What the user is using at this tick, or None when they are away, locked or paused."""
    if result.state is TrackState.RECORDING and result.sample is not None:
        return result.sample.category
    return None


class TickPacer:
    """The scheduler in ``track --headless``: its loop ticks every second anyway, so the "timer" is a due time
    checked at each tick; a clock jump or a minute without a look makes it compute the due time again."""

    def __init__(self, scheduler: Scheduler, clock: Clock) -> None:
        self.scheduler, self.clock = scheduler, clock
        self.watch = ClockWatch()
        self.due_at: int | None = None
        self._looked_at: int | None = None

    def on_tick(self, result: TickResult) -> None:
        now = int(self.clock.time())
        if self.watch.jumped(self.clock.time(), self.clock.monotonic()):
            self.scheduler.invalidate()
            self._looked_at = None
        stale = self._looked_at is None or not 0 <= now - self._looked_at < REFRESH
        try:
            if stale or (self.due_at is not None and now >= self.due_at):
                self.scheduler.fire_due(now)
                self.due_at = self.scheduler.next_wakeup(now)
                self._looked_at = now
            self.scheduler.observe(now, category_in_use(result))
        except StorageError as error:  # a locked database: the next look is a minute away
            log.warning("Reminders and nudges wait: %s", error)
            self._looked_at = now
