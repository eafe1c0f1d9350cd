"""Choosing the probes for this operating system and session, and saying why the others could not answer.

Linux, Wayland: the compositor's own way first, hinted by the session (``XDG_CURRENT_DESKTOP``, ``SWAYSOCK``,
``HYPRLAND_INSTANCE_SIGNATURE``), then whatever else answers on the session bus (GNOME Shell with an extension,
KWin); where none answers and XWayland is there (``DISPLAY``), X11, which sees only X11 apps. Linux, X11: X11, with
MPRIS for "a video is playing". Windows and macOS: their own modules. Nothing is imported or connected until
``select_probes`` runs.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from middenweg.i18n import _
from middenweg.tracking.probes import IdleProbe, MediaProbe, ProbeState, ProbeStatus, WindowProbe


@dataclass(frozen=True, slots=True)
class Attempt:
    """One probe that was tried: its name, what it said (OK, or why it cannot work here) and, where it answered
    with limits, a ``note`` saying which (one translated sentence, "" when none)."""

    name: str
    status: ProbeStatus
    note: str = ""


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


Factory = Callable[[Mapping[str, str]], tuple[WindowProbe, IdleProbe]]

#: The Wayland paths: module and factory, imported only when tried.
_WAYLAND: dict[str, tuple[str, str]] = {
    "sway": ("middenweg.tracking.platforms.wlroots", "create_sway"),
    "hyprland": ("middenweg.tracking.platforms.wlroots", "create_hyprland"),
    "gnome": ("middenweg.tracking.platforms.gnome", "create_gnome"),
    "kwin": ("middenweg.tracking.select", "create_plasma"),
}
#: The paths that answer on the session bus, tried on any Wayland desktop after the hinted ones.
_ON_THE_BUS = ("gnome", "kwin")
#: XDG_CURRENT_DESKTOP names (lower case) of desktops built on GNOME Shell.
_GNOME_DESKTOPS = frozenset({"gnome", "gnome-classic", "ubuntu", "pop", "unity", "zorin"})


def create_plasma(environ: Mapping[str, str]) -> tuple[WindowProbe, IdleProbe]:
    """KWin's window probe; idle time from the screen locker, else (Plasma refuses that in a Wayland session) from
    KWin's Wayland idle protocol."""
    from middenweg.tracking.idle_chain import IdleChain
    from middenweg.tracking.platforms.kde import create_kde
    from middenweg.tracking.platforms.wlroots import WaylandIdleProbe

    window, screensaver = create_kde(environ)
    return window, IdleChain(screensaver, WaylandIdleProbe(environ=environ))


def _factory(path: str) -> Factory:
    module, name = _WAYLAND[path]
    factory: Factory = getattr(importlib.import_module(module), name)
    return factory


def desktop_names(environ: Mapping[str, str]) -> list[str]:
    """The session's desktop names, lower case: XDG_CURRENT_DESKTOP's list ("ubuntu:GNOME"), then XDG_SESSION_DESKTOP
    and DESKTOP_SESSION."""
    names = [n.strip().lower() for n in environ.get("XDG_CURRENT_DESKTOP", "").split(":")]
    names += [environ.get("XDG_SESSION_DESKTOP", "").lower(), environ.get("DESKTOP_SESSION", "").lower()]
    return [n for n in names if n]


def wayland_paths(environ: Mapping[str, str]) -> tuple[list[str], set[str]]:
    """The Wayland paths to try, in order, and those the session hints at (its own compositor's)."""
    desktops = set(desktop_names(environ))
    hinted: list[str] = []
    if environ.get("SWAYSOCK") or "sway" in desktops:
        hinted.append("sway")
    if environ.get("HYPRLAND_INSTANCE_SIGNATURE") or "hyprland" in desktops:
        hinted.append("hyprland")
    if desktops & _GNOME_DESKTOPS:
        hinted.append("gnome")
    if desktops & {"kde", "plasma", "plasmawayland"}:
        hinted.append("kwin")
    return hinted + [p for p in _ON_THE_BUS if p not in hinted], set(hinted)


def _is_wayland(environ: Mapping[str, str]) -> bool:
    return bool(environ.get("WAYLAND_DISPLAY")) or environ.get("XDG_SESSION_TYPE") == "wayland"


def _media(environ: Mapping[str, str]) -> MediaProbe:
    from middenweg.tracking.platforms.mpris import create_mpris

    return create_mpris(environ)


def _x11(environ: Mapping[str, str], display: str, attempts: list[Attempt], *, xwayland: bool) -> ProbeSet:
    from middenweg.tracking.platforms.x11 import create_x11

    x11 = create_x11(display)
    note = (
        _(
            "Through XWayland Middenweg sees only apps that run on X11; time in native Wayland apps is not counted. "
            'See README, "Tracking on Wayland", for what to install on this desktop.'
        )
        if xwayland
        else ""
    )
    attempts.append(Attempt("x11", x11.active_window().status, note))
    # Keep X11 even when its first reading failed: it reconnects by itself once the display is back.
    return ProbeSet("x11", x11, x11, _media(environ))


def _wayland(environ: Mapping[str, str], attempts: list[Attempt]) -> ProbeSet | None:
    paths, hinted = wayland_paths(environ)
    fallback: tuple[WindowProbe, IdleProbe] | None = None
    for path in paths:
        window, idle = _factory(path)(environ)
        status = window.active_window().status
        attempts.append(Attempt(window.name, status))
        if status.ok:
            if fallback is not None:
                fallback[0].close()
                fallback[1].close()
            return ProbeSet(window.name, window, idle, _media(environ))
        if path in hinted and fallback is None:
            fallback = (window, idle)  # the session's own path: kept, so it starts counting once it can
        else:
            window.close()
            idle.close()
    display = environ.get("DISPLAY")
    if display:
        if fallback is not None:
            fallback[0].close()
            fallback[1].close()
        return _x11(environ, display, attempts, xwayland=True)
    if fallback is not None:
        return ProbeSet(fallback[0].name, fallback[0], fallback[1], _media(environ))
    if not hinted:
        attempts.append(
            Attempt(
                "wayland",
                ProbeStatus(
                    ProbeState.UNSUPPORTED,
                    _(
                        "Middenweg cannot see the active window on this Wayland desktop. It can on GNOME (with an "
                        "extension), KDE Plasma, Sway and Hyprland, or in an X11 session."
                    ),
                ),
            )
        )
    return None


def _linux(environ: Mapping[str, str]) -> tuple[ProbeSet | None, list[Attempt]]:
    attempts: list[Attempt] = []
    if _is_wayland(environ):
        return _wayland(environ, attempts), attempts
    display = environ.get("DISPLAY")
    if display:
        return _x11(environ, display, attempts, xwayland=False), attempts
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
