"""One tick of tracking: probes -> privacy -> rules -> heartbeat -> batched writes.

``tick(wall, mono)`` is called about once a second on one thread (a QTimer in the tray app, a loop headless). Time
is handed in, never read here, so tests drive it with a fake clock. What never becomes usage: time away (no input
for ``idle_after`` seconds, unless media is playing), a locked screen, a pause, a gap between ticks (suspend, a
stopped process) and a jump of the wall clock. Events are written in one transaction at most every ``flush_every``
seconds and on ``stop``.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from middenweg.domain.categories import Category
from middenweg.domain.events import UsageEvent
from middenweg.privacy import DEFAULT, MAX_APP, MAX_TITLE, Exclusions, TitlePolicy, clean_text, stored_title
from middenweg.rules import RuleSet
from middenweg.tracking.heartbeat import Sample, Span, merge, trim
from middenweg.tracking.probes import IdleProbe, MediaProbe, ProbeStatus, WindowProbe

log = logging.getLogger(__name__)

#: How far the wall clock may disagree with the monotonic clock between two ticks before it counts as a jump.
JUMP_TOLERANCE = 2.0
_CACHE_LIMIT = 4096


class TrackState(enum.StrEnum):
    RECORDING = "recording"
    AWAY = "away"
    LOCKED = "locked"
    PAUSED = "paused"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True, slots=True)
class TickResult:
    state: TrackState
    sample: Sample | None = None
    status: ProbeStatus | None = None
    idle_seconds: float | None = None


class SinkUnavailableError(Exception):
    """The sink cannot take a flush now (a full disk, a read-only folder, a locked database). The sampler keeps
    every event in memory and tries again at the next flush; ``str()`` says why."""


class EventSink:
    """Where flushed events go: a protocol-like base so tests can record flushes without a database."""

    def replace_recent(self, since: int, events: Sequence[UsageEvent]) -> None:
        """Store ``events`` in place of this device's events from ``since`` on, or raise SinkUnavailableError."""
        raise NotImplementedError

    def recorded_until(self) -> float | None:
        """The end of the newest event this device has stored, or None when it has none.

        A new tracker records nothing before it: a clock that is behind at start (set back before a restart, a dead
        clock battery, a restored virtual machine) must not make the first flush replace stored history (#9).
        """
        return None


def _to_events(spans: Sequence[Span]) -> list[UsageEvent]:
    events = []
    for span in spans:
        start, end = round(span.start), round(span.end)
        if end > start:
            events.append(UsageEvent(start, end - start, span.app, span.title, span.category, span.label))
    return events


