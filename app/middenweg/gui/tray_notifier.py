"""The middle link of the notifier chain: a balloon message from the tray icon (Qt), when plyer cannot show one.

Available only while the tray icon is visible and the desktop can show its messages.
"""

from __future__ import annotations

from PySide6.QtWidgets import QSystemTrayIcon

from middenweg.i18n import _
from middenweg.notifications.notifier import Notification

_ICONS = {
    "low": QSystemTrayIcon.MessageIcon.Information,
    "normal": QSystemTrayIcon.MessageIcon.Information,
    "critical": QSystemTrayIcon.MessageIcon.Warning,
}
SHOW_MS = 10_000


class TrayNotifier:
    name = "qt-tray"

    def __init__(self, icon: QSystemTrayIcon) -> None:
        self.icon = icon

    def available(self) -> tuple[bool, str]:
        if not QSystemTrayIcon.isSystemTrayAvailable() or not self.icon.isVisible():
            return False, _("There is no tray icon to show a message from.")
        if not QSystemTrayIcon.supportsMessages():
            return False, _("This desktop's tray cannot show messages.")
        return True, ""

    def send(self, note: Notification) -> bool:
        self.icon.showMessage(note.title, note.body, _ICONS.get(note.urgency, _ICONS["normal"]), SHOW_MS)
        return True
