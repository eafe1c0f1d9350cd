"""What a notification is and what every way of showing one must offer.

``Notification`` is the value handed down from the nudges; ``Notifier`` is the contract each adapter (plyer, the Qt
tray in ``gui/``, the log file) fulfils so that ``NotifierChain`` can try them in order. Text arrives already
translated; nothing here may translate, reword or import a toolkit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Notification:
    """One message for the user; ``urgency`` follows the freedesktop names: "low", "normal" or "critical"."""

    title: str
    body: str
    urgency: str = "normal"


class Notifier(Protocol):
    """A way of showing notifications. Called on the main thread; ``send`` must not block for long."""

    name: str

    def available(self) -> tuple[bool, str]:
        """(True, "") when ``send`` can work here, else (False, a sentence saying why and what to do)."""
        ...

    def send(self, note: Notification) -> bool:
        """Hand ``note`` over; True when it was handed over, False (never an exception) when it was not."""
        ...
