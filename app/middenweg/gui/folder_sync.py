"""The tray app's sync-folder runs, off the GUI thread.

A sync reads and writes whole months: with a year of history and every month changed it takes about a second, too
long for the thread that paints the tray menu and the dashboard. One worker thread with its own ``Store`` (a store
is used by one thread only) does it; the outcome comes back to the GUI thread as a signal.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal

from middenweg.storage.records import DeviceRecord
from middenweg.storage.store import Store


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """What one run did: how many other homes' months were read, and the problems to show (already worded)."""

    read: int
    problems: list[str] = field(default_factory=list)


class FolderSync(QObject):
    """Runs ``sync_folder.sync`` on one worker thread, one run at a time; ``finished`` carries the ``SyncOutcome``
    of each run ``start`` began (``run_now`` returns its own instead)."""

    finished = Signal(object)

    def __init__(self, open_store: Callable[[], Store]) -> None:
        super().__init__()
        self._open_store = open_store
        self._store: Store | None = None  # opened and used on the worker thread only
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="middenweg-sync")
        self._running: Future[SyncOutcome] | None = None

    @property
    def busy(self) -> bool:
        return self._running is not None and not self._running.done()

    def start(self, folder: Path, *, home: DeviceRecord, tz: ZoneInfo, now: int) -> Future[SyncOutcome] | None:
        """Begin a run, or None while one still runs (the next timer tick catches up)."""
        if self.busy:
            return None
        self._running = self._pool.submit(self._run, folder, home, tz, now)
        return self._running

    def run_now(self, folder: Path, *, home: DeviceRecord, tz: ZoneInfo, now: int) -> SyncOutcome:
        """Wait for a run still going, then run once more and wait for it (at quit: the last seconds go along)."""
        if self._running is not None:
            self._running.result()
        self._running = self._pool.submit(self._run, folder, home, tz, now, announce=False)
        return self._running.result()

    def close(self) -> None:
        """Wait for a run still going, then close the worker's store and thread."""
        self._pool.submit(self._close_store)
        self._pool.shutdown(wait=True)

    def _run(self, folder: Path, home: DeviceRecord, tz: ZoneInfo, now: int, *, announce: bool = True) -> SyncOutcome:
        from middenweg.sync_folder import sync

        try:
            if self._store is None:
                self._store = self._open_store()
            result = sync(self._store, folder, home=home, tz=tz, now=now)
        except Exception as error:  # a folder or database problem must not stop the app: it is shown instead
            outcome = SyncOutcome(0, [str(error)])
        else:
            outcome = SyncOutcome(len(result.read), list(result.problems))
        if announce:
            self.finished.emit(outcome)
        return outcome

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
