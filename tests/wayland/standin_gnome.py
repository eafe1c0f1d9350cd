"""Stand-ins for the GNOME Shell services Middenweg's GNOME probes ask, written from their published interfaces.

These are not GNOME Shell: they answer on a test's private session bus exactly as these sources define the
interfaces (same bus names, object paths, interface, method and signal names, signatures and error names):

- "Focused Window D-Bus", github.com/flexagoon/focused-window-dbus ``extension.js``: GNOME 45+ releases export
  ``org.gnome.shell.extensions.FocusedWindow`` at ``/org/gnome/shell/extensions/FocusedWindow`` (``Get() -> s``, a JSON
  object, ``"{}"`` with no window in focus; signal ``FocusChanged(s)``); GNOME 43/44 releases (``--focused-window-43``)
  ``org.gnome.Shell.Extensions.FocusedWindow`` at ``/org/gnome/Shell/Extensions/FocusedWindow``, which throw
  "No window in focus" (GJS names that error ``org.gnome.gjs.JSError.Error``).
- "Window Calls Extended", github.com/hseliger/window-calls-extended ``extension.js``:
  ``org.gnome.Shell.Extensions.WindowsExt`` at ``/org/gnome/Shell/Extensions/WindowsExt`` with ``List``,
  ``FocusTitle``, ``FocusPID``, ``FocusID``, ``FocusClass`` (each ``() -> s``). Like GJS, a null class or title cannot
  be packed into ``s`` by the Focus* methods (``org.gnome.gjs.JSError.ValueError``), while List's JSON says null.
- Mutter's idle monitor, GNOME/mutter ``data/dbus-interfaces/org.gnome.Mutter.IdleMonitor.xml`` and
  ``src/backends/meta-idle-manager.c``: ``org.gnome.Mutter.IdleMonitor`` at ``/org/gnome/Mutter/IdleMonitor/Core``
  under an ObjectManager at ``/org/gnome/Mutter/IdleMonitor``; ``GetIdletime() -> t`` in milliseconds. Watches get ids
  but never fire (no test needs WatchFired); ResetIdletime refuses as Mutter does without MUTTER_DEBUG_RESET_IDLETIME.

GNOME Shell exports all of these on one connection (extensions use ``Gio.DBus.session``; Mutter owns its name on the
same shared connection), and so does the stand-in: every name it owns reaches every object it has. What is not there
is answered as GDBus answers it (glib ``gio/gdbusconnection.c``, ``distribute_method_call``): UnknownMethod for an
unknown object, interface or method, InvalidArgs for a wrong signature; Introspect works on every path.

Run as ``python standin_gnome.py [--shell] [--focused-window] [--focused-window-43] [--window-calls]
[--idle-monitor] --state FILE``: it owns ``org.gnome.Shell`` (with ``--shell`` or any extension flag) and
``org.gnome.Mutter.IdleMonitor`` (with ``--idle-monitor``), prints one line once it owns them, and reads FILE on every
call. FILE is JSON: ``{"window": {...} | null, "others": [...], "idle_ms": N}`` and, to send odd data, the raw answers
``"focused_window_answer"`` (a string for Get), ``"window_list_answer"`` (a string for List) or ``"idle_answer"``
(``[signature, value]`` for GetIdletime). ``start_gnome_standin`` starts one for a test and gives a handle to change
the state, freeze (SIGSTOP) and stop it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop import SessionBus

HERE = Path(__file__).resolve()

SHELL_NAME = "org.gnome.Shell"
IDLE_NAME = "org.gnome.Mutter.IdleMonitor"

FOCUSED_WINDOW_PATH = "/org/gnome/shell/extensions/FocusedWindow"
FOCUSED_WINDOW_IFACE = "org.gnome.shell.extensions.FocusedWindow"
FOCUSED_WINDOW_43_PATH = "/org/gnome/Shell/Extensions/FocusedWindow"
FOCUSED_WINDOW_43_IFACE = "org.gnome.Shell.Extensions.FocusedWindow"
WINDOWS_EXT_PATH = "/org/gnome/Shell/Extensions/WindowsExt"
WINDOWS_EXT_IFACE = "org.gnome.Shell.Extensions.WindowsExt"
IDLE_MANAGER_PATH = "/org/gnome/Mutter/IdleMonitor"
IDLE_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
IDLE_IFACE = "org.gnome.Mutter.IdleMonitor"

_INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"
_PROPERTIES = "org.freedesktop.DBus.Properties"
_PEER = "org.freedesktop.DBus.Peer"
_OBJECT_MANAGER = "org.freedesktop.DBus.ObjectManager"

# The interfaces' XML as their sources write it (extension.js DBUS_SCHEMA / MR_DBUS_IFACE, Mutter's XML file).
_XML = {
    FOCUSED_WINDOW_IFACE: f"""  <interface name="{FOCUSED_WINDOW_IFACE}">
    <method name="Get">
      <arg type="s" direction="out" name="window"/>
    </method>
    <signal name="FocusChanged">
      <arg type="s" name="window"/>
    </signal>
  </interface>
