"""The Windows probes: the window in front (user32 through ctypes, the process through psutil) and the time since
the last keyboard or mouse input (GetLastInputInfo against GetTickCount64).

Everything that touches Windows goes through `Win32Api`, a thin seam whose real implementation (`ctypes`, no
pywin32) is only built on first use on Windows, so this module imports on any system and the adapter logic is tested
on Linux against answers written from Microsoft's documentation. Media playback is not available: Windows' media
session (GlobalSystemMediaTransportControlsSessionManager) is a WinRT API that plain ctypes cannot reach without
extra packages, so `WindowsMediaProbe.playing` always answers None. This module must never touch user32, kernel32
or psutil at import time, never raise to its caller and never block: a call that fails becomes a status with a
sentence the user can act on, and is tried again a few seconds later.
"""

from __future__ import annotations

import logging
import ntpath
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from middenweg.i18n import _
from middenweg.tracking.probes import (
    OK,
    IdleProbe,
    IdleReading,
    MediaProbe,
    ProbeState,
    ProbeStatus,
    WindowInfo,
    WindowProbe,
    WindowReading,
)

__all__ = [
    "RETRY_SECONDS",
    "ProcessFacts",
    "Win32Api",
    "WindowsIdleProbe",
    "WindowsMediaProbe",
    "WindowsWindowProbe",
    "create",
    "create_windows",
    "load_win32_api",
]

_log = logging.getLogger(__name__)

#: After a failure the same call is not tried again for this long (no spamming a broken API every second).
RETRY_SECONDS = 5.0
#: GetWindowTextLength may report more than the real length (ANSI/Unicode mixes); a bogus huge answer must not
#: make us allocate a huge buffer. Longer titles are cut here; the sampler shortens titles further anyway.
_MAX_TITLE_CHARS = 32_767
#: A frame window has a handful of children; a bound keeps EnumChildWindows within the time budget regardless.
_MAX_CHILDREN = 64
_TICK_MASK = 0xFFFF_FFFF
_TICK_HALF = 0x8000_0000
#: The process that draws the frame of Universal Windows Platform apps; the app itself runs in a child's process.
_FRAME_HOST = "applicationframehost.exe"


class Win32Api(Protocol):
    """The few Win32 calls the probes make, each answering exactly what the function returns.

    Window handles are ints (0 is NULL). Functions documented to leave an error for GetLastError do so here too:
    callers clear it with ``set_last_error(0)`` and read it with ``last_error()`` right after the call.
    """

    def foreground_window(self) -> int:
        """GetForegroundWindow: the window the user works with, or 0 (lock screen, UAC, a window switch)."""
        ...

    def window_text_length(self, hwnd: int) -> int:
        """GetWindowTextLengthW: the title's length in characters (maybe more), 0 when empty or on failure."""
        ...

    def window_text(self, hwnd: int, max_count: int) -> tuple[int, str]:
        """GetWindowTextW with a buffer of ``max_count`` characters: (its return value, the buffer's text)."""
        ...

    def window_thread_process_id(self, hwnd: int) -> tuple[int, int]:
        """GetWindowThreadProcessId: (thread id, 0 when the handle is invalid; process id, 0 if not set)."""
        ...

    def child_windows(self, hwnd: int) -> Sequence[int]:
        """EnumChildWindows: the handles of ``hwnd``'s child windows (and theirs), in the order given."""
        ...

    def last_input_tick(self) -> int | None:
        """GetLastInputInfo: LASTINPUTINFO.dwTime (a 32-bit tick count), or None when the function returns 0."""
        ...

    def tick_count64(self) -> int:
        """GetTickCount64: milliseconds since the system started."""
        ...

    def last_error(self) -> int:
        """GetLastError for the calls above."""
        ...

    def set_last_error(self, code: int) -> None:
        """SetLastError for the calls above."""
        ...


class ProcessFacts(Protocol):
    """What the probe asks of a process; `psutil.Process` is one. Both may raise psutil.NoSuchProcess or
    psutil.AccessDenied."""

    def name(self) -> str: ...

    def exe(self) -> str: ...


ProcessLookup = Callable[[int], ProcessFacts]


