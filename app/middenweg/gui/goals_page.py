"""The dashboard's Goals page: set weekly and daily limits and an evenings target, and see this week's progress.

Each goal has a check box that switches it on or off and its value beside it; Save goals writes them all through
``GoalStore.set`` at once. Progress is shown for the goals as stored (not the unsaved form) as bars with their text
("4 h 12 min of 7 h") and a sentence below each, so a passed limit reads in words, not only in a colour. The week
and the day are cut at local midnight in the person's time zone. Nothing is written without Save goals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from middenweg.domain.categories import Category
from middenweg.domain.goals import Goal, GoalName
from middenweg.domain.weeks import IsoWeek, day_boundaries, local_date
from middenweg.goals.progress import GoalProgress, evenings_kept, goal_progress
from middenweg.gui.evenings_page import heading
from middenweg.gui.widgets import plain, show_error, wrapped_label
from middenweg.i18n import N_, _, ngettext
from middenweg.reference.compare import format_duration
from middenweg.storage.errors import StorageError
from middenweg.storage.evening_store import EveningStore
from middenweg.storage.goal_store import GoalStore

GOAL_LABELS = {
    GoalName.WEEKLY_SOCIAL: N_("Social &apps, per week"),
    GoalName.WEEKLY_MESSAGING: N_("&Messaging apps, per week"),
    GoalName.WEEKLY_TOTAL: N_("Social and messaging &together, per week"),
    GoalName.DAILY_TOTAL: N_("Social and messaging, per &day"),
    GoalName.EVENINGS_PER_WEEK: N_("&Evenings kept, per week"),
}
#: What a goal starts at when it is switched on for the first time: seconds, or evenings.
STARTING_VALUES = {
    GoalName.WEEKLY_SOCIAL: 5 * 3600,
    GoalName.WEEKLY_MESSAGING: 3 * 3600,
    GoalName.WEEKLY_TOTAL: 7 * 3600,
    GoalName.DAILY_TOTAL: 3600,
    GoalName.EVENINGS_PER_WEEK: 2,
}
MOST_WEEKLY_HOURS = 7 * 24
MOST_DAILY_HOURS = 24
MOST_EVENINGS = 7
#: The bar's colour for a passed limit (the sentence below says it too).
PASSED_COLOUR = QColor("#c0392b")


@dataclass(frozen=True, slots=True)
class GoalRow:
    """The controls of one goal: its switch, its value (hours and minutes, or a count) and its progress."""

    name: GoalName
    switch: QCheckBox
    hours: QSpinBox
    minutes: QSpinBox | None  # None for the evenings target, whose value is the count in ``hours``
    bar_label: QLabel
    bar: QProgressBar
    words: QLabel

    def value(self) -> int:
        if self.minutes is None:
            return self.hours.value()
        return self.hours.value() * 3600 + self.minutes.value() * 60

    def set_value(self, value: int) -> None:
        if self.minutes is None:
            self.hours.setValue(value)
        else:
            self.hours.setValue(value // 3600)
            self.minutes.setValue(value % 3600 // 60)


class GoalsPage(QWidget):
    """The Goals section. ``changed`` is emitted after the goals were saved."""

    changed = Signal()

    def __init__(
        self,
        goals: GoalStore,
        evenings: EveningStore,
        *,
        now: Callable[[], int],
        tz: Callable[[], ZoneInfo],
        totals: Callable[[int, int], Mapping[Category, int]],
        last_week: Callable[[], tuple[IsoWeek, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._goals, self._evenings, self._now, self._tz, self._totals = goals, evenings, now, tz, totals
        self._last_week = last_week
        self._loading = False
        self.dirty = False
        self.progress: list[GoalProgress] = []

        self.intro = wrapped_label("")
        self.goals_heading = heading()
        grid = QGridLayout()
        self.rows: dict[GoalName, GoalRow] = {}
        progress_grid = QGridLayout()
        for index, name in enumerate(GoalName):
            switch = QCheckBox()
            hours = QSpinBox()
            minutes = None if name is GoalName.EVENINGS_PER_WEEK else QSpinBox()
            if minutes is None:
                hours.setRange(1, MOST_EVENINGS)
                hours.valueChanged.connect(self._evenings_suffix)
            else:
                hours.setRange(0, MOST_DAILY_HOURS if name is GoalName.DAILY_TOTAL else MOST_WEEKLY_HOURS)
                minutes.setRange(0, 59)
                minutes.setSingleStep(5)
                hours.valueChanged.connect(lambda _value, n=name: self._limit_minutes(n))
                minutes.valueChanged.connect(self._edited)
            hours.valueChanged.connect(self._edited)
            switch.toggled.connect(lambda _checked, n=name: self._switched(n))
            bar = QProgressBar()
            bar.setTextVisible(True)
            row = GoalRow(name, switch, hours, minutes, QLabel(), bar, wrapped_label(""))
            self.rows[name] = row
            grid.addWidget(switch, index, 0)
            grid.addWidget(hours, index, 1)
            if minutes is not None:
                grid.addWidget(minutes, index, 2)
            progress_grid.addWidget(row.bar_label, 2 * index, 0)
            progress_grid.addWidget(bar, 2 * index, 1)
            progress_grid.addWidget(row.words, 2 * index + 1, 1)
        grid.setColumnStretch(3, 1)
        progress_grid.setColumnStretch(1, 1)

        self.problems = wrapped_label("")
        self.problems.setStyleSheet("font-weight: bold;")
        self.save_button = QPushButton()
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.status = wrapped_label("")
        save_row = QHBoxLayout()
        save_row.addWidget(self.status, 1)
        save_row.addWidget(self.save_button)

        self.progress_heading = heading()
        self.no_goals = wrapped_label("")
        self.summary_heading = heading()
        self.summary = wrapped_label("", selectable=True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.goals_heading)
        layout.addLayout(grid)
        layout.addWidget(self.problems)
        layout.addLayout(save_row)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(self.progress_heading)
        layout.addWidget(self.no_goals)
        layout.addLayout(progress_grid)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(self.summary_heading)
        layout.addWidget(self.summary)
        self.summary_heading.setVisible(last_week is not None)
        self.summary.setVisible(last_week is not None)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        """Every fixed text in the active language (called again when the language setting changes)."""
        self.intro.setText(
            _(
                "Limits count the time this computer measured in social and messaging apps. The evenings target "
                "counts the evenings you checked in as kept or partly kept. Tick a goal to switch it on."
            )
        )
        self.goals_heading.setText(_("Your goals"))
        for row in self.rows.values():
            label = _(GOAL_LABELS[row.name])
            row.switch.setText(label)
            row.switch.setAccessibleName(plain(label))
            row.bar_label.setText(plain(label))
            row.bar.setAccessibleName(plain(label))
            if row.minutes is None:
                self._evenings_suffix(row.hours.value())
                row.hours.setAccessibleName(_("{goal}: number of evenings").format(goal=plain(label)))
            else:
                row.hours.setSuffix(_(" h"))
                row.minutes.setSuffix(_(" min"))
                row.hours.setAccessibleName(_("{goal}: hours").format(goal=plain(label)))
                row.minutes.setAccessibleName(_("{goal}: minutes").format(goal=plain(label)))
        self.problems.setAccessibleName(_("Problems with your goals"))
        self.save_button.setText(_("&Save goals"))
        self.save_button.setAccessibleName(plain(self.save_button.text()))
        self.status.setAccessibleName(_("Goals status"))
        self.progress_heading.setText(_("This week so far"))
        self.no_goals.setText(_("No goals yet. Tick one above, choose a value and press Save goals."))
        self.refresh()

    # --- the form ---

    def refresh(self) -> None:
        """Show the stored goals (unless the form has unsaved changes) and their progress now."""
        try:
            stored = self._goals.all()
        except StorageError as error:
            self.status.setText(str(error))
            return
        if not self.dirty:
            self._show(stored)
        self._show_progress(stored)
        self._show_last_week()

    def _show_last_week(self) -> None:
        """Last week in short: the same words as the weekly summary notification."""
        if self._last_week is None:
            return
        try:
            week, text = self._last_week()
        except StorageError as error:
            self.summary.setText(str(error))
            return
        self.summary_heading.setText(_("Last week (week {number}) in short").format(number=week.week))
        self.summary.setAccessibleName(plain(self.summary_heading.text()))
        self.summary.setText(text)

    def _show(self, goals: list[Goal]) -> None:
        values = {goal.name: goal.value for goal in goals}
        self._loading = True
        try:
            for name, row in self.rows.items():
                row.switch.setChecked(name in values)
                row.set_value(values.get(name, STARTING_VALUES[name]))
                self._limit_minutes(name)
                self._enable(row)
        finally:
            self._loading = False
        self._check()

    def _evenings_suffix(self, count: int) -> None:
        self.rows[GoalName.EVENINGS_PER_WEEK].hours.setSuffix(ngettext(" evening", " evenings", count))

    def _enable(self, row: GoalRow) -> None:
        on = row.switch.isChecked()
        row.hours.setEnabled(on)
        if row.minutes is not None:
            row.minutes.setEnabled(on)

    def _limit_minutes(self, name: GoalName) -> None:
        """A daily limit goes up to 24 h 0 min, a weekly one to 168 h 0 min."""
        row = self.rows[name]
        if row.minutes is not None:
            row.minutes.setMaximum(0 if row.hours.value() == row.hours.maximum() else 59)

    def _switched(self, name: GoalName) -> None:
        self._enable(self.rows[name])
        self._edited()

    def _edited(self) -> None:
        if self._loading:
            return
        self.dirty = True
        self.status.setText(_("Not saved yet."))
        self._check()

    def problem_texts(self) -> list[str]:
        """What keeps the goals from being saved: a limit switched on at 0 min."""
        return [
            _("Choose more than 0 min for “{goal}”, or switch it off.").format(goal=plain(_(GOAL_LABELS[row.name])))
            for row in self.rows.values()
            if row.switch.isChecked() and row.value() <= 0
        ]

    def _check(self) -> None:
        found = self.problem_texts()
        self.problems.setText("\n".join(found))
        self.problems.setVisible(bool(found))
        self.save_button.setEnabled(self.dirty and not found)

    def chosen(self) -> tuple[list[Goal], list[GoalName]]:
        """The goals switched on with their values, and the names switched off."""
        on = [Goal(row.name, row.value()) for row in self.rows.values() if row.switch.isChecked()]
        off = [row.name for row in self.rows.values() if not row.switch.isChecked()]
        return on, off

    def save(self) -> None:
        """Write every goal at once: the ones switched on with their values, the others off."""
        if self.problem_texts():
            self._check()
            return
        goals, cleared = self.chosen()
        try:
            self._goals.set(goals, cleared, self._now())
        except StorageError as error:
            show_error(self, _("Goals not saved"), str(error))
            return
        self.dirty = False
        self.status.setText(_("Your goals are saved.") if goals else _("All goals are off now."))
        self.refresh()
        self.changed.emit()

    # --- progress ---

    def _show_progress(self, goals: list[Goal]) -> None:
        now, tz = self._now(), self._tz()
        today = local_date(now, tz)
        week = IsoWeek.containing(today)
        week_bounds = day_boundaries(week.days(), tz)
        day_bounds = day_boundaries([today], tz)
        try:
            week_totals = self._totals(week_bounds[0], week_bounds[-1])
            day_totals = self._totals(day_bounds[0], day_bounds[-1])
            kept = evenings_kept(self._evenings.checkins(), week)
        except StorageError as error:
            self.status.setText(str(error))
            return
        self.progress = goal_progress(goals, week, today, week_totals, day_totals, kept)
        shown = {progress.goal.name: progress for progress in self.progress}
        for name, row in self.rows.items():
            progress = shown.get(name)
            for widget in (row.bar_label, row.bar, row.words):
                widget.setVisible(progress is not None)
            if progress is not None:
                self._show_bar(row, progress)
        self.no_goals.setVisible(not self.progress)

    def _show_bar(self, row: GoalRow, progress: GoalProgress) -> None:
        goal = progress.goal
        text, words = progress_texts(progress)
        row.bar.setRange(0, max(goal.value, 1))
        row.bar.setValue(min(progress.used, goal.value))
        row.bar.setFormat(text.replace("%", "%%"))
        row.bar.setAccessibleDescription(f"{text}. {words}")
        row.words.setText(words)
        palette = self.palette()
        if progress.over:
            palette.setColor(QPalette.ColorRole.Highlight, PASSED_COLOUR)
        row.bar.setPalette(palette)


def progress_texts(progress: GoalProgress) -> tuple[str, str]:
    """The bar's text ("4 h 12 min of 7 h") and the sentence below it (what is left, or that a limit is passed)."""
    goal = progress.goal
    if not goal.is_limit:
        text = ngettext("{kept} of {target} evening", "{kept} of {target} evenings", goal.value).format(
            kept=progress.used, target=goal.value
        )
        left = goal.value - progress.used
        if left <= 0:
            return text, _("Target reached. Well done!")
        return text, ngettext("{n} more evening to go this week.", "{n} more evenings to go this week.", left).format(
            n=left
        )
    text = _("{used} of {limit}").format(used=format_duration(progress.used), limit=format_duration(goal.value))
    if progress.over:
        over = format_duration(progress.used - goal.value)
        return text, (
            _("Limit passed by {over} today.") if goal.daily else _("Limit passed by {over} this week.")
        ).format(over=over)
    if progress.reached:
        return text, _("Limit reached.")
    remaining = format_duration(goal.value - progress.used)
    return text, (_("{left} left today.") if goal.daily else _("{left} left this week.")).format(left=remaining)