""",
    FOCUSED_WINDOW_43_IFACE: f"""  <interface name="{FOCUSED_WINDOW_43_IFACE}">
    <method name="Get">
      <arg type="s" direction="out" name="window"/>
    </method>
  </interface>
""",
    WINDOWS_EXT_IFACE: f"""  <interface name="{WINDOWS_EXT_IFACE}">
    <method name="List">
      <arg type="s" direction="out" name="win"/>
    </method>
    <method name="FocusTitle">
      <arg type="s" direction="out"/>
    </method>
    <method name="FocusPID">
      <arg type="s" direction="out"/>
    </method>
    <method name="FocusID">
      <arg type="s" direction="out"/>
    </method>
    <method name="FocusClass">
      <arg type="s" direction="out"/>
    </method>
  </interface>
""",
    IDLE_IFACE: f"""  <interface name="{IDLE_IFACE}">
    <method name="GetIdletime">
      <arg name="idletime" direction="out" type="t"/>
    </method>
    <method name="AddIdleWatch">
      <arg name="interval" direction="in" type="t"/>
      <arg name="id" direction="out" type="u"/>
    </method>
    <method name="AddUserActiveWatch">
      <arg name="id" direction="out" type="u"/>
    </method>
    <method name="RemoveWatch">
      <arg name="id" direction="in" type="u"/>
    </method>
    <method name="ResetIdletime"/>
    <signal name="WatchFired">
      <arg name="id" type="u"/>
    </signal>
  </interface>
""",
    _OBJECT_MANAGER: f"""  <interface name="{_OBJECT_MANAGER}">
    <method name="GetManagedObjects">
      <arg name="object_paths_interfaces_and_properties" type="a{{oa{{sa{{sv}}}}}}" direction="out"/>
    </method>
    <signal name="InterfacesAdded">
      <arg name="object_path" type="o"/>
      <arg name="interfaces_and_properties" type="a{{sa{{sv}}}}"/>
    </signal>
    <signal name="InterfacesRemoved">
      <arg name="object_path" type="o"/>
      <arg name="interfaces" type="as"/>
    </signal>
  </interface>
