"""Pausing tracking, remembered across restarts and seen by a tracker running in another process.

The pause lives in a small file in the data folder; the tracker re-reads it only when its modification time
changes, so checking it every tick costs one stat().
"""

from __future__ import annotations

import json
import math
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from middenweg.private_files import replaced_privately

FOREVER = math.inf


def pause_until(spec: str | None, now: float, tz: ZoneInfo) -> float:
    """When a pause given as "15m", "1h", "tomorrow" (06:00 tomorrow, local) or None (until resumed) ends.

    Raises ValueError for anything else.
    """
    if spec is None:
        return FOREVER
    text = spec.strip().lower()
    if text in ("tomorrow", "morgen"):
        tomorrow = datetime.fromtimestamp(now, tz).date() + timedelta(days=1)
        return datetime.combine(tomorrow, time(6), tzinfo=tz).timestamp()
    units = {"m": 60, "min": 60, "h": 3600, "u": 3600}
    for unit, factor in sorted(units.items(), key=lambda item: -len(item[0])):
        if text.endswith(unit) and text[: -len(unit)].strip().isdigit():
            amount = int(text[: -len(unit)])
            if 0 < amount <= 24 * 60 * 60 // factor * 7:
                return now + amount * factor
    raise ValueError(spec)


class PauseFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: float | None = None
        self._until: float | None = None

    def set(self, until: float) -> None:
        with replaced_privately(self.path, suffix=".tmp") as handle:
            json.dump({"until": None if until == FOREVER else until}, handle)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    def until(self) -> float | None:
        """When the current pause ends (FOREVER for "until resumed"), or None when not paused."""
        try:
            stamp = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            self._stamp, self._until = None, None
            return None
        if stamp != self._stamp:
            self._stamp = stamp
            try:
                value = json.loads(self.path.read_text(encoding="utf-8")).get("until")
                self._until = FOREVER if value is None else float(value)
            except (OSError, ValueError, AttributeError):
                self._until = FOREVER  # a damaged pause file errs on the side of privacy
        return self._until

    def active(self, wall: float) -> bool:
        until = self.until()
        return until is not None and wall < until
