"""One tracker per data folder: an advisory lock on a file, holding who has it.

The lock dies with the process (kill -9 included), so a stale file never blocks the next start.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import IO

from middenweg.i18n import _


class AlreadyRunningError(Exception):
    """Another Middenweg tracks in this data folder."""


class InstanceLock:
    def __init__(self, path: Path, role: str) -> None:
        self.path, self.role = path, role
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        handle = open(fd, "r+", encoding="utf-8")  # noqa: SIM115 - held open for the life of the process
        if not _try_lock(handle):
            holder = _describe(handle)
            handle.close()
            raise AlreadyRunningError(
                _(
                    "Middenweg is already tracking in this data folder ({holder}). Stop it first, or set "
                    "MIDDENWEG_HOME to use another folder."
                ).format(holder=holder)
            )
        handle.seek(0)
        handle.truncate()
        json.dump({"pid": os.getpid(), "role": self.role}, handle)
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.seek(0)
                self._handle.truncate()
            self._handle.close()
            self._handle = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _try_lock(handle: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _describe(handle: IO[str]) -> str:
    try:
        handle.seek(0)
        info = json.loads(handle.read() or "{}")
        pid, role = int(info["pid"]), str(info["role"])
    except (OSError, ValueError, KeyError, TypeError):
        return _("another process")
    return _("process {pid}, {role}").format(pid=pid, role=role)