""",
}
# What GDBus adds to every exported object's introspection.
_STANDARD_XML = f"""  <interface name="{_PROPERTIES}">
    <method name="Get">
      <arg type="s" name="interface_name" direction="in"/>
      <arg type="s" name="property_name" direction="in"/>
      <arg type="v" name="value" direction="out"/>
    </method>
    <method name="GetAll">
      <arg type="s" name="interface_name" direction="in"/>
      <arg type="a{{sv}}" name="properties" direction="out"/>
    </method>
    <method name="Set">
      <arg type="s" name="interface_name" direction="in"/>
      <arg type="s" name="property_name" direction="in"/>
      <arg type="v" name="value" direction="in"/>
    </method>
    <signal name="PropertiesChanged">
      <arg type="s" name="interface_name"/>
      <arg type="a{{sv}}" name="changed_properties"/>
      <arg type="as" name="invalidated_properties"/>
    </signal>
  </interface>
  <interface name="{_INTROSPECTABLE}">
    <method name="Introspect">
      <arg type="s" name="xml_data" direction="out"/>
    </method>
  </interface>
  <interface name="{_PEER}">
    <method name="Ping"/>
    <method name="GetMachineId">
      <arg type="s" name="machine_uuid" direction="out"/>
    </method>
  </interface>
"""
_DOCTYPE = (
    '<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"\n'
    '                      "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">\n'
)

#: GJS's answer when a method's return value cannot be packed into its out signature (a null string).
_GJS_VALUE_ERROR = ("org.gnome.gjs.JSError.ValueError", "Service implementation returned an incorrect value type")


@dataclass
class GnomeStandin:
    """A running stand-in; ``set_state`` rewrites the file it reads on every call (atomically)."""

    state_file: Path
    process: subprocess.Popen[bytes] = field(repr=False)
    log: Path = field(repr=False)

    def set_state(self, state: dict[str, Any]) -> None:
        write_state(self.state_file, state)

    def focus(self, window: dict[str, Any] | None, **extra: Any) -> None:
        """Put ``window`` (title, wm_class, wm_class_instance, pid, id) in front; None: nothing has the focus."""
        self.set_state({"window": window, **extra})

    def calls(self) -> list[str]:
        """The method names called so far, in the order they were answered (Introspect and Ping included)."""
        log = self.state_file.with_suffix(".calls")
        return log.read_text(encoding="utf-8").split() if log.exists() else []

    def freeze(self) -> None:
        """SIGSTOP: the names stay owned but nothing answers, like a hung GNOME Shell."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.killpg(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        from desktop import stop_process

        stop_process(self.process)


def write_state(path: Path, state: dict[str, Any]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state), encoding="utf-8")
    os.replace(temporary, path)


def start_gnome_standin(
    bus: SessionBus,
    workdir: Path,
    *,
    shell: bool = False,
    focused_window: bool = False,
    focused_window_43: bool = False,
    window_calls: bool = False,
    idle_monitor: bool = False,
    state: dict[str, Any] | None = None,
) -> GnomeStandin:
    """Start the stand-in on ``bus`` with the given parts; it owns its names when this returns."""
    # Imported here: run as a script, this file has only its own folder on sys.path.
    from desktop import START_TIMEOUT, _read_line, _spawn, base_env, stop_process

    workdir.mkdir(parents=True, exist_ok=True)
    state_file = workdir / "gnome-state.json"
    write_state(state_file, state if state is not None else {"window": None, "idle_ms": 0})
    flags = {
        "--shell": shell,
        "--focused-window": focused_window,
        "--focused-window-43": focused_window_43,
        "--window-calls": window_calls,
        "--idle-monitor": idle_monitor,
    }
    argv = [sys.executable, str(HERE), *(flag for flag, on in flags.items() if on), "--state", str(state_file)]
    env = base_env()
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    log = workdir / "gnome-standin.log"
    process = _spawn(argv, env=env, log=log, stdout=subprocess.PIPE)
    try:
        _read_line(process.stdout, START_TIMEOUT, "the GNOME stand-in to own its names", process, log)
    except BaseException:
        stop_process(process)
        raise
    return GnomeStandin(state_file, process, log)


# -- the service end, run as `python standin_gnome.py ...` ----------------------------------------------------------


@dataclass(frozen=True)
class _Method:
    in_signature: str
    out_signature: str
    handler: Callable[[dict[str, Any], tuple[Any, ...]], Any]  # returns the out body, or raises _ReplyError


