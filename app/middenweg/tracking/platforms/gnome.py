"""The GNOME Shell probes (Mutter, Wayland): the window in front, asked of a GNOME Shell extension over D-Bus, and the
idle time, asked of Mutter's idle monitor.

On Wayland an app cannot ask the compositor which window is in front; GNOME Shell tells only through an extension,
which exports an object on GNOME Shell's own session bus connection (bus name ``org.gnome.Shell``). Two published
extensions are understood, each as its source defines it:

- "Focused Window D-Bus" (github.com/flexagoon/focused-window-dbus, ``extension.js``): ``Get() -> s``, a JSON object
  (``title``, ``wm_class``, ``wm_class_instance``, ``pid``, ``id``, ...), ``"{}"`` when no window has the focus.
  Its GNOME 45+ releases export ``org.gnome.shell.extensions.FocusedWindow`` at
  ``/org/gnome/shell/extensions/FocusedWindow``; its GNOME 43/44 releases ``org.gnome.Shell.Extensions.FocusedWindow``
  at ``/org/gnome/Shell/Extensions/FocusedWindow`` and throw "No window in focus" instead of answering ``"{}"``.
- "Window Calls Extended" (github.com/hseliger/window-calls-extended, ``extension.js``):
  ``org.gnome.Shell.Extensions.WindowsExt`` at ``/org/gnome/Shell/Extensions/WindowsExt``. Its ``List() -> s`` (a JSON
  array of ``{class, pid, id, focus, title}``) is used rather than ``FocusClass``/``FocusTitle``/``FocusPID``: one call
  sees one consistent moment, and a window without a class or title is JSON null there, where the Focus* methods fail.

The window probe asks the extension that answered last; when that one is not there, the others, all at once, so a
reading waits at most about one bus timeout. A hung GNOME Shell is not asked again for ``RETRY_SECONDS``, so it cannot
cost the tracker a timeout every second. Every call is bounded (``BusLink``'s timeout) and never raises; nothing
touches the bus at import time (jeepney is imported on first use). Threading: one thread only, like every probe.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from middenweg.i18n import _
from middenweg.tracking.platforms.buslink import (
    CALL_TIMEOUT,
    RETRY_SECONDS,
    BusLink,
    bus_lost,
    dropped,
    error_name,
    no_bus,
)
from middenweg.tracking.platforms.processes import NOTHING, ProcessFacts, lookup_process
from middenweg.tracking.probes import OK, IdleReading, ProbeState, ProbeStatus, WindowInfo, WindowReading

__all__ = [
    "ENDPOINTS",
    "IDLE_INTERFACE",
    "IDLE_NAME",
    "IDLE_PATH",
    "RETRY_SECONDS",
    "SHELL_NAME",
    "Endpoint",
    "GnomeWindowProbe",
    "MutterIdleProbe",
    "create_gnome",
]

#: GNOME Shell's well-known name; extensions export their objects on the connection that owns it.
SHELL_NAME = "org.gnome.Shell"
#: Mutter's idle monitor (GNOME/mutter: data/dbus-interfaces/org.gnome.Mutter.IdleMonitor.xml,
#: src/backends/meta-idle-manager.c): GetIdletime() -> t, in milliseconds.
IDLE_NAME = "org.gnome.Mutter.IdleMonitor"
IDLE_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
IDLE_INTERFACE = "org.gnome.Mutter.IdleMonitor"

#: Error names meaning "no such object, interface or method here": the extension is not installed or not enabled.
#: GDBus (GNOME Shell's D-Bus library) answers UnknownMethod for all three (glib: gio/gdbusconnection.c,
#: distribute_method_call); the other two are what other D-Bus libraries say.
_NOT_THERE = frozenset(
    {
        "org.freedesktop.DBus.Error.UnknownMethod",
        "org.freedesktop.DBus.Error.UnknownObject",
        "org.freedesktop.DBus.Error.UnknownInterface",
    }
)
#: Error names the bus itself gives when nobody owns the name (with and without the no-auto-start flag).
_NO_OWNER = frozenset({"org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner"})
#: What "Focused Window D-Bus" for GNOME 43/44 throws when no window has the focus (the lock screen, the overview).
_NO_WINDOW_IN_FOCUS = "No window in focus"
#: GJS names a JavaScript exception thrown by an exported method "org.gnome.gjs.JSError.<its class>".
_GJS_ERROR = "org.gnome.gjs.JSError."
#: Titles and app names longer than this are cut here already (the sampler cuts far shorter); it bounds memory.
_TEXT_LIMIT = 16384
#: Process facts kept per (window id, pid); cleared when it grows past this.
_CACHE_LIMIT = 512


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One extension's object: where it is, which method answers, and the probe name once it has answered."""

    probe_name: str
    extension: str  # as extensions.gnome.org lists it
    path: str
    interface: str
    method: str


