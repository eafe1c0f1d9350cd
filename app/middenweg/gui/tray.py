"""The tray icon: its state (tracking, paused, away, cannot see, an evening on), today's time as tooltip, and its menu
(today's time, the goals' progress, pausing, the windows).

Pausing from the menu writes the same pause file as ``middenweg pause``, so a pause survives a restart. While an
evening is on, the menu starts with a line about it (``set_evening``) and the icon is the evening's, unless tracking
is paused or cannot see the active window: those say something the person must know, so their icons come first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from middenweg.cli_text import CATEGORY_NAMES
from middenweg.domain.categories import CATEGORY_ORDER
from middenweg.domain.evenings import EveningKind
from middenweg.i18n import _
from middenweg.reference.compare import format_duration
from middenweg.reports.weekly import CategorySeconds
from middenweg.tracking.pause import PauseFile
from middenweg.tracking.sampler import TrackState

ICONS = Path(__file__).parent / "icons"
#: The icon for each tracking state; away and locked show the tracking icon (Middenweg is still on duty).
STATE_ICONS = {
    TrackState.RECORDING: "tracking.svg",
    TrackState.AWAY: "tracking.svg",
    TrackState.LOCKED: "tracking.svg",
    TrackState.PAUSED: "paused.svg",
    TrackState.UNSUPPORTED: "unsupported.svg",
}
EVENING_ICON = "evening.svg"
#: States whose own icon shows even during an evening.
_URGENT_STATES = (TrackState.PAUSED, TrackState.UNSUPPORTED)


def icon(name: str) -> QIcon:
    return QIcon(str(ICONS / name))


def evening_line(kind: EveningKind, seconds_left: int) -> str:
    """The tray's first line during an evening: "Phone-free evening: 1 h 20 min left"."""
    left = format_duration(max(60, seconds_left))  # "0 min left" in the last minute would read as over
    if kind is EveningKind.SCREEN_FREE:
        return _("Screen-free evening: {time} left").format(time=left)
    return _("Phone-free evening: {time} left").format(time=left)