class _ReplyError(Exception):
    """A D-Bus error reply: ``name`` and ``text``."""

    def __init__(self, name: str, text: str) -> None:
        super().__init__(text)
        self.name = name
        self.text = text


def _read_state(path: Path) -> dict[str, Any]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _focused(state: dict[str, Any]) -> dict[str, Any] | None:
    window = state.get("window")
    return window if isinstance(window, dict) else None


def _details(window: dict[str, Any]) -> dict[str, Any]:
    """The fields focused-window-dbus's Get sends (extension.js), with plausible values for those a test leaves out."""
    details: dict[str, Any] = {
        "title": None,
        "wm_class": None,
        "wm_class_instance": None,
        "pid": 0,
        "id": 0,
        "width": 1280,
        "height": 800,
        "x": 0,
        "y": 0,
        "focus": True,
        "in_current_workspace": True,
        "moveable": True,
        "resizeable": True,
        "canclose": True,
        "canmaximize": True,
        "maximized": 0,
        "canminimize": True,
        "display": {},
        "frame_type": 0,
        "window_type": 0,
        "layer": 2,
        "monitor": 0,
        "role": None,
        "area": {},
        "area_all": {},
        "area_cust": {},
    }
    details.update(window)
    return details


def _focused_window_get(state: dict[str, Any], _args: tuple[Any, ...]) -> tuple[str]:
    raw = state.get("focused_window_answer")
    if isinstance(raw, str):
        return (raw,)
    window = _focused(state)
    return (json.dumps(_details(window)) if window is not None else "{}",)


def _focused_window_43_get(state: dict[str, Any], _args: tuple[Any, ...]) -> tuple[str]:
    raw = state.get("focused_window_answer")
    if isinstance(raw, str):
        return (raw,)
    window = _focused(state)
    if window is None:
        raise _ReplyError("org.gnome.gjs.JSError.Error", "No window in focus")
    return (json.dumps(_details(window)),)


def _window_list(state: dict[str, Any], _args: tuple[Any, ...]) -> tuple[str]:
    raw = state.get("window_list_answer")
    if isinstance(raw, str):
        return (raw,)
    focused = _focused(state)
    others = [w for w in state.get("others", []) if isinstance(w, dict)]
    entries = [(w, False) for w in others] + ([(focused, True)] if focused is not None else [])
    listed = [
        {
            "class": w.get("wm_class"),
            "pid": w.get("pid", 0),
            "id": w.get("id", 0),
            "focus": focus,
            "title": w.get("title"),
        }
        for w, focus in entries
    ]
    return (json.dumps(listed),)


def _focus_field(key: str) -> Callable[[dict[str, Any], tuple[Any, ...]], tuple[str]]:
    """FocusTitle/FocusClass/FocusPID/FocusID: "" without a focused window; a null string cannot be packed (GJS)."""

    def answer(state: dict[str, Any], _args: tuple[Any, ...]) -> tuple[str]:
        window = _focused(state)
        if window is None:
            return ("",)
        value = window.get(key)
        if value is None:
            raise _ReplyError(*_GJS_VALUE_ERROR)
        return (str(value),)

    return answer


def _idle_time(state: dict[str, Any], _args: tuple[Any, ...]) -> Any:
    raw = state.get("idle_answer")
    if isinstance(raw, list) and len(raw) == 2:
        return _Raw(str(raw[0]), (raw[1],))
    return (int(state.get("idle_ms", 0)),)


@dataclass(frozen=True)
class _Raw:
    """An answer with a signature other than the method's (odd data on purpose)."""

    signature: str
    body: tuple[Any, ...]


class _Watches:
    def __init__(self) -> None:
        self.next_id = 1

    def add(self, _state: dict[str, Any], _args: tuple[Any, ...]) -> tuple[int]:
        self.next_id += 1
        return (self.next_id - 1,)


