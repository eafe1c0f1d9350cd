"""Stand-ins for KWin's scripting interface and KDE's screen saver service, written from their published interfaces.

These are not KWin: they answer on a test's private session bus exactly as these sources define the interfaces (same
bus names, object paths, interface and method names, signatures and error names):

- KWin scripting, KDE/kwin ``src/scripting/scripting.h`` and ``scripting.cpp``: ``org.kde.KWin`` exports
  ``org.kde.kwin.Scripting`` at ``/Scripting`` with ``loadScript(s filePath[, s pluginName]) -> i`` (the new
  script's id, which is the number of scripts loaded, or -1 when a script of that plugin name is loaded already),
  ``loadDeclarativeScript`` (same), ``isScriptLoaded(s) -> b``, ``unloadScript(s) -> b`` and ``start()`` (runs every
  loaded script). Each script is an object with ``org.kde.kwin.Script`` (``src/scripting/org.kde.kwin.Script.xml``:
  ``run()``, ``stop()``) at ``/Scripting/Script<id>`` on Plasma 6 and ``/<id>`` on Plasma 5 (``--plasma 5``).
  ``run()`` answers once the script file was read and evaluated, with ``org.kde.kwin.Scripting.FileError`` ("Could
  not open <file>") when it cannot be read.
- KDE's screen saver, KDE/kscreenlocker ``dbus/org.freedesktop.ScreenSaver.xml`` and ``interface.cpp``:
  ``org.freedesktop.ScreenSaver`` at ``/ScreenSaver`` and ``/org/freedesktop/ScreenSaver`` with
  ``GetSessionIdleTime() -> u`` in milliseconds (``KIdleTime::idleTime()``) and ``GetActive() -> b``; with
  ``--idle-not-supported`` GetSessionIdleTime answers ``org.freedesktop.DBus.Error.NotSupported`` as newer
  kscreenlocker does in a Wayland session.

What is not there is answered as QtDBus answers it (qtbase ``src/dbus/qdbusintegrator.cpp``,
``QDBusConnectionPrivate::sendError``): UnknownObject "No such object path '%1'", UnknownInterface "No such interface
'%1' at object path '%2'", UnknownMethod "No such method '%1' in interface '%2' at object path '%3' (signature
'%4')" (a known method with another signature is unknown too). Introspect works on every object.

The stand-in cannot run JavaScript. It records each loaded script's text and, for a script that reports the active
window to Middenweg (the text names a unique bus name, Middenweg's report object path and interface and this Plasma
version's signal names), it makes the very D-Bus call that script makes in KWin through ``callDBus``: from the
connection that owns ``org.kde.KWin``, to that unique name, ``/org/middenweg/KWinScript``,
``org.middenweg.KWinScript``, ``WindowActivated(sssss)`` or ``NoActiveWindow()`` — once when the script runs and on
every window the test activates. A script it does not recognise is "run" and reports nothing.

Tests drive it through a test-only interface, ``org.middenweg.TestOnly.KdeStandIn`` at ``/org/middenweg/TestOnly``
(``Activate(s json)``, ``SetIdleTime(u ms)``, ``Send(s member, s signature, s json_body)``, ``State() -> s json``),
which no KDE program has. Run as ``python standin_kde.py [--kwin] [--screensaver] [--plasma 5|6] [--idle-ms N]
[--idle-not-supported] [--no-scripting] [--silent-scripts] [--screensaver-path PATH]``; it prints one JSON line
once it owns its names. ``start_kde_standin`` starts one for a test and gives a handle that drives, freezes (SIGSTOP)
and stops it.

Where the script's JavaScript itself is to be tried, ``run_in_qt`` (``--script-engine FILE``) runs it in Qt's
JavaScript engine, QJSEngine from PySide6 (KWin runs scripts in QJSEngine: ``scripting.cpp``), against a fake
workspace with the signals and properties of the Plasma 5 or 6 wrappers, and lists the callDBus calls it makes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop import SessionBus

HERE = Path(__file__).resolve()

KWIN_NAME = "org.kde.KWin"
SCRIPTING_PATH = "/Scripting"
SCRIPTING_IFACE = "org.kde.kwin.Scripting"
SCRIPT_IFACE = "org.kde.kwin.Script"
SCREENSAVER_NAME = "org.freedesktop.ScreenSaver"
SCREENSAVER_IFACE = "org.freedesktop.ScreenSaver"
SCREENSAVER_PATHS = ("/ScreenSaver", "/org/freedesktop/ScreenSaver")

#: Test-only: no KDE program has this interface.
CONTROL_PATH = "/org/middenweg/TestOnly"
CONTROL_IFACE = "org.middenweg.TestOnly.KdeStandIn"

#: The call Middenweg's KWin script makes (its callDBus target), as the stand-in makes it in the script's place.
REPORT_PATH = "/org/middenweg/KWinScript"
REPORT_IFACE = "org.middenweg.KWinScript"
REPORT_WINDOW = "WindowActivated"
REPORT_NONE = "NoActiveWindow"
#: The window properties the script reads, in argument order (KDE/kwin src/window.h).
WINDOW_FIELDS = ("resourceClass", "resourceName", "caption", "pid", "desktopFileName")
#: The signal and property each Plasma version's script must use (KDE/kwin src/scripting/workspace_wrapper.h).
ACTIVATION_API = {5: ("clientActivated", "activeClient"), 6: ("windowActivated", "activeWindow")}

_INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"
_UNKNOWN_OBJECT = "org.freedesktop.DBus.Error.UnknownObject"
_UNKNOWN_INTERFACE = "org.freedesktop.DBus.Error.UnknownInterface"
_UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod"
_NOT_SUPPORTED = "org.freedesktop.DBus.Error.NotSupported"
_FILE_ERROR = "org.kde.kwin.Scripting.FileError"

_DOCTYPE = (
    '<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"\n'
    '"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">\n'
)
# As QtDBus generates them from the classes (Q_SCRIPTABLE members; default arguments give a second overload).
_SCRIPTING_XML = """  <interface name="org.kde.kwin.Scripting">
    <method name="start"/>
    <method name="loadScript">
      <arg name="filePath" type="s" direction="in"/><arg name="pluginName" type="s" direction="in"/>
      <arg type="i" direction="out"/>
    </method>
    <method name="loadScript">
      <arg name="filePath" type="s" direction="in"/><arg type="i" direction="out"/>
    </method>
    <method name="loadDeclarativeScript">
      <arg name="filePath" type="s" direction="in"/><arg name="pluginName" type="s" direction="in"/>
      <arg type="i" direction="out"/>
    </method>
    <method name="loadDeclarativeScript">
      <arg name="filePath" type="s" direction="in"/><arg type="i" direction="out"/>
    </method>
    <method name="isScriptLoaded">
      <arg name="pluginName" type="s" direction="in"/><arg type="b" direction="out"/>
    </method>
    <method name="unloadScript">
      <arg name="pluginName" type="s" direction="in"/><arg type="b" direction="out"/>
    </method>
  </interface>
