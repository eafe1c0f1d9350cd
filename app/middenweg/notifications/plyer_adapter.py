"""Desktop notifications through plyer (Windows toasts, macOS Notification Center, freedesktop on Linux).

On Linux plyer talks to ``org.freedesktop.Notifications`` through dbus-python, or else runs ``notify-send``, which
fails silently when no notification service runs. So before it is offered, this adapter asks the session bus
(with jeepney, within ``CHECK_TIMEOUT``) whether that name has an owner, and says why not when it has none. This is
the only module that imports plyer, and only inside ``send``; nothing here may block for longer than the check or
raise out of ``available`` or ``send``.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import time
import warnings
from collections.abc import Mapping
from typing import Any

from middenweg.i18n import _
from middenweg.notifications.notifier import Notification
from middenweg.sessionbus import session_bus_address

NOTIFICATIONS_NAME = "org.freedesktop.Notifications"
#: Seconds the whole bus check (connect, authenticate, ask) may take before the bus counts as unreachable.
CHECK_TIMEOUT = 0.3
APP_NAME = "Middenweg"
#: Seconds the desktop shows a notification.
SHOW_SECONDS = 10


class PlyerNotifier:
    """plyer's notification facade, offered on Linux only when a notification service owns its bus name.

    ``environ`` and ``bus_address`` steer the bus check only; plyer itself uses this process's environment (they
    are the same outside tests). ``platform`` defaults to ``sys.platform``.
    """

    name = "plyer"

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        bus_address: str | None = None,
        *,
        platform: str | None = None,
    ) -> None:
        self._environ = environ
        self._bus_address = bus_address
        self._platform = sys.platform if platform is None else platform
        self.last_error: str | None = None

    def available(self) -> tuple[bool, str]:
        if not self._platform.startswith("linux"):
            return True, ""
        if importlib.util.find_spec("dbus") is None and shutil.which("notify-send") is None:
            return False, _(
                "Neither dbus-python nor notify-send is installed, so desktop notifications cannot be shown. "
                "Install the libnotify-bin package (or python3-dbus)."
            )
        address = self._address()
        if address is None:
            return False, _(
                "There is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), "
                "so desktop notifications cannot be shown."
            )
        try:
            owned = name_has_owner(address, NOTIFICATIONS_NAME, CHECK_TIMEOUT)
        except (OSError, ValueError, RuntimeError, TimeoutError):
            return False, _(
                "The D-Bus session bus at {address} cannot be reached, so desktop notifications cannot be shown."
            ).format(address=address)
        if not owned:
            return False, _(
                "No notification service is running on the session bus (org.freedesktop.Notifications), "
                "so desktop notifications cannot be shown."
            )
        return True, ""

    def send(self, note: Notification) -> bool:
        try:
            from plyer import notification

            with warnings.catch_warnings():
                # plyer warns (for developers) when it falls back from dbus-python to notify-send; that is expected.
                warnings.simplefilter("ignore")
                notification.notify(
                    title=not_an_option(note.title),
                    message=not_an_option(note.body),
                    app_name=APP_NAME,
                    timeout=SHOW_SECONDS,
                )
        except Exception as error:  # plyer raises whatever its backend raises (NotImplementedError, D-Bus errors)
            self.last_error = f"{type(error).__name__}: {error}"
            return False
        self.last_error = None
        return True

    def _address(self) -> str | None:
        return self._bus_address or session_bus_address(self._environ)


def not_an_option(text: str) -> str:
    """plyer may hand the text to notify-send as an argument, which would read a leading "-" (an evening called
    "-u late") as an option and fail without a word: an invisible word joiner in front keeps it text."""
    return "\u2060" + text if text.startswith("-") else text


def name_has_owner(address: str, name: str, timeout: float) -> bool:
    """Ask the bus at ``address`` whether ``name`` has an owner; the whole exchange ends within ``timeout``.

    jeepney's blocking connection waits for the reply to Hello without a limit, so the two calls are written on
    the raw socket here and every read carries the deadline. Raises OSError/TimeoutError when the bus does not
    answer in time, ValueError/RuntimeError for an address jeepney cannot use.
    """
    from jeepney import HeaderFields, MessageType, Parser
    from jeepney.bus import get_connectable_addresses
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import prep_socket

    deadline = time.monotonic() + timeout
    sock = prep_socket(next(get_connectable_addresses(address)), timeout=timeout)
    try:
        # Hello must come first on a new connection; the bus answers both in order.
        sock.sendall(message_bus.Hello().serialise(serial=1))
        sock.sendall(message_bus.NameHasOwner(name).serialise(serial=2))
        parser = Parser()
        while True:
            message: Any = parser.get_next_message()
            if message is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"The bus did not answer within {timeout:g} s.")
                sock.settimeout(remaining)
                data = sock.recv(4096)  # TimeoutError when the bus stays silent
                if not data:
                    raise ConnectionError("The bus closed the connection.")
                parser.add_data(data)
                continue
            if message.header.fields.get(HeaderFields.reply_serial) != 2:
                continue  # the Hello reply, or the NameAcquired signal
            if message.header.message_type is MessageType.error:
                raise RuntimeError(f"The bus refused NameHasOwner: {message.body}")
            return bool(message.body[0])
    finally:
        sock.close()
