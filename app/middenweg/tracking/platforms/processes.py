"""A window's process, from the pid the desktop gave: its name and executable, or nothing when it cannot be known.

Shared by the X11 and Wayland probes (each desktop hands out a pid; psutil turns it into a process).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProcessFacts:
    name: str | None
    executable: str | None


NOTHING = ProcessFacts(None, None)


def lookup_process(pid: int) -> ProcessFacts:
    """The process ``pid`` names here; NOTHING when it is gone, not ours to read, or from another pid namespace."""
    import psutil

    try:
        process = psutil.Process(pid)
        # A pid written inside another pid namespace (Flatpak, containers) can name init or a kernel thread here;
        # no window belongs to those, so say nothing rather than something wrong.
        if process.ppid() in (0, 2):
            return NOTHING
        name: str | None = process.name()
    except (psutil.Error, OSError):
        return NOTHING
    try:
        executable: str | None = process.exe() or None
    except (psutil.Error, OSError):
        executable = None
    return ProcessFacts(name or None, executable)
