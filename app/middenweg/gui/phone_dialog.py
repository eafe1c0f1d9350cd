"""Add (or correct) a day's phone time by hand: the numbers the phone's own screen-time screen shows.

The same entry as ``middenweg phone add``, stored through ``phone_entries``. Choosing a day that has an entry
shows it, so saving corrects it and Delete removes it (after a Yes). Nothing is stored until Save.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from middenweg import phone_entries
from middenweg.domain.weeks import local_date
from middenweg.gui.evening_dialog import from_qdate, to_qdate
from middenweg.gui.widgets import buddy_label, confirm, plain, show_error, wrapped_label
from middenweg.i18n import _
from middenweg.phone_entries import PhoneDay, PhoneEntryError
from middenweg.storage.errors import StorageError
from middenweg.storage.store import Store


class Duration(QWidget):
    """Hours and minutes side by side, named for screen readers."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hours, self.minutes = QSpinBox(), QSpinBox()
        self.hours.setRange(0, 24)
        self.minutes.setRange(0, 59)
        self.hours.setSuffix(_(" h"))
        self.minutes.setSuffix(_(" min"))
        self.hours.setAccessibleName(_("{what}: hours").format(what=name))
        self.minutes.setAccessibleName(_("{what}: minutes").format(what=name))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.hours)
        row.addWidget(self.minutes)
        row.addStretch(1)
        self.setFocusProxy(self.hours)

    def seconds(self) -> int:
        return self.hours.value() * 3600 + self.minutes.value() * 60

    def set_seconds(self, seconds: int) -> None:
        self.hours.setValue(seconds // 3600)
        self.minutes.setValue(seconds % 3600 // 60)


class PhoneDialog(QDialog):
    """``saved`` is emitted after an entry was stored or deleted (so the dashboard and tray can update)."""

    saved = Signal()

    def __init__(
        self, store: Store, *, now: Callable[[], int], tz: Callable[[], ZoneInfo], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._store, self._now, self._tz = store, now, tz
        self._loading = False
        self.existing: PhoneDay | None = None
        self.setWindowTitle(_("Phone time"))
        today = local_date(now(), tz())

        self.intro = wrapped_label(
            _(
                "Enter the numbers your phone shows for the day: on Android under Digital Wellbeing, on an iPhone "
                "under Screen Time. They count in your reports like the time on this computer."
            )
        )
        self.day = QDateEdit(to_qdate(today))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setMaximumDate(to_qdate(today))
        self.total = Duration(_("Screen time in all"))
        self.social = Duration(_("Social media"))
        self.messaging = Duration(_("Messaging"))
        form = QFormLayout()
        form.addRow(buddy_label(_("&Day:"), self.day), self.day)
        form.addRow(buddy_label(_("Screen time in &all:"), self.total.hours), self.total)
        form.addRow(buddy_label(_("of which &social media:"), self.social.hours), self.social)
        form.addRow(buddy_label(_("of which &messaging:"), self.messaging.hours), self.messaging)
        self.existing_note = wrapped_label("")
        self.problem_text = wrapped_label("")
        self.problem_text.setStyleSheet("font-weight: bold;")
        self.problem_text.setAccessibleName(_("Problems with this entry"))

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_("Sa&ve"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.delete_button = QPushButton(_("De&lete…"))
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.cancel_button = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.cancel_button.clicked.connect(self.reject)
        for button in (self.save_button, self.delete_button, self.cancel_button):
            button.setAccessibleName(plain(button.text()))

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.existing_note)
        layout.addWidget(self.problem_text)
        layout.addWidget(buttons)
        self.day.dateChanged.connect(self._load)
        for duration in (self.total, self.social, self.messaging):
            duration.hours.valueChanged.connect(self._check)
            duration.minutes.valueChanged.connect(self._check)
        self.setMinimumWidth(34 * self.fontMetrics().horizontalAdvance("M"))
        self._load(self.day.date())
        self.total.setFocus()

    def entry(self) -> PhoneDay:
        return PhoneDay(
            from_qdate(self.day.date()), self.total.seconds(), self.social.seconds(), self.messaging.seconds()
        )

    def _load(self, day: QDate) -> None:
        """Show the chosen day's entry, if it has one."""
        try:
            found = phone_entries.entries(self._store, [from_qdate(day)], self._tz())
        except StorageError as error:
            show_error(self, _("Phone time"), str(error))
            found = []
        self.existing = found[0] if found else None
        self._loading = True
        try:
            entry = self.existing or PhoneDay(from_qdate(day), 0)
            self.total.set_seconds(entry.total)
            self.social.set_seconds(entry.social)
            self.messaging.set_seconds(entry.messaging)
        finally:
            self._loading = False
        self.existing_note.setText(_("This day has an entry; saving replaces it.") if self.existing else "")
        self.existing_note.setVisible(self.existing is not None)
        self.delete_button.setVisible(self.existing is not None)
        self._check()

    def problems(self) -> list[str]:
        entry = self.entry()
        if entry.total == 0:
            return [_("Enter the day's screen time in all.")]
        try:
            phone_entries.check(entry, self._tz())
        except PhoneEntryError as error:
            return [str(error)]
        return []

    def _check(self) -> None:
        if self._loading:
            return
        found = self.problems()
        self.problem_text.setText("\n".join(found))
        self.problem_text.setVisible(bool(found) and self.total.seconds() > 0)
        self.save_button.setEnabled(not found)

    def save(self) -> None:
        if self.problems():
            self._check()
            return
        try:
            phone_entries.save(self._store, self.entry(), self._tz())
        except (StorageError, PhoneEntryError) as error:
            show_error(self, _("Phone time not saved"), str(error))
            return
        self.saved.emit()
        self.accept()

    def delete(self) -> None:
        day: date = from_qdate(self.day.date())
        if not confirm(self, _("Delete phone time"), _("Delete the phone time of {date}?").format(date=day)):
            return
        try:
            phone_entries.remove(self._store, day, self._tz())
        except StorageError as error:
            show_error(self, _("Phone time not deleted"), str(error))
            return
        self.saved.emit()
        self.accept()
