"""The MPRIS media probe: whether any media player on the D-Bus session bus says it is playing (a video, a call).

Any bus name ``org.mpris.MediaPlayer2.*`` whose ``org.mpris.MediaPlayer2.Player.PlaybackStatus`` is "Playing"
counts (browsers register one per playing tab). The probe keeps one session bus connection (jeepney, imported on
first use), knows the players from one ListNames plus NameOwnerChanged signals (so with no player running a call
asks the bus nothing), asks all players at once and waits at most ~200 ms, so a hung player cannot stall the
tracker. It must never raise to its caller or touch the bus at import time: with no session bus it answers None
(cannot tell) and tries to connect again at most every few seconds.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from middenweg.sessionbus import session_bus_address

#: Seconds to wait for the bus or the players to answer one round of questions.
CALL_TIMEOUT = 0.2
#: Seconds between two attempts to (re)connect to the session bus after a failure.
RETRY_SECONDS = 5.0

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
        self._address = address
        self._timeout = timeout
        self._monotonic = monotonic
        self._environ = environ
        self._conn: Any = None  # jeepney.io.blocking.DBusConnection while connected
        self._retry_at = -1e18
        # The MPRIS names on the bus: listed once per connection, then kept current by NameOwnerChanged.
        self._players: set[str] = set()

    def playing(self) -> bool | None:
        conn = self._connection()
        if conn is None:
            return None
        try:
            self._drain(conn)  # players that came or went since the last call
            return any(status == "Playing" for status in self._statuses(conn, sorted(self._players)))
        except Exception:  # a broken or closed connection (OSError, EOF, bad data): reconnect later
            self._drop()
            return None

    def close(self) -> None:
        self._players = set()
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    # -- the bus ------------------------------------------------------------------------------------------------

    def _bus_address(self) -> str | None:
        return self._address or session_bus_address(self._environ)

    def _connection(self) -> Any:
        if self._conn is not None:
            return self._conn
        now = self._monotonic()
        if now < self._retry_at:
            return None
        self._retry_at = now + RETRY_SECONDS
        address = self._bus_address()
        if address is None:
            return None
        try:
            from jeepney.io.blocking import open_dbus_connection

            self._conn = open_dbus_connection(bus=address, auth_timeout=max(self._timeout, 0.5))
            self._players = self._watch_players(self._conn)
        except Exception:  # no daemon there, refused, too slow, or an address jeepney cannot use
            self._drop()
        return self._conn

    def _drop(self) -> None:
        self.close()
        self._retry_at = self._monotonic() + RETRY_SECONDS

    def _send(self, conn: Any, message: Any) -> int:
        serial = int(next(conn.outgoing_serial))
        conn.send(message, serial=serial)
        return serial

    def _replies(self, conn: Any, serials: Iterable[int]) -> dict[int, Any]:
        """The replies to ``serials`` that arrive within the timeout. Signals met meanwhile are applied; anything
        else (late replies to earlier calls) is dropped."""
        from jeepney import HeaderFields

        waiting = set(serials)
        found: dict[int, Any] = {}
        deadline = self._monotonic() + self._timeout
        while waiting:
            remaining = deadline - self._monotonic()
            if remaining <= 0:
                break
            try:
                message = conn.receive(timeout=remaining)
            except TimeoutError:
                break
            serial = message.header.fields.get(HeaderFields.reply_serial)
            if serial in waiting:
                waiting.discard(serial)
                found[serial] = message
            else:
                self._apply_signal(message)
        return found

    def _watch_players(self, conn: Any) -> set[str]:
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
        match = self._send(conn, message_bus.AddMatch(rule))
        names = self._send(conn, message_bus.ListNames())
        replies = self._replies(conn, [match, names])
        listed = replies.get(names)
        if match not in replies or listed is None or listed.header.message_type is not MessageType.method_return:
            raise TimeoutError("the session bus did not answer AddMatch and ListNames in time")
        return {str(name) for name in listed.body[0] if str(name).startswith(MPRIS_PREFIX)}

    def _drain(self, conn: Any) -> None:
        """Apply the signals that arrived since the last call, without waiting for more."""
        while True:
            try:
                message = conn.receive(timeout=0)
            except TimeoutError:
                return
            self._apply_signal(message)

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

    def _statuses(self, conn: Any, players: list[str]) -> list[str]:
        """PlaybackStatus of each player that answers in time; players that fail or hang are left out."""
        if not players:
            return []
        from jeepney import DBusAddress, MessageType, Properties

        serials = [
            self._send(
                conn,
                Properties(DBusAddress(MPRIS_PATH, bus_name=name, interface=PLAYER_INTERFACE)).get("PlaybackStatus"),
            )
            for name in players
        ]
        statuses: list[str] = []
        for reply in self._replies(conn, serials).values():
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
