"""Tracking on wlroots compositors: sway and Hyprland say which window is in front on their own IPC sockets, and the
compositor's Wayland idle-notification protocol says since when nobody has touched keyboard or mouse.

- sway (``sway-ipc(7)``): the i3-compatible socket named by ``$SWAYSOCK``. A message is the magic ``i3-ipc``, the
  payload length and the message type as 32-bit integers in native byte order, then the payload; GET_TREE (type 4)
  answers the whole layout tree as JSON. The node with ``"focused": true`` is the window in front: ``app_id`` for a
  native Wayland window, ``window_properties.class`` / ``instance`` for an XWayland one (``app_id`` is null there),
  ``name`` the title, ``pid``. One connection is kept and reused.
- Hyprland (``src/debug/HyprCtl.cpp``, ``hyprctl/main.cpp``): the socket
  ``$XDG_RUNTIME_DIR/hypr/$HYPRLAND_INSTANCE_SIGNATURE/.socket.sock`` (``/tmp/hypr/$SIGNATURE/.socket.sock`` in older
  releases) takes one request per connection; ``j/activewindow`` is answered with one JSON object (``class``,
  ``title``, ``initialClass``, ``pid``, ``xwayland``, ...), or ``{}`` when no window is in front, and the connection
  is closed.
- Idle: a small Wayland client, written against the wire format of the Wayland protocol (no libwayland, no
  generated bindings: it needs only ``wl_display``, ``wl_registry``, ``wl_seat`` and one idle interface), asks the
  compositor to say when the seat has had no input for ``IDLE_TIMEOUT`` seconds: ``ext_idle_notifier_v1``
  (wayland-protocols ``staging/ext-idle-notify``; wlroots 0.16 and sway 1.8 onwards, Hyprland), else KDE's older
  ``org_kde_kwin_idle`` (plasma-wayland-protocols ``idle.xml``; all sway 1.7 / wlroots 0.15 offer, dropped in
  wlroots 0.17). The idle time is 0 until the compositor says "idle", then the timeout plus the time since: below
  the timeout the probe cannot tell the seconds apart, and above it they are as exact as the tracker's tick. Like
  swayidle, it hears nothing while an app inhibits idling (a video playing full screen): the time counts then.

No process is spawned and nothing is connected at import time. Every call is bounded by socket timeouts
(``CALL_TIMEOUT``) and never raises: a missing, dead or babbling socket gives an UNSUPPORTED status with a sentence
the user can act on, and a new attempt at most every ``RETRY_SECONDS``. Threading: one thread only, like every probe.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import struct
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from middenweg.i18n import _
from middenweg.tracking.platforms.processes import NOTHING, ProcessFacts, lookup_process
from middenweg.tracking.probes import (
    OK,
    IdleProbe,
    IdleReading,
    ProbeState,
    ProbeStatus,
    WindowInfo,
    WindowProbe,
    WindowReading,
)

#: Seconds one reading may wait for a socket (connect, send, the whole answer).
CALL_TIMEOUT = 0.2
#: Seconds between two attempts to reach a compositor after a failure.
RETRY_SECONDS = 5.0
#: Seconds without input after which the compositor is asked to say "idle".
IDLE_TIMEOUT = 10.0
#: The longest answer read; a sway tree of hundreds of windows is a few hundred KiB, so more means a broken stream.
MAX_ANSWER_BYTES = 16 * 1024 * 1024
#: Bounded cache (window → process facts): cleared when it grows past this.
_CACHE_LIMIT = 512
#: Levels followed down a sway focus chain (containers nest a few levels, never this many).
_MAX_DEPTH = 64
#: At most this many sway sockets found in XDG_RUNTIME_DIR are tried when SWAYSOCK does not answer.
_MAX_FOUND_SOCKETS = 4


class AnswerError(Exception):
    """An answer that does not follow the protocol (wrong magic, an impossible length, not the JSON expected)."""


def _describe_error(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "no answer in time"
    return str(error) or type(error).__name__


def _environ(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def _text(value: Any) -> str | None:
    """A JSON string, else None (null, a number, a list: whatever a service puts where a string belongs)."""
    return value if isinstance(value, str) else None


def _pid(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31 else None


def _recv_exact(sock: socket.socket, size: int, deadline: float) -> bytes:
    """Exactly ``size`` bytes, or TimeoutError at ``deadline`` (time.monotonic), or ConnectionError at the end."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no complete answer in time")
        sock.settimeout(remaining)
        count = sock.recv_into(view[got:], size - got)
        if count == 0:
            raise ConnectionError("the socket was closed")
        got += count
    return bytes(buffer)


