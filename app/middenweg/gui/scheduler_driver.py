"""The scheduler in the tray app: one single-shot QTimer armed for the next due moment.

The timer is re-armed after every wake-up, at least every minute (evenings planned meanwhile from the command line),
and at once when the tracking tick notices a suspend or a clock change: a timer armed before a suspend is never
trusted. Slip and goal nudges come from the tracking ticks (``observe``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from middenweg.clock import Clock
from middenweg.scheduler import REFRESH, ClockWatch, Scheduler, category_in_use
from middenweg.storage.errors import StorageError
from middenweg.tracking.sampler import TickResult

log = logging.getLogger(__name__)


class SchedulerDriver(QObject):
    """``woke`` is emitted after each wake-up (at least every minute), e.g. to bring the tray's evening line up to
    date when no tracking ticks come."""

    woke = Signal()

    def __init__(self, scheduler: Scheduler, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scheduler, self.clock = scheduler, clock
        self.watch = ClockWatch()
        self.due_at: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.wake)

    def start(self) -> None:
        self.watch.jumped(self.clock.time(), self.clock.monotonic())
        self.wake()

    def stop(self) -> None:
        self._timer.stop()

    def wake(self) -> None:
        """Show what is due now, then arm the timer for the next moment (at most a minute away)."""
        now = int(self.clock.time())
        try:
            self.scheduler.fire_due(now)
            self.due_at = self.scheduler.next_wakeup(now)
        except StorageError as error:  # a locked database: try again in a minute, say why in the log
            log.warning("Reminders wait: %s", error)
            self.due_at = None
        delay = REFRESH if self.due_at is None else min(REFRESH, max(0, self.due_at - now))
        self._timer.start(delay * 1000 + 50)  # a little after the moment, never before it
        self.woke.emit()

    def on_tick(self, result: TickResult) -> None:
        """Each tracking tick: notice clock jumps, and let the scheduler see what is in use."""
        if self.watch.jumped(self.clock.time(), self.clock.monotonic()):
            self.scheduler.invalidate()
            self.wake()
        try:
            self.scheduler.observe(int(self.clock.time()), category_in_use(result))
        except StorageError as error:
            log.warning("Nudges wait: %s", error)