FOCUSED_WINDOW = Endpoint(
    "gnome-focused-window",
    "Focused Window D-Bus",
    "/org/gnome/shell/extensions/FocusedWindow",
    "org.gnome.shell.extensions.FocusedWindow",
    "Get",
)
FOCUSED_WINDOW_43 = Endpoint(
    "gnome-focused-window",
    "Focused Window D-Bus",
    "/org/gnome/Shell/Extensions/FocusedWindow",
    "org.gnome.Shell.Extensions.FocusedWindow",
    "Get",
)
WINDOW_CALLS = Endpoint(
    "gnome-window-calls",
    "Window Calls Extended",
    "/org/gnome/Shell/Extensions/WindowsExt",
    "org.gnome.Shell.Extensions.WindowsExt",
    "List",
)
#: Every path, in the order they are preferred before one has answered.
ENDPOINTS = (FOCUSED_WINDOW, FOCUSED_WINDOW_43, WINDOW_CALLS)


# -- reasons (translated when given, never at import) -------------------------------------------------------------


def _no_shell() -> ProbeStatus:
    return ProbeStatus(
        ProbeState.UNSUPPORTED,
        _(
            "GNOME Shell is not running on this session bus, so it cannot say which window is in front; on GNOME, "
            "start Middenweg from within your GNOME session."
        ),
    )


def _no_extension() -> ProbeStatus:
    return ProbeStatus(
        ProbeState.UNSUPPORTED,
        _(
            'GNOME Shell tells which window is in front only through an extension, and neither "Focused Window '
            'D-Bus" nor "Window Calls Extended" answers on the session bus: install one of them from '
            "extensions.gnome.org, enable it, then log out and in again."
        ),
    )


def _shell_silent(milliseconds: int) -> ProbeStatus:
    return ProbeStatus(
        ProbeState.UNSUPPORTED,
        _(
            "GNOME Shell did not answer within {ms} ms; Middenweg asks again in a few seconds (if this lasts, log "
            "out and in again)."
        ).format(ms=milliseconds),
    )


def _extension_failed(extension: str, problem: str) -> ProbeStatus:
    return ProbeStatus(
        ProbeState.UNSUPPORTED,
        _(
            'The GNOME Shell extension "{extension}" gave an answer Middenweg cannot use ({problem}); update or '
            "reinstall it from extensions.gnome.org."
        ).format(extension=extension, problem=problem),
    )


def _no_idle_monitor() -> ProbeStatus:
    return ProbeStatus(
        ProbeState.UNSUPPORTED,
        _(
            "Mutter's idle monitor does not answer on the session bus, so idle time cannot be measured: this is not "
            "a GNOME session, or its GNOME is too old; log in to a GNOME 3.10 or later session."
        ),
    )


def _idle_silent(milliseconds: int) -> ProbeStatus:
    return ProbeStatus(
        ProbeState.UNSUPPORTED,
        _(
            "Mutter's idle monitor did not answer within {ms} ms; Middenweg asks again in a few seconds (if this "
            "lasts, log out and in again)."
        ).format(ms=milliseconds),
    )


