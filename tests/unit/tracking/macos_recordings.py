"""Recorded answers of the macOS APIs the macOS probes use, for tests on any operating system.

Recorded answers written from Apple's documentation; they cannot be recorded on this Linux machine. Sources
(developer.apple.com/documentation/...):

- appkit/nsworkspace/frontmostapplication: "the app that receives key events"; type ``NSRunningApplication?``, so
  it can be nil (nothing in front).
- appkit/nsrunningapplication/localizedname, bundleidentifier, processidentifier, executableurl: ``localizedName``
  and ``executableURL`` are optional; ``bundleIdentifier`` "will be nil if the application does not have an
  Info.plist"; ``processIdentifier``: "Applications without a pid return a value of -1".
- applicationservices/axerror: the AXError codes (kAXErrorSuccess 0 ... kAXErrorCannotComplete -25204 ...
  kAXErrorAPIDisabled -25211, kAXErrorNoValue -25212); AXUIElement.h: CannotComplete when "the accessible
  application is unresponsive", APIDisabled when "the accessibility API is disabled".
- AXIsProcessTrusted: "Returns TRUE if the current process is a trusted accessibility client, FALSE if it is not."
- coregraphics/cgeventsource/secondssincelasteventtype: ``CFTimeInterval`` (a double) for a
  ``CGEventSourceStateID`` and a ``CGEventType``; kCGAnyInputEventType for "keyboard, mouse, or tablet".

The pyobjc shapes (methods instead of properties; an output pointer argument passed as None and returned in a tuple,
``err, value = AXUIElementCopyAttributeValue(element, attribute, None)``) follow pyobjc's documented conventions.
Bundle ids, paths and pids are illustrative values of the documented types.
"""

# The stand-ins mirror Objective-C selector names (localizedName, frontmostApplication...), which are camelCase.
# ruff: noqa: N802

from __future__ import annotations

import contextlib
import types
from collections.abc import Iterator
from dataclasses import dataclass, field

from middenweg.tracking.platforms.macos import AXError, FrontmostApp

SAFARI = FrontmostApp(
    localized_name="Safari",
    bundle_id="com.apple.Safari",
    pid=412,
    executable_path="/Applications/Safari.app/Contents/MacOS/Safari",
)
#: Safari titles its window after the page in the selected tab.
SAFARI_TITLE = "Instagram"

WHATSAPP = FrontmostApp(
    localized_name="WhatsApp",
    bundle_id="net.whatsapp.WhatsApp",
    pid=733,
    executable_path="/Applications/WhatsApp.app/Contents/MacOS/WhatsApp",
)
WHATSAPP_TITLE = "WhatsApp"

#: While the screen is locked the login window is the active app.
LOGIN_WINDOW = FrontmostApp(
    localized_name="loginwindow",
    bundle_id="com.apple.loginwindow",
    pid=155,
    executable_path="/System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow",
)

#: localizedName is optional: an app that has none is named by its bundle id.
UNNAMED_HELPER = FrontmostApp(
    localized_name=None,
    bundle_id="com.example.TimerHelper",
    pid=1201,
    executable_path="/Applications/Timer.app/Contents/Library/LoginItems/TimerHelper.app/Contents/MacOS/TimerHelper",
)

#: "Applications without a pid return a value of -1".
NO_PID = FrontmostApp(localized_name="Dashboard", bundle_id="com.example.dashboard", pid=-1, executable_path=None)


def without_info_plist(pid: int) -> FrontmostApp:
    """A bare executable in front: no Info.plist (so no bundle id), no localized name, no executable URL."""
    return FrontmostApp(localized_name=None, bundle_id=None, pid=pid, executable_path=None)


