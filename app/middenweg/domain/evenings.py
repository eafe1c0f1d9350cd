"""Phone-free evenings as plain values: a series (weekly every N weeks, or once) and its one-off changes.

Times of day are local wall-clock times in the evening's own time zone, so 19:00 stays 19:00 across DST; an end at
or before the start means the evening ends the next day.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from datetime import time


class EveningKind(enum.StrEnum):
    """What counts as a slip: social and messaging apps ("phone-free"), or any use of this computer."""

    PHONE_FREE = "phone-free"
    SCREEN_FREE = "screen-free"


@dataclass(frozen=True, slots=True)
class Evening:
    """A planned evening. ``weekdays`` (0 = Monday) empty means once, on ``first_date``."""

    id: int
    title: str
    kind: EveningKind
    start: time
    end: time
    first_date: dt.date
    weekdays: tuple[int, ...] = ()
    every: int = 1
    time_zone: str = "UTC"
    friends: tuple[str, ...] = ()
    remind_before: tuple[int, ...] = (30, 0)  # minutes before the start; 0 = at the start
    end_note: bool = True
    checkin: bool = True

    @property
    def once(self) -> bool:
        return not self.weekdays


@dataclass(frozen=True, slots=True)
class EveningChange:
    """One occurrence skipped (``new_date`` None) or moved to ``new_date`` (and optionally other times)."""

    evening_id: int
    date: dt.date
    new_date: dt.date | None = None
    new_start: time | None = None
    new_end: time | None = None

    @property
    def skipped(self) -> bool:
        return self.new_date is None


@dataclass(frozen=True, slots=True, order=True)
class Occurrence:
    """One evening as it happens: UTC epoch seconds; ``date`` is the series date it belongs to (before a move)."""

    start: int
    end: int
    evening_id: int
    date: dt.date
    moved: bool = False
