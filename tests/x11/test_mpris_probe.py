"""The MPRIS media probe on a real private session bus, with stand-in players that play, pause, hang and vanish."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop import MprisPlayer, SessionBus, session_bus, start_mpris_player
from fakes import FakeClock
from middenweg.tracking.platforms.mpris import RETRY_SECONDS, MprisProbe, create_mpris

pytest_plugins = ["desktop"]
pytestmark = pytest.mark.x11

StartPlayer = Callable[..., MprisPlayer]


@pytest.fixture
def probe(dbus_session: SessionBus) -> Iterator[MprisProbe]:
    made = create_mpris()  # the session bus address comes from the environment, as in a desktop session
    yield made
    made.close()


def test_a_playing_player_counts(mpris_player: StartPlayer, probe: MprisProbe) -> None:
    mpris_player("testplayer", "Playing")

    assert probe.playing() is True


def test_paused_and_stopped_players_do_not_count(mpris_player: StartPlayer, probe: MprisProbe) -> None:
    player = mpris_player("testplayer", "Playing")
    assert probe.playing() is True

    player.set_status("Paused")
    paused = probe.playing()
    player.set_status("Stopped")
    stopped = probe.playing()
    player.set_status("Playing")

    assert (paused, stopped, probe.playing()) == (False, False, True)


def test_one_playing_among_several_is_enough(mpris_player: StartPlayer, probe: MprisProbe) -> None:
    mpris_player("vlc", "Paused")
    mpris_player("firefox.instance_1_42", "Stopped")
    assert probe.playing() is False

    mpris_player("chromium.instance4711", "Playing")

    assert probe.playing() is True


def test_no_players_means_not_playing(probe: MprisProbe) -> None:
    assert probe.playing() is False


def test_a_player_that_quits_no_longer_counts(mpris_player: StartPlayer, probe: MprisProbe) -> None:
    assert probe.playing() is False  # connected before any player existed
    player = mpris_player("mpv", "Playing")
    assert probe.playing() is True

    player.stop()

    assert probe.playing() is False


def test_a_hung_player_costs_at_most_the_timeout(mpris_player: StartPlayer, probe: MprisProbe) -> None:
    mpris_player("spotify", "Playing").freeze()  # on the bus, never answering
    mpris_player("vlc", "Paused")

    start = time.monotonic()
    answer = probe.playing()
    elapsed = time.monotonic() - start

    assert answer is False
    assert elapsed < 0.6


def test_without_a_session_bus_it_cannot_tell(tmp_path: Path) -> None:
    nothing = MprisProbe(environ={"XDG_RUNTIME_DIR": str(tmp_path)})  # no address, no $XDG_RUNTIME_DIR/bus
    no_daemon = MprisProbe(f"unix:path={tmp_path / 'no-such-bus'}")

    assert nothing.playing() is None
    assert no_daemon.playing() is None


def test_a_bus_that_goes_away_and_comes_back(tmp_path: Path) -> None:
    clock = FakeClock(0.0)
    environ: dict[str, str] = {}
    probe = MprisProbe(environ=environ, monotonic=clock.monotonic)
    try:
        with session_bus(tmp_path / "bus1") as bus:
            environ["DBUS_SESSION_BUS_ADDRESS"] = bus.address
            clock.advance(RETRY_SECONDS)
            player = start_mpris_player(bus, tmp_path / "p1", "one", "Playing")
            first = probe.playing()
            player.stop()
        gone = probe.playing()

        with session_bus(tmp_path / "bus2") as bus:
            environ["DBUS_SESSION_BUS_ADDRESS"] = bus.address
            player = start_mpris_player(bus, tmp_path / "p2", "two", "Playing")
            too_soon = probe.playing()
            clock.advance(RETRY_SECONDS)
            back = probe.playing()
            player.stop()
    finally:
        probe.close()

    assert (first, gone, too_soon, back) == (True, None, None, True)


def test_cpu_cost_per_call(mpris_player: StartPlayer, probe: MprisProbe, capsys: pytest.CaptureFixture[str]) -> None:
    """Measured, not asserted: CPU time of one playing() with no player, then with two players on the bus."""
    calls = 200
    probe.playing()  # connect first
    start = time.process_time()
    idle_answers = {probe.playing() for _ in range(calls)}
    none_running = (time.process_time() - start) / calls
    mpris_player("vlc", "Paused")
    mpris_player("chromium.instance1", "Paused")
    start = time.process_time()
    answers = {probe.playing() for _ in range(calls)}
    two_players = (time.process_time() - start) / calls
    with capsys.disabled():
        print(
            f"\nMPRIS probe CPU per playing(): {none_running * 1e3:.3f} ms with no player, "
            f"{two_players * 1e3:.3f} ms with 2 players ({calls} calls each)"
        )
    assert idle_answers == answers == {False}