class _UnavailableError(Exception):
    """The Win32 API cannot be loaded here; ``reason`` is the translated sentence for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def load_win32_api() -> Win32Api:
    """The real API through ctypes. Raises `_UnavailableError` on a system that is not Windows."""
    if sys.platform == "win32":
        try:
            return _CtypesWin32Api()
        except (OSError, AttributeError) as exc:
            raise _UnavailableError(
                _(
                    "Windows would not load user32.dll or kernel32.dll ({error}), so Middenweg cannot see windows "
                    "here; run it in a signed-in Windows desktop session."
                ).format(error=exc)
            ) from exc
    else:
        raise _UnavailableError(
            _("The Windows window tracker only works on Windows, and this computer runs {system}.").format(
                system=sys.platform
            )
        )


def _psutil_process(pid: int) -> ProcessFacts:
    import psutil  # imported on first use: psutil reads system files when imported

    return psutil.Process(pid)


@dataclass(frozen=True, slots=True)
class _Process:
    """What could be learnt about the process behind a window; None where psutil would not say."""

    pid: int | None
    name: str | None = None
    executable: str | None = None

    @property
    def app(self) -> str:
        """The executable's file name ("WhatsApp.exe"), else the process name, else "" (nothing known)."""
        if self.executable:
            return ntpath.basename(self.executable)
        return self.name or ""


class _Retry:
    """Remembers a failure and lets a new attempt through at most once every `RETRY_SECONDS`."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._failure: ProbeStatus | None = None
        self._since = 0.0

    def waiting(self) -> ProbeStatus | None:
        """The last failure while it is too early to try again, else None."""
        if self._failure is not None and self._clock() - self._since < RETRY_SECONDS:
            return self._failure
        return None

    def failed(self, status: ProbeStatus) -> ProbeStatus:
        if self._failure is None:
            _log.warning("Windows probe failed: %s", status.reason)
        self._failure = status
        self._since = self._clock()
        return status

    def succeeded(self) -> None:
        if self._failure is not None:
            _log.info("Windows probe works again")
        self._failure = None


class _ApiUser:
    """Holds the API (the real one is loaded on first use) and the probe's retry gate."""

    def __init__(self, api: Win32Api | None, load: Callable[[], Win32Api], clock: Callable[[], float] | None) -> None:
        self._api = api
        self._load = load
        self._retry = _Retry(clock or time.monotonic)

    def _connected(self) -> Win32Api:
        if self._api is None:
            self._api = self._load()
        return self._api

    def close(self) -> None:
        # ctypes keeps user32 loaded for the process; dropping the object is all there is to release.
        self._api = None


