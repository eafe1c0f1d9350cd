"""Running the tracker without a GUI: the store sink, and a loop that ticks until a signal asks it to stop.

The tray app (a later issue) drives the same Sampler from a QTimer instead.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from types import FrameType

from middenweg.clock import Clock
from middenweg.domain.events import UsageEvent
from middenweg.i18n import _
from middenweg.storage.errors import StorageError
from middenweg.storage.records import DeviceRecord
from middenweg.storage.store import Store
from middenweg.tracking.sampler import EventSink, Sampler, SinkUnavailableError, TickResult

log = logging.getLogger(__name__)


class StoreSink(EventSink):
    """Flushes go to this device's history in the store.

    A write the store refuses (a full disk, a read-only folder, a locked database) is said once in the log, not at
    every flush; the sampler keeps the time in memory and tries again, and the log says when writing works again.
    """

    def __init__(self, store: Store, device: DeviceRecord) -> None:
        self.store, self.device = store, device
        self.failing = False

    def replace_recent(self, since: int, events: Sequence[UsageEvent]) -> None:
        try:
            self.store.replace_recent(self.device, since, events)
        except StorageError as exc:
            if not self.failing:
                log.warning(
                    "%s", _("{problem} Middenweg keeps the time in memory and tries again.").format(problem=exc)
                )
            self.failing = True
            raise SinkUnavailableError(str(exc)) from exc
        if self.failing:
            self.failing = False
            log.warning("%s", _("Middenweg can write its history again; the time kept in memory is stored."))

    def recorded_until(self) -> float | None:
        return self.store.recorded_until(self.device)


class HeadlessLoop:
    """Ticks ``sampler`` every ``interval`` seconds (on the monotonic clock) until ``stop`` or a signal."""

    STOP_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")

    def __init__(self, sampler: Sampler, clock: Clock, interval: float = 1.0) -> None:
        self.sampler, self.clock, self.interval = sampler, clock, interval
        self._stopping = threading.Event()
        #: False when the last write, at the end, could not be done (see ``StoreSink``): that time is lost.
        self.saved = True

    def stop(self, *_args: object) -> None:
        self._stopping.set()

    def install_signal_handlers(self) -> None:
        """SIGTERM (logout, systemd), SIGINT (Ctrl+C) and SIGHUP end the loop cleanly, with a last flush."""

        def handler(_signum: int, _frame: FrameType | None) -> None:
            self._stopping.set()

        for name in self.STOP_SIGNALS:
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), handler)

    def run(self, on_tick: Callable[[TickResult], None] | None = None) -> None:
        next_tick = self.clock.monotonic()
        try:
            while not self._stopping.is_set():
                result = self.sampler.tick(self.clock.time(), self.clock.monotonic())
                if on_tick is not None:
                    on_tick(result)
                next_tick += self.interval
                delay = next_tick - self.clock.monotonic()
                if delay < 0:  # we fell behind (suspend, a busy machine): do not tick in a burst to catch up
                    next_tick = self.clock.monotonic()
                    delay = 0
                self._stopping.wait(delay)
        finally:
            self.saved = self.sampler.stop()