def _idle_odd(problem: str) -> ProbeStatus:
    return ProbeStatus(
        ProbeState.UNSUPPORTED,
        _(
            "Mutter's idle monitor gave an answer Middenweg cannot use ({problem}); please report this with your "
            "GNOME version."
        ).format(problem=problem),
    )


# -- the bus --------------------------------------------------------------------------------------------------------


def _method_call(bus_name: str, path: str, interface: str, method: str) -> Any:
    """A call that never starts a service: a missing GNOME Shell must not be activated (or waited for)."""
    from jeepney import DBusAddress, MessageFlag, new_method_call

    message = new_method_call(DBusAddress(path, bus_name=bus_name, interface=interface), method)
    message.header.flags |= MessageFlag.no_auto_start
    return message


def _ask(link: BusLink, messages: Sequence[Any]) -> list[Any] | None:
    """Send all ``messages`` at once and wait (at most the link's timeout) for their replies: each reply, or None
    where none came in time. None when the connection broke (it is dropped and retried later)."""
    try:
        serials = [link.send(message) for message in messages]
        found = link.replies(serials)
    except Exception as error:  # a broken or closed connection (OSError, EOF, bad data): reconnect later
        link.drop()
        link.last_error = str(error) or type(error).__name__  # what the other probe on this link reports meanwhile
        return None
    return [found.get(serial) for serial in serials]


def _error_text(reply: Any) -> str:
    """An error reply's name and message, for a reason sentence."""
    name = error_name(reply)
    body = reply.body if reply is not None else ()
    message = body[0] if body and isinstance(body[0], str) else ""
    return _clip(f"{name}: {message}" if message else name, 200)


