"""Tries notifiers in order (plyer, then the Qt tray once the GUI runs, then the log file) until one delivers.

A notifier that is not available here is skipped, and the reason is logged once (again only when it changes), not
on every notification. The chain accepts any ``Notifier``; it never imports a toolkit and never raises from
``send``: an adapter that raises counts as one that did not deliver.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from middenweg.notifications.notifier import Notification, Notifier

_LOGGER = "middenweg.notifications"


class NotifierChain:
    """The notifiers in the order they are tried; put one that always works (``LogNotifier``) last."""

    def __init__(self, notifiers: Sequence[Notifier], logger: logging.Logger | None = None) -> None:
        self.notifiers: tuple[Notifier, ...] = tuple(notifiers)
        self._log = logger if logger is not None else logging.getLogger(_LOGGER)
        # The last skip reason logged for each notifier (by position: names need not be unique).
        self._logged: dict[int, str] = {}

    def send(self, note: Notification) -> str | None:
        """Hand ``note`` to the first available notifier that takes it; its name, or None if none did."""
        for index, notifier in enumerate(self.notifiers):
            ok, reason = self._available(notifier)
            if not ok:
                if self._logged.get(index) != reason:
                    self._logged[index] = reason
                    self._log.warning("Notifier %r is skipped: %s", notifier.name, reason)
                continue
            self._logged.pop(index, None)
            try:
                delivered = notifier.send(note)
            except Exception:  # an adapter's bug must not cost the user the notification
                self._log.exception("Notifier %r failed; trying the next one.", notifier.name)
                continue
            if delivered:
                return notifier.name
            detail = getattr(notifier, "last_error", None)
            self._log.warning(
                "Notifier %r did not deliver%s; trying the next one.",
                notifier.name,
                f" ({detail})" if detail else "",
            )
        self._log.error("No notifier delivered the notification %r.", note.title)
        return None

    def describe(self) -> list[tuple[str, bool, str]]:
        """(name, available, reason) for each notifier in order, for a probe-style listing."""
        return [(notifier.name, *self._available(notifier)) for notifier in self.notifiers]

    @staticmethod
    def _available(notifier: Notifier) -> tuple[bool, str]:
        try:
            return notifier.available()
        except Exception as error:  # a check that crashes means the notifier cannot be trusted here
            return False, f"{type(error).__name__}: {error}"