@dataclass
class RecordedWorkspace:
    """Plays back ``WorkspaceApi`` answers. Tests change the fields between calls, as the user changes the Mac.

    ``titles`` maps a pid to a queue of (AXError code, title) answers; the last answer repeats.
    """

    front: FrontmostApp | None
    trusted: bool = True
    titles: dict[int, list[tuple[int, str | bytes | None]]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def frontmost_app(self) -> FrontmostApp | None:
        self.calls.append("frontmost_app")
        return self.front

    def ax_trusted(self) -> bool:
        self.calls.append("ax_trusted")
        return self.trusted

    def focused_window_title(self, pid: int) -> tuple[int, str | bytes | None]:
        self.calls.append(f"focused_window_title({pid})")
        if not self.trusted:
            # What every messaging AX function answers while the process is not a trusted client.
            return int(AXError.API_DISABLED), None
        answers = self.titles.get(pid) or [(int(AXError.NO_VALUE), None)]
        return answers.pop(0) if len(answers) > 1 else answers[0]


@dataclass
class RecordedIdle:
    """Plays back ``HidIdleApi`` answers; the last one repeats."""

    seconds: list[float]

    def seconds_since_input(self) -> float:
        return self.seconds.pop(0) if len(self.seconds) > 1 else self.seconds[0]


class AppKitError(Exception):
    """Stands in for ``objc.error``, which pyobjc raises when an Objective-C call fails."""


class FailingWorkspace:
    """A workspace whose every call raises, as pyobjc does when the bridge itself breaks."""

    def frontmost_app(self) -> FrontmostApp | None:
        raise AppKitError("NSInternalInconsistencyException")

    def ax_trusted(self) -> bool:
        raise AppKitError("NSInternalInconsistencyException")

    def focused_window_title(self, pid: int) -> tuple[int, str | bytes | None]:
        raise AppKitError("NSInternalInconsistencyException")


# --- pyobjc as it answers, for testing the real seam implementation ----------------------------------------------


class _NSURL:
    def __init__(self, path: str) -> None:
        self._path = path

    def path(self) -> str:
        return self._path


class _NSRunningApplication:
    def __init__(self, app: FrontmostApp) -> None:
        self._app = app

    def localizedName(self) -> str | None:
        return self._app.localized_name

    def bundleIdentifier(self) -> str | None:
        return self._app.bundle_id

    def processIdentifier(self) -> int:
        return self._app.pid

    def executableURL(self) -> _NSURL | None:
        return None if self._app.executable_path is None else _NSURL(self._app.executable_path)


@dataclass
class PyObjCMac:
    """The state of a pretend Mac that the fake pyobjc modules answer from; ``ax_log`` records AX calls in order."""

    front: FrontmostApp | None
    trusted: bool
    window_title: str | None
    focused_window_error: int = 0
    ax_log: list[tuple[object, ...]] = field(default_factory=list)

    def modules(self) -> dict[str, object]:
        """Fake ``objc``, ``AppKit`` and ``HIServices`` modules, to be placed in ``sys.modules``."""
        mac = self

        @contextlib.contextmanager
        def autorelease_pool() -> Iterator[None]:
            mac.ax_log.append(("autorelease_pool",))
            yield

        class _Workspace:
            def frontmostApplication(self) -> _NSRunningApplication | None:
                return None if mac.front is None else _NSRunningApplication(mac.front)

        class NSWorkspace:
            @staticmethod
            def sharedWorkspace() -> _Workspace:
                return _Workspace()

        def AXIsProcessTrusted() -> bool:
            return mac.trusted

        def AXUIElementCreateApplication(pid: int) -> tuple[str, int]:
            return ("application", pid)

        def AXUIElementSetMessagingTimeout(element: object, seconds: float) -> int:
            mac.ax_log.append(("timeout", element, seconds))
            return 0

        def AXUIElementCopyAttributeValue(element: object, attribute: str, out: None) -> tuple[int, object]:
            mac.ax_log.append(("copy", element, attribute, out))
            if not mac.trusted:
                return int(AXError.API_DISABLED), None
            if attribute == "AXFocusedWindow":
                if mac.focused_window_error:
                    return mac.focused_window_error, None
                return 0, ("window", element)
            if attribute == "AXTitle":
                if mac.window_title is None:
                    return int(AXError.NO_VALUE), None
                return 0, mac.window_title
            return int(AXError.ATTRIBUTE_UNSUPPORTED), None

        return {
            "objc": types.SimpleNamespace(autorelease_pool=autorelease_pool),
            "AppKit": types.SimpleNamespace(NSWorkspace=NSWorkspace),
            "HIServices": types.SimpleNamespace(
                AXIsProcessTrusted=AXIsProcessTrusted,
                AXUIElementCreateApplication=AXUIElementCreateApplication,
                AXUIElementSetMessagingTimeout=AXUIElementSetMessagingTimeout,
                AXUIElementCopyAttributeValue=AXUIElementCopyAttributeValue,
            ),
        }


#: A stand-in CoreGraphics with the documented C signature, for testing the ctypes declarations: it answers
#: RECORDED_IDLE_SECONDS only when called with kCGEventSourceStateHIDSystemState and kCGAnyInputEventType.
RECORDED_IDLE_SECONDS = 42.5
FAKE_COREGRAPHICS_C = """
#include <stdint.h>
double CGEventSourceSecondsSinceLastEventType(int32_t state_id, uint32_t event_type) {
    if (state_id == 1 && event_type == 0xFFFFFFFFu) return 42.5;
    return -1000.0 - (double)state_id;
}
"""