def _clip(text: str, limit: int = _TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[:limit]


def _signature(reply: Any) -> str:
    from jeepney import HeaderFields

    return str(reply.header.fields.get(HeaderFields.signature, ""))


def _string_body(reply: Any) -> str | None:
    """The one string a method return carries, or None when it carries anything else."""
    body = reply.body
    if isinstance(body, tuple) and len(body) == 1 and isinstance(body[0], str):
        return body[0]
    return None


def _text(value: object) -> str | None:
    return _clip(value) if isinstance(value, str) and value else None


def _pid(value: object) -> int | None:
    # JSON true is an int to Python; a pid beyond 31 bits is not a pid (and would overflow psutil).
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31:
        return value
    return None


def _window_id(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# -- the window probe -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What one endpoint said: a reading (``reading``), or that it is not there (``missing``), that nobody owns
    org.gnome.Shell (``no_shell``), or nothing in time (all False, no reading)."""

    reading: WindowReading | None = None
    missing: bool = False
    no_shell: bool = False


_SILENT = _Outcome()
_MISSING = _Outcome(missing=True)
_NO_SHELL = _Outcome(no_shell=True)


class GnomeWindowProbe:
    """WindowProbe over a GNOME Shell extension. ``name`` is ``"gnome"`` until an extension has answered, then says
    which one did (``"gnome-focused-window"``, ``"gnome-window-calls"``). ``monotonic`` is a seam for tests."""

    def __init__(self, link: BusLink, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.name = "gnome"
        self._link = link
        self._monotonic = monotonic
        self._preferred: Endpoint | None = None  # the endpoint that answered last
        self._quiet_until = -1e18  # after a timeout, GNOME Shell is not asked again before this
        self._processes: dict[tuple[int, int], ProcessFacts] = {}

    def active_window(self) -> WindowReading:
        timeout_ms = round(self._link.timeout * 1000)
        if self._monotonic() < self._quiet_until:
            return WindowReading(_shell_silent(timeout_ms))
        if self._link.connection() is None:
            return WindowReading(no_bus(self._link.last_error))
        try:
            outcomes: list[tuple[Endpoint, _Outcome]] = []
            rounds: list[tuple[Endpoint, ...]] = [ENDPOINTS]
            if self._preferred is not None:
                rest = tuple(e for e in ENDPOINTS if e != self._preferred)
                rounds = [(self._preferred,), rest]
            for endpoints in rounds:
                replies = _ask(self._link, [_method_call(SHELL_NAME, e.path, e.interface, e.method) for e in endpoints])
                if replies is None:
                    return WindowReading(bus_lost(self._link.last_error or "connection closed"))
                outcomes += [(e, self._outcome(e, reply)) for e, reply in zip(endpoints, replies, strict=True)]
                if any(o.reading is not None and o.reading.status.ok for _e, o in outcomes):
                    break
                if any(o is _SILENT or o.no_shell for _e, o in outcomes):
                    break  # GNOME Shell hangs or is not there: asking the others would only say the same
            return self._conclude(outcomes, timeout_ms)
        except Exception as error:  # never pass anything on to the tracker
            return WindowReading(dropped(self._link, error))

    def close(self) -> None:
        self._processes.clear()
        self._link.close()

    def _conclude(self, outcomes: list[tuple[Endpoint, _Outcome]], timeout_ms: int) -> WindowReading:
        answered = [(e, o.reading) for e, o in outcomes if o.reading is not None]
        # An extension that works beats one that answers with nonsense; either beats silence.
        for endpoint, reading in sorted(answered, key=lambda pair: not pair[1].status.ok):
            self._preferred = endpoint
            self.name = endpoint.probe_name
            return reading
        if any(o is _SILENT for _e, o in outcomes):
            self._quiet_until = self._monotonic() + RETRY_SECONDS
            return WindowReading(_shell_silent(timeout_ms))
        if any(o.no_shell for _e, o in outcomes):
            return WindowReading(_no_shell())
        return WindowReading(_no_extension())

    def _outcome(self, endpoint: Endpoint, reply: Any) -> _Outcome:
        from jeepney import MessageType

        if reply is None:
            return _SILENT
        if reply.header.message_type is MessageType.error:
            name = error_name(reply)
            if name in _NO_OWNER:
                return _NO_SHELL
            if name in _NOT_THERE:
                return _MISSING
            if name.startswith(_GJS_ERROR) and _NO_WINDOW_IN_FOCUS in _error_text(reply):
                return _Outcome(WindowReading(OK, None))
            return _Outcome(WindowReading(_extension_failed(endpoint.extension, _error_text(reply))))
        answer = _string_body(reply)
        if answer is None:
            problem = f"a reply of type ({_signature(reply)}), not (s)"
            return _Outcome(WindowReading(_extension_failed(endpoint.extension, problem)))
        try:
            data = json.loads(answer)
        except (ValueError, RecursionError):
            return _Outcome(WindowReading(_extension_failed(endpoint.extension, "not JSON")))
        if endpoint is WINDOW_CALLS:
            return _Outcome(self._from_window_list(endpoint, data))
        return _Outcome(self._from_focused_window(endpoint, data))

    def _from_focused_window(self, endpoint: Endpoint, data: object) -> WindowReading:
        if not isinstance(data, dict):
            return WindowReading(_extension_failed(endpoint.extension, "not a JSON object"))
        if not data:
            return WindowReading(OK, None)  # "{}": no window has the focus
        window = self._window(
            (data.get("wm_class"), data.get("wm_class_instance")), data.get("title"), data.get("pid"), data.get("id")
        )
        if window is None:
            return WindowReading(_extension_failed(endpoint.extension, "no wm_class, title or pid"))
        return WindowReading(OK, window)

    def _from_window_list(self, endpoint: Endpoint, data: object) -> WindowReading:
        if not isinstance(data, list):
            return WindowReading(_extension_failed(endpoint.extension, "not a JSON array"))
        for entry in data:
            if isinstance(entry, dict) and entry.get("focus") is True:
                # "class" in Window Calls Extended; "wm_class" in later Window Calls releases it may follow.
                window = self._window(
                    (entry.get("class"), entry.get("wm_class")), entry.get("title"), entry.get("pid"), entry.get("id")
                )
                if window is None:
                    return WindowReading(_extension_failed(endpoint.extension, "no class, title or pid"))
                return WindowReading(OK, window)
        return WindowReading(OK, None)  # no window has the focus

    def _window(self, classes: tuple[object, ...], title: object, pid: object, window_id: object) -> WindowInfo | None:
        """The window from what the extension said; None when it said nothing usable."""
        app = next((text for text in map(_text, classes) if text), None)
        title_text = title[:_TEXT_LIMIT] if isinstance(title, str) else None
        pid_number = _pid(pid)
        if app is None and not title_text and pid_number is None:
            return None
        process = self._process(_window_id(window_id), pid_number) if pid_number is not None else NOTHING
        return WindowInfo(
            app=app or process.name or "",
            title=title_text,
            pid=pid_number,
            process=process.name,
            executable=process.executable,
        )

    def _process(self, window_id: int, pid: int) -> ProcessFacts:
        key = (window_id, pid)
        found = self._processes.get(key)
        if found is None:
            found = lookup_process(pid)
            if len(self._processes) > _CACHE_LIMIT:
                self._processes.clear()
            self._processes[key] = found
        return found


# -- the idle probe -------------------------------------------------------------------------------------------------


class MutterIdleProbe:
    """IdleProbe over Mutter's idle monitor (name ``"gnome-idle"``); ``monotonic`` is a seam for tests."""

    name = "gnome-idle"

    def __init__(self, link: BusLink, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._link = link
        self._monotonic = monotonic
        self._quiet_until = -1e18  # after a timeout, Mutter is not asked again before this

    def idle(self) -> IdleReading:
        timeout_ms = round(self._link.timeout * 1000)
        if self._monotonic() < self._quiet_until:
            return IdleReading(_idle_silent(timeout_ms))
        if self._link.connection() is None:
            return IdleReading(no_bus(self._link.last_error))
        try:
            replies = _ask(self._link, [_method_call(IDLE_NAME, IDLE_PATH, IDLE_INTERFACE, "GetIdletime")])
            if replies is None:
                return IdleReading(bus_lost(self._link.last_error or "connection closed"))
            return self._reading(replies[0])
        except Exception as error:  # never pass anything on to the tracker
            return IdleReading(dropped(self._link, error))

    def close(self) -> None:
        self._link.close()

    def _reading(self, reply: Any) -> IdleReading:
        from jeepney import MessageType

        if reply is None:
            self._quiet_until = self._monotonic() + RETRY_SECONDS
            return IdleReading(_idle_silent(round(self._link.timeout * 1000)))
        if reply.header.message_type is MessageType.error:
            name = error_name(reply)
            if name in _NO_OWNER or name in _NOT_THERE:
                return IdleReading(_no_idle_monitor())
            return IdleReading(_idle_odd(_error_text(reply)))
        body = reply.body
        if not (isinstance(body, tuple) and len(body) == 1 and isinstance(body[0], int)) or isinstance(body[0], bool):
            return IdleReading(_idle_odd(f"a reply of type ({_signature(reply)}), not (t)"))
        return IdleReading(OK, body[0] / 1000.0)


def create_gnome(
    environ: Mapping[str, str] | None = None,
    *,
    address: str | None = None,
    timeout: float = CALL_TIMEOUT,
    monotonic: Callable[[], float] = time.monotonic,
) -> tuple[GnomeWindowProbe, MutterIdleProbe]:
    """The GNOME probes, sharing one connection to the session bus named by ``address``, else by ``environ``
    (default: the process environment, read on each connection attempt). ``timeout`` bounds every call (keep it at
    0.2 s or lower); ``monotonic`` is a seam for tests. Nothing is connected until the first reading."""
    link = BusLink(address, environ=environ, timeout=timeout, monotonic=monotonic)
    return GnomeWindowProbe(link, monotonic=monotonic), MutterIdleProbe(link, monotonic=monotonic)
