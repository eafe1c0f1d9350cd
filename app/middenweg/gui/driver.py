"""Tracking inside the tray app: a QTimer on the main thread ticks the Sampler about once a second.

A single-shot timer re-armed after each tick (rather than a repeating one) never queues a burst of ticks after a
suspend; the Sampler itself notices the gap and counts nothing for it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from middenweg.clock import Clock
from middenweg.tracking.sampler import Sampler, TickResult, TrackState


class TrackingDriver(QObject):
    """Emits ``state_changed`` when tracking moves between recording, away, paused, locked and unsupported."""

    state_changed = Signal(str)
    ticked = Signal(object)

    def __init__(self, sampler: Sampler, clock: Clock, interval: float = 1.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sampler, self.clock, self.interval = sampler, clock, interval
        self.state: TrackState | None = None
        self.last: TickResult | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)
        self._stopped = False

    def start(self) -> None:
        self._tick()

    def _tick(self) -> None:
        if self._stopped:
            return
        result = self.sampler.tick(self.clock.time(), self.clock.monotonic())
        self.last = result
        if result.state is not self.state:
            self.state = result.state
            self.state_changed.emit(result.state.value)
        self.ticked.emit(result)
        self._timer.start(int(self.interval * 1000))

    def stop(self) -> None:
        """Stop ticking and write everything (quit, logout): called once, before the app exits."""
        if self._stopped:
            return
        self._stopped = True
        self._timer.stop()
        self.sampler.stop()
