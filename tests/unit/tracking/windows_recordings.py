"""Recorded answers of the Win32 functions and psutil calls the Windows probes use, for tests on any system.

Recorded answers written from the official documentation; they cannot be recorded on this Linux machine. Sources
(learn.microsoft.com/windows/win32/api/...):

- winuser/nf-winuser-getforegroundwindow: returns the foreground window's handle; it "can be NULL in certain
  circumstances, such as when a window is losing activation".
- winuser/nf-winuser-getwindowtextlengthw: the length in characters, which "might be greater than the length of the
  text"; "If the window has no text, the return value is zero"; failure is "a return value of zero and a
  GetLastError result that is nonzero", and the function "does not clear the most recent error information".
- winuser/nf-winuser-getwindowtextw: copies at most nMaxCount characters including the terminating null ("If the
  text exceeds this limit, it is truncated") and returns the count copied without the null; zero "if the window has
  no title bar or text, if the title bar is empty, or if the window or control handle is invalid".
- winuser/nf-winuser-getwindowthreadprocessid: returns the creating thread's id, zero "if the window handle is
  invalid"; the process id variable is left "unchanged" when the function fails.
- winuser/nf-winuser-enumchildwindows: passes each child to the callback, and "If a child window has created child
  windows of its own, EnumChildWindows enumerates those windows as well".
- winuser/nf-winuser-getlastinputinfo and winuser/ns-winuser-lastinputinfo: nonzero on success, zero on failure;
  ``dwTime`` is a DWORD, "The tick count when the last input event was received", which "is not guaranteed to be
  incremental" (SendInput supplies its own tick count).
- sysinfoapi/nf-sysinfoapi-gettickcount64 (a ULONGLONG of milliseconds since start) and
  sysinfoapi/nf-sysinfoapi-gettickcount (the DWORD count "will wrap around to zero if the system is run continuously
  for 49.7 days").
- errhandlingapi/nf-errhandlingapi-getlasterror: the thread's last-error code; functions not documented to set it
  leave the most recent value. debug/system-error-codes--1300-1699-: ERROR_INVALID_WINDOW_HANDLE is 1400.

Universal Windows Platform apps: ApplicationFrameHost.exe draws the frame ("ApplicationFrameWindow") and its title;
the app's own "Windows.UI.Core.CoreWindow" is a child of the frame owned by the app's process while the app runs,
beside the frame host's own children (title bar, input sink). Microsoft Edge puts U+200B ZERO WIDTH SPACE between
"Microsoft" and " Edge" in its window titles (MicrosoftEdge/WebView2Feedback issue 2455). psutil raises
psutil.NoSuchProcess for a pid that no longer exists and psutil.AccessDenied where Windows refuses; psutil 7 derives
name() from exe() on Windows, so both fail together there, while older versions could still name the process.
Handles, pids, thread ids and paths are illustrative values of the documented types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import psutil

ERROR_SUCCESS = 0
ERROR_INVALID_WINDOW_HANDLE = 1400
#: 2**32 milliseconds: the 32-bit tick count wraps to zero after this long (49.7 days).
TICK_WRAP = 1 << 32
DAY_MS = 24 * 60 * 60 * 1000


@dataclass(frozen=True, slots=True)
class Window:
    """One window as user32 reports it. ``reported_length`` is GetWindowTextLengthW's answer when it differs from
    the title's length (it may be larger; or the title changed between the two calls)."""

    hwnd: int
    thread_id: int
    pid: int
    title: str = ""
    reported_length: int | None = None
    children: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Process:
    """One process as psutil reports it: each answer is a value or the exception psutil raises."""

    pid: int
    name: str | psutil.Error
    exe: str | psutil.Error