def _reset_idletime(_state: dict[str, Any], _args: tuple[Any, ...]) -> tuple[()]:
    # meta-idle-manager.c: only with MUTTER_DEBUG_RESET_IDLETIME set.
    raise _ReplyError(
        "org.freedesktop.DBus.Error.UnknownMethod",
        "This method is for testing purposes only. MUTTER_DEBUG_RESET_IDLETIME must be set to use it",
    )


def _objects(args: argparse.Namespace) -> dict[str, dict[str, dict[str, _Method]]]:
    """path -> interface -> method name -> method, for the parts this stand-in was started with."""
    objects: dict[str, dict[str, dict[str, _Method]]] = {}
    if args.focused_window:
        objects[FOCUSED_WINDOW_PATH] = {FOCUSED_WINDOW_IFACE: {"Get": _Method("", "s", _focused_window_get)}}
    if args.focused_window_43:
        objects[FOCUSED_WINDOW_43_PATH] = {FOCUSED_WINDOW_43_IFACE: {"Get": _Method("", "s", _focused_window_43_get)}}
    if args.window_calls:
        objects[WINDOWS_EXT_PATH] = {
            WINDOWS_EXT_IFACE: {
                "List": _Method("", "s", _window_list),
                "FocusTitle": _Method("", "s", _focus_field("title")),
                "FocusPID": _Method("", "s", _focus_field("pid")),
                "FocusID": _Method("", "s", _focus_field("id")),
                "FocusClass": _Method("", "s", _focus_field("wm_class")),
            }
        }
    if args.idle_monitor:
        watches = _Watches()
        no_properties: dict[str, Any] = {}
        managed = {IDLE_PATH: dict.fromkeys((IDLE_IFACE, _PROPERTIES, _INTROSPECTABLE, _PEER), no_properties)}
        objects[IDLE_MANAGER_PATH] = {
            _OBJECT_MANAGER: {"GetManagedObjects": _Method("", "a{oa{sa{sv}}}", lambda _s, _a: (managed,))}
        }
        objects[IDLE_PATH] = {
            IDLE_IFACE: {
                "GetIdletime": _Method("", "t", _idle_time),
                "AddIdleWatch": _Method("t", "u", watches.add),
                "AddUserActiveWatch": _Method("", "u", watches.add),
                "RemoveWatch": _Method("u", "", lambda _s, _a: ()),
                "ResetIdletime": _Method("", "", _reset_idletime),
            }
        }
    return objects


def _introspect(objects: dict[str, dict[str, dict[str, _Method]]], path: str) -> str:
    """GDBus's introspection: the object's interfaces (with the standard ones) and its child nodes, on any path."""
    parts = [_DOCTYPE, "<node>\n"]
    if path in objects:
        parts.append(_STANDARD_XML)
        parts += [_XML[interface] for interface in objects[path]]
    prefix = path.rstrip("/") + "/"
    children = sorted({p[len(prefix) :].split("/")[0] for p in objects if p.startswith(prefix) and p != path})
    parts += [f'  <node name="{child}"/>\n' for child in children]
    parts.append("</node>\n")
    return "".join(parts)


