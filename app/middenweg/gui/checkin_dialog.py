"""The morning check-in ("How did your evening go?"), and the past evenings and streak it adds to.

Three answers (kept, partly, not kept) are stored through ``EveningStore.check_in``; the dialog then shows the streak
with a Close button (Enter or Escape). What this computer measured during the evening is shown beside the question when
the caller passes it, as a fact, never as a verdict: the person knows what happened on their phone. The helpers
read storage but never write it; only an answer in the dialog does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from middenweg.cli_goals import streak_line
from middenweg.cli_text import short_date
from middenweg.domain.evenings import Evening, EveningKind
from middenweg.domain.weeks import local_date
from middenweg.evenings.recurrence import Error as RecurrenceError
from middenweg.evenings.recurrence import occurrences
from middenweg.gui.widgets import plain, show_error, wrapped_label
from middenweg.history import evening_streak
from middenweg.i18n import N_, _
from middenweg.reference.compare import format_duration
from middenweg.storage.errors import StorageError
from middenweg.storage.evening_store import EveningStore

#: How far back the list of past evenings looks for unanswered ones (answered ones are always there).
HISTORY_DAYS = 12 * 7
RESULT_NAMES = {"kept": N_("Kept"), "partly": N_("Partly kept"), "not": N_("Not kept")}
NOT_ANSWERED = N_("Not answered")


@dataclass(frozen=True, slots=True)
class PastEvening:
    """An evening that is over. ``title`` is None for one that was removed since (known by its check-in only)."""

    evening_id: int
    date: date
    start: int  # UTC epoch seconds; 0 for a removed evening, which sorts it first on its date
    title: str | None
    result: str | None


def past_evenings(
    store: EveningStore, now: int, tz: ZoneInfo, titles: Mapping[int, str] | None = None
) -> list[PastEvening]:
    """Evenings over by ``now``, oldest first: every answered one, and the unanswered ones of the last weeks.

    Answered evenings of removed (or changed) evenings are included, so the streak survives an edit; ``titles``
    names removed evenings the caller still knows (storage keeps no title of a removed evening).
    """
    checkins = store.checkins()
    changes = store.changes()
    found: dict[tuple[int, date], PastEvening] = {}
    for evening in store.all():
        mine = [change for change in changes if change.evening_id == evening.id]
        try:
            over = [o for o in occurrences(evening, mine, now - HISTORY_DAYS * 86400, now) if o.end <= now]
        except RecurrenceError:
            continue  # an evening storage holds but cannot expand; the list of evenings says what is wrong
        for occurrence in over:
            key = (evening.id, occurrence.date)
            found[key] = PastEvening(evening.id, occurrence.date, occurrence.start, evening.title, checkins.get(key))
    known = {**(titles or {}), **{evening.id: evening.title for evening in store.all()}}
    today = local_date(now, tz)
    for (evening_id, day), result in checkins.items():
        if (evening_id, day) not in found and day <= today:
            found[(evening_id, day)] = PastEvening(evening_id, day, 0, known.get(evening_id), result)
    return sorted(found.values(), key=lambda past: (past.date, past.start, past.evening_id))


def streak_text(count: int) -> str:
    if count == 0:
        return _("No streak yet: every evening you keep starts one.")
    return streak_line(count)


def slipped_text(kind: EveningKind, seconds: int) -> str:
    """What this computer saw during the evening, in one sentence."""
    if kind is EveningKind.SCREEN_FREE:
        if seconds < 60:
            return _("This computer was not used during the evening.")
        return _("This computer was in use for {time} during the evening.").format(time=format_duration(seconds))
    if seconds < 60:
        return _("This computer counted no social media or messaging during the evening.")
    return _("This computer counted {time} of social media and messaging during the evening.").format(
        time=format_duration(seconds)
    )


class CheckinDialog(QDialog):
    """Ask how one evening went and store the answer. ``answered`` carries the result ("kept", "partly", "not")."""

    answered = Signal(str)

    def __init__(
        self,
        evenings: EveningStore,
        evening: Evening,
        day: date,
        *,
        now: Callable[[], int],
        tz: Callable[[], ZoneInfo],
        slipped: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._now, self._tz = evenings, now, tz
        self.evening, self.day, self.slipped = evening, day, slipped
        self.chosen: str | None = None
        self.setWindowTitle(_("Morning check-in"))

        self.pages = QStackedWidget()
        self.pages.addWidget(self._question_page())
        self.pages.addWidget(self._done_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        em = self.fontMetrics().horizontalAdvance("M")
        self.setMinimumWidth(36 * em)
        self.kept_button.setFocus()

    def _question_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.question = QLabel(_("How did your evening go?"))
        font = self.question.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.question.setFont(font)
        self.question.setWordWrap(True)
        layout.addWidget(self.question)
        self.about = wrapped_label(
            _("{title} · {date}").format(title=self.evening.title, date=short_date(self.day)), selectable=True
        )
        self.about.setAccessibleName(_("Which evening"))
        layout.addWidget(self.about)
        self.slipped_label = wrapped_label(
            "" if self.slipped is None else slipped_text(self.evening.kind, self.slipped)
        )
        self.slipped_label.setAccessibleName(_("What this computer measured"))
        self.slipped_label.setVisible(self.slipped is not None)
        layout.addWidget(self.slipped_label)
        before = self._store.checkins().get((self.evening.id, self.day))
        self.earlier = wrapped_label(
            ""
            if before is None
            else _("You answered {result} before; a new answer replaces it.").format(result=_(RESULT_NAMES[before]))
        )
        self.earlier.setVisible(before is not None)
        layout.addWidget(self.earlier)

        layout.addSpacing(self.fontMetrics().height() // 2)
        buttons = QHBoxLayout()
        self.kept_button = QPushButton(_("&Kept"))
        self.partly_button = QPushButton(_("&Partly"))
        self.not_button = QPushButton(_("&Not kept"))
        self.later_button = QPushButton(_("&Later"))
        descriptions = (
            _("You kept the evening as planned."),
            _("You kept part of it; that still counts for your streak."),
            _("It did not work out this time; that ends the streak."),
            _("Close without answering; you can check in later from the Evenings page."),
        )
        for button, result, description in zip(
            (self.kept_button, self.partly_button, self.not_button, self.later_button),
            ("kept", "partly", "not", None),
            descriptions,
            strict=True,
        ):
            button.setAccessibleName(plain(button.text()))
            button.setAccessibleDescription(description)
            button.setToolTip(description)
            button.setAutoDefault(False)
            if result is None:
                button.clicked.connect(self.reject)
            else:
                button.clicked.connect(lambda _checked=False, r=result: self.answer(r))
            buttons.addWidget(button)
            if result == "not":
                buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.thanks = QLabel()
        font = self.thanks.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.thanks.setFont(font)
        self.thanks.setWordWrap(True)
        self.thanks.setAccessibleName(_("Your answer"))
        layout.addWidget(self.thanks)
        self.streak_label = wrapped_label("")
        self.streak_label.setAccessibleName(_("Your streak"))
        layout.addWidget(self.streak_label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = QPushButton(_("Close"))
        self.close_button.setAccessibleName(_("Close"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def answer(self, result: str) -> None:
        """Store ``result`` for this evening, then show the streak."""
        now = self._now()
        try:
            self._store.check_in(self.evening.id, self.day, result, self.slipped or 0, now)
            count = evening_streak(self._store, now, self._tz())  # the same count as `middenweg goals show`
        except StorageError as error:
            show_error(self, _("Check-in not saved"), str(error))
            return
        self.chosen = result
        self.thanks.setText(
            {
                "kept": _("Well done!"),
                "partly": _("Every bit counts."),
                "not": _("Next time is another chance."),
            }[result]
        )
        self.streak_label.setText(streak_text(count))
        self.pages.setCurrentIndex(1)
        self.close_button.setFocus()
        self.answered.emit(result)
