"""Showing notifications: the ``Notifier`` contract, the plyer and log-file adapters, and the fallback chain.

Bootstrap builds a ``NotifierChain`` (plyer, the Qt tray adapter from ``gui/`` when the GUI runs, then the log file).
Importing this package imports neither plyer nor jeepney, opens no bus and creates no file.
"""

from middenweg.notifications.chain import NotifierChain
from middenweg.notifications.log_adapter import LogNotifier
from middenweg.notifications.notifier import Notification, Notifier
from middenweg.notifications.plyer_adapter import PlyerNotifier

__all__ = ["LogNotifier", "Notification", "Notifier", "NotifierChain", "PlyerNotifier"]
