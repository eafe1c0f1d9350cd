"""Idle time on KDE Plasma: from the screen locker's org.freedesktop.ScreenSaver where it answers, else (Plasma
refuses it in a Wayland session) from the compositor's Wayland idle protocol. The screen locker is the KDE stand-in
on a private bus; the compositor's idle protocol comes from a real headless sway (KWin offers the same protocols)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from standin_kde import start_kde_standin
from sway_session import SwaySession, sway_session

from desktop import SessionBus, wait_until
from middenweg.tracking.idle_chain import IdleChain
from middenweg.tracking.platforms.kde import ScreenSaverIdleProbe
from middenweg.tracking.platforms.wlroots import WaylandIdleProbe
from middenweg.tracking.probes import ProbeState

pytestmark = pytest.mark.wayland


@pytest.fixture
def sway(tmp_path: Path) -> Iterator[SwaySession]:
    with sway_session(tmp_path / "sway") as session:
        yield session


def chain(bus: SessionBus, sway: SwaySession) -> IdleChain:
    return IdleChain(ScreenSaverIdleProbe(bus.address), WaylandIdleProbe(environ=sway.env, idle_timeout=0.3))


def test_the_screen_locker_answers_first_where_it_can(
    dbus_session: SessionBus, sway: SwaySession, tmp_path: Path
) -> None:
    locker = start_kde_standin(dbus_session, tmp_path / "kde", kwin=False, idle_ms=7_250)
    idle = chain(dbus_session, sway)
    try:
        reading = idle.idle()
    finally:
        idle.close()
        locker.stop()
    assert (reading.status.ok, reading.seconds, idle.name) == (True, 7.25, "screensaver")


def test_on_plasma_wayland_the_compositor_tells_instead(
    dbus_session: SessionBus, sway: SwaySession, tmp_path: Path
) -> None:
    locker = start_kde_standin(dbus_session, tmp_path / "kde", kwin=False, idle_not_supported=True)
    idle = chain(dbus_session, sway)
    try:
        first = idle.idle()
        name = idle.name
        # No input on the seat: the compositor says idle after the notification's timeout.
        became_idle = wait_until(lambda: idle.idle().seconds, "the compositor to say the seat is idle")
    finally:
        idle.close()
        locker.stop()
    assert first.status.ok and first.seconds == 0.0 and name == "wayland-idle"
    assert became_idle >= 0.3


def test_when_neither_can_tell_the_screen_lockers_reason_is_given(dbus_session: SessionBus, tmp_path: Path) -> None:
    locker = start_kde_standin(dbus_session, tmp_path / "kde", kwin=False, idle_not_supported=True)
    idle = IdleChain(ScreenSaverIdleProbe(dbus_session.address), WaylandIdleProbe(environ={}))
    try:
        reading = idle.idle()
    finally:
        idle.close()
        locker.stop()
    assert reading.status.state is ProbeState.UNSUPPORTED and reading.seconds is None
    assert "does not give other programs the idle time in a Wayland session" in reading.status.reason
    assert idle.name == "screensaver"
