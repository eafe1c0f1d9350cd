"""Choosing the probes for this operating system and session, and saying why the others could not answer.

Linux: X11 (XWayland included) when DISPLAY is set, with MPRIS for "a video is playing"; a pure Wayland session is
explained (native Wayland probes come with a later issue). Windows and macOS: their own modules. Nothing is
imported or connected until ``select_probes`` runs.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass

from middenweg.i18n import _
from middenweg.tracking.probes import IdleProbe, MediaProbe, ProbeState, ProbeStatus, WindowProbe


@dataclass(frozen=True, slots=True)
class Attempt:
    """One probe that was tried: its name and what it said (OK, or why it cannot work here)."""

    name: str
    status: ProbeStatus


@dataclass(frozen=True, slots=True)
class ProbeSet:
    name: str
    window: WindowProbe
    idle: IdleProbe
    media: MediaProbe | None

    def close(self) -> None:
        for probe in (self.window, self.idle, self.media):
            if probe is not None:
                probe.close()


def _linux(environ: Mapping[str, str]) -> tuple[ProbeSet | None, list[Attempt]]:
    attempts: list[Attempt] = []
    display = environ.get("DISPLAY")
    if display:
        from middenweg.tracking.platforms.mpris import create_mpris
        from middenweg.tracking.platforms.x11 import create_x11

        x11 = create_x11(display)
        status = x11.active_window().status
        attempts.append(Attempt("x11", status))
        # Keep X11 even when its first reading failed: it reconnects by itself once the display is back.
        return ProbeSet("x11", x11, x11, create_mpris(environ)), attempts
    if environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
        reason = _(
            "This is a Wayland session without X11 (no DISPLAY). Middenweg cannot see the active window here yet; "
            'log in to an X11 session (for example "GNOME on Xorg") to track.'
        )
    else:
        reason = _("No graphical session: DISPLAY is not set, so there is no active window to see.")
    attempts.append(Attempt("x11", ProbeStatus(ProbeState.UNSUPPORTED, reason)))
    return None, attempts


def select_probes(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> tuple[ProbeSet | None, list[Attempt]]:
    """The probes to track with here (or None), and every attempt with its status."""
    import os

    env = os.environ if environ is None else environ
    system = platform or sys.platform
    if system == "win32":
        from middenweg.tracking.platforms import windows

        window, idle, media = windows.create()
        return ProbeSet("windows", window, idle, media), [Attempt("windows", window.active_window().status)]
    if system == "darwin":
        from middenweg.tracking.platforms import macos

        window, idle, media = macos.create()
        return ProbeSet("macos", window, idle, media), [Attempt("macos", window.active_window().status)]
    return _linux(env)