def _loads(data: bytes) -> Any:
    """JSON from bytes that may hold invalid UTF-8 or raw control characters in strings (window titles)."""
    try:
        return json.loads(data.decode("utf-8", "replace"), strict=False)
    except (ValueError, RecursionError) as error:
        raise AnswerError(f"not JSON ({error.__class__.__name__})") from None


class _Processes:
    """Process facts per (window, pid): psutil is asked once per window, not every second."""

    def __init__(self) -> None:
        self._known: dict[tuple[object, int], ProcessFacts] = {}

    def lookup(self, window: object, pid: int | None) -> ProcessFacts:
        if pid is None:
            return NOTHING
        key = (window if isinstance(window, (int, str)) else None, pid)
        found = self._known.get(key)
        if found is None:
            found = lookup_process(pid)
            if len(self._known) > _CACHE_LIMIT:
                self._known.clear()
            self._known[key] = found
        return found


# -- sway ---------------------------------------------------------------------------------------------------------

_I3_MAGIC = b"i3-ipc"
_I3_HEADER = struct.Struct("=6sII")  # magic, payload length, message type (native byte order, sway-ipc(7))
GET_TREE = 4
_I3_EVENT = 0x80000000  # the high bit marks events, which this connection never subscribes to


class SwayProbe:
    """WindowProbe over sway's IPC socket (name ``"sway"``): ``socket_path``, else ``$SWAYSOCK``, else a
    ``sway-ipc.*.sock`` in ``$XDG_RUNTIME_DIR`` (read on each connection attempt).

    ``monotonic`` and ``environ`` are seams for tests (the reconnect delay, a missing SWAYSOCK).
    Threading: call from one thread only, like every probe.
    """

    name = "sway"

    def __init__(
        self,
        socket_path: str | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        timeout: float = CALL_TIMEOUT,
    ) -> None:
        self._socket_path = socket_path
        self._environ = environ
        self._monotonic = monotonic
        self.timeout = timeout
        self._sock: socket.socket | None = None
        self._path = ""
        self._failure: ProbeStatus | None = None
        self._retry_at = -1e18
        self._answered = False  # whether sway has answered on this connection
        self._processes = _Processes()

    def active_window(self) -> WindowReading:
        status = self._ensure_connected()
        if status is not None:
            return WindowReading(status)
        try:
            tree = self._ask(GET_TREE)
            self._answered = True
            return WindowReading(OK, self._describe(focused_view(tree)))
        except Exception as error:  # OSError, a timeout, a broken frame, not JSON: reconnect
            return WindowReading(self._lose(error))

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()

    # -- connection -------------------------------------------------------------------------------------------

    def candidates(self) -> list[str]:
        """The sockets to try, in order: the one given, else SWAYSOCK, then the newest sway sockets in
        XDG_RUNTIME_DIR (a tracker started before sway, or by systemd, may not have SWAYSOCK)."""
        if self._socket_path:
            return [self._socket_path]
        environ = _environ(self._environ)
        paths: list[str] = []
        swaysock = environ.get("SWAYSOCK", "")
        if swaysock:
            paths.append(swaysock)
        runtime = environ.get("XDG_RUNTIME_DIR", "")
        if runtime:
            try:
                found = sorted(Path(runtime).glob("sway-ipc.*.sock"), key=_mtime, reverse=True)
            except (OSError, ValueError):  # an unreadable folder, or a path no file system takes
                found = []
            paths += [str(p) for p in found[:_MAX_FOUND_SOCKETS] if str(p) != swaysock]
        return paths

    def _ensure_connected(self) -> ProbeStatus | None:
        """None when connected; else the status to report (the last failure until the next attempt is due)."""
        if self._sock is not None:
            return None
        now = self._monotonic()
        if self._failure is not None and now < self._retry_at:
            return self._failure
        self._retry_at = now + RETRY_SECONDS
        paths = self.candidates()
        if not paths:
            self._failure = ProbeStatus(
                ProbeState.UNSUPPORTED,
                _(
                    "SWAYSOCK is not set and no sway socket was found in XDG_RUNTIME_DIR, so Middenweg cannot ask "
                    "sway which window is in front; start Middenweg from inside your sway session (for example with "
                    '"exec middenweg" in the sway config).'
                ),
            )
            return self._failure
        first_error: BaseException | None = None
        for path in paths:
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            except OSError as error:  # out of file descriptors
                first_error = first_error or error
                break
            try:
                sock.settimeout(self.timeout)
                sock.connect(path)
            except (OSError, ValueError) as error:  # refused, gone, too long a path, a NUL in it
                sock.close()
                first_error = first_error or error
                continue
            self._sock, self._path, self._failure, self._answered = sock, path, None, False
            return None
        self._failure = ProbeStatus(
            ProbeState.UNSUPPORTED,
            _(
                "Cannot reach sway at {path} ({error}); check that sway is running (swaymsg -t get_version), and "
                "Middenweg will try again in a few seconds."
            ).format(path=paths[0], error=_describe_error(first_error or OSError("?"))),
        )
        return self._failure

    def _lose(self, error: BaseException) -> ProbeStatus:
        self.close()
        self._failure = ProbeStatus(
            ProbeState.UNSUPPORTED,
            _("The connection to sway at {path} failed ({error}); Middenweg will reconnect in a few seconds.").format(
                path=self._path, error=_describe_error(error)
            ),
        )
        # A connection that worked may reconnect at once, so one hiccup (sway busy for a moment) costs one reading;
        # one that never gave an answer waits RETRY_SECONDS, so a hung sway cannot cost a timeout every second.
        self._retry_at = self._monotonic() + (0.0 if self._answered else RETRY_SECONDS)
        return self._failure

    def _ask(self, kind: int) -> Any:
        """Send one message without payload and return its JSON answer (events in between are skipped)."""
        sock = self._sock
        if sock is None:
            raise ConnectionError("not connected to sway")
        deadline = time.monotonic() + self.timeout
        sock.settimeout(self.timeout)
        sock.sendall(_I3_HEADER.pack(_I3_MAGIC, 0, kind))
        while True:
            magic, length, answer_kind = _I3_HEADER.unpack(_recv_exact(sock, _I3_HEADER.size, deadline))
            if magic != _I3_MAGIC:
                raise AnswerError(f"an answer without the i3-ipc magic ({magic!r})")
            if length > MAX_ANSWER_BYTES:
                raise AnswerError(f"an answer of {length} bytes")
            payload = _recv_exact(sock, length, deadline)
            if answer_kind == kind:
                return _loads(payload)
            if not answer_kind & _I3_EVENT:
                raise AnswerError(f"an answer of type {answer_kind} to a message of type {kind}")

    # -- the tree -----------------------------------------------------------------------------------------------

    def _describe(self, node: Mapping[str, Any] | None) -> WindowInfo | None:
        if node is None:
            return None
        props = node.get("window_properties")
        if not isinstance(props, Mapping):
            props = {}
        pid = _pid(node.get("pid"))
        process = self._processes.lookup(node.get("id"), pid)
        app = _text(node.get("app_id")) or _text(props.get("class")) or _text(props.get("instance"))
        return WindowInfo(
            app=app or process.name or "",
            title=_text(node.get("name")) or _text(props.get("title")) or "",
            pid=pid,
            process=process.name,
            executable=process.executable,
        )


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _children(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    for key in ("nodes", "floating_nodes"):
        value = node.get(key)
        if isinstance(value, list):
            found += [child for child in value if isinstance(child, Mapping)]
    return found


def focused_view(tree: Any) -> Mapping[str, Any] | None:
    """The window in front in a sway GET_TREE answer, or None (an empty workspace is focused).

    The node with ``"focused": true`` is usually a window; when it is a container or a workspace that holds windows
    (after ``focus parent``), its ``focus`` list (most recent first) leads down to the window that had the focus."""
    stack: list[Any] = [tree]
    node: Mapping[str, Any] | None = None
    while stack:
        candidate = stack.pop()
        if not isinstance(candidate, Mapping):
            continue
        if candidate.get("focused") is True:
            node = candidate
            break
        stack.extend(_children(candidate))
    for _level in range(_MAX_DEPTH):
        if node is None:
            return None
        children = _children(node)
        if not children:
            return node if _is_view(node) else None
        focus = node.get("focus")
        first = focus[0] if isinstance(focus, list) and focus else None
        node = next((child for child in children if child.get("id") == first), None)
    return None


def _is_view(node: Mapping[str, Any]) -> bool:
    """A window (sway's "view"), not an empty workspace or output: views carry an app id or X11 properties."""
    return node.get("type") in ("con", "floating_con") and any(
        key in node for key in ("app_id", "window_properties", "pid")
    )


# -- Hyprland -----------------------------------------------------------------------------------------------------

ACTIVE_WINDOW_REQUEST = b"j/activewindow"


class HyprlandProbe:
    """WindowProbe over Hyprland's hyprctl socket (name ``"hyprland"``), found from
    ``$HYPRLAND_INSTANCE_SIGNATURE`` (read on each attempt); ``monotonic`` and ``environ`` are seams for tests.
    Threading: call from one thread only, like every probe."""

    name = "hyprland"

    def __init__(
        self,
        *,
        environ: Mapping[str, str] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        timeout: float = CALL_TIMEOUT,
    ) -> None:
        self._environ = environ
        self._monotonic = monotonic
        self.timeout = timeout
        self._failure: ProbeStatus | None = None
        self._retry_at = -1e18
        self._processes = _Processes()

    def active_window(self) -> WindowReading:
        now = self._monotonic()
        if self._failure is not None and now < self._retry_at:
            return WindowReading(self._failure)
        paths = self.candidates()
        if not paths:
            return WindowReading(
                self._fail(
                    _(
                        "HYPRLAND_INSTANCE_SIGNATURE is not set, so Middenweg cannot find Hyprland's socket; start "
                        'Middenweg from inside your Hyprland session (for example with "exec-once = middenweg" in '
                        "hyprland.conf)."
                    )
                )
            )
        # The socket that exists; with none there, the newer place is the one to name.
        path = next((p for p in paths if os.path.exists(p)), paths[0])
        try:
            answer = self._ask(path)
        except OSError as error:
            return WindowReading(
                self._fail(
                    _(
                        "Cannot reach Hyprland at {path} ({error}); check that Hyprland is running (hyprctl "
                        "activewindow), and Middenweg will try again in a few seconds."
                    ).format(path=path, error=_describe_error(error))
                )
            )
        except Exception as error:  # AnswerError, or anything else odd data may cause
            return WindowReading(
                self._fail(
                    _(
                        "Hyprland gave an answer Middenweg cannot read at {path} ({error}); Middenweg will try again "
                        "in a few seconds."
                    ).format(path=path, error=_describe_error(error))
                )
            )
        self._failure = None
        return WindowReading(OK, self._describe(answer))

    def close(self) -> None:
        """Nothing to close: each reading has its own connection, as hyprctl's has."""

    def candidates(self) -> list[str]:
        """Where Hyprland's socket may be: under XDG_RUNTIME_DIR (else /run/user/UID, as hyprctl falls back), then
        under /tmp/hypr (older releases). Empty without HYPRLAND_INSTANCE_SIGNATURE."""
        environ = _environ(self._environ)
        signature = environ.get("HYPRLAND_INSTANCE_SIGNATURE", "")
        if not signature or "/" in signature or signature in (".", ".."):
            return []
        runtime = environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
        return [f"{runtime}/hypr/{signature}/.socket.sock", f"/tmp/hypr/{signature}/.socket.sock"]

    def _fail(self, reason: str) -> ProbeStatus:
        self._failure = ProbeStatus(ProbeState.UNSUPPORTED, reason)
        self._retry_at = self._monotonic() + RETRY_SECONDS
        return self._failure

    def _ask(self, path: str) -> Mapping[str, Any]:
        """Send ``j/activewindow`` right after connecting (Hyprland's main loop waits for the request once it has
        accepted) and read until Hyprland closes the connection."""
        deadline = time.monotonic() + self.timeout
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(self.timeout)
            sock.connect(path)
            sock.sendall(ACTIVE_WINDOW_REQUEST)
            chunks: list[bytes] = []
            size = 0
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("no complete answer in time")
                sock.settimeout(remaining)
                chunk = sock.recv(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise AnswerError(f"an answer of more than {MAX_ANSWER_BYTES} bytes")
                chunks.append(chunk)
        data = b"".join(chunks)
        answer = _loads(data)
        if not isinstance(answer, Mapping):
            raise AnswerError(f"not a JSON object: {data[:40]!r}")
        return answer

    def _describe(self, answer: Mapping[str, Any]) -> WindowInfo | None:
        if not answer:
            return None  # "{}": no window has the focus
        pid = _pid(answer.get("pid"))
        process = self._processes.lookup(answer.get("address"), pid)
        app = _text(answer.get("class")) or _text(answer.get("initialClass"))
        return WindowInfo(
            app=app or process.name or "",
            title=_text(answer.get("title")) or "",
            pid=pid,
            process=process.name,
            executable=process.executable,
        )


# -- idle: a minimal Wayland client -------------------------------------------------------------------------------

_WL_HEADER = struct.Struct("=II")  # object id; message size (upper 16 bits) and opcode (lower 16 bits)
_WL_UINT = struct.Struct("=I")
_DISPLAY_ID = 1
# Opcodes, from wayland.xml, ext-idle-notify-v1.xml and plasma-wayland-protocols' idle.xml (order of declaration).
_DISPLAY_SYNC, _DISPLAY_GET_REGISTRY = 0, 1  # requests
_DISPLAY_ERROR = 0  # event (delete_id, 1, needs nothing done: ids are never reused here)
_REGISTRY_BIND = 0  # request
_REGISTRY_GLOBAL = 0  # event
_CALLBACK_DONE = 0  # event
EXT_NOTIFIER = "ext_idle_notifier_v1"
_EXT_GET_IDLE_NOTIFICATION = 1  # (id new_id, timeout uint ms, seat object); 0 is destroy
KDE_IDLE = "org_kde_kwin_idle"
_KDE_GET_IDLE_TIMEOUT = 0  # (id new_id, seat object, timeout uint ms)
# Events of ext_idle_notification_v1 (idled, resumed) and of org_kde_kwin_idle_timeout (idle, resumed) alike.
_IDLED, _RESUMED = 0, 1
#: Bytes read per idle() call at most; the compositor sends a few small events a minute.
_MAX_READ_PER_CALL = 256 * 1024


class WaylandError(Exception):
    """The compositor said the client broke the protocol (wl_display.error), or its stream is broken."""


class _Wire:
    """Wayland wire format over a connected socket: 32-bit words in native byte order, strings with a length
    (counting the NUL) and padding to 32 bits; objects the client creates get the next free id."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self._next_id = _DISPLAY_ID + 1

    def new_id(self) -> int:
        object_id = self._next_id
        self._next_id += 1
        return object_id

    def request(self, object_id: int, opcode: int, *args: int | str) -> bytes:
        body = bytearray()
        for arg in args:
            if isinstance(arg, str):
                data = arg.encode() + b"\0"
                body += _WL_UINT.pack(len(data)) + data + b"\0" * (-len(data) % 4)
            else:
                body += _WL_UINT.pack(arg)
        return _WL_HEADER.pack(object_id, (8 + len(body)) << 16 | opcode) + bytes(body)

    def messages(self) -> Iterator[tuple[int, int, bytes]]:
        """The complete messages in the buffer (object id, opcode, arguments), removed from it."""
        while len(self.buffer) >= 8:
            object_id, size_opcode = _WL_HEADER.unpack_from(self.buffer)
            size = size_opcode >> 16
            if size < 8 or size % 4:
                raise WaylandError(f"a message of {size} bytes")
            if len(self.buffer) < size:
                return
            body = bytes(self.buffer[8:size])
            del self.buffer[:size]
            yield object_id, size_opcode & 0xFFFF, body

    def read_until(self, callback: int, deadline: float) -> Iterator[tuple[int, int, bytes]]:
        """Messages until wl_callback ``callback`` says done (blocking, up to ``deadline``)."""
        while True:
            for message in self.messages():
                object_id, opcode, _body = message
                if object_id == callback and opcode == _CALLBACK_DONE:
                    return
                yield message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no answer in time")
            self.sock.settimeout(remaining)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the compositor closed the connection")
            self.buffer += chunk

    def read_available(self) -> None:
        """What has arrived, without waiting (the socket is non-blocking after the handshake)."""
        total = 0
        while total < _MAX_READ_PER_CALL:
            try:
                chunk = self.sock.recv(65536)
            except BlockingIOError:
                return
            if not chunk:
                raise ConnectionError("the compositor closed the connection")
            self.buffer += chunk
            total += len(chunk)


def _uint(body: bytes, offset: int) -> int:
    if offset + 4 > len(body):
        raise WaylandError("a message shorter than its arguments")
    value: int = _WL_UINT.unpack_from(body, offset)[0]
    return value


def _string(body: bytes, offset: int) -> tuple[str, int]:
    """A string argument at ``offset`` and the offset after it."""
    length = _uint(body, offset)
    start = offset + 4
    end = start + length
    if length == 0 or end > len(body):
        raise WaylandError("a string longer than its message")
    return body[start : end - 1].decode("utf-8", "replace"), start + length + (-length % 4)


def _display_error(body: bytes) -> WaylandError:
    try:
        object_id, code = _uint(body, 0), _uint(body, 4)
        message, _end = _string(body, 8)
    except WaylandError:
        return WaylandError("a protocol error")
    return WaylandError(f"protocol error {code} on object {object_id}: {message}")


class WaylandIdleProbe:
    """IdleProbe over the compositor's idle-notification protocol (name ``"wayland-idle"``): ``display`` (a
    WAYLAND_DISPLAY value), else ``$WAYLAND_DISPLAY`` in ``$XDG_RUNTIME_DIR``, read on each connection attempt.

    ``idle_timeout`` is the notification timeout in seconds (the granularity below which idle time reads 0);
    ``monotonic`` and ``environ`` are seams for tests. Threading: call from one thread only, like every probe.
    """

    name = "wayland-idle"

    def __init__(
        self,
        display: str | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        timeout: float = CALL_TIMEOUT,
        idle_timeout: float = IDLE_TIMEOUT,
    ) -> None:
        self._display = display
        self._environ = environ
        self._monotonic = monotonic
        self.timeout = timeout
        self.idle_timeout = idle_timeout
        self._wire: _Wire | None = None
        self._display_name = ""
        self._notification = 0
        self._idle_since: float | None = None
        self._failure: ProbeStatus | None = None
        self._retry_at = -1e18
        self.protocol = ""  # the idle interface in use ("" while not connected)

    def idle(self) -> IdleReading:
        status = self._ensure_connected()
        if status is not None:
            return IdleReading(status)
        try:
            self._pump()
        except Exception as error:  # a closed or broken stream, a protocol error: reconnect later
            return IdleReading(self._lose(error))
        if self._idle_since is None:
            return IdleReading(OK, 0.0)
        return IdleReading(OK, self.idle_timeout + max(0.0, self._monotonic() - self._idle_since))

    def close(self) -> None:
        wire, self._wire = self._wire, None
        self.protocol = ""
        if wire is not None:
            with contextlib.suppress(OSError):
                wire.sock.close()

    # -- connection -------------------------------------------------------------------------------------------

    def _socket_path(self) -> tuple[str, str] | None:
        """(WAYLAND_DISPLAY as named, the socket path), or None when the environment does not say."""
        environ = _environ(self._environ)
        name = self._display or environ.get("WAYLAND_DISPLAY", "")
        if not name:
            return None
        if name.startswith("/"):
            return name, name
        runtime = environ.get("XDG_RUNTIME_DIR", "")
        return (name, f"{runtime}/{name}") if runtime else None

    def _ensure_connected(self) -> ProbeStatus | None:
        if self._wire is not None:
            return None
        now = self._monotonic()
        if self._failure is not None and now < self._retry_at:
            return self._failure
        self._retry_at = now + RETRY_SECONDS
        found = self._socket_path()
        if found is None:
            self._failure = ProbeStatus(
                ProbeState.UNSUPPORTED,
                _(
                    "WAYLAND_DISPLAY or XDG_RUNTIME_DIR is not set, so Middenweg cannot ask the compositor how long "
                    "you have been idle; start Middenweg from inside your Wayland session."
                ),
            )
            return self._failure
        self._display_name, path = found
        sock: socket.socket | None = None
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            sock.connect(path)
            wire = _Wire(sock)
            protocol = self._handshake(wire)
        except Exception as error:  # refused, gone, no answer in time, a protocol error, out of descriptors
            if sock is not None:
                sock.close()
            self._failure = ProbeStatus(
                ProbeState.UNSUPPORTED,
                _(
                    "Cannot connect to the Wayland display {display} ({error}); check that your compositor is "
                    "running, and Middenweg will try again in a few seconds."
                ).format(display=self._display_name, error=_describe_error(error)),
            )
            return self._failure
        if protocol is None:
            sock.close()
            self._failure = ProbeStatus(
                ProbeState.UNSUPPORTED,
                _(
                    "This compositor does not tell Middenweg how long you have been idle (it offers neither "
                    "ext-idle-notify-v1 nor org_kde_kwin_idle), so time is counted while a window is in front; newer "
                    "compositor releases (for example sway 1.8 or later) offer it."
                ),
            )
            return self._failure
        sock.setblocking(False)
        self._wire, self.protocol, self._failure = wire, protocol, None
        return None

    def _handshake(self, wire: _Wire) -> str | None:
        """List the globals, bind a seat and the idle interface, and ask for a notification after
        ``idle_timeout``; the idle interface's name, or None when the compositor offers none."""
        deadline = time.monotonic() + self.timeout
        registry, listed = wire.new_id(), wire.new_id()
        wire.sock.sendall(
            wire.request(_DISPLAY_ID, _DISPLAY_GET_REGISTRY, registry)
            + wire.request(_DISPLAY_ID, _DISPLAY_SYNC, listed)
        )
        globals_: dict[str, tuple[int, int]] = {}
        for object_id, opcode, body in wire.read_until(listed, deadline):
            if object_id == _DISPLAY_ID and opcode == _DISPLAY_ERROR:
                raise _display_error(body)
            if object_id == registry and opcode == _REGISTRY_GLOBAL:
                name = _uint(body, 0)
                interface, offset = _string(body, 4)
                globals_.setdefault(interface, (name, _uint(body, offset)))  # the first seat is the default one
        protocol = next((p for p in (EXT_NOTIFIER, KDE_IDLE) if p in globals_), None)
        if protocol is None or "wl_seat" not in globals_:
            return None
        seat, notifier, notification, done = (wire.new_id() for _ in range(4))
        timeout_ms = max(1, round(self.idle_timeout * 1000))
        requests = wire.request(registry, _REGISTRY_BIND, globals_["wl_seat"][0], "wl_seat", 1, seat)
        requests += wire.request(registry, _REGISTRY_BIND, globals_[protocol][0], protocol, 1, notifier)
        if protocol == EXT_NOTIFIER:
            requests += wire.request(notifier, _EXT_GET_IDLE_NOTIFICATION, notification, timeout_ms, seat)
        else:
            requests += wire.request(notifier, _KDE_GET_IDLE_TIMEOUT, notification, seat, timeout_ms)
        requests += wire.request(_DISPLAY_ID, _DISPLAY_SYNC, done)
        wire.sock.sendall(requests)
        self._notification = notification
        self._idle_since = None
        # The sync's answer proves the requests were accepted (a protocol error would come before it).
        for message in wire.read_until(done, deadline):
            self._handle(message)
        return protocol

    def _pump(self) -> None:
        wire = self._wire
        if wire is None:
            return
        wire.read_available()
        for message in wire.messages():
            self._handle(message)

    def _handle(self, message: tuple[int, int, bytes]) -> None:
        object_id, opcode, body = message
        if object_id == _DISPLAY_ID and opcode == _DISPLAY_ERROR:
            raise _display_error(body)
        if object_id == self._notification:
            if opcode == _IDLED:
                if self._idle_since is None:
                    self._idle_since = self._monotonic()
            elif opcode == _RESUMED:
                self._idle_since = None

    def _lose(self, error: BaseException) -> ProbeStatus:
        self.close()
        self._idle_since = None
        self._failure = ProbeStatus(
            ProbeState.UNSUPPORTED,
            _(
                "The connection to the Wayland display {display} was lost ({error}); Middenweg will reconnect in a "
                "few seconds."
            ).format(display=self._display_name, error=_describe_error(error)),
        )
        self._retry_at = self._monotonic() + RETRY_SECONDS
        return self._failure


# -- factories ------------------------------------------------------------------------------------------------------


def create_sway(environ: Mapping[str, str] | None = None) -> tuple[WindowProbe, IdleProbe]:
    """The sway window probe and the Wayland idle probe, both reading ``environ`` (default: the process
    environment) on each connection attempt; nothing is connected until the first reading."""
    return SwayProbe(environ=environ), WaylandIdleProbe(environ=environ)


def create_hyprland(environ: Mapping[str, str] | None = None) -> tuple[WindowProbe, IdleProbe]:
    """The Hyprland window probe and the Wayland idle probe, both reading ``environ`` (default: the process
    environment) on each attempt; nothing is connected until the first reading."""
    return HyprlandProbe(environ=environ), WaylandIdleProbe(environ=environ)
