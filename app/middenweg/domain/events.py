"""Observed and categorised stretches of window use, in whole UTC epoch seconds.

Times are integers on purpose: storage, reports and exports agree to the second, and the tracker samples at 1 Hz.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from middenweg.domain.categories import Category


@dataclass(frozen=True, slots=True)
class WindowActivity:
    """Time spent in one window, before categorisation. ``title`` is None when it was kept out."""

    start: int
    duration: int
    app: str
    title: str | None

    @property
    def end(self) -> int:
        return self.start + self.duration


@dataclass(frozen=True, slots=True)
class UsageEvent:
    """A categorised stretch of use. ``label`` names the app or site for "top apps" (e.g. "WhatsApp")."""

    start: int
    duration: int
    app: str
    title: str | None
    category: Category
    label: str

    @property
    def end(self) -> int:
        return self.start + self.duration


class DeviceKind(enum.StrEnum):
    """What kind of device the time was spent on."""

    COMPUTER = "computer"
    PHONE = "phone"


#: The app name of time entered by hand (a phone's own screen-time numbers) starts with this: no app or window
#: title starts so, and the rules never re-categorise it.
HAND_ENTERED_PREFIX = "middenweg:by-hand:"


class Scope(enum.StrEnum):
    """Which devices a week's time (and so the age-group comparison) covers."""

    THIS_COMPUTER = "this-computer"  # one computer, no phone (or no time at all)
    COMPUTERS = "computers"  # more than one computer, no phone
    WITH_PHONE = "with-phone"  # a phone and at least one computer
    PHONE = "phone"  # only a phone


@dataclass(frozen=True, slots=True)
class Device:
    """A computer or phone whose time is recorded. ``uid`` is stable; ``name`` is for people and may change."""

    uid: str
    name: str
    kind: DeviceKind
