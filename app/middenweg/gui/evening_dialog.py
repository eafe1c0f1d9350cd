"""The dialog that plans or changes one evening: name, kind, when, friends, reminders, the end note and the check-in.

It only describes an evening (`EveningDialog.evening`); the caller stores it. Problems are checked as the person
types (``recurrence.validate`` plus what only the form can get wrong, such as a weekly evening without a weekday)
and shown in words under the form, with Save disabled until there are none, so an invalid evening never leaves it.
This module must never read or write storage.
"""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QDate, QSize, Qt, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from middenweg.cli_text import WEEKDAY_NAMES, WEEKDAYS, friend_names, short_date
from middenweg.domain import lengths
from middenweg.domain.evenings import Evening, EveningKind
from middenweg.evenings.recurrence import validate
from middenweg.gui.widgets import buddy_label, plain, wrapped_label
from middenweg.i18n import _, ngettext
from middenweg.privacy import clean_text
from middenweg.reference.compare import format_duration

DAY_BEFORE = 24 * 60
DEFAULT_BEFORE = 30
MOST_WEEKS_APART = 8
#: The latest "minutes before" the spin box offers; a reminder a day ahead has its own box.
MOST_MINUTES_BEFORE = 12 * 60


def default_title(kind: EveningKind) -> str:
    """The name an evening gets when the person gives none."""
    return _("Screen-free evening") if kind is EveningKind.SCREEN_FREE else _("Phone-free evening")


def schedule_text(evening: Evening) -> str:
    """The evening's rhythm and times in words: "every Thu, 19:00–23:00", "Sat 5 Dec, 20:00–01:00"."""
    times = f"{evening.start:%H:%M}–{evening.end:%H:%M}"
    if evening.once:
        return _("{date}, {times}").format(date=short_date(evening.first_date), times=times)
    days = ", ".join(_(WEEKDAYS[day]) for day in sorted(evening.weekdays))
    if evening.every == 1:
        return _("every {days}, {times}").format(days=days, times=times)
    return _("{days} every {n} weeks, {times}").format(days=days, n=evening.every, times=times)


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def from_qtime(value: QTime) -> time:
    return time(value.hour(), value.minute())


