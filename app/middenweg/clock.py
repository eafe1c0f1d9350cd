"""The one place that asks the operating system what time it is.

Everything that needs "now" receives a ``Clock`` so tests can drive time by hand; nothing else in the package may call
``time.time()`` or ``datetime.now()`` directly.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Wall-clock time as UTC epoch seconds, and a monotonic counter for measuring intervals."""

    def time(self) -> float:
        """Seconds since the epoch, UTC; may jump when the user or NTP sets the clock."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary start; never jumps backwards."""
        ...


class SystemClock:
    """The real clock of this computer."""

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()
