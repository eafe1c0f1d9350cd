"""The MPRIS media probe: whether any media player on the D-Bus session bus says it is playing (a video, a call).

Any bus name ``org.mpris.MediaPlayer2.*`` whose ``org.mpris.MediaPlayer2.Player.PlaybackStatus`` is "Playing"
counts (browsers register one per playing tab). The probe keeps one session bus connection (jeepney, imported on
first use), knows the players from one ListNames plus NameOwnerChanged signals (so with no player running a call
asks the bus nothing), asks all players at once and waits at most ~200 ms, so a hung player cannot stall the
tracker. It must never raise to its caller or touch the bus at import time: with no session bus it answers None
(cannot tell) and tries to connect again at most every few seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from middenweg.tracking.platforms.buslink import CALL_TIMEOUT, RETRY_SECONDS, BusLink

__all__ = ["RETRY_SECONDS", "MprisProbe", "create_mpris"]

MPRIS_PREFIX = "org.mpris.MediaPlayer2."
MPRIS_PATH = "/org/mpris/MediaPlayer2"
PLAYER_INTERFACE = "org.mpris.MediaPlayer2.Player"


class MprisProbe:
    """MediaProbe over MPRIS (name ``"mpris"``). ``address`` overrides the session bus address; ``monotonic``
    and ``environ`` are seams for tests. Threading: call from one thread only, like every probe."""

    name = "mpris"

    def __init__(
        self,
        address: str | None = None,
        *,
        timeout: float = CALL_TIMEOUT,
        monotonic: Callable[[], float] = time.monotonic,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        # The MPRIS names on the bus: listed once per connection, then kept current by NameOwnerChanged.
        self._players: set[str] = set()
        self._bus = BusLink(
            address,
            environ=environ,
            timeout=timeout,
            monotonic=monotonic,
            on_connect=self._watch_players,
            on_message=self._apply_signal,
        )

    def playing(self) -> bool | None:
        if self._bus.connection() is None:
            return None
        try:
            self._bus.drain()  # players that came or went since the last call
            return any(status == "Playing" for status in self._statuses(sorted(self._players)))
        except Exception:  # a broken or closed connection (OSError, EOF, bad data): reconnect later
            self._players = set()
            self._bus.drop()
            return None

    def close(self) -> None:
        self._players = set()
        self._bus.close()

    # -- the bus ------------------------------------------------------------------------------------------------

    def _watch_players(self, _conn: Any) -> None:
        """Subscribe to MPRIS names coming and going, then list those there now (in that order, so none is missed)."""
        from jeepney import MessageType
        from jeepney.bus_messages import MatchRule, message_bus

        rule = MatchRule(
            type="signal",
            sender="org.freedesktop.DBus",
            interface="org.freedesktop.DBus",
            member="NameOwnerChanged",
            path="/org/freedesktop/DBus",
        )
        rule.add_arg_condition(0, MPRIS_PREFIX.rstrip("."), kind="namespace")
        self._players = set()
        match = self._bus.send(message_bus.AddMatch(rule))
        names = self._bus.send(message_bus.ListNames())
        replies = self._bus.replies([match, names])
        listed = replies.get(names)
        if match not in replies or listed is None or listed.header.message_type is not MessageType.method_return:
            raise TimeoutError("the session bus did not answer AddMatch and ListNames in time")
        self._players = {str(name) for name in listed.body[0] if str(name).startswith(MPRIS_PREFIX)}

    def _apply_signal(self, message: Any) -> None:
        from jeepney import HeaderFields, MessageType

        if message.header.message_type is not MessageType.signal:
            return
        if message.header.fields.get(HeaderFields.member) != "NameOwnerChanged" or len(message.body) != 3:
            return
        name, _old_owner, new_owner = (str(part) for part in message.body)
        if not name.startswith(MPRIS_PREFIX):
            return
        if new_owner:
            self._players.add(name)
        else:
            self._players.discard(name)

    def _statuses(self, players: list[str]) -> list[str]:
        """PlaybackStatus of each player that answers in time; players that fail or hang are left out."""
        if not players:
            return []
        from jeepney import DBusAddress, MessageType, Properties

        serials = [
            self._bus.send(
                Properties(DBusAddress(MPRIS_PATH, bus_name=name, interface=PLAYER_INTERFACE)).get("PlaybackStatus")
            )
            for name in players
        ]
        statuses: list[str] = []
        for reply in self._bus.replies(serials).values():
            if reply.header.message_type is not MessageType.method_return or not reply.body:
                continue
            variant = reply.body[0]  # ("s", "Playing")
            if isinstance(variant, tuple) and len(variant) == 2 and isinstance(variant[1], str):
                statuses.append(variant[1])
        return statuses


def create_mpris(environ: Mapping[str, str] | None = None, *, address: str | None = None) -> MprisProbe:
    """The MPRIS media probe on the session bus named by ``address``, else by ``environ`` (default: the process
    environment, read on each connection attempt): DBUS_SESSION_BUS_ADDRESS, then $XDG_RUNTIME_DIR/bus."""
    return MprisProbe(address, environ=environ)
