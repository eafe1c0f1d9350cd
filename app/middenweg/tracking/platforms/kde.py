"""The KDE Plasma probes (Plasma 5.27 and 6, X11 and Wayland): the window in front, told by a small KWin script,
and the idle time, asked of ``org.freedesktop.ScreenSaver``.

A Wayland app cannot ask which window is in front, but KWin runs scripts loaded over D-Bus and lets them call D-Bus.
On first use the window probe writes ``KWIN_SCRIPT`` (with this connection's unique bus name in it) to a private file,
unloads any stale copy of the same plugin name and loads and runs it through ``org.kde.kwin.Scripting``; the script
then calls ``REPORT_INTERFACE`` on this connection with the active window at load and on every change, and the probe
keeps the latest report. It loads the script again when KWin restarts (NameOwnerChanged), when the script is gone, or
when it stays silent; ``close()`` unloads it. Interfaces, from KDE's sources: KDE/kwin ``src/scripting/scripting.h``
and ``scripting.cpp`` (``loadScript(ss) -> i``, ``unloadScript(s) -> b``, ``isScriptLoaded(s) -> b``, ``start()``
on ``/Scripting``; each script object at ``/Scripting/Script<id>`` on Plasma 6, ``/<id>`` on Plasma 5, with
``org.kde.kwin.Script.run()`` from ``src/scripting/org.kde.kwin.Script.xml``), ``src/scripting/workspace_wrapper.h``
(Plasma 6 ``windowActivated``/``activeWindow``, Plasma 5 ``clientActivated``/``activeClient``) and ``src/window.h``.

The idle probe asks ``GetSessionIdleTime`` of KDE's screen locker, which answers in milliseconds whatever the
interface's argument name says: KDE/kscreenlocker ``interface.cpp`` returns ``KIdleTime::instance()->idleTime()``,
"the idle time of the system, in milliseconds" (KDE/kidletime ``src/kidletime.h``); newer kscreenlocker answers
``org.freedesktop.DBus.Error.NotSupported`` in a Wayland session.

Neither probe may raise to its caller or touch the bus at import time (jeepney is imported on first connection);
every question is bounded by BusLink's timeout. Threading: one thread only, like every probe.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from middenweg.i18n import _
from middenweg.tracking.platforms.buslink import (
    CALL_TIMEOUT,
    RETRY_SECONDS,
    BusLink,
    dropped,
    error_name,
    is_error,
    no_bus,
)
from middenweg.tracking.platforms.processes import NOTHING, lookup_process
from middenweg.tracking.probes import OK, IdleReading, ProbeState, ProbeStatus, WindowInfo, WindowReading

__all__ = [
    "KWIN_SCRIPT",
    "PLUGIN_NAME",
    "REPORT_INTERFACE",
    "REPORT_NO_WINDOW",
    "REPORT_PATH",
    "REPORT_WINDOW",
    "RETRY_SECONDS",
    "KWinWindowProbe",
    "ScreenSaverIdleProbe",
    "create_kde",
    "script_text",
]

KWIN_NAME = "org.kde.KWin"
SCRIPTING_PATH = "/Scripting"
SCRIPTING_INTERFACE = "org.kde.kwin.Scripting"
SCRIPT_INTERFACE = "org.kde.kwin.Script"
#: The plugin name the script is loaded under: one per user session, so a stale copy can be unloaded by name.
PLUGIN_NAME = "middenweg-active-window"

#: Where the script reports to, on the probe's own connection.
REPORT_PATH = "/org/middenweg/KWinScript"
REPORT_INTERFACE = "org.middenweg.KWinScript"
#: WindowActivated(s resourceClass, s resourceName, s caption, s pid, s desktopFileName): all strings, because
#: KWin hands callDBus arguments to D-Bus as QJSValue::toVariant() makes them, and a JS string is always "s".
REPORT_WINDOW = "WindowActivated"
#: NoActiveWindow(): nothing has the focus (a JS null would not marshal).
REPORT_NO_WINDOW = "NoActiveWindow"

SCREENSAVER_NAME = "org.freedesktop.ScreenSaver"
SCREENSAVER_INTERFACE = "org.freedesktop.ScreenSaver"
#: kscreenlocker registers the same object at both paths (KDE/kscreenlocker interface.cpp).
SCREENSAVER_PATHS = ("/org/freedesktop/ScreenSaver", "/ScreenSaver")

#: Seconds after loading the script within which it normally reports (it reports at once when it runs).
REPORT_GRACE_SECONDS = 3.0
#: Seconds after which a script that never reported is loaded again.
RELOAD_SECONDS = 60.0
#: Seconds between two "is our script still loaded?" questions (another program may unload it by name).
CHECK_SECONDS = 30.0
#: Seconds before trying again when KWin still had a script of our name after unloading it.
ALREADY_LOADED_RETRY_SECONDS = 1.0

_UNKNOWN_OBJECT = "org.freedesktop.DBus.Error.UnknownObject"
_UNKNOWN_INTERFACE = "org.freedesktop.DBus.Error.UnknownInterface"
_UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod"
_INVALID_ARGS = "org.freedesktop.DBus.Error.InvalidArgs"
_ACCESS_DENIED = "org.freedesktop.DBus.Error.AccessDenied"
_NOT_SUPPORTED = "org.freedesktop.DBus.Error.NotSupported"
_NO_SERVICE = ("org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner")
_INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"

#: The KWin script. ``@SERVICE@`` becomes the probe's unique bus name (a JSON string literal). It runs on KWin 5
#: (``clientActivated``, ``activeClient``; ``resourceClass`` is a QByteArray, an ArrayBuffer in JS whose Qt
#: ``toString()`` decodes UTF-8) and KWin 6 (``windowActivated``, ``activeWindow``; QString properties), reports
#: the active window at load and on every activation and title change, and reports "none" for a null window.
KWIN_SCRIPT = """\
// Middenweg: tells the Middenweg tracker which window is in front (KWin 5.27 and 6).
// Loaded over D-Bus by Middenweg and unloaded when it quits; it reads nothing but the active window.
var SERVICE = @SERVICE@;
var PATH = "/org/middenweg/KWinScript";
var INTERFACE = "org.middenweg.KWinScript";
var watched = null;

