"""The X11 probe: which window is in front (EWMH ``_NET_ACTIVE_WINDOW``, else the input focus) and the idle time.

One Display connection is opened on first use and reused; atoms are interned once per connection, and the
properties of the window in front are asked for in one pipelined batch, so a 1 Hz sample costs a few X round trips
and well under a millisecond of CPU. The probe must never raise to its caller or touch the X server at import time
(python-xlib is imported on first use, so this module imports anywhere): a window that vanishes between two reads
gives a fresh read, and a missing or dead display gives an UNSUPPORTED status with a sentence the user can act on,
followed by a reconnect attempt at most every few seconds.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import socket
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from middenweg.i18n import _
from middenweg.tracking.platforms.processes import NOTHING, ProcessFacts, lookup_process
from middenweg.tracking.probes import OK, IdleReading, ProbeState, ProbeStatus, WindowInfo, WindowReading

#: Seconds between two attempts to (re)connect to the X server after a failure.
RETRY_SECONDS = 5.0
#: Seconds a "is there an EWMH window manager" answer is trusted; window managers come and go rarely.
WM_CHECK_SECONDS = 10.0
#: Property lengths asked for, in 32-bit units (titles longer than 16 KiB are cut; the sampler cuts far shorter).
_TITLE_UNITS = 4096
_CLASS_UNITS = 256
_MACHINE_UNITS = 64
#: Bounded caches (window id → process, focus window → top-level): cleared when they grow past this.
_CACHE_LIMIT = 512
#: Parent hops when walking from the focused window up to its top-level window.
_MAX_DEPTH = 32

_ANY_PROPERTY_TYPE = 0  # X.AnyPropertyType
_NONE = 0  # X.NONE
_POINTER_ROOT = 1  # X.PointerRoot


class X11Probe:
    """WindowProbe and IdleProbe for an X11 session (name ``"x11"``); construct with no arguments to use $DISPLAY.

    ``monotonic`` and ``environ`` are seams for tests (the reconnect delay, a missing DISPLAY).
    Threading: call from one thread only, like every probe.
    """

    name = "x11"

    def __init__(
        self,
        display: str | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._display_name = display
        self._monotonic = monotonic
        self._environ = environ
        self._conn: Any = None  # Xlib.display.Display while connected
        self._failure: ProbeStatus | None = None
        self._retry_at = 0.0
        self._hostname: str | None = None
        # Set on connect: the modules and atoms of this connection.
        self._request: Any = None
        self._root_id = 0
        self._root: Any = None
        self._atoms: dict[str, int] = {}
        self._vanished: tuple[type[BaseException], ...] = ()
        self._lost: tuple[type[BaseException], ...] = (OSError,)
        self._has_idle = False
        self._ewmh = False
        self._ewmh_checked_at = -1e18
        self._processes: dict[tuple[int, int], ProcessFacts] = {}
        self._toplevels: dict[int, int] = {}

    # -- the probe contract -------------------------------------------------------------------------------------

    def active_window(self) -> WindowReading:
        status = self._ensure_connected()
        if status is not None:
            return WindowReading(status)
        try:
            # A window can vanish between finding it and reading it; one fresh read usually finds its successor.
            for _attempt in range(2):
                try:
                    window_id = self._front_window_id()
                    if window_id is None:
                        return WindowReading(OK, None)
                    return WindowReading(OK, self._describe(window_id))
                except self._vanished:
                    self._forget_windows()
            return WindowReading(OK, None)
        except self._lost as error:
            return WindowReading(self._lose(error))
        except Exception as error:  # python-xlib may raise anything on a broken stream; never pass it on.
            return WindowReading(self._lose(error, unexpected=True))

    def idle(self) -> IdleReading:
        status = self._ensure_connected()
        if status is not None:
            return IdleReading(status)
        if not self._has_idle:
            return IdleReading(
                ProbeStatus(
                    ProbeState.UNSUPPORTED,
                    _(
                        "The X server on {display} lacks the MIT-SCREEN-SAVER extension, so idle time cannot be "
                        "measured; use an X server that offers it, as Xorg and Xvfb do."
                    ).format(display=self._current_display_name()),
                )
            )
        try:
            info = self._root.screensaver_query_info()
            return IdleReading(OK, int(info.idle) / 1000.0)
        except self._lost as error:
            return IdleReading(self._lose(error))
        except Exception as error:  # see active_window
            return IdleReading(self._lose(error, unexpected=True))

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            # The connection may already be dead; closing must not fail.
            with contextlib.suppress(Exception):
                conn.close()

    # -- connection -----------------------------------------------------------------------------------------------

    def _current_display_name(self) -> str:
        if self._display_name:
            return self._display_name
        environ = os.environ if self._environ is None else self._environ
        return environ.get("DISPLAY", "")

    def _ensure_connected(self) -> ProbeStatus | None:
        """None when connected; else the status to report (the last failure until the next retry is due)."""
        if self._conn is not None:
            return None
        now = self._monotonic()
        if self._failure is not None and now < self._retry_at:
            return self._failure
        self._retry_at = now + RETRY_SECONDS
        name = self._current_display_name()
        if not name:
            self._failure = ProbeStatus(
                ProbeState.UNSUPPORTED,
                _(
                    "No X display: DISPLAY is not set; Middenweg tracks X11 sessions, so start it inside an X11 "
                    'desktop session (on Wayland, see the "Wayland" section of the README).'
                ),
            )
            return self._failure
        try:
            self._connect(name)
        except Exception as error:
            _close_abandoned_sockets(error)
            self.close()
            self._failure = ProbeStatus(
                ProbeState.UNSUPPORTED,
                _(
                    "Cannot connect to the X display {display} ({error}); check that your desktop session is "
                    "running, and Middenweg will try again in a few seconds."
                ).format(display=name, error=_describe_error(error)),
            )
            return self._failure
        self._failure = None
        return None

    def _connect(self, name: str) -> None:
        from Xlib import Xatom, display, error
        from Xlib.protocol import request

        conn = display.Display(name)
        self._conn = conn
        # Errors of requests without replies would be printed to stderr by python-xlib's default handler.
        conn.set_error_handler(_ignore_error)
        self._request = request
        self._root = conn.screen().root
        self._root_id = int(self._root.id)
        self._vanished = (error.XError,)
        self._lost = (error.ConnectionClosedError, OSError)
        names = ("_NET_ACTIVE_WINDOW", "_NET_SUPPORTING_WM_CHECK", "_NET_WM_NAME", "_NET_WM_PID")
        self._atoms = {n: int(conn.intern_atom(n)) for n in (*names, "UTF8_STRING", "COMPOUND_TEXT")}
        self._atoms.update(
            WM_CLASS=Xatom.WM_CLASS,
            WM_NAME=Xatom.WM_NAME,
            WM_CLIENT_MACHINE=Xatom.WM_CLIENT_MACHINE,
            STRING=Xatom.STRING,
        )
        self._has_idle = bool(conn.has_extension("MIT-SCREEN-SAVER"))
        self._ewmh_checked_at = -1e18
        self._forget_windows()
        self._processes.clear()
        if self._hostname is None:
            self._hostname = socket.gethostname()

    def _lose(self, error: BaseException, *, unexpected: bool = False) -> ProbeStatus:
        name = self._current_display_name()
        self.close()
        if unexpected:
            message = _(
                "Reading the X display {display} failed unexpectedly ({error}); Middenweg will reconnect in a few "
                "seconds."
            )
        else:
            message = _(
                "The connection to the X display {display} was lost ({error}); Middenweg will reconnect when the "
                "display is back."
            )
        self._failure = ProbeStatus(ProbeState.UNSUPPORTED, message.format(display=name, error=_describe_error(error)))
        self._retry_at = self._monotonic() + RETRY_SECONDS
        return self._failure

    # -- reading windows ----------------------------------------------------------------------------------------

    def _get(self, window_id: int, atom: str, units: int) -> Any:
        """Send a GetProperty without waiting for its reply, so that several share one round trip."""
        return self._request.GetProperty(
            display=self._conn.display,
            defer=True,
            delete=False,
            window=window_id,
            property=self._atoms[atom],
            type=_ANY_PROPERTY_TYPE,
            long_offset=0,
            long_length=units,
        )

    def _front_window_id(self) -> int | None:
        if self._has_ewmh_wm():
            reply = self._get(self._root_id, "_NET_ACTIVE_WINDOW", 1)
            reply.reply()
            value = _card32(reply)
            # 0 (or the root) means the window manager says nothing is in front: the desktop has the focus.
            return value if value not in (None, _NONE, self._root_id) else None
        return self._focused_toplevel()

    def _has_ewmh_wm(self) -> bool:
        """Whether an EWMH window manager runs now (root properties outlive a window manager that died)."""
        now = self._monotonic()
        if now - self._ewmh_checked_at < WM_CHECK_SECONDS:
            return self._ewmh
        self._ewmh_checked_at = now
        reply = self._get(self._root_id, "_NET_SUPPORTING_WM_CHECK", 1)
        reply.reply()
        check = _card32(reply)
        self._ewmh = False
        if check:
            # EWMH: the check window carries the same property pointing at itself while its manager lives.
            own = self._get(check, "_NET_SUPPORTING_WM_CHECK", 1)
            try:
                own.reply()
                self._ewmh = _card32(own) == check
            except self._vanished:
                self._ewmh = False
        return self._ewmh

    def _focused_toplevel(self) -> int | None:
        """Without an EWMH window manager: the window with the input focus, walked up to the one with WM_CLASS."""
        focus = self._conn.get_input_focus().focus
        focus_id = focus if isinstance(focus, int) else int(focus.id)
        if focus_id in (_NONE, _POINTER_ROOT, self._root_id):
            return None
        cached = self._toplevels.get(focus_id)
        if cached is not None:
            return cached
        window_id = focus_id
        toplevel = focus_id
        for _depth in range(_MAX_DEPTH):
            wm_class = self._get(window_id, "WM_CLASS", _CLASS_UNITS)
            wm_class.reply()
            if wm_class.property_type != _NONE:
                toplevel = window_id
                break
            parent = int(self._conn.create_resource_object("window", window_id).query_tree().parent.id)
            if parent in (_NONE, self._root_id):
                # No ancestor names its class: the child of the root is the best answer there is.
                toplevel = window_id
                break
            window_id = parent
        if len(self._toplevels) > _CACHE_LIMIT:
            self._toplevels.clear()
        self._toplevels[focus_id] = toplevel
        return toplevel

    def _describe(self, window_id: int) -> WindowInfo:
        pending = [
            self._get(window_id, "WM_CLASS", _CLASS_UNITS),
            self._get(window_id, "_NET_WM_NAME", _TITLE_UNITS),
            self._get(window_id, "WM_NAME", _TITLE_UNITS),
            self._get(window_id, "_NET_WM_PID", 1),
            self._get(window_id, "WM_CLIENT_MACHINE", _MACHINE_UNITS),
        ]
        first_error: BaseException | None = None
        for reply in pending:
            # Collect every reply even after an error, so no answer is left behind in the stream.
            try:
                reply.reply()
            except self._vanished as error:
                first_error = first_error or error
        if first_error is not None:
            raise first_error
        wm_class, net_name, wm_name, net_pid, machine = pending
        instance, klass = _split_class(_bytes(wm_class))
        title = self._text(net_name) or self._text(wm_name) or ""
        pid = _card32(net_pid)
        if pid is not None and not self._is_local(machine):
            pid = None  # a pid from another host (ssh -X) names an unrelated process here
        process = self._process(window_id, pid) if pid else NOTHING
        app = klass or instance or process.name or ""
        return WindowInfo(
            app=app,
            title=title,
            pid=pid or None,
            process=process.name,
            executable=process.executable,
        )

    def _text(self, reply: Any) -> str:
        data = _bytes(reply)
        if not data:
            return ""
        kind = int(reply.property_type)
        if kind == self._atoms["COMPOUND_TEXT"]:
            return decode_compound_text(data)
        if kind == self._atoms["STRING"]:
            return decode_string(data)
        return data.decode("utf-8", "replace")

    def _is_local(self, machine: Any) -> bool:
        data = _bytes(machine)
        if not data or not self._hostname:
            return True
        remote = data.decode("latin-1").lower()
        local = self._hostname.lower()
        return remote == local or remote.split(".")[0] == local.split(".")[0]

    def _process(self, window_id: int, pid: int) -> ProcessFacts:
        key = (window_id, pid)
        found = self._processes.get(key)
        if found is None:
            found = lookup_process(pid)
            if len(self._processes) > _CACHE_LIMIT:
                self._processes.clear()
            self._processes[key] = found
        return found

    def _forget_windows(self) -> None:
        self._toplevels.clear()


def create_x11(display: str | None = None) -> X11Probe:
    """The X11 window and idle probe for ``display`` (default: $DISPLAY, read on each connection attempt)."""
    return X11Probe(display)


# -- decoding ---------------------------------------------------------------------------------------------------


def decode_string(data: bytes) -> str:
    """An ICCCM STRING property: Latin-1 by the spec, but many programs put UTF-8 there, so valid UTF-8 wins."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# COMPOUND_TEXT (X Consortium standard "Compound Text Encoding"): ISO 2022 with GL = ASCII and GR = the right half
