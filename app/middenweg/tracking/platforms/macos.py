"""macOS probes: the app in front (AppKit), its window title (Accessibility API) and idle time (CoreGraphics).

The operating system is reached through a thin seam, ``WorkspaceApi`` and ``HidIdleApi``, whose real
implementations are built on first use: pyobjc (``AppKit`` + ``HIServices``) for the app and title, plain ctypes
against CoreGraphics for idle time, so idle works even without pyobjc. Everything that decides what a reading means
(names, fallbacks, AX error codes, permissions, retries) lives in the probes and is tested on any OS with recorded
answers. This module must never import pyobjc or load a framework at import time, and never raise to its caller.

Choices worth knowing:

- Without pyobjc the window probe reports UNSUPPORTED with an install hint. Asking ``osascript``/System Events
  instead would cost 100 ms or more per call (over the ~50 ms budget) and needs a separate Automation permission.
- Without Accessibility permission a reading still carries the app (title None) with status NEEDS_PERMISSION, so
  tracking by app keeps working while the status tells the user how to get titles too.
- ``NSWorkspace.frontmostApplication`` is kept current by workspace notifications, which only arrive while the main
  run loop turns. Qt's event loop turns it; a process without any run loop would see a frozen answer.
- macOS offers no public "is anything playing" API, so ``MacMediaProbe.playing()`` always answers None.
"""

from __future__ import annotations

import ctypes
import enum
import importlib
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Generic, Protocol, TypeVar

import psutil

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

#: After a failure, the next attempt to load or ask the API waits this long (the "no spamming" rule).
RETRY_SECONDS = 5.0
#: While Accessibility is not granted, ``AXIsProcessTrusted`` is asked again at most this often, so titles appear
#: within a few seconds of the user ticking the box, without a restart.
TRUST_RECHECK_SECONDS = 5.0
#: Per-app limit on one Accessibility round trip; the default is about 6 s, far over our ~50 ms budget. A busy app
#: then answers kAXErrorCannotComplete and we simply ask again on the next tick.
AX_TIMEOUT_SECONDS = 0.04

#: CGEventSourceStateID.hidSystemState: the combined state of all hardware (HID) event sources.
K_CG_EVENT_SOURCE_STATE_HID_SYSTEM_STATE = 1
#: kCGAnyInputEventType is ``(~0)`` in CGEventTypes.h; CGEventType is a uint32_t, so all 32 bits set.
K_CG_ANY_INPUT_EVENT_TYPE = 0xFFFFFFFF
#: Where dlopen finds CoreGraphics (macOS 11+ serves it from the shared cache); very old systems had it inside
#: ApplicationServices.
COREGRAPHICS_PATHS = (
    "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics",
    "/System/Library/Frameworks/ApplicationServices.framework/ApplicationServices",
)

#: Apps that are "in front" while nobody is working: the lock/login screen and the screen saver.
AWAY_BUNDLE_IDS = frozenset({"com.apple.loginwindow", "com.apple.ScreenSaver.Engine"})

_AX_FOCUSED_WINDOW = "AXFocusedWindow"  # kAXFocusedWindowAttribute
_AX_TITLE = "AXTitle"  # kAXTitleAttribute


class AXError(enum.IntEnum):
    """The AXError codes of HIServices/AXError.h (Apple: "Error codes returned by accessibility functions")."""

    SUCCESS = 0
    FAILURE = -25200
    ILLEGAL_ARGUMENT = -25201
    INVALID_UI_ELEMENT = -25202
    INVALID_UI_ELEMENT_OBSERVER = -25203
    CANNOT_COMPLETE = -25204
    ATTRIBUTE_UNSUPPORTED = -25205
    ACTION_UNSUPPORTED = -25206
    NOTIFICATION_UNSUPPORTED = -25207
    NOT_IMPLEMENTED = -25208
    NOTIFICATION_ALREADY_REGISTERED = -25209
    NOTIFICATION_NOT_REGISTERED = -25210
    API_DISABLED = -25211
    NO_VALUE = -25212
    PARAMETERIZED_ATTRIBUTE_UNSUPPORTED = -25213
    NOT_ENOUGH_PRECISION = -25214


@dataclass(frozen=True, slots=True)
class FrontmostApp:
    """What ``NSWorkspace.frontmostApplication`` (an NSRunningApplication) says, as plain values.

    Every field may be missing, as Apple documents: ``localizedName`` and ``executableURL`` are optional,
    ``bundleIdentifier`` is nil for an app without an Info.plist, and ``processIdentifier`` is -1 for an app
    without a pid (kept as -1 here, exactly as the API answers).
    """

    localized_name: str | None
    bundle_id: str | None
    pid: int
    executable_path: str | None


