"""A test notification server: owns ``org.freedesktop.Notifications`` on a session bus and records every Notify.

Run as ``python dbus_notifications.py --log FILE`` it answers Notify, GetCapabilities, GetServerInformation,
CloseNotification and Introspect (the freedesktop notification spec, 1.2) and appends one JSON line
``{"app_name", "summary", "body"}`` per Notify to FILE before replying, so a sender that got its reply finds its
line there. It prints one line on stdout once it owns the name. Import the ``notification_server`` fixture into a
test module (``from dbus_notifications import notification_server  # noqa: F401``); it starts the server on the
private bus of ``dbus_session`` (tests/desktop.py) and stops it, process group and all, at teardown.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from desktop import (
    START_TIMEOUT,
    SessionBus,
    _read_line,
    _spawn,
    base_env,
    stop_process,
    wait_until,
)

HERE = Path(__file__).resolve()
BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"

_INTROSPECTION = f"""<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="{BUS_NAME}">
    <method name="Notify">
      <arg direction="in" type="s"/><arg direction="in" type="u"/><arg direction="in" type="s"/>
      <arg direction="in" type="s"/><arg direction="in" type="s"/><arg direction="in" type="as"/>
      <arg direction="in" type="a{{sv}}"/><arg direction="in" type="i"/><arg direction="out" type="u"/>
    </method>
    <method name="CloseNotification"><arg direction="in" type="u"/></method>
    <method name="GetCapabilities"><arg direction="out" type="as"/></method>
    <method name="GetServerInformation">
      <arg direction="out" type="s"/><arg direction="out" type="s"/>
      <arg direction="out" type="s"/><arg direction="out" type="s"/>
    </method>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  </interface>
</node>
"""


@dataclass(frozen=True, slots=True)
class Received:
    """One Notify call as the server saw it."""

    app_name: str
    summary: str
    body: str


@dataclass
class NotificationServer:
    """A running test server; ``received()`` reads what it has logged so far."""

    bus: SessionBus
    log: Path
    process: Any = field(repr=False)

    def received(self) -> list[Received]:
        if not self.log.exists():
            return []
        lines = self.log.read_text(encoding="utf-8").splitlines()
        return [Received(**json.loads(line)) for line in lines if line.strip()]

    def wait_for(self, count: int = 1, timeout: float = START_TIMEOUT) -> list[Received]:
        """The received notifications once there are at least ``count`` of them."""

        def enough() -> list[Received]:
            found = self.received()
            return found if len(found) >= count else []

        return wait_until(enough, f"{count} Notify call(s) to reach the test notification server", timeout)

    def stop(self) -> None:
        stop_process(self.process)


def start_notification_server(bus: SessionBus, workdir: Path) -> NotificationServer:
    """Start the server on ``bus``; it owns org.freedesktop.Notifications when this returns."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = base_env()
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    log = workdir / "notifications.jsonl"
    stderr = workdir / "notification-server.log"
    process = _spawn([sys.executable, str(HERE), "--log", str(log)], env=env, log=stderr, stdout=subprocess.PIPE)
    try:
        _read_line(process.stdout, START_TIMEOUT, f"the test notification server to own {BUS_NAME}", process, stderr)
    except BaseException:
        stop_process(process)
        raise
    return NotificationServer(bus, log, process)


@pytest.fixture
def notification_server(dbus_session: SessionBus, tmp_path: Path) -> Iterator[NotificationServer]:
    """A notification server on the test's private session bus (DBUS_SESSION_BUS_ADDRESS is set to it)."""
    server = start_notification_server(dbus_session, tmp_path / "notifications")
    yield server
    server.stop()


# -- the server end, run as `python dbus_notifications.py --log FILE` -------------------------------------------


def _serve(log: Path) -> int:
    from jeepney import HeaderFields, MessageType, new_error, new_method_return, new_signal
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection
    from jeepney.wrappers import DBusAddress

    conn = open_dbus_connection(bus="SESSION")
    reply = conn.send_and_get_reply(message_bus.RequestName(BUS_NAME, 4), timeout=5)  # DO_NOT_QUEUE
    if reply.body[0] not in (1, 4):  # primary owner, or already the owner
        sys.stderr.write(f"could not own {BUS_NAME}: {reply.body}\n")
        return 1
    sys.stdout.write(json.dumps({"name": BUS_NAME}) + "\n")
    sys.stdout.flush()

    emitter = DBusAddress(OBJECT_PATH, interface=BUS_NAME)
    next_id = 1
    while True:
        message = conn.receive()
        if message.header.message_type is not MessageType.method_call:
            continue
        fields = message.header.fields
        interface = fields.get(HeaderFields.interface)
        member = fields.get(HeaderFields.member)
        if member == "Introspect" and interface in (None, "org.freedesktop.DBus.Introspectable"):
            conn.send(new_method_return(message, "s", (_INTROSPECTION,)))
        elif interface not in (None, BUS_NAME):
            conn.send(new_error(message, "org.freedesktop.DBus.Error.UnknownInterface", "s", (str(interface),)))
        elif member == "Notify":
            app_name, replaces_id, _icon, summary, body, _actions, _hints, _timeout = message.body
            with log.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"app_name": app_name, "summary": summary, "body": body}) + "\n")
            notification_id = replaces_id or next_id
            next_id += 0 if replaces_id else 1
            conn.send(new_method_return(message, "u", (notification_id,)))
        elif member == "GetCapabilities":
            conn.send(new_method_return(message, "as", (["body"],)))
        elif member == "GetServerInformation":
            conn.send(new_method_return(message, "ssss", ("middenweg-test", "Middenweg", "1.0", "1.2")))
        elif member == "CloseNotification":
            (notification_id,) = message.body
            conn.send(new_method_return(message))
            conn.send(new_signal(emitter, "NotificationClosed", "uu", (notification_id, 3)))  # 3: closed by call
        else:
            conn.send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"no {member}",)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--log", type=Path, required=True, help="append one JSON line per Notify here")
    args = parser.parse_args(argv)
    return _serve(args.log)


if __name__ == "__main__":
    sys.exit(main())