function text(value) {
    if (value === undefined || value === null) {
        return "";
    }
    return String(value);
}

function report(window) {
    if (!window) {
        callDBus(SERVICE, PATH, INTERFACE, "NoActiveWindow");
        return;
    }
    callDBus(SERVICE, PATH, INTERFACE, "WindowActivated",
             text(window.resourceClass), text(window.resourceName), text(window.caption),
             text(window.pid), text(window.desktopFileName));
}

function titleChanged() {
    report(watched);
}

function follow(window) {
    if (watched) {
        try {
            watched.captionChanged.disconnect(titleChanged);
        } catch (error) {
            // the window is gone already
        }
    }
    watched = window ? window : null;
    if (watched) {
        try {
            watched.captionChanged.connect(titleChanged);
        } catch (error) {
            // no title changes from this window, activations still come
        }
    }
}

function activated(window) {
    follow(window);
    report(window);
}

if (workspace.windowActivated !== undefined) {
    // KWin 6
    workspace.windowActivated.connect(activated);
    activated(workspace.activeWindow);
} else {
    // KWin 5
    workspace.clientActivated.connect(activated);
    activated(workspace.activeClient);
}
"""

_INTROSPECTION = """<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="org.middenweg.KWinScript">
    <method name="WindowActivated">
      <arg name="resourceClass" type="s" direction="in"/><arg name="resourceName" type="s" direction="in"/>
      <arg name="caption" type="s" direction="in"/><arg name="pid" type="s" direction="in"/>
      <arg name="desktopFileName" type="s" direction="in"/>
    </method>
    <method name="NoActiveWindow"/>
  </interface>
