"""Move one evening of a series to another date or time; the rest of the series stays as planned.

The same change as ``middenweg evenings move``: stored as an ``EveningChange`` of that series date, so the calendar
export carries it as a RECURRENCE-ID and the reminders follow it. The dialog only describes the change; the
Evenings page stores it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QTimeEdit, QVBoxLayout, QWidget

from middenweg.cli_text import short_date
from middenweg.domain.evenings import Evening, EveningChange, Occurrence
from middenweg.evenings.recurrence import local_span, validate
from middenweg.gui.evening_dialog import from_qdate, from_qtime, to_qdate
from middenweg.gui.widgets import buddy_label, wrapped_label
from middenweg.i18n import _


class MoveDialog(QDialog):
    """Where ``occurrence`` of ``evening`` goes; `change` is the result once accepted."""

    def __init__(
        self, evening: Evening, occurrence: Occurrence, *, now: int, tz: ZoneInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.evening, self.occurrence, self._now = evening, occurrence, now
        self._zone = ZoneInfo(evening.time_zone)
        self._today = datetime.fromtimestamp(now, tz).date()
        self.setWindowTitle(_("Move one evening"))
        start = datetime.fromtimestamp(occurrence.start, self._zone)
        end = datetime.fromtimestamp(occurrence.end, self._zone)

        self.about = wrapped_label(
            _("{title} of {date} moves; the other dates stay as planned.").format(
                title=evening.title, date=short_date(occurrence.date)
            )
        )
        self.to_date = QDateEdit(to_qdate(start.date()))
        self.to_date.setCalendarPopup(True)
        self.to_date.setDisplayFormat("yyyy-MM-dd")
        self.start_time, self.end_time = QTimeEdit(), QTimeEdit()
        self.start_time.setTime(QTime(start.hour, start.minute))
        self.end_time.setTime(QTime(end.hour, end.minute))
        for edit in (self.start_time, self.end_time):
            edit.setDisplayFormat("HH:mm")
        form = QFormLayout()
        form.addRow(buddy_label(_("New &date:"), self.to_date), self.to_date)
        form.addRow(buddy_label(_("&From:"), self.start_time), self.start_time)
        form.addRow(buddy_label(_("&To:"), self.end_time), self.end_time)
        self.problem_text = wrapped_label("")
        self.problem_text.setStyleSheet("font-weight: bold;")
        self.problem_text.setAccessibleName(_("Problems with this move"))
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(_("&Move"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addLayout(form)
        layout.addWidget(self.problem_text)
        layout.addWidget(buttons)
        self.to_date.dateChanged.connect(self._update)
        self.start_time.timeChanged.connect(self._update)
        self.end_time.timeChanged.connect(self._update)
        self._update()
        self.setMinimumWidth(30 * self.fontMetrics().horizontalAdvance("M"))

    def new_date(self) -> date:
        return from_qdate(self.to_date.date())

    def change(self) -> EveningChange:
        """The move as stored: times only where they differ from the evening's own."""
        start, end = from_qtime(self.start_time.time()), from_qtime(self.end_time.time())
        return EveningChange(
            self.evening.id,
            self.occurrence.date,
            self.new_date(),
            None if start == self.evening.start else start,
            None if end == self.evening.end else end,
        )

    def problems(self) -> list[str]:
        start, end = from_qtime(self.start_time.time()), from_qtime(self.end_time.time())
        moved = replace(self.evening, first_date=self.new_date(), weekdays=(), every=1, start=start, end=end)
        found = validate(moved)
        if not found and local_span(self.new_date(), start, end, self._zone)[1] <= self._now:
            found.append(_("That time is already over; choose a later date or time."))
        return found

    def _update(self) -> None:
        found = self.problems()
        self.problem_text.setText("\n".join(found))
        self.problem_text.setVisible(bool(found))
        self.ok_button.setEnabled(not found)

    def accept(self) -> None:
        if self.problems():
            self._update()
            return
        super().accept()