class EveningDialog(QDialog):
    """Plan a new evening (``evening`` None) or change one. Accepted only while `problems` is empty."""

    def __init__(
        self,
        *,
        today: date,
        time_zone: str,
        evening: Evening | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._original = evening
        base = evening or Evening(
            id=0,
            title="",
            kind=EveningKind.PHONE_FREE,
            start=time(19),
            end=time(23),
            first_date=today,
            time_zone=time_zone,
        )
        self._zone, self._local_zone = base.time_zone, time_zone
        self.setWindowTitle(_("Change evening") if evening else _("Plan an evening"))

        form_page = QWidget()
        column = QVBoxLayout(form_page)
        column.addLayout(self._name_part())
        column.addWidget(self._kind_part())
        column.addWidget(self._when_part())
        column.addWidget(self._reminders_part())
        column.addStretch(1)
        area = QScrollArea()
        area.setWidget(form_page)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._form_page, self._area = form_page, area

        self.problem_text = wrapped_label("")
        self.problem_text.setAccessibleName(_("Problems with this evening"))
        self.problem_text.setStyleSheet("font-weight: bold;")
        self.summary_text = wrapped_label("")
        self.summary_text.setAccessibleName(_("The evening in short"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Sa&ve"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(_("Cancel"))
        for button in (self.ok_button, self.cancel_button):
            button.setAccessibleName(plain(button.text()))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(area, 1)
        layout.addWidget(self.summary_text)
        layout.addWidget(self.problem_text)
        layout.addWidget(self.buttons)

        self._show(base)
        for signal in (
            self.title.textChanged,
            self.friends.textChanged,
            self.every.valueChanged,
            self.starting.dateChanged,
            self.on_date.dateChanged,
            self.start_time.timeChanged,
            self.end_time.timeChanged,
        ):
            signal.connect(self._update)
        for box in (*self.weekday_boxes, self.weekly, self.phone_free, self.before, self.day_before, self.at_start):
            box.toggled.connect(self._update)
        self._update()
        self.title.setFocus()
        self._fit()

    def _fit(self) -> None:
        """Start at a size where the whole form fits without scrolling, if the screen allows (it scrolls otherwise)."""
        em = self.fontMetrics().horizontalAdvance("M")
        page = self._form_page
        scrollbar = self._area.verticalScrollBar().sizeHint().width()
        width = max(42 * em, page.minimumSizeHint().width() + scrollbar)
        content = page.heightForWidth(width) if page.hasHeightForWidth() else page.sizeHint().height()
        layout = self._layout
        margins = layout.contentsMargins()
        # The summary or the problems line, which may wrap to two lines, and the buttons.
        chrome = 3 * self.fontMetrics().height() + self.buttons.sizeHint().height() + 4 * layout.spacing() + em
        wanted = QSize(width + margins.left() + margins.right(), content + chrome + margins.top() + margins.bottom())
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry().size()
            wanted = wanted.boundedTo(QSize(available.width() * 9 // 10, available.height() * 9 // 10))
        self.resize(wanted)

    # --- the parts of the form ---

    def _name_part(self) -> QFormLayout:
        form = QFormLayout()
        self.title = QLineEdit()
        self.title.setMaxLength(lengths.EVENING_TITLE)
        form.addRow(buddy_label(_("Na&me:"), self.title), self.title)
        self.friends = QLineEdit()
        self.friends.setPlaceholderText(_("for example: Sanne, Joris"))
        form.addRow(buddy_label(_("Fr&iends:"), self.friends), self.friends)
        form.addRow("", wrapped_label(_("Names, separated by commas; leave empty for an evening on your own.")))
        return form

    def _kind_part(self) -> QGroupBox:
        box = QGroupBox(_("What you leave alone"))
        layout = QVBoxLayout(box)
        self.kind_buttons = QButtonGroup(self)
        self.phone_free = QRadioButton(_("&Phone-free"))
        self.screen_free = QRadioButton(_("Sc&reen-free"))
        explanations = (
            _("No social media or messaging apps; using the computer for other things is fine."),
            _("No screens at all: any use of this computer counts."),
        )
        for button, explanation in zip((self.phone_free, self.screen_free), explanations, strict=True):
            button.setAccessibleName(plain(button.text()))
            button.setAccessibleDescription(explanation)
            self.kind_buttons.addButton(button)
            layout.addWidget(button)
            note = wrapped_label(explanation)
            note.setIndent(24)
            layout.addWidget(note)
        return box

    def _when_part(self) -> QGroupBox:
        box = QGroupBox(_("When"))
        layout = QVBoxLayout(box)
        self.when_buttons = QButtonGroup(self)
        self.weekly = QRadioButton(_("&Weekly"))
        self.once = QRadioButton(_("&Once"))
        choice = QHBoxLayout()
        for button in (self.weekly, self.once):
            button.setAccessibleName(plain(button.text()))
            self.when_buttons.addButton(button)
            choice.addWidget(button)
        choice.addStretch(1)
        layout.addLayout(choice)

        self.weekly_part = QWidget()
        weekly = QGridLayout(self.weekly_part)
        weekly.setContentsMargins(24, 0, 0, 0)
        days = QHBoxLayout()
        self.weekday_boxes: list[QCheckBox] = []
        for day in range(7):
            check = QCheckBox(_(WEEKDAYS[day]))
            check.setAccessibleName(_(WEEKDAY_NAMES[day]))
            self.weekday_boxes.append(check)
            days.addWidget(check)
        days.addStretch(1)
        weekly.addWidget(buddy_label(_("Da&ys:"), self.weekday_boxes[0]), 0, 0)
        weekly.addLayout(days, 0, 1, 1, 2)
        self.every = QSpinBox()
        self.every.setRange(1, MOST_WEEKS_APART)
        self.every.valueChanged.connect(self._every_suffix)
        weekly.addWidget(buddy_label(_("Repeat &every:"), self.every), 1, 0)
        weekly.addWidget(self.every, 1, 1)
        self.starting = QDateEdit()
        self.starting.setCalendarPopup(True)
        self.starting.setDisplayFormat("yyyy-MM-dd")
        weekly.addWidget(buddy_label(_("&Starting:"), self.starting), 2, 0)
        weekly.addWidget(self.starting, 2, 1)
        weekly.setColumnStretch(2, 1)
        layout.addWidget(self.weekly_part)

        self.once_part = QWidget()
        once = QHBoxLayout(self.once_part)
        once.setContentsMargins(24, 0, 0, 0)
        self.on_date = QDateEdit()
        self.on_date.setCalendarPopup(True)
        self.on_date.setDisplayFormat("yyyy-MM-dd")
        once.addWidget(buddy_label(_("On &date:"), self.on_date))
        once.addWidget(self.on_date)
        once.addStretch(1)
        layout.addWidget(self.once_part)

        times = QHBoxLayout()
        self.start_time = QTimeEdit()
        self.end_time = QTimeEdit()
        for edit in (self.start_time, self.end_time):
            edit.setDisplayFormat("HH:mm")
        times.addWidget(buddy_label(_("&From:"), self.start_time))
        times.addWidget(self.start_time)
        times.addSpacing(12)
        times.addWidget(buddy_label(_("&To:"), self.end_time))
        times.addWidget(self.end_time)
        times.addStretch(1)
        layout.addLayout(times)
        self.times_note = wrapped_label("")
        self.times_note.setAccessibleName(_("About the times"))
        layout.addWidget(self.times_note)
        self.weekly.toggled.connect(self._show_when)
        return box

    def _reminders_part(self) -> QGroupBox:
        box = QGroupBox(_("Reminders and check-in"))
        layout = QGridLayout(box)
        self.day_before = QCheckBox(_("The day &before"))
        self.before = QCheckBox(_("Before the st&art:"))
        self.minutes_before = QSpinBox()
        self.minutes_before.setRange(5, MOST_MINUTES_BEFORE)
        self.minutes_before.setSingleStep(5)
        self.minutes_before.setSuffix(_(" min"))
        self.minutes_before.setAccessibleName(_("Minutes before the start"))
        self.before.toggled.connect(self.minutes_before.setEnabled)
        self.at_start = QCheckBox(_("W&hen it starts"))
        self.end_note = QCheckBox(_("A &note when it ends"))
        self.checkin = QCheckBox(_("As&k the next morning how it went"))
        for check in (self.day_before, self.before, self.at_start, self.end_note, self.checkin):
            check.setAccessibleName(plain(check.text()))
        layout.addWidget(self.day_before, 0, 0, 1, 2)
        layout.addWidget(self.before, 1, 0)
        layout.addWidget(self.minutes_before, 1, 1)
        layout.addWidget(self.at_start, 2, 0, 1, 2)
        self.other_reminders = wrapped_label("")
        self.other_reminders.setAccessibleName(_("Other reminders"))
        layout.addWidget(self.other_reminders, 3, 0, 1, 3)
        layout.addWidget(self.end_note, 4, 0, 1, 2)
        layout.addWidget(self.checkin, 5, 0, 1, 2)
        layout.setColumnStretch(2, 1)
        return box

    # --- from an evening to the form and back ---

    def _show(self, evening: Evening) -> None:
        self.title.setText(evening.title)
        self.friends.setText(", ".join(evening.friends))
        (self.screen_free if evening.kind is EveningKind.SCREEN_FREE else self.phone_free).setChecked(True)
        (self.once if evening.once and self._original is not None else self.weekly).setChecked(True)
        for day, check in enumerate(self.weekday_boxes):
            check.setChecked(day in evening.weekdays)
        self.every.setValue(evening.every)
        self._every_suffix(evening.every)
        self.starting.setDate(to_qdate(evening.first_date))
        # A series changed into a one-off starts from today, not from the series' first (past) date.
        self.on_date.setDate(to_qdate(evening.first_date if evening.once else max(evening.first_date, self._today)))
        self.start_time.setTime(QTime(evening.start.hour, evening.start.minute))
        self.end_time.setTime(QTime(evening.end.hour, evening.end.minute))
        reminders = set(evening.remind_before)
        self.day_before.setChecked(DAY_BEFORE in reminders)
        self.at_start.setChecked(0 in reminders)
        custom = sorted(m for m in reminders if 0 < m <= MOST_MINUTES_BEFORE)
        self.before.setChecked(bool(custom))
        self.minutes_before.setValue(custom[0] if custom else DEFAULT_BEFORE)
        self.minutes_before.setEnabled(bool(custom))
        # Reminders the form has no control for (set on the command line) are kept as they are, and named.
        shown = {0, DAY_BEFORE, *custom[:1]}
        self._other_reminders = tuple(m for m in sorted(reminders, reverse=True) if m not in shown)
        self.other_reminders.setText(
            _("Also reminds you {times} before the start (set on the command line); these stay.").format(
                times=", ".join(_format_minutes(m) for m in self._other_reminders)
            )
            if self._other_reminders
            else ""
        )
        self.other_reminders.setVisible(bool(self._other_reminders))
        self.end_note.setChecked(evening.end_note)
        self.checkin.setChecked(evening.checkin)
        self._show_when()

    def _every_suffix(self, weeks: int) -> None:
        self.every.setSuffix(ngettext(" week", " weeks", weeks))

    def _show_when(self) -> None:
        weekly = self.weekly.isChecked()
        self.weekly_part.setVisible(weekly)
        self.once_part.setVisible(not weekly)

    def evening(self) -> Evening:
        """The evening the form describes; an evening being changed keeps its id and time zone."""
        kind = EveningKind.SCREEN_FREE if self.screen_free.isChecked() else EveningKind.PHONE_FREE
        weekly = self.weekly.isChecked()
        reminders = set(self._other_reminders)
        if self.day_before.isChecked():
            reminders.add(DAY_BEFORE)
        if self.before.isChecked():
            reminders.add(self.minutes_before.value())
        if self.at_start.isChecked():
            reminders.add(0)
        return Evening(
            id=0 if self._original is None else self._original.id,
            title=clean_text(self.title.text(), lengths.EVENING_TITLE) or default_title(kind),
            kind=kind,
            start=from_qtime(self.start_time.time()),
            end=from_qtime(self.end_time.time()),
            first_date=from_qdate(self.starting.date() if weekly else self.on_date.date()),
            weekdays=tuple(day for day, check in enumerate(self.weekday_boxes) if check.isChecked()) if weekly else (),
            every=self.every.value() if weekly else 1,
            time_zone=self._zone,
            friends=friend_names(self.friends.text()),
            remind_before=tuple(sorted(reminders, reverse=True)),
            end_note=self.end_note.isChecked(),
            checkin=self.checkin.isChecked(),
        )

    def problems(self) -> list[str]:
        """What keeps this evening from being saved, as sentences; empty when it can be."""
        found: list[str] = []
        evening = self.evening()
        if self.weekly.isChecked() and not evening.weekdays:
            found.append(_("Choose at least one weekday, or choose Once for a single evening."))
        if self.once.isChecked() and evening.first_date < self._today:
            found.append(
                _("{date} has passed; choose today or a later date.").format(date=evening.first_date.isoformat())
            )
        found += validate(evening)
        return found

    def _update(self) -> None:
        start, end = from_qtime(self.start_time.time()), from_qtime(self.end_time.time())
        if end < start:
            self.times_note.setText(_("The evening ends the next day, at {end}.").format(end=f"{end:%H:%M}"))
        else:
            self.times_note.setText("")
        self.times_note.setVisible(end < start)
        self.title.setPlaceholderText(
            default_title(EveningKind.SCREEN_FREE if self.screen_free.isChecked() else EveningKind.PHONE_FREE)
        )
        found = self.problems()
        self.problem_text.setText("\n".join(found))
        self.problem_text.setVisible(bool(found))
        self.ok_button.setEnabled(not found)
        self.ok_button.setToolTip(_("Fix the problems shown above to save.") if found else "")
        evening = self.evening()
        if found:
            self.summary_text.setText("")
        else:
            self.summary_text.setText(
                _("{title}: {schedule}.").format(title=evening.title, schedule=schedule_text(evening))
                # An evening planned in another time zone keeps it (19:00 there); say so rather than surprise.
                + ("" if self._zone == self._local_zone else " " + _("Times are in {zone}.").format(zone=self._zone))
            )
        self.summary_text.setVisible(not found)

    def accept(self) -> None:
        """Save only a valid evening (Enter in a field also lands here)."""
        if self.problems():
            self._update()
            return
        super().accept()


def _format_minutes(minutes: int) -> str:
    return format_duration(minutes * 60)