</node>
"""


def script_text(service: str) -> str:
    """The KWin script that reports to ``service`` (a unique bus name such as ":1.42")."""
    return KWIN_SCRIPT.replace("@SERVICE@", json.dumps(service))


@dataclass(frozen=True, slots=True)
class _Report:
    """One report from the script, as strings (process facts are looked up only when the window is read)."""

    resource_class: str
    resource_name: str
    caption: str | None
    pid: int | None
    desktop_file: str


def _raise_lost(bus: BusLink) -> NoReturn:
    """A question found the connection broken (BusLink dropped it): end this reading as "connection lost"."""
    raise ConnectionError(bus.last_error or "the session bus connection closed")


def _describe(reply: Any) -> str:
    """An error reply as "name: message" for a reason sentence."""
    name = error_name(reply)
    message = ""
    with contextlib.suppress(Exception):
        if reply.body and isinstance(reply.body[0], str):
            message = reply.body[0]
    return f"{name}: {message}" if message else name or "?"


class KWinWindowProbe:
    """WindowProbe for KDE Plasma (name ``"kwin"``): a KWin script reports the active window over D-Bus.

    ``address`` overrides the session bus address; ``environ`` (default: the process environment) gives the bus,
    ``KDE_SESSION_VERSION`` (which script object path to try first) and ``XDG_RUNTIME_DIR`` (where the script file
    goes); ``monotonic`` is a seam for tests (retry, grace and check times). Threading: one thread only.
    """

    name = "kwin"

    def __init__(
        self,
        address: str | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        timeout: float = CALL_TIMEOUT,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._environ = environ
        self._monotonic = monotonic
        self._bus = BusLink(
            address,
            environ=environ,
            timeout=timeout,
            monotonic=monotonic,
            on_connect=self._on_connect,
            on_message=self._on_message,
        )
        self._kwin: str | None = None  # the unique name that owns org.kde.KWin now
        self._loaded_in: str | None = None  # the KWin (unique name) our script is loaded and running in
        self._loaded_at = 0.0
        self._load_at = -1e18  # when the next load attempt may start
        self._check_at = 0.0
        self._failure: ProbeStatus | None = None  # why the last load attempt did not succeed
        self._report: _Report | None = None
        self._reported = False  # whether the script reported since it was (re)loaded; the report may be None
        self._window: WindowInfo | None = None  # built from the report when read
        self._built_from: _Report | None = None
        self._script_file: str | None = None

    # -- the probe contract ---------------------------------------------------------------------------------------

    def active_window(self) -> WindowReading:
        try:
            return self._read()
        except Exception as error:  # a broken connection or bad data from the bus: reconnect later
            status = dropped(self._bus, error)
            self._forget()
            return WindowReading(status)

    def close(self) -> None:
        try:
            if self._bus.connected and self._loaded_in is not None and self._loaded_in == self._kwin:
                self._scripting("unloadScript", "s", (PLUGIN_NAME,))
        except Exception:  # closing must not fail; KWin drops the script when it restarts anyway
            pass
        finally:
            self._bus.close()
            self._forget()
            self._remove_script_file()

    # -- reading --------------------------------------------------------------------------------------------------

    def _read(self) -> WindowReading:
        if self._bus.connection() is None:
            return WindowReading(no_bus(self._bus.last_error))
        self._bus.drain()  # reports, KWin coming and going, late replies
        if self._kwin is None:
            return WindowReading(self._no_kwin())
        now = self._monotonic()
        if self._loaded_in == self._kwin and now >= self._check_at:
            self._check(now)
        if self._loaded_in != self._kwin:
            if now >= self._load_at:
                self._load(now)
            if self._loaded_in != self._kwin:
                return WindowReading(self._failure or self._waiting())
        if self._reported:
            return WindowReading(OK, self._current_window())
        if now - self._loaded_at < REPORT_GRACE_SECONDS:
            return WindowReading(self._waiting())
        if now - self._loaded_at >= RELOAD_SECONDS:
            self._loaded_in = None  # load it again on the next reading
            self._load_at = now
        return WindowReading(self._silent())

    def _current_window(self) -> WindowInfo | None:
        report = self._report
        if report is None:
            return None
        if report is not self._built_from:
            # Looked up once per report (a pid may be reused later, so nothing is kept longer).
            facts = lookup_process(report.pid) if report.pid is not None else NOTHING
            app = report.resource_class or report.desktop_file or report.resource_name or facts.name or ""
            self._window = WindowInfo(
                app=app, title=report.caption, pid=report.pid, process=facts.name, executable=facts.executable
            )
            self._built_from = report
        return self._window

    def _forget(self) -> None:
        self._kwin = None
        self._loaded_in = None
        self._report = None
        self._reported = False
        self._window = None
        self._built_from = None

    # -- statuses -------------------------------------------------------------------------------------------------

    @staticmethod
    def _no_kwin() -> ProbeStatus:
        return ProbeStatus(
            ProbeState.UNSUPPORTED,
            _(
                "KWin is not on the session bus: this is not a KDE Plasma session, or KWin is not running. On KDE "
                'Plasma, log in to a Plasma session; on other desktops, see README, "Tracking on Wayland".'
            ),
        )

    @staticmethod
    def _waiting() -> ProbeStatus:
        return ProbeStatus(
            ProbeState.UNSUPPORTED,
            _("Middenweg's KWin script is starting; the active window is known as soon as KWin reports it."),
        )

    @staticmethod
    def _silent() -> ProbeStatus:
        return ProbeStatus(
            ProbeState.UNSUPPORTED,
            _(
                "KWin loaded Middenweg's script, but the script has not reported the active window; look for a "
                'script error in the KWin log ("journalctl --user -b | grep -i kwin"). Middenweg loads it again '
                "in a minute."
            ),
        )

    @staticmethod
    def _not_answering() -> ProbeStatus:
        return ProbeStatus(
            ProbeState.UNSUPPORTED,
            _("KWin did not answer in time; Middenweg will try again in a few seconds."),
        )

    @staticmethod
    def _refused(detail: str) -> ProbeStatus:
        return ProbeStatus(
            ProbeState.UNSUPPORTED,
            _(
                "KWin did not run Middenweg's window script ({error}); Middenweg will try again in a few seconds. "
                "If this stays, log out of Plasma and in again, and report it to Middenweg if that does not help."
            ).format(error=detail),
        )

    # -- loading the script ---------------------------------------------------------------------------------------

    def _load(self, now: float) -> None:
        """Unload a stale copy, write and load the script, and run it. Sets ``_loaded_in`` or ``_failure``."""
        self._load_at = now + RETRY_SECONDS
        self._failure = None
        self._report = None
        self._reported = False  # the script reports while run() is being answered: from here on it counts
        kwin = self._kwin
        unloaded = self._scripting("unloadScript", "s", (PLUGIN_NAME,))
        if self._failed(unloaded):
            return
        try:
            path = self._write_script(script_text(self._unique_name()))
        except OSError as error:
            self._failure = self._refused(f"{type(error).__name__}: {error}")
            return
        loaded = self._scripting("loadScript", "ss", (path, PLUGIN_NAME))
        if self._failed(loaded):
            return
        script_id = loaded.body[0] if loaded.body else None
        if not isinstance(script_id, int) or isinstance(script_id, bool):
            self._failure = self._refused(f"loadScript answered {loaded.body!r:.80}")
            return
        if script_id < 0:  # KWin still had a script of this name: its unloading takes a moment
            self._load_at = now + ALREADY_LOADED_RETRY_SECONDS
            return
        if not self._run(script_id):
            return
        self._loaded_in = kwin
        self._loaded_at = now
        self._check_at = now + CHECK_SECONDS

    def _run(self, script_id: int) -> bool:
        """Run the loaded script: its own object's run(), else Scripting.start() (which runs every loaded script)."""
        paths = [f"/Scripting/Script{script_id}", f"/{script_id}"]  # Plasma 6, Plasma 5
        environ = os.environ if self._environ is None else self._environ
        if environ.get("KDE_SESSION_VERSION") == "5":
            paths.reverse()
        for path in paths:
            reply = self._call(path, SCRIPT_INTERFACE, "run")
            if reply is None:
                if not self._bus.connected:
                    _raise_lost(self._bus)
                # KWin answers run() only after it has read and evaluated the script; a slow KWin is still running
                # it, and a script that does not report is loaded again after a while.
                return True
            if error_name(reply) in (_UNKNOWN_OBJECT, _UNKNOWN_METHOD, _UNKNOWN_INTERFACE):
                continue
            if is_error(reply):
                self._failure = self._refused(_describe(reply))
                return False
            return True
        started = self._scripting("start", "", ())
        return not self._failed(started)

    def _check(self, now: float) -> None:
        """Load the script again if KWin no longer has it (another program unloaded it by name)."""
        self._check_at = now + CHECK_SECONDS
        reply = self._scripting("isScriptLoaded", "s", (PLUGIN_NAME,))
        if reply is None or is_error(reply):
            if not self._bus.connected:
                _raise_lost(self._bus)
            return
        if reply.body and reply.body[0] is False:
            self._loaded_in = None
            self._load_at = now

    def _failed(self, reply: Any) -> bool:
        """Whether a Scripting reply ends this load attempt (and ``_failure`` says why)."""
        if reply is None:
            if not self._bus.connected:
                _raise_lost(self._bus)
            self._failure = self._not_answering()
            return True
        if is_error(reply):
            if error_name(reply) in _NO_SERVICE:
                self._kwin = None
                self._failure = self._no_kwin()
            else:
                self._failure = self._refused(_describe(reply))
            return True
        return False

    def _unique_name(self) -> str:
        conn = self._bus.connection()
        name = getattr(conn, "unique_name", None)
        if not isinstance(name, str) or not name:
            raise ConnectionError("the session bus gave no unique name")
        return name

    def _scripting(self, method: str, signature: str, body: tuple[Any, ...]) -> Any:
        return self._call(SCRIPTING_PATH, SCRIPTING_INTERFACE, method, signature, body)

    def _call(self, path: str, interface: str, method: str, signature: str = "", body: tuple[Any, ...] = ()) -> Any:
        from jeepney import DBusAddress, new_method_call

        address = DBusAddress(path, bus_name=KWIN_NAME, interface=interface)
        return self._bus.call(new_method_call(address, method, signature or None, body))

    def _write_script(self, text: str) -> str:
        """Write the script to a new private file (0600) and return its path; the previous one is removed."""
        self._remove_script_file()
        environ = os.environ if self._environ is None else self._environ
        runtime = environ.get("XDG_RUNTIME_DIR") or ""
        directory = runtime if runtime and os.path.isdir(runtime) else None
        fd, path = tempfile.mkstemp(prefix="middenweg-kwin-", suffix=".js", dir=directory)  # mode 0600
        self._script_file = path
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        return path

    def _remove_script_file(self) -> None:
        path, self._script_file = self._script_file, None
        if path is not None:
            with contextlib.suppress(OSError):
                os.unlink(path)

    # -- the bus --------------------------------------------------------------------------------------------------

    def _on_connect(self, _conn: Any) -> None:
        """Watch org.kde.KWin come and go, then ask who owns it now (in that order, so no change is missed)."""
        from jeepney import MessageType
        from jeepney.bus_messages import MatchRule, message_bus

        self._forget()
        rule = MatchRule(
            type="signal",
            sender="org.freedesktop.DBus",
            interface="org.freedesktop.DBus",
            member="NameOwnerChanged",
            path="/org/freedesktop/DBus",
        )
        rule.add_arg_condition(0, KWIN_NAME)
        match = self._bus.send(message_bus.AddMatch(rule))
        owner = self._bus.send(message_bus.GetNameOwner(KWIN_NAME))
        replies = self._bus.replies([match, owner])
        found = replies.get(owner)
        if match not in replies or found is None:
            raise TimeoutError("the session bus did not answer AddMatch and GetNameOwner in time")
        if found.header.message_type is MessageType.method_return and found.body and isinstance(found.body[0], str):
            self._kwin = found.body[0] or None

    def _on_message(self, message: Any) -> None:
        from jeepney import MessageType

        kind = message.header.message_type
        if kind is MessageType.signal:
            self._owner_changed(message)
        elif kind is MessageType.method_call:
            self._answer(message)

    def _owner_changed(self, message: Any) -> None:
        from jeepney import HeaderFields

        fields = message.header.fields
        if fields.get(HeaderFields.member) != "NameOwnerChanged" or fields.get(HeaderFields.sender) != (
            "org.freedesktop.DBus"
        ):
            return
        body = message.body
        if len(body) != 3 or body[0] != KWIN_NAME or not all(isinstance(part, str) for part in body):
            return
        self._kwin = body[2] or None
        if self._loaded_in is not None and self._loaded_in != self._kwin:
            # KWin restarted (or left): its scripts are gone; load ours into the new one at once.
            self._loaded_in = None
            self._report = None
            self._reported = False
            self._failure = None
            self._load_at = -1e18

    def _answer(self, message: Any) -> None:
        """Serve the script's calls: a method return for a report, a D-Bus error for anything else."""
        from jeepney import HeaderFields, MessageFlag, new_error, new_method_return

        fields = message.header.fields
        path = fields.get(HeaderFields.path)
        interface = fields.get(HeaderFields.interface)
        member = fields.get(HeaderFields.member)
        signature = fields.get(HeaderFields.signature, "")
        wants_reply = not message.header.flags & MessageFlag.no_reply_expected

        def reply(error: str = "", text: str = "", *, introspection: str = "") -> None:
            if not wants_reply:
                return
            if error:
                self._bus.send(new_error(message, error, "s", (text,)))
            elif introspection:
                self._bus.send(new_method_return(message, "s", (introspection,)))
            else:
                self._bus.send(new_method_return(message))

        if path != REPORT_PATH:
            reply(_UNKNOWN_OBJECT, f"No such object path '{path}'")
            return
        if interface == _INTROSPECTABLE and member == "Introspect":
            reply(introspection=_INTROSPECTION)
            return
        if interface not in (None, REPORT_INTERFACE):
            reply(_UNKNOWN_INTERFACE, f"No such interface '{interface}' at object path '{path}'")
            return
        if member not in (REPORT_WINDOW, REPORT_NO_WINDOW):
            reply(_UNKNOWN_METHOD, f"No such method '{member}' at object path '{path}' (signature '{signature}')")
            return
        if self._kwin is None or fields.get(HeaderFields.sender) != self._kwin:
            reply(_ACCESS_DENIED, "Only KWin's script may report the active window.")
            return
        if member == REPORT_NO_WINDOW:
            self._report = None
        else:
            report = _parse_report(message.body)
            if report is None:
                reply(_INVALID_ARGS, f"{REPORT_WINDOW} takes five strings, not '{signature}'")
                return
            self._report = report
        self._reported = True
        reply()


