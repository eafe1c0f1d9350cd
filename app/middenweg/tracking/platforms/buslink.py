"""One session-bus connection for a probe: connected on first use, retried at most every few seconds, and every
question answered within a bounded time, so a missing bus or a hung service never stalls the tracker.

Probes that talk D-Bus (MPRIS, GNOME Shell, KWin, the screensaver) share this instead of each keeping their own
retry and timeout logic, and the reasons they give when there is no bus or the connection broke, so one translation
serves them all. jeepney is imported on first connection, never at import time. Threading: one thread only, like
every probe.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from middenweg.i18n import _
from middenweg.sessionbus import session_bus_address
from middenweg.tracking.probes import ProbeState, ProbeStatus

#: Seconds to wait for the bus or a service to answer one round of questions.
CALL_TIMEOUT = 0.2
#: Seconds between two attempts to (re)connect to the session bus after a failure.
RETRY_SECONDS = 5.0


class BusLink:
    """A jeepney blocking connection to the session bus named by ``address`` (else by ``environ``: see
    ``session_bus_address``, read on each attempt).

    ``on_connect(conn)`` runs on each new connection (subscribe to signals, list names); if it raises, the connection
    is dropped and retried later. ``on_message(message)`` gets every message that arrives while waiting for a reply
    or draining and is not that reply (signals, method calls to a name this connection owns, late replies).
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        timeout: float = CALL_TIMEOUT,
        monotonic: Callable[[], float] = time.monotonic,
        on_connect: Callable[[Any], None] | None = None,
        on_message: Callable[[Any], None] | None = None,
    ) -> None:
        self._address = address
        self._environ = environ
        self.timeout = timeout
        self._monotonic = monotonic
        self._on_connect = on_connect
        self._on_message = on_message
        self._conn: Any = None  # jeepney.io.blocking.DBusConnection while connected
        self._retry_at = -1e18
        self.last_error: str = ""  # why the last connection attempt failed ("" when connected or never tried)

    @property
    def connected(self) -> bool:
        return self._conn is not None

    def address(self) -> str | None:
        return self._address or session_bus_address(self._environ)

    def connection(self) -> Any:
        """The connection, (re)connecting when the retry time has come; None while there is none."""
        if self._conn is not None:
            return self._conn
        now = self._monotonic()
        if now < self._retry_at:
            return None
        self._retry_at = now + RETRY_SECONDS
        address = self.address()
        if address is None:
            self.last_error = "DBUS_SESSION_BUS_ADDRESS is not set"
            return None
        try:
            from jeepney.io.blocking import open_dbus_connection

            self._conn = open_dbus_connection(bus=address, auth_timeout=max(self.timeout, 0.5))
            if self._on_connect is not None:
                self._on_connect(self._conn)
            self.last_error = ""
        except Exception as error:  # no daemon there, refused, too slow, or an address jeepney cannot use
            self.last_error = str(error) or type(error).__name__
            self.drop()
        return self._conn

    def send(self, message: Any) -> int:
        """Send ``message`` on the open connection; its serial. Raises when the connection is broken."""
        conn = self._conn
        if conn is None:
            raise ConnectionError("not connected to the session bus")
        serial = int(next(conn.outgoing_serial))
        conn.send(message, serial=serial)
        return serial

    def replies(self, serials: Iterable[int]) -> dict[int, Any]:
        """The replies (method returns or errors) to ``serials`` that arrive within the timeout."""
        from jeepney import HeaderFields

        conn = self._conn
        if conn is None:
            raise ConnectionError("not connected to the session bus")
        waiting = set(serials)
        found: dict[int, Any] = {}
        deadline = self._monotonic() + self.timeout
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
            elif self._on_message is not None:
                self._on_message(message)
        return found

    def call(self, message: Any) -> Any:
        """Send one method call and wait for its answer: the reply (a method return or an error), or None when
        there is no connection or no answer in time. A broken connection is dropped (retried later)."""
        if self.connection() is None:
            return None
        try:
            serial = self.send(message)
            return self.replies([serial]).get(serial)
        except Exception:  # a broken or closed connection (OSError, EOF, bad data): reconnect later
            self.drop()
            return None

    def drain(self) -> None:
        """Hand the messages that arrived since the last call to ``on_message``, without waiting for more."""
        conn = self._conn
        if conn is None:
            return
        while True:
            try:
                message = conn.receive(timeout=0)
            except TimeoutError:
                return
            if self._on_message is not None:
                self._on_message(message)

    def drop(self) -> None:
        """Close the connection after a failure; the next attempt waits for the retry time."""
        self.close()
        self._retry_at = self._monotonic() + RETRY_SECONDS

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()


def is_error(reply: Any) -> bool:
    """Whether a reply is a D-Bus error (or missing)."""
    from jeepney import MessageType

    return reply is None or reply.header.message_type is not MessageType.method_return


def error_name(reply: Any) -> str:
    """The D-Bus error name of an error reply ("" for anything else)."""
    from jeepney import HeaderFields, MessageType

    if reply is None or reply.header.message_type is not MessageType.error:
        return ""
    return str(reply.header.fields.get(HeaderFields.error_name, ""))


# -- reasons a probe gives for the bus (translated when given, never at import) -------------------------------------


def no_bus(error: str) -> ProbeStatus:
    """There is no session bus to connect to; ``error`` is `BusLink.last_error` (what is missing, or what failed)."""
    return ProbeStatus(
        ProbeState.UNSUPPORTED,
        _(
            "There is no D-Bus session bus ({error}); start Middenweg inside your desktop session, and it will try "
            "again in a few seconds."
        ).format(error=error or "?"),
    )


def bus_lost(error: str) -> ProbeStatus:
    """The connection broke during a reading (``error`` says how); `BusLink` connects again after the retry time."""
    return ProbeStatus(
        ProbeState.UNSUPPORTED,
        _(
            "The connection to the D-Bus session bus was lost ({error}); Middenweg will reconnect in a few seconds."
        ).format(error=error or "?"),
    )


def dropped(link: BusLink, error: BaseException) -> ProbeStatus:
    """Drop ``link`` after ``error`` (a broken connection or bad data from the bus) ended a reading, and say so."""
    link.drop()
    return bus_lost(str(error) or type(error).__name__)