def _units(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


@dataclass
class RecordedWin32:
    """A desktop frozen in one moment, answering like user32 and kernel32 would (implements `Win32Api`).

    ``error`` is the thread's last-error code: failing calls set it, succeeding ones leave it alone, as documented.
    ``crash`` makes GetForegroundWindow raise (ctypes turns an access violation inside a DLL into OSError).
    ``calls`` counts the calls made, to see when the probe does not ask at all.
    """

    foreground: int = 0
    windows: Mapping[int, Window] = field(default_factory=dict)
    last_input: int | None = 0
    tick64: int = 0
    error: int = ERROR_SUCCESS
    crash: OSError | None = None
    calls: int = 0

    def foreground_window(self) -> int:
        self.calls += 1
        if self.crash is not None:
            raise self.crash
        return self.foreground

    def window_text_length(self, hwnd: int) -> int:
        self.calls += 1
        window = self.windows.get(hwnd)
        if window is None:
            self.error = ERROR_INVALID_WINDOW_HANDLE
            return 0
        if window.reported_length is not None:
            return window.reported_length
        return len(_units(window.title)) // 2

    def window_text(self, hwnd: int, max_count: int) -> tuple[int, str]:
        self.calls += 1
        window = self.windows.get(hwnd)
        if window is None:
            self.error = ERROR_INVALID_WINDOW_HANDLE
            return 0, ""
        # Truncated to max_count - 1 UTF-16 code units (room for the null), which can split a surrogate pair.
        copied = _units(window.title)[: 2 * max(max_count - 1, 0)]
        return len(copied) // 2, copied.decode("utf-16-le", "surrogatepass")

    def window_thread_process_id(self, hwnd: int) -> tuple[int, int]:
        self.calls += 1
        window = self.windows.get(hwnd)
        if window is None:
            self.error = ERROR_INVALID_WINDOW_HANDLE
            return 0, 0
        return window.thread_id, window.pid

    def child_windows(self, hwnd: int) -> Sequence[int]:
        self.calls += 1
        found: list[int] = []

        def walk(parent: int) -> None:
            window = self.windows.get(parent)
            for child in window.children if window is not None else ():
                found.append(child)
                walk(child)

        walk(hwnd)
        return found

    def last_input_tick(self) -> int | None:
        self.calls += 1
        return self.last_input

    def tick_count64(self) -> int:
        self.calls += 1
        return self.tick64

    def last_error(self) -> int:
        return self.error

    def set_last_error(self, code: int) -> None:
        self.error = code


class _RecordedProcess:
    def __init__(self, process: Process) -> None:
        self._process = process

    def name(self) -> str:
        return _answer(self._process.name)

    def exe(self) -> str:
        return _answer(self._process.exe)


def _answer(value: str | psutil.Error) -> str:
    if isinstance(value, psutil.Error):
        raise value
    return value


@dataclass(frozen=True)
class RecordedProcesses:
    """psutil.Process for the recorded pids: an unknown pid raises psutil.NoSuchProcess, as psutil.Process does."""

    processes: Mapping[int, Process] = field(default_factory=dict)

    def __call__(self, pid: int) -> _RecordedProcess:
        process = self.processes.get(pid)
        if process is None:
            raise psutil.NoSuchProcess(pid)
        return _RecordedProcess(process)


@dataclass(frozen=True)
class Scene:
    """What Windows and psutil answer at one moment."""

    win32: RecordedWin32
    processes: RecordedProcesses


def scene(foreground: int, windows: Sequence[Window], processes: Sequence[Process] = ()) -> Scene:
    return Scene(
        RecordedWin32(foreground=foreground, windows={w.hwnd: w for w in windows}),
        RecordedProcesses({p.pid: p for p in processes}),
    )


# --- Windows in front -----------------------------------------------------------------------------------------------

WHATSAPP_EXE = r"C:\Program Files\WindowsApps\5319275A.WhatsAppDesktop_2.2450.6.0_x64__cv1g1gvanyjgm\WhatsApp.exe"
WHATSAPP_PROCESS = Process(10244, "WhatsApp.exe", WHATSAPP_EXE)
WHATSAPP_WINDOW = Window(0x000A0B2C, thread_id=10248, pid=10244, title="WhatsApp")


def whatsapp_in_front() -> Scene:
    return scene(WHATSAPP_WINDOW.hwnd, [WHATSAPP_WINDOW], [WHATSAPP_PROCESS])


EDGE_EXE = r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"
EDGE_TITLE = "Instagram and 2 more pages - Personal - Microsoft\u200b Edge"


def edge_tab_in_front() -> Scene:
    window = Window(0x00030F8A, thread_id=8896, pid=8840, title=EDGE_TITLE)
    return scene(window.hwnd, [window], [Process(8840, "msedge.exe", EDGE_EXE)])


def nothing_in_front() -> Scene:
    """The lock screen, the UAC secure desktop, or the moment a window loses activation."""
    return scene(0, [WHATSAPP_WINDOW], [WHATSAPP_PROCESS])


def window_closed_after_asking() -> Scene:
    """GetForegroundWindow named a window that was destroyed before the next call: every handle call fails."""
    return scene(0x0004_1D2E, [], [WHATSAPP_PROCESS])


NOTEPAD_WINDOW = Window(0x00120A4C, thread_id=7316, pid=7312, title="notes.txt - Notepad")


def process_gone() -> Scene:
    """The window's process exited between GetWindowThreadProcessId and psutil: psutil.Process raises."""
    return scene(NOTEPAD_WINDOW.hwnd, [NOTEPAD_WINDOW], [])


def process_exiting() -> Scene:
    """The process was found but exited before psutil read its name and path."""
    gone = psutil.NoSuchProcess(7312, "Notepad.exe")
    return scene(NOTEPAD_WINDOW.hwnd, [NOTEPAD_WINDOW], [Process(7312, gone, gone)])


TASK_MANAGER_WINDOW = Window(0x000D07A2, thread_id=5128, pid=5120, title="Task Manager")


def elevated_process_named() -> Scene:
    """An elevated process whose path Windows refuses, while the process name is still known (older psutil)."""
    return scene(
        TASK_MANAGER_WINDOW.hwnd, [TASK_MANAGER_WINDOW], [Process(5120, "Taskmgr.exe", psutil.AccessDenied(5120))]
    )


def elevated_process_refused() -> Scene:
    """An elevated or protected process that refuses both (psutil 7 derives name() from exe())."""
    denied = psutil.AccessDenied(5120)
    return scene(TASK_MANAGER_WINDOW.hwnd, [TASK_MANAGER_WINDOW], [Process(5120, denied, denied)])


EXPLORER_EXE = r"C:\Windows\explorer.exe"


def taskbar_in_front() -> Scene:
    """The taskbar (Shell_TrayWnd) after a click on it: a window of explorer.exe with an empty title."""
    taskbar = Window(0x00010086, thread_id=6020, pid=5964, title="")
    return scene(taskbar.hwnd, [taskbar], [Process(5964, "explorer.exe", EXPLORER_EXE)])


def taskbar_after_a_failed_call() -> Scene:
    """The same, with ERROR_INVALID_WINDOW_HANDLE left over from an earlier failed call on this thread:
    GetWindowTextLengthW returns 0 for the empty title and does not clear it."""
    recorded = taskbar_in_front()
    recorded.win32.error = ERROR_INVALID_WINDOW_HANDLE
    return recorded


def title_unreadable() -> Scene:
    """GetWindowTextLengthW fails (0 and a nonzero last error) while the window itself is still there."""
    window = Window(0x00050C14, thread_id=10248, pid=10244, title="WhatsApp")
    recorded = scene(window.hwnd, [window], [WHATSAPP_PROCESS])
    return Scene(_FailingText(foreground=window.hwnd, windows={window.hwnd: window}), recorded.processes)


@dataclass
class _FailingText(RecordedWin32):
    """GetWindowTextLengthW and GetWindowTextW fail with ERROR_INVALID_WINDOW_HANDLE; other calls work."""

    def window_text_length(self, hwnd: int) -> int:
        self.calls += 1
        self.error = ERROR_INVALID_WINDOW_HANDLE
        return 0

    def window_text(self, hwnd: int, max_count: int) -> tuple[int, str]:
        self.calls += 1
        self.error = ERROR_INVALID_WINDOW_HANDLE
        return 0, ""


#: A title with an emoji, which takes two UTF-16 code units (a surrogate pair).
EMOJI_TITLE = "(1) Chat 😀 WhatsApp"


def title_grew_between_calls() -> Scene:
    """GetWindowTextLengthW answered 10 (the old title) and the title then grew: GetWindowTextW truncates to 10
    code units, which here ends inside the emoji's surrogate pair."""
    cut_at = len(_units("(1) Chat ")) // 2 + 1  # one code unit into the emoji
    window = Window(0x000A0B2C, thread_id=10248, pid=10244, title=EMOJI_TITLE, reported_length=cut_at)
    return scene(window.hwnd, [window], [WHATSAPP_PROCESS])


def title_with_unpaired_surrogate() -> Scene:
    """A window can set any UTF-16 text as its title, including an unpaired surrogate."""
    window = Window(0x000A0B2C, thread_id=10248, pid=10244, title="broken \ud800 title")
    return scene(window.hwnd, [window], [WHATSAPP_PROCESS])


# --- Universal Windows Platform apps --------------------------------------------------------------------------------

FRAME_HOST_EXE = r"C:\Windows\System32\ApplicationFrameHost.exe"
FRAME_HOST = Process(3412, "ApplicationFrameHost.exe", FRAME_HOST_EXE)
CALCULATOR_EXE = (
    r"C:\Program Files\WindowsApps\Microsoft.WindowsCalculator_11.2307.4.0_x64__8wekyb3d8bbwe\CalculatorApp.exe"
)
CALCULATOR = Process(9288, "CalculatorApp.exe", CALCULATOR_EXE)


def _frame(title: str, app_pid: int | None) -> list[Window]:
    """An ApplicationFrameWindow with the frame host's title bar and input sink and, while the app runs, the app's
    CoreWindow (owned by the app's process) between them."""
    frame_children = [0x0002_0A10]
    windows = [Window(0x0002_0A10, thread_id=3420, pid=FRAME_HOST.pid)]  # ApplicationFrameTitleBarWindow
    if app_pid is not None:
        core = Window(0x0002_0A14, thread_id=app_pid + 4, pid=app_pid, title=title)  # Windows.UI.Core.CoreWindow
        windows.append(core)
        frame_children.append(core.hwnd)
    windows.append(Window(0x0002_0A18, thread_id=3420, pid=FRAME_HOST.pid))  # ApplicationFrameInputSinkWindow
    frame_children.append(0x0002_0A18)
    frame = Window(0x0002_0A0C, thread_id=3420, pid=FRAME_HOST.pid, title=title, children=tuple(frame_children))
    return [frame, *windows]


def calculator_in_frame() -> Scene:
    return scene(0x0002_0A0C, _frame("Calculator", CALCULATOR.pid), [FRAME_HOST, CALCULATOR])


def uwp_app_left_the_frame() -> Scene:
    """A store app whose CoreWindow is not in the frame (suspended, or between states): only the frame host's own
    children remain, so the frame host stays the app."""
    return scene(0x0002_0A0C, _frame("WhatsApp", None), [FRAME_HOST])


def uwp_app_process_refused() -> Scene:
    """The CoreWindow's process will not tell its name or path: the frame host stays the app."""
    denied = psutil.AccessDenied(9288)
    return scene(0x0002_0A0C, _frame("Calculator", CALCULATOR.pid), [FRAME_HOST, Process(9288, denied, denied)])


# --- Input idle time ------------------------------------------------------------------------------------------------


def idle(last_input: int | None, tick64: int) -> RecordedWin32:
    """GetLastInputInfo's dwTime (None: the function returned 0) and GetTickCount64 at the same moment."""
    return RecordedWin32(last_input=last_input, tick64=tick64)