def _parse_report(body: Any) -> _Report | None:
    """The five WindowActivated arguments, each taken leniently (a string, bytes or a number); None if odd."""
    if not isinstance(body, tuple) or len(body) != 5:
        return None
    resource_class, resource_name, caption, _, desktop_file = (_text(part) for part in body)
    return _Report(
        resource_class=resource_class or "",
        resource_name=resource_name or "",
        caption=caption,
        pid=_pid(body[3]),
        desktop_file=desktop_file or "",
    )


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def _pid(value: Any) -> int | None:
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str | bytes):
        text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
        text = text.strip()
        if 0 < len(text) <= 10 and text.isascii() and text.isdigit():
            number = int(text)
    return number if number is not None and 0 < number < 2**31 else None


class ScreenSaverIdleProbe:
    """IdleProbe over ``org.freedesktop.ScreenSaver.GetSessionIdleTime`` as KDE implements it (milliseconds).

    Name ``"screensaver"``. ``address``, ``environ`` and ``monotonic`` as for KWinWindowProbe. Threading: one thread.
    """

    name = "screensaver"

    def __init__(
        self,
        address: str | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        timeout: float = CALL_TIMEOUT,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._monotonic = monotonic
        self._bus = BusLink(address, environ=environ, timeout=timeout, monotonic=monotonic)
        self._paths = list(SCREENSAVER_PATHS)
        self._quiet_until = -1e18  # after a call that got no answer: do not ask again before this
        self._failure: ProbeStatus | None = None

    def idle(self) -> IdleReading:
        try:
            return self._read()
        except Exception as error:  # a broken connection or bad data from the bus: reconnect later
            return IdleReading(dropped(self._bus, error))

    def close(self) -> None:
        self._bus.close()

    def _read(self) -> IdleReading:
        if self._bus.connection() is None:
            return IdleReading(no_bus(self._bus.last_error))
        self._bus.drain()  # late answers to questions that timed out
        now = self._monotonic()
        if now < self._quiet_until and self._failure is not None:
            return IdleReading(self._failure)
        from jeepney import DBusAddress, new_method_call

        for index, path in enumerate(self._paths):
            address = DBusAddress(path, bus_name=SCREENSAVER_NAME, interface=SCREENSAVER_INTERFACE)
            reply = self._bus.call(new_method_call(address, "GetSessionIdleTime"))
            if reply is None:
                if not self._bus.connected:
                    _raise_lost(self._bus)
                self._quiet_until = now + RETRY_SECONDS
                self._failure = ProbeStatus(
                    ProbeState.UNSUPPORTED,
                    _("The screen saver service did not say the idle time in time; Middenweg will ask again shortly."),
                )
                return IdleReading(self._failure)
            self._failure = None
            name = error_name(reply)
            if name == _UNKNOWN_OBJECT and index < len(self._paths) - 1:
                continue  # KDE has both paths; another service may have only one
            if index:
                self._paths.insert(0, self._paths.pop(index))  # ask the one that answered first from now on
            if not is_error(reply):
                return self._milliseconds(reply.body)
            return IdleReading(self._status_for(name, reply))
        return IdleReading(self._missing())

    @staticmethod
    def _milliseconds(body: Any) -> IdleReading:
        value = body[0] if isinstance(body, tuple) and len(body) == 1 else None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return IdleReading(OK, value / 1000.0)  # KIdleTime milliseconds (see the module docstring)
        return IdleReading(
            ProbeStatus(
                ProbeState.UNSUPPORTED,
                _(
                    "The screen saver service answered the idle time with {answer} instead of a number of "
                    "milliseconds, so idle time is unknown on this desktop."
                ).format(answer=repr(body)[:80]),
            )
        )

    @staticmethod
    def _missing() -> ProbeStatus:
        return ProbeStatus(
            ProbeState.UNSUPPORTED,
            _(
                "Idle time is unknown on this desktop: nothing on the session bus answers "
                "org.freedesktop.ScreenSaver.GetSessionIdleTime. On KDE Plasma it comes with the screen locker "
                "(package kscreenlocker); without it, time away from the computer counts until the screen locks."
            ),
        )

    def _status_for(self, name: str, reply: Any) -> ProbeStatus:
        if name in _NO_SERVICE or name in (_UNKNOWN_OBJECT, _UNKNOWN_INTERFACE, _UNKNOWN_METHOD):
            return self._missing()
        if name == _NOT_SUPPORTED:
            return ProbeStatus(
                ProbeState.UNSUPPORTED,
                _(
                    "KDE Plasma does not give other programs the idle time in a Wayland session (GetSessionIdleTime "
                    "is not supported), so Middenweg cannot see when you step away; lock the screen when you leave "
                    "(Meta+L) so that the time away is not counted."
                ),
            )
        return ProbeStatus(
            ProbeState.UNSUPPORTED,
            _("The screen saver service could not say the idle time ({error}); idle time is unknown.").format(
                error=_describe(reply)
            ),
        )


def create_kde(
    environ: Mapping[str, str] | None = None, *, address: str | None = None
) -> tuple[KWinWindowProbe, ScreenSaverIdleProbe]:
    """The KDE Plasma window and idle probes on the session bus named by ``address``, else by ``environ`` (default:
    the process environment, read on each connection attempt): DBUS_SESSION_BUS_ADDRESS, then $XDG_RUNTIME_DIR/bus.
    Nothing is connected until the first reading."""
    return KWinWindowProbe(address, environ=environ), ScreenSaverIdleProbe(address, environ=environ)