# of Latin-1 at the start; escape sequences switch either half to another character set. Sets this table does not
# know decode to U+FFFD rather than fail.
_GR_96 = {  # ESC - F: a 96-character set into GR
    "A": "iso8859-1",
    "B": "iso8859-2",
    "C": "iso8859-3",
    "D": "iso8859-4",
    "F": "iso8859-7",
    "G": "iso8859-6",
    "H": "iso8859-8",
    "L": "iso8859-5",
    "M": "iso8859-9",
    "V": "iso8859-10",
    "Y": "iso8859-13",
    "_": "iso8859-14",
    "b": "iso8859-15",
    "f": "iso8859-16",
}
_MULTI_94 = {"A": "gb2312", "B": "euc_jp", "C": "euc_kr"}  # ESC $ ( F / ESC $ ) F: 94x94 sets, EUC-coded in GR
_ESC = 0x1B


@dataclass(frozen=True, slots=True)
class _Set:
    codec: str
    width: int = 1  # bytes per character
    high: bool = True  # whether the codec reads bytes with the high bit set (the GR form)


_ASCII = _Set("ascii", 1, False)
_LATIN1_GR = _Set("iso8859-1")


def decode_compound_text(data: bytes) -> str:
    """Decode a COMPOUND_TEXT property; anything it cannot read becomes U+FFFD, it never raises."""
    out: list[str] = []
    gl, gr = _ASCII, _LATIN1_GR
    i, n = 0, len(data)
    run = bytearray()
    run_set: _Set | None = None

    def flush() -> None:
        nonlocal run_set
        if run and run_set is not None:
            out.append(_decode_run(bytes(run), run_set))
        run.clear()
        run_set = None

    while i < n:
        byte = data[i]
        if byte == _ESC:
            flush()
            i, gl, gr, text = _escape(data, i, gl, gr)
            if text is not None:
                out.append(text)
            continue
        if byte < 0x20 or byte == 0x7F or 0x80 <= byte < 0xA0:
            flush()
            out.append(chr(byte) if byte in (0x09, 0x0A) else "\ufffd")
            i += 1
            continue
        target = gr if byte >= 0xA0 else gl
        if target is not run_set:
            flush()
            run_set = target
        width = target.width
        chunk = data[i : i + width]
        if not target.high and byte >= 0x80:
            chunk = bytes(b & 0x7F for b in chunk)
        elif target.high and byte < 0x80:
            chunk = bytes(b | 0x80 for b in chunk)
        run += chunk
        i += width
    flush()
    return "".join(out)


