"""The dashboard's Evenings page: planned evenings with their next date, and the past ones with how they went.

Add, Edit, Skip next, Remove and Export to calendar work on the list; Check in answers a past evening. Changing an
evening keeps its id (``EveningStore.update``), so its check-ins, its streak and its calendar UID stay. Every write
goes through ``EveningStore``; nothing is removed without a Yes. Dates and times are shown in the person's own time
zone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from middenweg.cli_text import short_date
from middenweg.domain.categories import Category
from middenweg.domain.evenings import Evening, EveningChange, Occurrence
from middenweg.domain.weeks import local_date
from middenweg.evenings.recurrence import Error as RecurrenceError
from middenweg.evenings.recurrence import is_series_date, next_occurrence, occurrence_on
from middenweg.gui.checkin_dialog import (
    NOT_ANSWERED,
    RESULT_NAMES,
    CheckinDialog,
    PastEvening,
    past_evenings,
    streak_text,
)
from middenweg.gui.evening_dialog import EveningDialog, default_title, schedule_text
from middenweg.gui.move_dialog import MoveDialog
from middenweg.gui.widgets import confirm, plain, show_error, wrapped_label
from middenweg.history import evening_streak, slipped_seconds
from middenweg.i18n import _
from middenweg.private_files import write_private
from middenweg.storage.errors import StorageError
from middenweg.storage.evening_store import EveningStore

#: The most past evenings listed (the streak counts them all).
HISTORY_ROWS = 60
_ROLE = Qt.ItemDataRole.UserRole


def heading(text: str = "") -> QLabel:
    """A section heading; with a mnemonic and a buddy it also jumps to the list below it."""
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def when_text(occurrence: Occurrence | None, now: int, tz: ZoneInfo) -> str:
    """ "next Thu 26 Nov, 19:00", "on now, until 23:00" or "no more dates", in the person's time zone."""
    if occurrence is None:
        return _("no more dates")
    start, end = datetime.fromtimestamp(occurrence.start, tz), datetime.fromtimestamp(occurrence.end, tz)
    if occurrence.start <= now:
        text = _("on now, until {end}").format(end=f"{end:%H:%M}")
    else:
        text = _("next {start}").format(start=f"{short_date(start.date())}, {start:%H:%M}")
    return text + (_(" (moved)") if occurrence.moved else "")