class ApiUnavailableError(Exception):
    """A seam method or loader cannot work here; ``reason`` is one translated sentence for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WorkspaceApi(Protocol):
    """The macOS calls behind the window probe. Implementations may raise; the probe turns that into a status."""

    def frontmost_app(self) -> FrontmostApp | None:
        """``NSWorkspace.sharedWorkspace().frontmostApplication()``; None when no app is in front."""
        ...

    def ax_trusted(self) -> bool:
        """``AXIsProcessTrusted()``. Raises ApiUnavailableError when the Accessibility API cannot be reached at all."""
        ...

    def focused_window_title(self, pid: int) -> tuple[int, str | bytes | None]:
        """The AXError code and the title of ``pid``'s focused window (kAXFocusedWindowAttribute, kAXTitleAttribute).

        The code is that of the first call that failed; the title is None unless the code is kAXErrorSuccess.
        """
        ...


class HidIdleApi(Protocol):
    """The macOS call behind the idle probe."""

    def seconds_since_input(self) -> float:
        """``CGEventSourceSecondsSinceLastEventType(kCGEventSourceStateHIDSystemState, kCGAnyInputEventType)``."""
        ...


# --- The real implementations (macOS only, built on first use) -------------------------------------------------


def _pyobjc_missing() -> str:
    return _(
        "Install pyobjc (pip install pyobjc-framework-Cocoa pyobjc-framework-ApplicationServices) "
        "so Middenweg can see the app in front."
    )


_SYSTEM_NAMES = {"linux": "Linux", "win32": "Windows", "cygwin": "Windows"}


def _not_macos(platform: str) -> str:
    system = _SYSTEM_NAMES.get(platform, platform)
    return _("The macOS probe only works on macOS, and this computer runs {system}.").format(system=system)


def _optional_str(value: Any) -> str | None:
    # pyobjc hands NSString back as a str subclass; make it a plain str so nothing Objective-C leaks past the seam.
    return None if value is None else str(value)


class _PyObjCWorkspace:
    """``WorkspaceApi`` over pyobjc. Every object that comes back from pyobjc is ``Any`` and stays in here."""

    def __init__(self, objc: ModuleType, appkit: ModuleType, hiservices: ModuleType | None) -> None:
        self._objc = objc
        self._workspace = appkit.NSWorkspace.sharedWorkspace()
        self._hi = hiservices

    def frontmost_app(self) -> FrontmostApp | None:
        # The tracker calls from its own thread, which has no autorelease pool of its own.
        with self._objc.autorelease_pool():
            app = self._workspace.frontmostApplication()
            if app is None:
                return None
            url = app.executableURL()
            return FrontmostApp(
                localized_name=_optional_str(app.localizedName()),
                bundle_id=_optional_str(app.bundleIdentifier()),
                pid=int(app.processIdentifier()),
                executable_path=None if url is None else _optional_str(url.path()),
            )

    def _hiservices(self) -> ModuleType:
        if self._hi is None:
            raise ApiUnavailableError(
                _(
                    "Install pyobjc-framework-ApplicationServices (pip install pyobjc-framework-ApplicationServices) "
                    "so Middenweg can read window titles."
                )
            )
        return self._hi

    def ax_trusted(self) -> bool:
        return bool(self._hiservices().AXIsProcessTrusted())

    def focused_window_title(self, pid: int) -> tuple[int, str | bytes | None]:
        hi = self._hiservices()
        with self._objc.autorelease_pool():
            element = hi.AXUIElementCreateApplication(pid)
            hi.AXUIElementSetMessagingTimeout(element, AX_TIMEOUT_SECONDS)
            code, window = hi.AXUIElementCopyAttributeValue(element, _AX_FOCUSED_WINDOW, None)
            if code != AXError.SUCCESS:
                return int(code), None
            if window is None:
                return int(AXError.NO_VALUE), None
            code, title = hi.AXUIElementCopyAttributeValue(window, _AX_TITLE, None)
            if code != AXError.SUCCESS:
                return int(code), None
            if isinstance(title, bytes):
                return int(AXError.SUCCESS), bytes(title)
            return int(AXError.SUCCESS), _optional_str(title) if isinstance(title, str) else None


def load_workspace_api(platform: str | None = None) -> WorkspaceApi:
    """The real ``WorkspaceApi`` (pyobjc). Raises ApiUnavailableError off macOS or when pyobjc is not installed."""
    platform = platform or sys.platform
    if platform != "darwin":
        raise ApiUnavailableError(_not_macos(platform))
    try:
        objc = importlib.import_module("objc")
        appkit = importlib.import_module("AppKit")
    except ImportError as exc:
        raise ApiUnavailableError(_pyobjc_missing()) from exc
    hiservices: ModuleType | None = None
    # HIServices is the light module that holds the AX functions; ApplicationServices re-exports it.
    for name in ("HIServices", "ApplicationServices"):
        try:
            hiservices = importlib.import_module(name)
        except ImportError:
            continue
        break
    return _PyObjCWorkspace(objc, appkit, hiservices)


class _CoreGraphicsIdle:
    """``HidIdleApi`` over ctypes: CGEventSourceSecondsSinceLastEventType is a plain C function."""

    def __init__(self, library: ctypes.CDLL) -> None:
        function = library.CGEventSourceSecondsSinceLastEventType
        # CFTimeInterval CGEventSourceSecondsSinceLastEventType(CGEventSourceStateID (int32), CGEventType (uint32))
        function.restype = ctypes.c_double
        function.argtypes = [ctypes.c_int32, ctypes.c_uint32]
        self._function = function

    def seconds_since_input(self) -> float:
        return float(self._function(K_CG_EVENT_SOURCE_STATE_HID_SYSTEM_STATE, K_CG_ANY_INPUT_EVENT_TYPE))


def load_hid_idle_api(platform: str | None = None, library_paths: Sequence[str] = COREGRAPHICS_PATHS) -> HidIdleApi:
    """The real ``HidIdleApi`` (ctypes, no pyobjc needed).

    Raises ApiUnavailableError off macOS or when CoreGraphics cannot be loaded.
    """
    platform = platform or sys.platform
    if platform != "darwin":
        raise ApiUnavailableError(_not_macos(platform))
    errors: list[str] = []
    for path in library_paths:
        try:
            return _CoreGraphicsIdle(ctypes.CDLL(path))
        except (OSError, AttributeError) as exc:
            errors.append(str(exc))
    raise ApiUnavailableError(
        _(
            "Middenweg could not load macOS CoreGraphics to measure the time since your last input ({error}); "
            "it will try again in a few seconds."
        ).format(error="; ".join(errors))
    )


# --- The probes ----------------------------------------------------------------------------------------------------

_Api = TypeVar("_Api")


class _LazyApi(Generic[_Api]):
    """Loads an API on first use; after any failure drops it and waits ``RETRY_SECONDS`` before loading again."""

    def __init__(self, loader: Callable[[], _Api], monotonic: Callable[[], float]) -> None:
        self._loader = loader
        self._monotonic = monotonic
        self._api: _Api | None = None
        self._failure = ProbeStatus(ProbeState.UNSUPPORTED)
        self._retry_at = -math.inf

    def get(self) -> _Api | ProbeStatus:
        """The API, or the status of the last failure while waiting to retry."""
        if self._api is not None:
            return self._api
        if self._monotonic() < self._retry_at:
            return self._failure
        try:
            self._api = self._loader()
        except ApiUnavailableError as exc:
            return self.fail(exc.reason)
        except Exception as exc:  # a loader must not take the tracker down, whatever pyobjc raises
            return self.fail(
                _("Middenweg could not reach macOS ({error}); it will try again in a few seconds.").format(error=exc)
            )
        return self._api

    def fail(self, reason: str) -> ProbeStatus:
        self._api = None
        self._failure = ProbeStatus(ProbeState.UNSUPPORTED, reason)
        self._retry_at = self._monotonic() + RETRY_SECONDS
        return self._failure

    def close(self) -> None:
        self._api = None
        self._retry_at = -math.inf


def _given(api: _Api) -> Callable[[], _Api]:
    """A loader for an API that already exists (tests pass recorded ones)."""
    return lambda: api


def _needs_accessibility() -> ProbeStatus:
    return ProbeStatus(
        ProbeState.NEEDS_PERMISSION,
        _(
            "Middenweg sees which app is in front but not its window titles: allow it in System Settings → "
            "Privacy & Security → Accessibility, then enable Middenweg (or your terminal when running from one)."
        ),
    )


def _clean(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return value


def _decode_title(raw: object) -> str | None:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bytes):
        return raw.decode("utf-8", errors="replace")
    return None


def _process_name(pid: int | None) -> str | None:
    if pid is None:
        return None
    try:
        return psutil.Process(pid).name() or None
    except (psutil.Error, OSError):
        return None


class MacWindowProbe:
    """The app in front and, with Accessibility permission, the title of its focused window.

    Readings, by case:

    - an app is in front and Accessibility is granted: OK, ``WindowInfo(app, title)``;
    - Accessibility is not granted (or revoked: kAXErrorAPIDisabled): NEEDS_PERMISSION with a sentence saying where
      to grant it, and the reading STILL carries the window, app only (title None), so time is tracked by app;
    - the app has no focused window or will not say (kAXErrorNoValue, AttributeUnsupported, NotImplemented,
      InvalidUIElement) or is busy (kAXErrorCannotComplete, also our 40 ms timeout): OK with title None, and the
      next call simply asks again;
    - nothing is in front, or the lock screen / screen saver is (loginwindow, ScreenSaverEngine): OK, window None;
    - pyobjc missing, not macOS, or AppKit failing: UNSUPPORTED with a reason; loading is retried every few seconds.

    The app identity is ``localizedName`` ("WhatsApp", "Safari"), else the bundle id, else the process name.
    """

    name = "macos-appkit"

    def __init__(
        self,
        api: WorkspaceApi | None = None,
        *,
        loader: Callable[[], WorkspaceApi] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lazy = _LazyApi(_given(api) if api is not None else loader or load_workspace_api, monotonic)
        self._monotonic = monotonic
        self._trusted = False
        self._trust_checked_at = -math.inf
        self._ax_failure: ProbeStatus | None = None

    def active_window(self) -> WindowReading:
        api = self._lazy.get()
        if isinstance(api, ProbeStatus):
            return WindowReading(api)
        try:
            front = api.frontmost_app()
        except Exception as exc:  # pyobjc raises objc.error and friends; the tracker must keep running
            return WindowReading(
                self._lazy.fail(
                    _(
                        "macOS did not say which app is in front ({error}); Middenweg will ask again in a few seconds."
                    ).format(error=exc)
                )
            )
        if front is None or front.bundle_id in AWAY_BUNDLE_IDS:
            return WindowReading(OK)
        pid = front.pid if front.pid > 0 else None
        executable = _clean(front.executable_path)
        process = os.path.basename(executable) if executable else _process_name(pid)
        app = _clean(front.localized_name) or _clean(front.bundle_id) or _clean(process)
        if app is None:
            # No name, no bundle id, no process: no rule could ever match it, so it counts as nothing in front.
            return WindowReading(OK)
        status, title = self._title(api, pid)
        return WindowReading(status, WindowInfo(app=app, title=title, pid=pid, process=process, executable=executable))

    def _title(self, api: WorkspaceApi, pid: int | None) -> tuple[ProbeStatus, str | None]:
        if pid is None:
            return OK, None
        if not self._trusted:
            now = self._monotonic()
            if now < self._trust_checked_at + TRUST_RECHECK_SECONDS:
                return self._ax_failure or _needs_accessibility(), None
            self._trust_checked_at = now
            try:
                self._trusted = api.ax_trusted()
                self._ax_failure = None
            except ApiUnavailableError as exc:
                self._ax_failure = ProbeStatus(ProbeState.UNSUPPORTED, exc.reason)
            except Exception:  # treated as "not trusted yet"; asked again after TRUST_RECHECK_SECONDS
                self._ax_failure = None
            if not self._trusted:
                return self._ax_failure or _needs_accessibility(), None
        try:
            code, raw = api.focused_window_title(pid)
        except Exception:  # like kAXErrorCannotComplete: no title this time, ask again on the next call
            return OK, None
        if code == AXError.API_DISABLED:
            # Permission was revoked while running; go back to checking AXIsProcessTrusted every few seconds.
            self._trusted = False
            self._trust_checked_at = self._monotonic()
            return _needs_accessibility(), None
        if code != AXError.SUCCESS:
            return OK, None
        return OK, _decode_title(raw)

    def close(self) -> None:
        self._lazy.close()
        self._trusted = False
        self._trust_checked_at = -math.inf


class MacIdleProbe:
    """Seconds since the last keyboard, mouse or tablet input, from the HID system state (works without pyobjc)."""

    name = "macos-hid-idle"

    def __init__(
        self,
        api: HidIdleApi | None = None,
        *,
        loader: Callable[[], HidIdleApi] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lazy = _LazyApi(_given(api) if api is not None else loader or load_hid_idle_api, monotonic)

    def idle(self) -> IdleReading:
        api = self._lazy.get()
        if isinstance(api, ProbeStatus):
            return IdleReading(api)
        try:
            seconds = float(api.seconds_since_input())
            if not math.isfinite(seconds):
                raise ValueError(seconds)
        except Exception as exc:
            return IdleReading(
                self._lazy.fail(
                    _(
                        "macOS did not say how long since your last input ({error}); "
                        "Middenweg will ask again in a few seconds."
                    ).format(error=exc)
                )
            )
        return IdleReading(OK, max(0.0, seconds))

    def close(self) -> None:
        self._lazy.close()


class MacMediaProbe:
    """macOS has no public API that says whether any app is playing media, so this probe never knows."""

    name = "macos-none"

    def playing(self) -> bool | None:
        """Always None: "cannot tell" (the system's Now Playing data is only reachable through private frameworks)."""
        return None

    def close(self) -> None:
        """Nothing to release."""


def create() -> tuple[WindowProbe, IdleProbe, MediaProbe | None]:
    """The macOS probes. Nothing is loaded yet; off macOS their first readings are UNSUPPORTED with a reason."""
    return MacWindowProbe(), MacIdleProbe(), MacMediaProbe()


#: The name the tracking brief used for the same factory.
create_macos = create
