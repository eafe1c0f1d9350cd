"""The contract every platform probe keeps: "which window is in front" and "how long since the last input".

A probe that cannot work here says so with a status and a sentence the user can act on; it never raises to its
caller and never touches the operating system at import time (connections are made on first use and retried).
Threading: probes are called from one thread (the tracker's), at about 1 Hz; each call must return within ~50 ms.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


class ProbeState(enum.StrEnum):
    OK = "ok"
    UNSUPPORTED = "unsupported"
    NEEDS_PERMISSION = "needs_permission"


@dataclass(frozen=True, slots=True)
class ProbeStatus:
    """``reason`` is empty when OK; otherwise one translated sentence saying what is wrong and what to do."""

    state: ProbeState
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.state is ProbeState.OK


OK = ProbeStatus(ProbeState.OK)


@dataclass(frozen=True, slots=True)
class WindowInfo:
    """The window in front. ``app`` is the identity rules match on: X11 WM_CLASS class (else instance, else process
    name), the Windows executable name ("WhatsApp.exe"), the macOS application name ("WhatsApp").
    ``title`` is None when the platform will not tell (e.g. no Accessibility permission on macOS)."""

    app: str
    title: str | None
    pid: int | None = None
    process: str | None = None
    executable: str | None = None


@dataclass(frozen=True, slots=True)
class WindowReading:
    """``window`` None with an OK status means no window is in front (lock screen, UAC desktop): the user is away."""

    status: ProbeStatus
    window: WindowInfo | None = None


@dataclass(frozen=True, slots=True)
class IdleReading:
    """Seconds since the last keyboard or mouse input; None when the status is not OK."""

    status: ProbeStatus
    seconds: float | None = None


class WindowProbe(Protocol):
    name: str

    def active_window(self) -> WindowReading: ...

    def close(self) -> None: ...


class IdleProbe(Protocol):
    name: str

    def idle(self) -> IdleReading: ...

    def close(self) -> None: ...


class MediaProbe(Protocol):
    """Whether a video or call is playing (MPRIS, Windows media session): time in front of it counts without input."""

    name: str

    def playing(self) -> bool | None:
        """True or False, or None when this platform cannot tell."""
        ...

    def close(self) -> None: ...