class Sampler:
    """The tracker's state between ticks. Not thread-safe: one thread calls tick, flush and stop."""

    def __init__(
        self,
        window_probe: WindowProbe,
        idle_probe: IdleProbe,
        media_probe: MediaProbe | None,
        rules: RuleSet,
        sink: EventSink,
        *,
        idle_after: float = 180.0,
        interval: float = 1.0,
        flush_every: float = 10.0,
        policy: TitlePolicy = TitlePolicy.SOCIAL_ONLY,
        exclusions: Exclusions = DEFAULT,
        paused: Callable[[float], bool] = lambda _wall: False,
    ) -> None:
        self.window_probe, self.idle_probe, self.media_probe = window_probe, idle_probe, media_probe
        self.rules, self.sink = rules, sink
        self.idle_after, self.flush_every = idle_after, flush_every
        self.pulsetime = 2 * interval + 1.0
        self.policy, self.exclusions, self.paused = policy, exclusions, paused
        self._open: Span | None = None
        self._closed: list[Span] = []
        self._dirty_since: int | None = None  # rows from here on in storage are not final yet
        self._last: tuple[float, float] | None = None
        self._last_flush: float | None = None
        recorded = sink.recorded_until()
        # Nothing before this may be recorded again (stored already, or the clock went back).
        self._floor = float("-inf") if recorded is None else float(recorded)
        # Each time the clock went back: (wall, monotonic) of the last tick before, and the back floor before it.
        self._backs: list[tuple[float, float, float]] = []
        self._back_floor = self._floor  # nothing was recorded below this since the clock last went back
        self._classified: dict[tuple[str, str | None], tuple[str, str | None, Category, str]] = {}

    def set_privacy(self, policy: TitlePolicy, exclusions: Exclusions) -> None:
        """Keep titles as ``policy`` and ``exclusions`` say from the next tick on, also for windows seen before
        (their stored form is cached, and "titles = none" must not wait for the cache to empty)."""
        self.policy, self.exclusions = policy, exclusions
        self._classified.clear()

    def set_rules(self, rules: RuleSet) -> None:
        """Classify with new rules from the next tick on (the open event ends where the old rules applied)."""
        self.rules = rules
        self._classified.clear()

    # -- ticking --------------------------------------------------------------------------------------------------

    def tick(self, wall: float, mono: float) -> TickResult:
        if self._last is not None:
            last_wall, last_mono = self._last
            wall_step, mono_step = wall - last_wall, mono - last_mono
            if mono_step > self.pulsetime or abs(wall_step - mono_step) > JUMP_TOLERANCE:
                # Suspend (wall moves, monotonic does not), a stopped process, or the clock set: end at the last
                # good tick, and never record a moment twice if the clock went back.
                log.info("gap or clock jump: wall %+.1f s, monotonic %+.1f s", wall_step, mono_step)
                self._close()
                self._floor = max(self._floor, last_wall)
                if wall_step < mono_step - JUMP_TOLERANCE:
                    self._backs = [*self._backs[-15:], (last_wall, last_mono, self._back_floor)]
                    self._back_floor = self._floor
        self._last = (wall, mono)
        result = self._observe(wall, mono)
        if self._last_flush is None:
            self._last_flush = mono
        elif mono - self._last_flush >= self.flush_every:
            self.flush(mono)
        return result

    def _observe(self, wall: float, mono: float) -> TickResult:
        if self.paused(wall):
            self._close()
            return TickResult(TrackState.PAUSED)
        idle = self.idle_probe.idle()
        idle_seconds = idle.seconds if idle.status.ok else None
        if idle_seconds is not None and idle_seconds >= self.idle_after and not self._media_playing():
            self._away_since(self._last_input(wall, mono, idle_seconds))
            return TickResult(TrackState.AWAY, idle_seconds=idle_seconds)
        reading = self.window_probe.active_window()
        if not reading.status.ok and reading.window is None:
            self._close()
            return TickResult(TrackState.UNSUPPORTED, status=reading.status, idle_seconds=idle_seconds)
        if reading.window is None:
            self._close()
            return TickResult(TrackState.LOCKED, idle_seconds=idle_seconds)
        sample = self._sample(wall, reading.window.app, reading.window.title)
        if wall < self._floor:
            return TickResult(TrackState.RECORDING, sample, reading.status, idle_seconds)
        closed, self._open = merge(self._open, sample, self.pulsetime)
        if closed is not None:
            self._closed.append(closed)
        return TickResult(TrackState.RECORDING, sample, reading.status, idle_seconds)

    def _media_playing(self) -> bool:
        return self.media_probe is not None and self.media_probe.playing() is True

    def _sample(self, wall: float, raw_app: str, raw_title: str | None) -> Sample:
        key = (raw_app, raw_title)
        found = self._classified.get(key)
        if found is None:
            app = clean_text(raw_app, MAX_APP) or "unknown"
            title = clean_text(raw_title, MAX_TITLE)
            result = self.rules.classify(app, title)
            kept = stored_title(app, title, result.category, self.policy, self.exclusions)
            if len(self._classified) >= _CACHE_LIMIT:
                self._classified.clear()
            found = self._classified[key] = (app, kept, result.category, result.label)
        app, title, category, label = found
        return Sample(wall, app, title, category, label)

    def _close(self) -> None:
        if self._open is not None:
            self._closed.append(self._open)
            self._open = None

    def _last_input(self, wall: float, mono: float, idle: float) -> float:
        """The moment to trim at when the last input was ``idle`` seconds ago, on the clock spans were stamped with.

        After the clock went back, ``wall - idle`` is on the new clock and going away would take back time recorded
        before the jump (#9). Idle time runs like the monotonic clock, so an input from before a jump is placed on
        the clock of that time; an input while nothing could be recorded (below the floor) trims at the floor.
        Recorded spans never go back in time (the floor), so one moment splits them into before and after.
        """
        last_input = mono - idle
        moment, floor = wall - idle, self._back_floor
        for back_wall, back_mono, floor_before in reversed(self._backs):
            if last_input >= back_mono:
                break
            moment, floor = back_wall - (back_mono - last_input), floor_before
        return max(moment, floor)

    def _away_since(self, last_input: float) -> None:
        """The user left at ``last_input``: what was recorded after it is not usage."""
        self._close()
        self._closed = trim(self._closed, last_input)

    # -- writing --------------------------------------------------------------------------------------------------

    def flush(self, mono: float | None = None) -> bool:
        """Write what changed since the last flush, in one transaction; keep only what may still change.

        False when the sink could not take it: then everything stays in memory for the next flush (#9).
        """
        spans = [*self._closed, *([self._open] if self._open is not None else [])]
        starts = [round(s.start) for s in spans]
        since_candidates = [*starts, *([self._dirty_since] if self._dirty_since is not None else [])]
        if mono is not None:
            self._last_flush = mono  # a failed write is tried again a flush interval later, not every tick
        if since_candidates:
            try:
                self.sink.replace_recent(min(since_candidates), _to_events(spans))
            except SinkUnavailableError:
                return False
        # Spans that ended before the earliest moment going away could still trim are final.
        if self._last is not None:
            horizon = self._last[0] - self.idle_after - self.pulsetime
            self._closed = [s for s in self._closed if s.end >= horizon]
        remaining = [*self._closed, *([self._open] if self._open is not None else [])]
        self._dirty_since = min((round(s.start) for s in remaining), default=None)
        return True

    def stop(self) -> bool:
        """End the open event at the last tick and write everything (exit, logout, SIGTERM); False if it could not
        be written."""
        self._close()
        return self.flush()

    @property
    def open_span(self) -> Span | None:
        return self._open