def _dispatch(
    objects: dict[str, dict[str, dict[str, _Method]]], state_file: Path, message: Any
) -> tuple[str, tuple[Any, ...]]:
    """The (signature, body) of the answer to one method call, or raises _ReplyError: GDBus's rules, in its order."""
    from jeepney import HeaderFields

    fields = message.header.fields
    path = str(fields.get(HeaderFields.path, ""))
    interface = fields.get(HeaderFields.interface)
    member = str(fields.get(HeaderFields.member, ""))
    signature = str(fields.get(HeaderFields.signature, ""))
    interfaces = objects.get(path)

    if interfaces is not None and interface is None:  # no interface named: the first one with this member
        interface = next((name for name, methods in interfaces.items() if member in methods), None)
    if interfaces is not None and interface in interfaces:
        method = interfaces[interface].get(member)
        if method is None:
            raise _ReplyError("org.freedesktop.DBus.Error.UnknownMethod", f"No such method “{member}”")
        if signature != method.in_signature:
            raise _ReplyError(
                "org.freedesktop.DBus.Error.InvalidArgs",
                f"Type of message, “({signature})”, does not match expected type “({method.in_signature})”",
            )
        answer = method.handler(_read_state(state_file), tuple(message.body))
        if isinstance(answer, _Raw):
            return answer.signature, answer.body
        return method.out_signature, tuple(answer)
    if interfaces is not None and interface == _PROPERTIES and member == "GetAll" and signature == "s":
        (asked,) = message.body
        if asked not in interfaces:
            raise _ReplyError("org.freedesktop.DBus.Error.InvalidArgs", f"No such interface “{asked}”")
        return "a{sv}", ({},)
    if interfaces is not None and interface == _PROPERTIES and member in ("Get", "Set"):
        raise _ReplyError("org.freedesktop.DBus.Error.InvalidArgs", f"No such property “{message.body[1]}”")
    if interface == _INTROSPECTABLE and member == "Introspect" and signature == "":
        return "s", (_introspect(objects, path),)
    if interface == _PEER and member == "Ping" and signature == "":
        return "", ()
    if interface == _PEER and member == "GetMachineId" and signature == "":
        return "s", (_machine_id(),)
    if interfaces is not None:
        raise _ReplyError(
            "org.freedesktop.DBus.Error.UnknownMethod", f"No such interface “{interface}” on object at path {path}"
        )
    raise _ReplyError("org.freedesktop.DBus.Error.UnknownMethod", f"Object does not exist at path “{path}”")


def _machine_id() -> str:
    for candidate in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            return Path(candidate).read_text().strip()
        except OSError:
            continue
    return "0" * 32


def _serve(args: argparse.Namespace) -> int:
    from jeepney import HeaderFields, MessageType, new_error, new_method_return
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    objects = _objects(args)
    names = []
    if args.shell or args.focused_window or args.focused_window_43 or args.window_calls:
        names.append(SHELL_NAME)
    if args.idle_monitor:
        names.append(IDLE_NAME)
    conn = open_dbus_connection(bus="SESSION")
    for name in names:
        reply = conn.send_and_get_reply(message_bus.RequestName(name, 4), timeout=5)  # DO_NOT_QUEUE
        if reply.body[0] not in (1, 4):  # primary owner, or already the owner
            sys.stderr.write(f"could not own {name}: {reply.body}\n")
            return 1
    sys.stdout.write(json.dumps({"names": names, "objects": sorted(objects)}) + "\n")
    sys.stdout.flush()

    while True:
        message = conn.receive()
        if message.header.message_type is not MessageType.method_call:
            continue
        with args.state.with_suffix(".calls").open("a", encoding="utf-8") as calls:
            calls.write(f"{message.header.fields.get(HeaderFields.member, '')}\n")
        try:
            signature, body = _dispatch(objects, args.state, message)
            conn.send(new_method_return(message, signature or None, body))
        except _ReplyError as fault:
            conn.send(new_error(message, fault.name, "s", (fault.text,)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shell", action="store_true", help="own org.gnome.Shell (implied by the extension flags)")
    parser.add_argument("--focused-window", action="store_true", help='"Focused Window D-Bus", GNOME 45+ release')
    parser.add_argument("--focused-window-43", action="store_true", help='"Focused Window D-Bus", GNOME 43/44')
    parser.add_argument("--window-calls", action="store_true", help='"Window Calls Extended"')
    parser.add_argument("--idle-monitor", action="store_true", help="own org.gnome.Mutter.IdleMonitor")
    parser.add_argument("--state", type=Path, required=True, help="the JSON state file, read on every call")
    return _serve(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