class WindowsWindowProbe(_ApiUser):
    """Which window is in front: its title, its process and the app identity the rules match ("WhatsApp.exe")."""

    name = "windows-foreground"

    def __init__(
        self,
        api: Win32Api | None = None,
        *,
        processes: ProcessLookup | None = None,
        load: Callable[[], Win32Api] = load_win32_api,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(api, load, clock)
        self._processes = processes or _psutil_process

    def active_window(self) -> WindowReading:
        waiting = self._retry.waiting()
        if waiting is not None:
            return WindowReading(waiting)
        try:
            window = self._read(self._connected())
        except _UnavailableError as exc:
            return WindowReading(self._retry.failed(ProbeStatus(ProbeState.UNSUPPORTED, exc.reason)))
        except Exception as exc:  # ctypes turns a crash inside user32 into OSError; the sampler must never see it
            reason = _(
                "Windows did not say which window is in front ({error}); Middenweg will try again in a few seconds."
            ).format(error=exc)
            return WindowReading(self._retry.failed(ProbeStatus(ProbeState.UNSUPPORTED, reason)))
        self._retry.succeeded()
        return WindowReading(OK, window)

    def _read(self, api: Win32Api) -> WindowInfo | None:
        hwnd = api.foreground_window()
        if not hwnd:
            return None
        title = _title(api, hwnd)
        thread_id, pid = api.window_thread_process_id(hwnd)
        if not thread_id:
            # The handle is no longer valid: the window closed after GetForegroundWindow, so for this instant
            # nothing is in front (a window switch).
            return None
        process = self._process(pid)
        if process.app.casefold() == _FRAME_HOST:
            process = self._framed_app(api, hwnd, pid) or process
        return WindowInfo(
            app=process.app, title=title, pid=process.pid, process=process.name, executable=process.executable
        )

    def _process(self, pid: int) -> _Process:
        if pid <= 0:
            return _Process(None)
        import psutil  # imported on first use, see _psutil_process

        try:
            facts = self._processes(pid)
        except (psutil.Error, OSError):
            return _Process(pid)
        return _Process(pid, _ask(facts.name), _ask(facts.exe))

    def _framed_app(self, api: Win32Api, frame: int, host_pid: int) -> _Process | None:
        """The Universal Windows Platform app inside an ApplicationFrameHost frame: the first child window drawn
        by another process. None when there is none (the app is suspended or minimised: its window left the
        frame), and the frame host stays the app; the built-in rules know frame host titles such as "WhatsApp"."""
        for child in list(api.child_windows(frame))[:_MAX_CHILDREN]:
            thread_id, pid = api.window_thread_process_id(child)
            if thread_id and pid > 0 and pid != host_pid:
                process = self._process(pid)
                if process.app:
                    return process
        return None


def _ask(question: Callable[[], str]) -> str | None:
    """One psutil answer, or None when the process ended or will not tell (an elevated or protected process)."""
    import psutil

    try:
        answer = question()
    except (psutil.Error, OSError):
        return None
    return answer or None


def _title(api: Win32Api, hwnd: int) -> str | None:
    """The window title; "" for a window without one, None when Windows would not tell (the call failed).

    Both functions signal failure only by returning 0 with a nonzero GetLastError, and neither clears the error on
    success, hence clearing it before each call.
    """
    api.set_last_error(0)
    length = api.window_text_length(hwnd)
    if length <= 0:
        return None if api.last_error() else ""
    api.set_last_error(0)
    count, text = api.window_text(hwnd, min(length, _MAX_TITLE_CHARS) + 1)
    if count <= 0:
        return None if api.last_error() else ""
    return _well_formed(text)


def _well_formed(text: str) -> str:
    """``text`` with unpaired UTF-16 surrogates (a title cut inside an emoji, or a bad one) replaced by U+FFFD:
    they cannot be stored as UTF-8."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


class WindowsIdleProbe(_ApiUser):
    """Seconds since the last keyboard or mouse input in this session."""

    name = "windows-last-input"

    def __init__(
        self,
        api: Win32Api | None = None,
        *,
        load: Callable[[], Win32Api] = load_win32_api,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(api, load, clock)

    def idle(self) -> IdleReading:
        waiting = self._retry.waiting()
        if waiting is not None:
            return IdleReading(waiting)
        try:
            api = self._connected()
            last_input = api.last_input_tick()
            now = api.tick_count64()
        except _UnavailableError as exc:
            return IdleReading(self._retry.failed(ProbeStatus(ProbeState.UNSUPPORTED, exc.reason)))
        except Exception as exc:  # see WindowsWindowProbe.active_window
            reason = _(
                "Windows did not say when the keyboard or mouse was last used ({error}); "
                "Middenweg will try again in a few seconds."
            ).format(error=exc)
            return IdleReading(self._retry.failed(ProbeStatus(ProbeState.UNSUPPORTED, reason)))
        self._retry.succeeded()
        if last_input is None:
            # Cheap to ask again, so no waiting: the next call simply tries once more.
            reason = _(
                "Windows did not say when the keyboard or mouse was last used, so time away cannot be told; "
                "if this lasts, start Middenweg from your own desktop session rather than as a service."
            )
            return IdleReading(ProbeStatus(ProbeState.UNSUPPORTED, reason))
        return IdleReading(OK, _elapsed_ms(last_input, now) / 1000.0)


def _elapsed_ms(last_input: int, now64: int) -> int:
    """Milliseconds from the 32-bit tick ``last_input`` to the 64-bit tick ``now64``.

    dwTime is GetTickCount's 32-bit value, which wraps to zero every 49.7 days, so the subtraction is done modulo
    2**32 against the low half of GetTickCount64. The documentation warns dwTime "is not guaranteed to be
    incremental" (SendInput supplies its own tick count), so a difference that is negative as a signed 32-bit
    number means input that is newer than now: idle 0.
    """
    elapsed = ((now64 & _TICK_MASK) - (last_input & _TICK_MASK)) & _TICK_MASK
    return 0 if elapsed >= _TICK_HALF else elapsed


class WindowsMediaProbe:
    """Whether media is playing: unknown on Windows. The media session API (GlobalSystemMediaTransportControls-
    SessionManager) is WinRT, which plain ctypes cannot reach without extra packages."""

    name = "windows-media"

    @property
    def status(self) -> ProbeStatus:
        return ProbeStatus(
            ProbeState.UNSUPPORTED,
            _(
                "Middenweg cannot see on Windows whether a video or call is playing, so time watching without "
                "touching the keyboard or mouse counts as time away."
            ),
        )

    def playing(self) -> bool | None:
        return None

    def close(self) -> None:
        return None


def create_windows(
    api: Win32Api | None = None, *, processes: ProcessLookup | None = None
) -> tuple[WindowProbe, IdleProbe, MediaProbe | None]:
    """The Windows probes. On another system they answer UNSUPPORTED with a reason instead of raising."""
    return (WindowsWindowProbe(api, processes=processes), WindowsIdleProbe(api), WindowsMediaProbe())


#: The factory name every platform module offers.
create = create_windows


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    class _LASTINPUTINFO(ctypes.Structure):
        _fields_ = (("cbSize", wintypes.UINT), ("dwTime", wintypes.DWORD))

    _WNDENUMPROC = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)

    class _CtypesWin32Api:
        """`Win32Api` through ctypes; its own WinDLL objects so argtypes set here do not leak into ctypes.windll."""

        def __init__(self) -> None:
            # use_last_error: ctypes saves GetLastError right after each call, before Python's own calls clobber it.
            user32 = ctypes.WinDLL("user32", use_last_error=True)
            kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
            self._get_foreground_window = user32.GetForegroundWindow
            self._get_foreground_window.argtypes = ()
            self._get_foreground_window.restype = wintypes.HWND
            self._get_window_text_length = user32.GetWindowTextLengthW
            self._get_window_text_length.argtypes = (wintypes.HWND,)
            self._get_window_text_length.restype = ctypes.c_int
            self._get_window_text = user32.GetWindowTextW
            self._get_window_text.argtypes = (wintypes.HWND, wintypes.LPWSTR, ctypes.c_int)
            self._get_window_text.restype = ctypes.c_int
            self._get_window_thread_process_id = user32.GetWindowThreadProcessId
            self._get_window_thread_process_id.argtypes = (wintypes.HWND, ctypes.POINTER(wintypes.DWORD))
            self._get_window_thread_process_id.restype = wintypes.DWORD
            self._enum_child_windows = user32.EnumChildWindows
            self._enum_child_windows.argtypes = (wintypes.HWND, _WNDENUMPROC, wintypes.LPARAM)
            self._enum_child_windows.restype = wintypes.BOOL
            self._get_last_input_info = user32.GetLastInputInfo
            self._get_last_input_info.argtypes = (ctypes.POINTER(_LASTINPUTINFO),)
            self._get_last_input_info.restype = wintypes.BOOL
            self._get_tick_count64 = kernel32.GetTickCount64
            self._get_tick_count64.argtypes = ()
            self._get_tick_count64.restype = ctypes.c_ulonglong

        def foreground_window(self) -> int:
            return int(self._get_foreground_window() or 0)

        def window_text_length(self, hwnd: int) -> int:
            return int(self._get_window_text_length(hwnd))

        def window_text(self, hwnd: int, max_count: int) -> tuple[int, str]:
            buffer = ctypes.create_unicode_buffer(max_count)
            count = int(self._get_window_text(hwnd, buffer, max_count))
            return count, buffer.value

        def window_thread_process_id(self, hwnd: int) -> tuple[int, int]:
            # Zero first: on failure the function leaves the variable unchanged.
            pid = wintypes.DWORD(0)
            thread_id = int(self._get_window_thread_process_id(hwnd, ctypes.byref(pid)))
            return thread_id, int(pid.value)

        def child_windows(self, hwnd: int) -> Sequence[int]:
            found: list[int] = []

            def collect(child: int | None, _lparam: int) -> bool:
                if child:
                    found.append(child)
                return len(found) < _MAX_CHILDREN  # FALSE stops the enumeration

            # The callback object must stay alive during the call; the local name keeps it.
            callback = _WNDENUMPROC(collect)
            self._enum_child_windows(hwnd, callback, 0)
            return found

        def last_input_tick(self) -> int | None:
            info = _LASTINPUTINFO()
            info.cbSize = ctypes.sizeof(_LASTINPUTINFO)
            if not self._get_last_input_info(ctypes.byref(info)):
                return None
            return int(info.dwTime)

        def tick_count64(self) -> int:
            return int(self._get_tick_count64())

        def last_error(self) -> int:
            return ctypes.get_last_error()

        def set_last_error(self, code: int) -> None:
            ctypes.set_last_error(code)
