"""The tray icon: its state (tracking, paused, away, cannot see), today's time as tooltip, and its menu.

Pausing from the menu writes the same pause file as ``middenweg pause``, so a pause survives a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from middenweg.cli_text import CATEGORY_NAMES
from middenweg.domain.categories import CATEGORY_ORDER
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


def icon(name: str) -> QIcon:
    return QIcon(str(ICONS / name))


class Tray(QObject):
    """The tray icon and its menu. Signals ask the application to open windows or quit."""

    dashboard_requested = Signal()
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
        self.state = TrackState.RECORDING
        self.icon = QSystemTrayIcon(icon("tracking.svg"), self)
        self.menu = QMenu()
        self._today_actions = {c: self.menu.addAction("") for c in CATEGORY_ORDER}
        for action in self._today_actions.values():
            action.setEnabled(False)
        self.menu.addSeparator()
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
        self.icon.setIcon(icon(STATE_ICONS[self.state]))
        self.refresh()

    def refresh(self) -> None:
        """Today's time in the menu and the tooltip; which of pause and resume make sense now."""
        today = self._today()
        for category, action in self._today_actions.items():
            action.setText(
                _("{category} today: {time}").format(
                    category=_(CATEGORY_NAMES[category]), time=format_duration(today.get(category))
                )
            )
        tip = _("Middenweg — social and messaging today: {time}").format(time=format_duration(today.online))
        paused = self.state is TrackState.PAUSED
        if paused:
            tip += "\n" + _("Tracking is paused.")
        elif self.state is TrackState.UNSUPPORTED:
            tip += "\n" + _("Middenweg cannot see the active window; open the dashboard to see why.")
        self.icon.setToolTip(tip)
        self.resume_action.setVisible(paused)
        self.pause_menu.menuAction().setVisible(not paused)

    def pause(self, spec: str) -> None:
        self._pause_file.set(self._pause_until(spec))
        self.set_state(TrackState.PAUSED.value)
        self.pause_changed.emit()

    def resume(self) -> None:
        self._pause_file.clear()
        self.set_state(TrackState.RECORDING.value)
        self.pause_changed.emit()