"""
_SCRIPT_XML = """  <interface name="org.kde.kwin.Script">
    <method name="stop"/>
    <method name="run"/>
  </interface>
"""
_SCREENSAVER_XML = """  <interface name="org.freedesktop.ScreenSaver">
    <method name="GetActive"><arg type="b" direction="out"/></method>
    <method name="GetSessionIdleTime"><arg name="seconds" type="u" direction="out"/></method>
  </interface>
"""
_STANDARD_XML = """  <interface name="org.freedesktop.DBus.Introspectable">
    <method name="Introspect"><arg name="xml_data" type="s" direction="out"/></method>
  </interface>
"""


@dataclass
class KdeStandin:
    """A running stand-in and a test-side connection to drive it."""

    unique_name: str
    process: subprocess.Popen[bytes] = field(repr=False)
    log: Path = field(repr=False)
    conn: Any = field(repr=False)

    def _control(self, member: str, signature: str = "", body: tuple[Any, ...] = ()) -> Any:
        from jeepney import DBusAddress, MessageType, new_method_call

        address = DBusAddress(CONTROL_PATH, bus_name=self.unique_name, interface=CONTROL_IFACE)
        reply = self.conn.send_and_get_reply(new_method_call(address, member, signature or None, body), timeout=5)
        if reply.header.message_type is not MessageType.method_return:
            raise RuntimeError(f"the KDE stand-in refused {member}: {reply.body}")
        return reply.body

    def activate(self, window: dict[str, Any] | None) -> None:
        """Put ``window`` (resourceClass, resourceName, caption, pid, desktopFileName) in front, None for no
        window; each running script reports it as KWin's would. Returns once the report calls are sent."""
        self._control("Activate", "s", (json.dumps(window),))

    def set_idle_ms(self, milliseconds: int) -> None:
        self._control("SetIdleTime", "u", (milliseconds,))

    def send(self, member: str, signature: str, body: Sequence[Any]) -> None:
        """Make an arbitrary call to every running script's report target (odd data); ``member`` may be
        "interface.member" for another interface than the report interface."""
        self._control("Send", "sss", (member, signature, json.dumps(list(body))))

    def state(self) -> dict[str, Any]:
        """``scripts`` (id, plugin, file, text, running, reports_to, object_path), ``calls`` (every Scripting and
        Script call: [interface, member, args]), ``report_replies`` ([member, "return" or the error name]) and
        ``unknown_objects`` (calls to objects that do not exist: [path, interface, member])."""
        result: dict[str, Any] = json.loads(self._control("State")[0])
        return result

    def scripting(self, member: str, signature: str, body: tuple[Any, ...]) -> Any:
        """Call org.kde.kwin.Scripting on the stand-in as any program would; the reply message."""
        from jeepney import DBusAddress, new_method_call

        address = DBusAddress(SCRIPTING_PATH, bus_name=KWIN_NAME, interface=SCRIPTING_IFACE)
        return self.conn.send_and_get_reply(new_method_call(address, member, signature or None, body), timeout=5)

    def freeze(self) -> None:
        """SIGSTOP: the names stay owned but nothing answers, like a hung KWin."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        from desktop import stop_process

        stop_process(self.process)
        with contextlib.suppress(Exception):
            self.conn.close()


def run_in_qt(script: str, plasma: int, steps: Sequence[Any], workdir: Path) -> list[dict[str, Any]]:
    """Run ``script`` in Qt's JavaScript engine (QJSEngine, the engine KWin runs scripts in) with a fake KWin
    workspace of this Plasma version, in a subprocess; the callDBus calls it made, in order.

    ``steps`` are ``["activate", window | None]`` and ``["caption", window_name, new_title]``; a window is a dict with
    ``name`` and the properties of WINDOW_FIELDS; the first step's window (if ``["active", window]``) is active at
    load. Each call is ``{"service", "path", "interface", "method", "args": [...], "types": [...]}`` with the
    arguments as QJSValue::toVariant() converts them (what KWin's callDBus puts on the bus).
    """
    from desktop import START_TIMEOUT

    workdir.mkdir(parents=True, exist_ok=True)
    file = workdir / "script.js"
    file.write_text(script, encoding="utf-8")
    argv = [sys.executable, str(HERE), "--plasma", str(plasma), "--script-engine", str(file)]
    argv += ["--steps", json.dumps(list(steps))]
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(argv, env=env, capture_output=True, timeout=START_TIMEOUT * 3, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the script engine failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    calls: list[dict[str, Any]] = json.loads(done.stdout)
    return calls


def start_kde_standin(
    bus: SessionBus,
    workdir: Path,
    *,
    kwin: bool = True,
    screensaver: bool = True,
    plasma: int = 6,
    idle_ms: int = 0,
    idle_not_supported: bool = False,
    no_scripting: bool = False,
    silent_scripts: bool = False,
    screensaver_paths: Sequence[str] = (),
) -> KdeStandin:
    """Start a stand-in on ``bus``; it owns its names when this returns. Stop it with ``stop()``."""
    from jeepney.io.blocking import open_dbus_connection

    from desktop import START_TIMEOUT, _read_line, _spawn, base_env, stop_process

    workdir.mkdir(parents=True, exist_ok=True)
    env = base_env()
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    argv = [sys.executable, str(HERE), "--plasma", str(plasma), "--idle-ms", str(idle_ms)]
    argv += ["--kwin"] * kwin + ["--screensaver"] * screensaver + ["--idle-not-supported"] * idle_not_supported
    argv += ["--no-scripting"] * no_scripting + ["--silent-scripts"] * silent_scripts
    argv += [f"--screensaver-path={path}" for path in screensaver_paths]
    log = workdir / "kde-standin.log"
    process = _spawn(argv, env=env, log=log, stdout=subprocess.PIPE)
    try:
        line = _read_line(process.stdout, START_TIMEOUT, "the KDE stand-in to own its names", process, log)
        ready = json.loads(line)
        conn = open_dbus_connection(bus=bus.address)
    except BaseException:
        stop_process(process)
        raise
    return KdeStandin(ready["unique_name"], process, log, conn)


# -- the service end, run as `python standin_kde.py ...` --------------------------------------------------------


@dataclass
class _Script:
    id: int
    plugin: str
    file: str
    text: str = ""
    running: bool = False
    reports_to: str | None = None  # the unique name its callDBus calls go to, when it is Middenweg's script


class _StandIn:
    def __init__(self, args: argparse.Namespace) -> None:
        from jeepney.io.blocking import open_dbus_connection

        self.plasma: int = args.plasma
        self.kwin: bool = args.kwin
        self.screensaver: bool = args.screensaver
        self.idle_ms: int = args.idle_ms
        self.idle_not_supported: bool = args.idle_not_supported
        self.no_scripting: bool = args.no_scripting
        self.silent_scripts: bool = args.silent_scripts
        self.screensaver_paths: tuple[str, ...] = tuple(args.screensaver_path or SCREENSAVER_PATHS)
        self.active: dict[str, Any] | None = None
        self.scripts: list[_Script] = []
        self.calls: list[list[Any]] = []
        self.report_replies: list[list[str]] = []
        self.unknown_objects: list[list[str | None]] = []  # calls answered UnknownObject: [path, interface, member]
        self.pending: dict[int, str] = {}  # serial of a report call -> its member
        self.conn = open_dbus_connection(bus="SESSION")

    # -- names ------------------------------------------------------------------------------------------------

    def own_names(self) -> bool:
        from jeepney.bus_messages import message_bus

        names = [KWIN_NAME] * self.kwin + [SCREENSAVER_NAME] * self.screensaver
        for name in names:
            reply = self.conn.send_and_get_reply(message_bus.RequestName(name, 4), timeout=5)  # DO_NOT_QUEUE
            if reply.body[0] not in (1, 4):  # primary owner, or already the owner
                sys.stderr.write(f"could not own {name}: {reply.body}\n")
                return False
        sys.stdout.write(json.dumps({"unique_name": self.conn.unique_name, "names": names}) + "\n")
        sys.stdout.flush()
        return True

    # -- the loop ---------------------------------------------------------------------------------------------

    def serve(self) -> None:
        from jeepney import HeaderFields, MessageType

        while True:
            message = self.conn.receive()
            kind = message.header.message_type
            if kind in (MessageType.method_return, MessageType.error):
                serial = message.header.fields.get(HeaderFields.reply_serial)
                member = self.pending.pop(serial, None)
                if member is not None:
                    outcome = (
                        "return"
                        if kind is MessageType.method_return
                        else message.header.fields.get(HeaderFields.error_name, "?")
                    )
                    self.report_replies.append([member, str(outcome)])
                continue
            if kind is not MessageType.method_call:
                continue
            self.dispatch(message)

    def reply(self, message: Any, signature: str = "", body: tuple[Any, ...] = ()) -> None:
        from jeepney import new_method_return

        self.conn.send(new_method_return(message, signature or None, body))

    def error(self, message: Any, name: str, text: str) -> None:
        from jeepney import new_error

        self.conn.send(new_error(message, name, "s", (text,)))

    # -- objects ----------------------------------------------------------------------------------------------

    def script_path(self, script: _Script) -> str:
        return f"/Scripting/Script{script.id}" if self.plasma == 6 else f"/{script.id}"

    def objects(self) -> dict[str, str]:
        """Object path -> the introspection XML of its interfaces."""
        found: dict[str, str] = {CONTROL_PATH: ""}
        if self.kwin and not self.no_scripting:
            found[SCRIPTING_PATH] = _SCRIPTING_XML
            for script in self.scripts:
                found[self.script_path(script)] = _SCRIPT_XML
        if self.screensaver:
            for path in self.screensaver_paths:
                found[path] = _SCREENSAVER_XML
        return found

    def dispatch(self, message: Any) -> None:
        from jeepney import HeaderFields

        fields = message.header.fields
        path = fields.get(HeaderFields.path, "")
        interface = fields.get(HeaderFields.interface)
        member = fields.get(HeaderFields.member, "")
        signature = fields.get(HeaderFields.signature, "")
        objects = self.objects()
        if interface in (None, _INTROSPECTABLE) and member == "Introspect" and not signature:
            self.reply(message, "s", (self.introspect(path, objects),))
            return
        if path not in objects:
            if any(known.startswith(path.rstrip("/") + "/") for known in objects):
                # A parent of exported objects (a virtual node in QtDBus): it has no interfaces of its own.
                self.unknown_method(message, path, interface, member, signature)
            else:
                self.unknown_objects.append([path, interface, member])
                self.error(message, _UNKNOWN_OBJECT, f"No such object path '{path}'")
            return
        if path == CONTROL_PATH:
            if interface not in (None, CONTROL_IFACE):
                self.error(message, _UNKNOWN_INTERFACE, f"No such interface '{interface}' at object path '{path}'")
            else:
                self.control(message, path, member, signature)
            return
        if path == SCRIPTING_PATH:
            handled = interface in (None, SCRIPTING_IFACE) and self.scripting(message, member, signature)
            wanted = SCRIPTING_IFACE
        elif path in self.screensaver_paths:
            handled = interface in (None, SCREENSAVER_IFACE) and self.screen_saver(message, member, signature)
            wanted = SCREENSAVER_IFACE
        else:
            script = next(s for s in self.scripts if self.script_path(s) == path)
            handled = interface in (None, SCRIPT_IFACE) and self.script_call(message, script, member, signature)
            wanted = SCRIPT_IFACE
        if handled:
            return
        if interface not in (None, wanted):
            self.error(message, _UNKNOWN_INTERFACE, f"No such interface '{interface}' at object path '{path}'")
        else:
            self.unknown_method(message, path, interface, member, signature)

    def unknown_method(self, message: Any, path: str, interface: str | None, member: str, signature: str) -> None:
        where = f"interface '{interface}'" if interface else "any interface"
        self.error(
            message,
            _UNKNOWN_METHOD,
            f"No such method '{member}' in {where} at object path '{path}' (signature '{signature}')",
        )

    def introspect(self, path: str, objects: dict[str, str]) -> str:
        prefix = path.rstrip("/") + "/"
        children = sorted({known[len(prefix) :].split("/")[0] for known in objects if known.startswith(prefix)})
        xml = _DOCTYPE + "<node>\n"
        if path in objects:
            xml += objects[path] + _STANDARD_XML
        xml += "".join(f'  <node name="{child}"/>\n' for child in children)
        return xml + "</node>\n"

    # -- org.kde.kwin.Scripting and org.kde.kwin.Script ----------------------------------------------------------

    def find(self, plugin: str) -> _Script | None:
        return next((s for s in self.scripts if s.plugin == plugin), None)

    def scripting(self, message: Any, member: str, signature: str) -> bool:
        body = message.body
        if member in ("loadScript", "loadDeclarativeScript") and signature in ("s", "ss"):
            self.calls.append([SCRIPTING_IFACE, member, list(body)])
            file = body[0]
            plugin = body[1] if signature == "ss" and body[1] else file  # AbstractScript: no plugin name -> file
            if self.find(plugin) is not None:
                self.reply(message, "i", (-1,))
                return True
            script = _Script(id=len(self.scripts), plugin=plugin, file=file)  # scripting.cpp: scripts.size()
            self.scripts.append(script)
            self.reply(message, "i", (script.id,))
            return True
        if member in ("isScriptLoaded", "unloadScript") and signature == "s":
            self.calls.append([SCRIPTING_IFACE, member, list(body)])
            found = self.find(body[0])
            if member == "unloadScript" and found is not None:
                self.scripts.remove(found)  # deleteLater(): its object and its callDBus calls are gone
            self.reply(message, "b", (found is not None,))
            return True
        if member == "start" and not signature:
            self.calls.append([SCRIPTING_IFACE, member, []])
            for script in self.scripts:
                if not script.running:
                    self.run(script)
            self.reply(message)
            return True
        return False

    def script_call(self, message: Any, script: _Script, member: str, signature: str) -> bool:
        if signature:
            return False
        if member == "run":
            self.calls.append([SCRIPT_IFACE, member, [script.id]])
            if script.running:
                self.reply(message)
                return True
            error = self.run(script)
            if error:
                self.error(message, _FILE_ERROR, error)
            else:
                self.reply(message)
            return True
        if member == "stop":
            self.calls.append([SCRIPT_IFACE, member, [script.id]])
            self.scripts.remove(script)
            self.reply(message)
            return True
        return False

    def run(self, script: _Script) -> str:
        """Read and "evaluate" the script: a Middenweg script reports the active window at once. "" or an error."""
        try:
            with open(script.file, "rb") as source:
                script.text = source.read().decode("utf-8", "replace")
        except OSError:
            self.scripts.remove(script)
            return f"Could not open {script.file}"
        script.running = True
        script.reports_to = None if self.silent_scripts else self.report_target(script.text)
        if script.reports_to is not None:
            self.report(script, self.active)
        return ""

    def report_target(self, text: str) -> str | None:
        """The unique name a script reports the active window to, if it is Middenweg's script for this Plasma."""
        names: set[str] = set(re.findall(r'"(:\d+\.\d+)"', text))
        literals = (REPORT_PATH, REPORT_IFACE, REPORT_WINDOW, REPORT_NONE)
        if len(names) != 1 or not all(f'"{literal}"' in text for literal in literals):
            return None
        if not all(name in text for name in ACTIVATION_API[self.plasma]):
            return None
        return names.pop()

    def report(self, script: _Script, window: dict[str, Any] | None) -> None:
        """What ``callDBus`` does for the script: an asynchronous call from KWin's connection."""
        from jeepney import DBusAddress, new_method_call

        address = DBusAddress(REPORT_PATH, bus_name=script.reports_to, interface=REPORT_IFACE)
        if window is None:
            message = new_method_call(address, REPORT_NONE)
        else:
            # String(value) of each property, "" for undefined or null, as the script's text() does.
            args = tuple("" if window.get(key) is None else str(window[key]) for key in WINDOW_FIELDS)
            message = new_method_call(address, REPORT_WINDOW, "sssss", args)
        self.send_tracked(message)

    def send_tracked(self, message: Any) -> None:
        from jeepney.low_level import HeaderFields

        serial = next(self.conn.outgoing_serial)
        self.pending[serial] = str(message.header.fields.get(HeaderFields.member))
        self.conn.send(message, serial=serial)

    # -- org.freedesktop.ScreenSaver ------------------------------------------------------------------------------

    def screen_saver(self, message: Any, member: str, signature: str) -> bool:
        if signature:
            return False
        if member == "GetSessionIdleTime":
            self.calls.append([SCREENSAVER_IFACE, member, []])
            if self.idle_not_supported:
                # kscreenlocker interface.cpp on Wayland: QDBusContext::sendErrorReply(QDBusError::NotSupported, ...)
                self.error(message, _NOT_SUPPORTED, "GetSessionIdleTime is not supported on this platform")
            else:
                self.reply(message, "u", (self.idle_ms,))
            return True
        if member == "GetActive":
            self.reply(message, "b", (False,))
            return True
        return False

    # -- the test-only control interface --------------------------------------------------------------------------

    def control(self, message: Any, path: str, member: str, signature: str) -> None:
        body = message.body
        if member == "Activate" and signature == "s":
            self.active = json.loads(body[0])
            for script in self.scripts:
                if script.running and script.reports_to is not None:
                    self.report(script, self.active)
            self.reply(message)
        elif member == "SetIdleTime" and signature == "u":
            self.idle_ms = body[0]
            self.reply(message)
        elif member == "Send" and signature == "sss":
            from jeepney import DBusAddress, new_method_call

            call_member, call_signature, args = body[0], body[1], json.loads(body[2])
            interface = REPORT_IFACE
            if "." in call_member:  # "org.freedesktop.DBus.Introspectable.Introspect": another interface
                interface, call_member = call_member.rsplit(".", 1)
            for script in self.scripts:
                if script.running and script.reports_to is not None:
                    address = DBusAddress(REPORT_PATH, bus_name=script.reports_to, interface=interface)
                    self.send_tracked(new_method_call(address, call_member, call_signature or None, tuple(args)))
            self.reply(message)
        elif member == "State" and not signature:
            state = {
                "scripts": [
                    {
                        "id": s.id,
                        "plugin": s.plugin,
                        "file": s.file,
                        "text": s.text,
                        "running": s.running,
                        "reports_to": s.reports_to,
                        "object_path": self.script_path(s),
                    }
                    for s in self.scripts
                ],
                "calls": self.calls,
                "report_replies": self.report_replies,
                "unknown_objects": self.unknown_objects,
            }
            self.reply(message, "s", (json.dumps(state),))
        else:
            self.unknown_method(message, path, CONTROL_IFACE, member, signature)


def _run_in_qt(script: str, plasma: int, steps: list[Any]) -> list[dict[str, Any]]:
    """The fake KWin workspace for run_in_qt: QObjects with the signals and properties KWin's wrappers have
    (KDE/kwin src/scripting/workspace_wrapper.h, src/window.h; on Plasma 5 resourceClass, resourceName and
    desktopFileName are QByteArray properties, which reach JavaScript as ArrayBuffers)."""
    from PySide6.QtCore import Property, QByteArray, QCoreApplication, QObject, Signal, Slot
    from PySide6.QtQml import QJSEngine

    app = QCoreApplication.instance() or QCoreApplication([])
    text_type: Any = QByteArray if plasma == 5 else str

    def as_text(value: Any) -> Any:
        value = "" if value is None else str(value)
        return QByteArray(value.encode()) if plasma == 5 else value

    class Window(QObject):
        captionChanged = Signal()  # noqa: N815

        def __init__(self, spec: dict[str, Any]) -> None:
            super().__init__()
            self.spec = dict(spec)

        def _get(self, key: str) -> Any:
            return as_text(self.spec.get(key))

        resourceClass = Property(text_type, lambda self: self._get("resourceClass"), constant=True)  # noqa: N815
        resourceName = Property(text_type, lambda self: self._get("resourceName"), constant=True)  # noqa: N815
        desktopFileName = Property(text_type, lambda self: self._get("desktopFileName"), constant=True)  # noqa: N815
        caption = Property(str, lambda self: str(self.spec.get("caption") or ""), notify=captionChanged)
        pid = Property(int, lambda self: int(self.spec.get("pid") or 0), constant=True)

    class Workspace6(QObject):
        windowActivated = Signal(QObject)  # noqa: N815

        def __init__(self) -> None:
            super().__init__()
            self.active: QObject | None = None

        activeWindow = Property(QObject, lambda self: self.active, notify=windowActivated)  # noqa: N815

    class Workspace5(QObject):
        clientActivated = Signal(QObject)  # noqa: N815

        def __init__(self) -> None:
            super().__init__()
            self.active: QObject | None = None

        activeClient = Property(QObject, lambda self: self.active, notify=clientActivated)  # noqa: N815

    class Recorder(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.calls: list[dict[str, Any]] = []

        @Slot(str, str, str, str, "QVariantList")
        def call(self, service: str, path: str, interface: str, method: str, args: list[Any]) -> None:
            plain = [bytes(a.data()).decode() if isinstance(a, QByteArray) else a for a in args]
            types = [type(a).__name__ for a in args]
            self.calls.append(
                {"service": service, "path": path, "interface": interface, "method": method, "args": plain,
                 "types": types}
            )  # fmt: skip

    workspace: Any = Workspace6() if plasma == 6 else Workspace5()
    signal_of = workspace.windowActivated if plasma == 6 else workspace.clientActivated
    windows: dict[str, Window] = {}

    def window(spec: dict[str, Any] | None) -> Window | None:
        if spec is None:
            return None
        return windows.setdefault(spec["name"], Window(spec))

    recorder = Recorder()
    engine = QJSEngine()
    engine.globalObject().setProperty("workspace", engine.newQObject(workspace))
    engine.globalObject().setProperty("middenwegRecorder", engine.newQObject(recorder))
    # callDBus(service, path, interface, method, arg1..arg9): KWin passes the defined arguments on (scripting.cpp).
    engine.evaluate(
        "function callDBus(service, path, iface, method) {"
        " middenwegRecorder.call(service, path, iface, method, Array.prototype.slice.call(arguments, 4)); }"
    )
    steps = list(steps)
    if steps and steps[0][0] == "active":
        workspace.active = window(steps.pop(0)[1])
    result: Any = engine.evaluate(script, "script.js")
    if result.isError():
        raise RuntimeError(f"the script failed: {result.toString()}")
    for step in steps:
        if step[0] == "activate":
            workspace.active = window(step[1])
            signal_of.emit(workspace.active)
        elif step[0] == "caption":
            target = windows[step[1]]
            target.spec["caption"] = step[2]
            target.captionChanged.emit()
    del app
    return recorder.calls


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kwin", action="store_true", help="own org.kde.KWin and serve /Scripting")
    parser.add_argument("--screensaver", action="store_true", help="own org.freedesktop.ScreenSaver")
    parser.add_argument("--plasma", type=int, choices=(5, 6), default=6, help="script object paths as this Plasma")
    parser.add_argument("--idle-ms", type=int, default=0, help="GetSessionIdleTime's answer, in milliseconds")
    parser.add_argument("--idle-not-supported", action="store_true", help="GetSessionIdleTime says NotSupported")
    parser.add_argument("--no-scripting", action="store_true", help="a KWin without /Scripting")
    parser.add_argument("--screensaver-path", action="append", help="serve the screen saver only at this path")
    parser.add_argument("--silent-scripts", action="store_true", help="scripts run but never report (broken)")
    parser.add_argument(
        "--script-engine",
        metavar="FILE",
        help="instead: run the script FILE in Qt's JavaScript engine with a fake KWin workspace (see run_in_qt)",
    )
    parser.add_argument("--steps", default="[]", help="with --script-engine: what happens, as JSON")
    args = parser.parse_args(argv)
    if args.script_engine:
        calls = _run_in_qt(Path(args.script_engine).read_text(encoding="utf-8"), args.plasma, json.loads(args.steps))
        sys.stdout.write(json.dumps(calls) + "\n")
        return 0
    standin = _StandIn(args)
    if not standin.own_names():
        return 1
    standin.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