def starting_from(evening: Evening, today: date) -> Evening:
    """A weekly evening changed today starts today (or in the next week of its rhythm), so that past dates of the
    replaced evening are not listed twice; its every-N-weeks rhythm stays the same."""
    if evening.once or evening.first_date >= today:
        return evening
    first_monday = evening.first_date - timedelta(days=evening.first_date.weekday())
    monday = today - timedelta(days=today.weekday())
    weeks_off = ((monday - first_monday).days // 7) % evening.every
    if weeks_off == 0:
        return replace(evening, first_date=today)
    return replace(evening, first_date=monday + timedelta(weeks=evening.every - weeks_off))


class EveningsPage(QWidget):
    """The Evenings section. ``changed`` is emitted after any evening, skip or check-in was stored."""

    changed = Signal()

    def __init__(
        self,
        evenings: EveningStore,
        *,
        now: Callable[[], int],
        tz: Callable[[], ZoneInfo],
        tz_name: Callable[[], str],
        totals: Callable[[int, int], Mapping[Category, int]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._now, self._tz, self._tz_name, self._totals = evenings, now, tz, tz_name, totals
        self.evenings: list[Evening] = []
        #: Titles of every evening seen since the window opened, to name one removed (or changed) since.
        self._titles: dict[int, str] = {}
        self.past: list[PastEvening] = []
        self.dialog: EveningDialog | None = None
        self.move_dialog: MoveDialog | None = None
        self.checkin_dialog: CheckinDialog | None = None

        self.intro = wrapped_label("")
        self.planned_heading = heading()
        self.empty_text = wrapped_label("")
        self.evening_list = QListWidget()
        self.planned_heading.setBuddy(self.evening_list)
        self.evening_list.setWordWrap(True)
        self.evening_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.evening_list.setMinimumHeight(120)
        self.evening_list.setSpacing(3)  # two lines an evening: a gap keeps them apart
        self.evening_list.setAlternatingRowColors(True)
        self.evening_list.currentRowChanged.connect(self._update_buttons)
        self.evening_list.itemActivated.connect(lambda _item: self.edit_evening())

        self.add_button, self.edit_button, self.skip_button = QPushButton(), QPushButton(), QPushButton()
        self.move_button, self.remove_button, self.export_button = QPushButton(), QPushButton(), QPushButton()
        self.add_button.clicked.connect(self.add_evening)
        self.edit_button.clicked.connect(self.edit_evening)
        self.skip_button.clicked.connect(self.skip_next)
        self.move_button.clicked.connect(self.move_next)
        self.remove_button.clicked.connect(self.remove_evening)
        self.export_button.clicked.connect(self.export_calendar)
        actions = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.skip_button, self.move_button, self.remove_button):
            actions.addWidget(button)
        actions.addStretch(1)
        planned_row = QHBoxLayout()  # Export beside the heading: the row of buttons stays narrow
        planned_row.addWidget(self.planned_heading, 1)
        planned_row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.status = wrapped_label("")

        self.past_heading = heading()
        self.streak_label = wrapped_label("")
        self.history = QListWidget()
        self.history.setWordWrap(True)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setMinimumHeight(120)
        self.past_heading.setBuddy(self.history)
        self.history.currentRowChanged.connect(self._update_buttons)
        self.history.itemActivated.connect(lambda _item: self.check_in())
        self.checkin_button = QPushButton()
        self.checkin_button.clicked.connect(self.check_in)
        checkin_row = QHBoxLayout()
        checkin_row.addWidget(self.streak_label, 1)
        checkin_row.addWidget(self.checkin_button, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(planned_row)
        layout.addWidget(self.empty_text)
        layout.addWidget(self.evening_list, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(self.past_heading)
        layout.addLayout(checkin_row)
        layout.addWidget(self.history, 1)
        for button in (*self._buttons(), self.checkin_button):
            button.setAutoDefault(False)
        self.retranslate()

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.add_button, self.edit_button, self.skip_button, self.move_button, self.remove_button,
            self.export_button,
        )  # fmt: skip

    def retranslate(self) -> None:
        """Every fixed text in the active language (called again when the language setting changes)."""
        self.intro.setText(
            _(
                "Plan evenings without your phone or without screens. Middenweg reminds you before they start, "
                "nudges you if you slip on this computer, and asks the next morning how it went."
            )
        )
        self.planned_heading.setText(_("&Planned evenings"))
        self.evening_list.setAccessibleName(plain(self.planned_heading.text()))
        self.empty_text.setText(
            _(
                "No evenings planned yet. Press Add… to plan one, for example every Thursday from 19:00 to 23:00, "
                "on your own or with friends."
            )
        )
        self.empty_text.setAccessibleName(_("No evenings planned"))
        for button, text in zip(
            self._buttons(),
            (_("&Add…"), _("&Edit…"), _("S&kip next"), _("&Move next…"), _("&Remove…"), _("Export to &calendar…")),
            strict=True,
        ):
            button.setText(text)
            button.setAccessibleName(plain(text))
        self.add_button.setToolTip(_("Plan a new evening."))
        self.skip_button.setToolTip(_("Skip only the next date of the chosen evening; the rest stays as planned."))
        self.move_button.setToolTip(_("Move only the next date of the chosen evening to another day or time."))
        self.export_button.setToolTip(_("Save your evenings as a calendar file for the calendar app you use."))
        self.status.setAccessibleName(_("Evenings status"))
        self.past_heading.setText(_("Past evenings and &how they went"))
        self.history.setAccessibleName(plain(self.past_heading.text()))
        self.streak_label.setAccessibleName(_("Your streak"))
        self.checkin_button.setText(_("Check &in…"))
        self.checkin_button.setAccessibleName(plain(self.checkin_button.text()))
        self.checkin_button.setToolTip(_("Say how the chosen past evening went."))
        self.refresh()

    # --- showing ---

    def refresh(self) -> None:
        """Read the evenings, their next dates and the past ones again; the chosen rows stay chosen."""
        chosen = self.selected()
        past_chosen = self.selected_past()
        now, tz = self._now(), self._tz()
        try:
            self.evenings = self._store.all()
            self._titles.update((evening.id, evening.title) for evening in self.evenings)
            changes = self._store.changes()
            self.past = past_evenings(self._store, now, tz, self._titles)
            streak = evening_streak(self._store, now, tz)
        except StorageError as error:
            self.status.setText(str(error))
            return
        self.evening_list.clear()
        for evening in self.evenings:
            mine = [change for change in changes if change.evening_id == evening.id]
            try:
                when = when_text(next_occurrence(evening, mine, now), now, tz)
            except RecurrenceError as error:
                when = str(error)
            friends = _(" with {names}").format(names=", ".join(evening.friends)) if evening.friends else ""
            details = " · ".join((default_title(evening.kind), schedule_text(evening), when))
            item = QListWidgetItem(f"{evening.title}{friends}\n{details}")
            item.setData(_ROLE, evening.id)
            self.evening_list.addItem(item)
            if chosen is not None and evening.id == chosen.id:
                self.evening_list.setCurrentItem(item)
        if self.evening_list.currentRow() < 0 and self.evenings:
            self.evening_list.setCurrentRow(0)
        empty = not self.evenings
        self.empty_text.setVisible(empty)
        self.evening_list.setVisible(not empty)

        self.streak_label.setText(streak_text(streak))
        self.history.clear()
        for past in reversed(self.past[-HISTORY_ROWS:]):
            result = _(RESULT_NAMES[past.result]) if past.result in RESULT_NAMES else _(NOT_ANSWERED)
            title = past.title if past.title is not None else _("an evening removed since")
            item = QListWidgetItem(
                _("{date} · {title} · {result}").format(date=short_date(past.date), title=title, result=result)
            )
            item.setData(_ROLE, (past.evening_id, past.date.toordinal()))
            self.history.addItem(item)
            if past_chosen is not None and (past.evening_id, past.date) == (past_chosen.evening_id, past_chosen.date):
                self.history.setCurrentItem(item)
        if not self.past:
            self.history.addItem(_("No evenings are over yet."))
        elif self.history.currentRow() < 0:
            self.history.setCurrentRow(0)  # the newest, the one most likely to be answered
        self._update_buttons()

    def selected(self) -> Evening | None:
        item = self.evening_list.currentItem()
        if item is None or self.evening_list.isHidden():
            return None
        return next((e for e in self.evenings if e.id == item.data(_ROLE)), None)

    def selected_past(self) -> PastEvening | None:
        item = self.history.currentItem()
        key = None if item is None else item.data(_ROLE)
        if not key:
            return None
        evening_id, ordinal = key
        return next((p for p in self.past if (p.evening_id, p.date.toordinal()) == (evening_id, ordinal)), None)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (self.edit_button, self.skip_button, self.move_button, self.remove_button):
            button.setEnabled(chosen)
        self.export_button.setEnabled(bool(self.evenings))
        past = self.selected_past()
        self.checkin_button.setEnabled(past is not None and any(e.id == past.evening_id for e in self.evenings))

    def _today(self) -> date:
        return local_date(self._now(), self._tz())

    def _changed(self, message: str) -> None:
        self.status.setText(message)
        self.refresh()
        self.changed.emit()

    # --- planning ---

    def add_evening(self) -> None:
        """Open the dialog for a new evening; it is stored when the dialog is accepted."""
        self._open_dialog(None)

    def edit_evening(self) -> None:
        evening = self.selected()
        if evening is not None:
            self._open_dialog(evening)

    def _open_dialog(self, evening: Evening | None) -> None:
        dialog = EveningDialog(today=self._today(), time_zone=self._tz_name(), evening=evening, parent=self)
        dialog.accepted.connect(lambda: self._save(evening, dialog.evening()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _save(self, old: Evening | None, new: Evening) -> None:
        now = self._now()
        try:
            if old is None:
                added = self._store.add(new, now)
                message = _("{title} is planned: {schedule}.").format(title=added.title, schedule=schedule_text(added))
            elif new == old:
                return
            else:
                added = self._replace(old, new, now)
                message = _("{title} is changed: {schedule}.").format(title=added.title, schedule=schedule_text(added))
        except StorageError as error:
            show_error(self, _("Evening not saved"), str(error))
            return
        self._changed(message)
        self._select(added.id)

    def _replace(self, old: Evening, new: Evening, now: int) -> Evening:
        """Change ``old`` in place (same id, check-ins and calendar UID). A weekly evening starts again today, so
        past dates keep their old times; skips and moves from today on stay where they still fall on the series."""
        today = self._today()
        changed = replace(starting_from(new, today), id=old.id)
        if not self._store.update(changed, lambda change: change.date < today or is_series_date(changed, change.date)):
            raise StorageError(_("This evening was removed meanwhile; nothing was changed."))
        return self._store.get(old.id) or changed

    def _select(self, evening_id: int) -> None:
        for row in range(self.evening_list.count()):
            if self.evening_list.item(row).data(_ROLE) == evening_id:
                self.evening_list.setCurrentRow(row)

    def move_next(self) -> None:
        """Move the next date of the chosen evening (one under way counts as the next) to another date or time."""
        evening = self.selected()
        if evening is None:
            return
        now = self._now()
        try:
            mine = [change for change in self._store.changes() if change.evening_id == evening.id]
            upcoming = next_occurrence(evening, mine, now)
        except (StorageError, RecurrenceError) as error:
            show_error(self, _("Evening not moved"), str(error))
            return
        if upcoming is None:
            self.status.setText(_("{title} has no next date to move.").format(title=evening.title))
            return
        dialog = MoveDialog(evening, upcoming, now=now, tz=self._tz(), parent=self)
        dialog.accepted.connect(lambda: self._moved(evening, dialog.change()))
        dialog.finished.connect(dialog.deleteLater)
        self.move_dialog = dialog
        dialog.open()

    def _moved(self, evening: Evening, change: EveningChange) -> None:
        try:
            self._store.set_change(change)
        except StorageError as error:
            show_error(self, _("Evening not moved"), str(error))
            return
        assert change.new_date is not None
        self._changed(
            _("{title} of {date} is moved to {new}; the rest stays as planned.").format(
                title=evening.title, date=short_date(change.date), new=short_date(change.new_date)
            )
        )

    def skip_next(self) -> None:
        """Skip the next date of the chosen evening (one under way counts as the next)."""
        evening = self.selected()
        if evening is None:
            return
        now, tz = self._now(), self._tz()
        try:
            mine = [change for change in self._store.changes() if change.evening_id == evening.id]
            upcoming = next_occurrence(evening, mine, now)
            if upcoming is None:
                self.status.setText(_("{title} has no next date to skip.").format(title=evening.title))
                return
            self._store.set_change(EveningChange(evening.id, upcoming.date))
        except (StorageError, RecurrenceError) as error:
            show_error(self, _("Evening not skipped"), str(error))
            return
        day = datetime.fromtimestamp(upcoming.start, tz).date()
        self._changed(
            _("{title} on {date} is skipped; the rest stays as planned.").format(
                title=evening.title, date=short_date(day)
            )
        )

    def remove_evening(self) -> None:
        """Stop the chosen evening after a Yes; its check-ins stay (and keep counting for the streak)."""
        evening = self.selected()
        if evening is None:
            return
        question = _("Remove {title} ({schedule})? Its check-ins are kept.").format(
            title=evening.title, schedule=schedule_text(evening)
        )
        if not confirm(self, _("Remove evening"), question):
            self.status.setText(_("Nothing was removed."))
            return
        try:
            self._store.remove(evening.id, self._now())
        except StorageError as error:
            show_error(self, _("Evening not removed"), str(error))
            return
        self._changed(_("{title} is removed; its check-ins are kept.").format(title=evening.title))

    def export_calendar(self) -> None:
        """Ask where to, then write every evening as an iCalendar file (readable by the owner only)."""
        from middenweg.evenings.ical import to_ics  # icalendar loads only when someone exports

        filter_text = _("Calendar file (*.ics)")
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Export to calendar"), str(Path.home() / "middenweg-evenings.ics"), filter_text
        )
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".ics")
        try:
            data = to_ics(self._store.all(), self._store.changes())
            write_private(path, data)
        except OSError as error:
            show_error(
                self,
                _("Export failed"),
                _("Cannot write {path}: {problem}.").format(path=path, problem=error.strerror or error),
            )
            return
        except (StorageError, RecurrenceError) as error:
            show_error(self, _("Export failed"), str(error))
            return
        self.status.setText(_("Wrote your evenings to {path}; open it in your calendar app.").format(path=path))

    # --- checking in ---

    def check_in(self) -> None:
        """Answer how the chosen past evening went (again, if it was answered before)."""
        past = self.selected_past()
        evening = None if past is None else next((e for e in self.evenings if e.id == past.evening_id), None)
        if past is None or evening is None:
            return
        slipped = None
        try:
            occurrence = occurrence_on(evening, self._store.changes(), past.date)
            if occurrence is not None:
                slipped = slipped_seconds(self._totals, evening, occurrence)
        except (StorageError, RecurrenceError):
            slipped = None  # the question can still be answered without the measurement
        dialog = CheckinDialog(
            self._store, evening, past.date, now=self._now, tz=self._tz, slipped=slipped, parent=self
        )
        dialog.answered.connect(lambda _result: self._changed(""))
        dialog.finished.connect(dialog.deleteLater)
        self.checkin_dialog = dialog
        dialog.open()
