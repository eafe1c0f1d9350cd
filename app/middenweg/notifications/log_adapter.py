"""The last link of the notifier chain: notifications appended as lines to a file in the log folder.

It is always available, so a nudge is never lost even where no desktop can show it. The file is the user's alone
(0600). It must never raise: a write that fails is reported by returning False.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from pathlib import Path

from middenweg.clock import Clock, SystemClock
from middenweg.notifications.notifier import Notification


def _one_line(text: str) -> str:
    # One notification per line, tab-separated, so the file stays readable with grep and tail.
    return " ".join(text.replace("\t", " ").splitlines())


class LogNotifier:
    """Appends "ISO time<TAB>title<TAB>body" for each notification to ``path``."""

    name = "log"

    def __init__(self, path: Path, clock: Clock | None = None) -> None:
        self.path = path
        self._clock: Clock = clock if clock is not None else SystemClock()

    def available(self) -> tuple[bool, str]:
        return True, ""

    def send(self, note: Notification) -> bool:
        when = datetime.datetime.fromtimestamp(self._clock.time(), datetime.UTC).astimezone()
        line = f"{when.isoformat(timespec='seconds')}\t{_one_line(note.title)}\t{_one_line(note.body)}\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                # A file made earlier with a looser umask is tightened too.
                with contextlib.suppress(OSError):
                    os.fchmod(fd, 0o600)
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
        except OSError:
            return False
        return True