def _decode_run(data: bytes, charset: _Set) -> str:
    try:
        return data.decode(charset.codec, "replace")
    except LookupError:
        return "\ufffd" * max(1, len(data) // charset.width)


def _escape(data: bytes, i: int, gl: _Set, gr: _Set) -> tuple[int, _Set, _Set, str | None]:
    """Interpret the escape sequence at ``data[i]``; returns the new position, GL, GR and any decoded text."""
    rest = data[i + 1 : i + 5]
    if rest[:2] == b"%G":  # ESC % G ... ESC % @: a UTF-8 segment (ISO 2022 "other coding system")
        end = data.find(b"\x1b%@", i + 3)
        stop = len(data) if end < 0 else end
        return (stop if end < 0 else end + 3), gl, gr, data[i + 3 : stop].decode("utf-8", "replace")
    if rest[:2] == b"%/" and len(rest) >= 4 and len(data) > i + 5:
        # Extended segment: ESC % / F M L name STX text, with (M-128)*128 + (L-128) bytes after L.
        length = (data[i + 4] - 128) * 128 + (data[i + 5] - 128)
        body = data[i + 6 : i + 6 + max(0, length)]
        name, _sep, text = body.partition(b"\x02")
        return i + 6 + max(0, length), gl, gr, _decode_named(name.decode("latin-1"), text)
    if rest[:1] == b"(" and len(rest) >= 2:  # 94-character set into GL
        return i + 3, (_ASCII if rest[1:2] in (b"B", b"J") else _Set("unknown", 1, False)), gr, None
    if rest[:1] == b")" and len(rest) >= 2:  # 94-character set into GR
        # JIS X 0201 katakana in GR is the single-byte half of Shift_JIS.
        return i + 3, gl, (_Set("shift_jis") if rest[1:2] == b"I" else _Set("unknown")), None
    if rest[:1] == b"-" and len(rest) >= 2:  # 96-character set into GR
        return i + 3, gl, _Set(_GR_96.get(rest[1:2].decode("latin-1"), "unknown")), None
    if rest[:1] == b"$" and len(rest) >= 3 and rest[1:2] in (b"(", b")"):  # 94x94 sets
        # EUC codecs read these sets with the high bit set, so GL bytes get it added while decoding.
        charset = _Set(_MULTI_94.get(rest[2:3].decode("latin-1"), "unknown"), 2)
        if rest[1:2] == b"(":
            return i + 4, charset, gr, None
        return i + 4, gl, charset, None
    # Unknown or cut-off escape: drop the ESC alone and carry on with the bytes after it.
    return i + 1, gl, gr, "\ufffd"


def _decode_named(name: str, text: bytes) -> str:
    for candidate in (name, name.rsplit("-", 1)[0]):
        try:
            return text.decode(codecs.lookup(candidate).name, "replace")
        except LookupError:
            continue
    return "\ufffd" if text else ""


# -- small helpers ------------------------------------------------------------------------------------------------


def _bytes(reply: Any) -> bytes:
    """The data of an 8-bit property reply, or b"" when the property is missing or of another format."""
    if reply.property_type == _NONE:
        return b""
    fmt, value = reply.value  # python-xlib's raw GetProperty reply carries (format, data)
    if fmt != 8:
        return b""
    return value if isinstance(value, bytes) else bytes(value)


def _card32(reply: Any) -> int | None:
    """The first item of a 32-bit property reply (WINDOW, CARDINAL), or None."""
    if reply.property_type == _NONE:
        return None
    fmt, value = reply.value
    if fmt != 32 or not len(value):
        return None
    return int(value[0])


def _split_class(data: bytes) -> tuple[str, str]:
    parts = data.split(b"\0")
    instance = decode_string(parts[0]) if parts else ""
    klass = decode_string(parts[1]) if len(parts) > 1 else ""
    return instance, klass


def _close_abandoned_sockets(error: BaseException) -> None:
    """Close the sockets python-xlib opened and dropped while failing to connect (it does not close them itself);
    otherwise every retry leaves one for the garbage collector, with a ResourceWarning."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        for frame, _line in traceback.walk_tb(current.__traceback__):
            for value in frame.f_locals.values():
                if isinstance(value, socket.socket):
                    value.close()
        pending += [current.__context__, current.__cause__]


def _describe_error(error: BaseException) -> str:
    text = str(error).strip()
    return text or type(error).__name__


def _ignore_error(*_args: object) -> None:
    """python-xlib's error handler for requests without replies; a vanished window is not worth a line on stderr."""