class Tray(QObject):
    """The tray icon and its menu. Signals ask the application to open windows or quit."""

    dashboard_requested = Signal()
    evenings_requested = Signal()
    goals_requested = Signal()
    phone_requested = Signal()
    settings_requested = Signal()
    quit_requested = Signal()
    pause_changed = Signal()

    def __init__(
        self,
        today: Callable[[], CategorySeconds],
        pause_file: PauseFile,
        pause_until: Callable[[str], float],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._today, self._pause_file, self._pause_until = today, pause_file, pause_until
        #: One line per goal with this week's (or today's) progress, asked at each refresh; set by the application.
        self.goals: Callable[[], list[str]] | None = None
        self.goal_actions: list[QAction] = []
        self.state = TrackState.RECORDING
        self.evening: str | None = None
        self.icon_name = "tracking.svg"
        self.icon = QSystemTrayIcon(icon(self.icon_name), self)
        self.menu = QMenu()
        # In the menu only while an evening is on (see set_evening), so the menu otherwise starts with today.
        self.evening_action = QAction(self.menu)
        self.evening_action.setEnabled(False)
        self.evening_separator = QAction(self.menu)
        self.evening_separator.setSeparator(True)
        self._today_actions = {c: self.menu.addAction("") for c in CATEGORY_ORDER}
        for action in self._today_actions.values():
            action.setEnabled(False)
        self._goals_end = self.menu.addSeparator()  # goal lines go just above it
        self.pause_menu = self.menu.addMenu("")
        self.pause_actions: dict[str, QAction] = {}
        for spec in ("15m", "1h", "tomorrow"):
            action = self.pause_menu.addAction("")
            action.triggered.connect(lambda _checked=False, s=spec: self.pause(s))
            self.pause_actions[spec] = action
        self.resume_action = self.menu.addAction("")
        self.resume_action.triggered.connect(self.resume)
        self.menu.addSeparator()
        self.dashboard_action = self.menu.addAction("")
        self.dashboard_action.triggered.connect(self.dashboard_requested)
        self.evenings_action = self.menu.addAction("")
        self.evenings_action.triggered.connect(self.evenings_requested)
        self.goals_action = self.menu.addAction("")
        self.goals_action.triggered.connect(self.goals_requested)
        self.phone_action = self.menu.addAction("")
        self.phone_action.triggered.connect(self.phone_requested)
        self.settings_action = self.menu.addAction("")
        self.settings_action.triggered.connect(self.settings_requested)
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction("")
        self.quit_action.triggered.connect(self.quit_requested)
        self.retranslate()
        self.menu.aboutToShow.connect(self.refresh)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.timeout.connect(self.refresh)
        self._refresh_timer.start(60_000)
        self.refresh()

    def retranslate(self) -> None:
        """Menu texts in the active language (called again when the language setting changes)."""
        self.pause_menu.setTitle(_("&Pause"))
        for spec, text in (("15m", _("For 1&5 minutes")), ("1h", _("For &1 hour")), ("tomorrow", _("Until &tomorrow"))):
            self.pause_actions[spec].setText(text)
        self.resume_action.setText(_("&Resume tracking"))
        self.dashboard_action.setText(_("Open &dashboard"))
        self.evenings_action.setText(_("&Evenings…"))
        self.goals_action.setText(_("&Goals…"))
        self.phone_action.setText(_("Add p&hone time…"))
        self.settings_action.setText(_("&Settings…"))
        self.quit_action.setText(_("&Quit Middenweg"))

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.dashboard_requested.emit()

    def set_state(self, state: str) -> None:
        self.state = TrackState(state)
        self._show_icon()
        self.refresh()

    def set_evening(self, text: str | None) -> None:
        """While an evening is on, ``text`` (see `evening_line`) heads the menu and the tooltip and the evening icon
        shows; None when it is over. The caller passes text in the active language, again after a language change."""
        self.evening = text or None
        self._show_icon()
        self.refresh()

    def _show_evening_line(self) -> None:
        shown = self.evening_action in self.menu.actions()
        if self.evening is None:
            if shown:
                self.menu.removeAction(self.evening_action)
                self.menu.removeAction(self.evening_separator)
            return
        self.evening_action.setText(self.evening.replace("&", "&&"))
        if not shown:
            first = self.menu.actions()[0]
            self.menu.insertAction(first, self.evening_action)
            self.menu.insertAction(first, self.evening_separator)

    def _show_icon(self) -> None:
        name = STATE_ICONS[self.state]
        if self.evening is not None and self.state not in _URGENT_STATES:
            name = EVENING_ICON
        if name != self.icon_name:
            self.icon_name = name
            self.icon.setIcon(icon(name))

    def refresh(self) -> None:
        """Today's time in the menu and the tooltip; which of pause and resume make sense now."""
        today = self._today()
        for category, action in self._today_actions.items():
            action.setText(
                _("{category} today: {time}").format(
                    category=_(CATEGORY_NAMES[category]), time=format_duration(today.get(category))
                )
            )
        self._show_goal_lines()
        tip = _("Middenweg — social and messaging today: {time}").format(time=format_duration(today.online))
        if self.evening is not None:
            tip = self.evening + "\n" + tip
        self._show_evening_line()
        paused = self.state is TrackState.PAUSED
        if paused:
            tip += "\n" + _("Tracking is paused.")
        elif self.state is TrackState.UNSUPPORTED:
            tip += "\n" + _("Middenweg cannot see the active window; open the dashboard to see why.")
        self.icon.setToolTip(tip)
        self.resume_action.setVisible(paused)
        self.pause_menu.menuAction().setVisible(not paused)

    def _show_goal_lines(self) -> None:
        lines = self.goals() if self.goals is not None else []
        while len(self.goal_actions) > len(lines):
            self.menu.removeAction(self.goal_actions.pop())
        while len(self.goal_actions) < len(lines):
            action = QAction(self.menu)
            action.setEnabled(False)
            self.menu.insertAction(self._goals_end, action)
            self.goal_actions.append(action)
        for action, line in zip(self.goal_actions, lines, strict=True):
            action.setText(line.replace("&", "&&"))

    def pause(self, spec: str) -> None:
        self._pause_file.set(self._pause_until(spec))
        self.set_state(TrackState.PAUSED.value)
        self.pause_changed.emit()

    def resume(self) -> None:
        self._pause_file.clear()
        self.set_state(TrackState.RECORDING.value)
        self.pause_changed.emit()
