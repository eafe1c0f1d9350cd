"""Scripted days for the time and soak tests: what a person does, played through the real tracker and scheduler.

A plan is a list of steps: use a window, read it without input, walk away, lock the screen, a jump of the wall
clock (a suspend, or the clock set by hand or NTP) and a restart of the tracker. ``Rig`` plays a plan once a second
on a ``FakeClock`` through the real ``Sampler``, a real SQLite ``Store`` (a file) and the real ``Scheduler`` with
its headless ``TickPacer``, and keeps every notification with the moment it came. ``Truth`` watches the same ticks
and says, without any of the tracker's code, what must be stored: the seconds per local day and category, and the
events. Only the operating system is scripted: ``Desk`` answers which window is in front and how long ago the last
input was, counted on the monotonic clock like the X11 and Mutter idle counters, so setting the wall clock never
makes the person look away.

The rules the truth follows (README, "Keep track live"): the second from one tick to the next belongs to the window
of the first tick when a person is there at both ticks and nothing came between them (a clock jump, a suspend, a
restart); a person is there while using a window or reading it briefly, not while away (no input for idle-after
seconds: the time since the last input is taken back) or locked out; a moment the clock has already shown is never
recorded again after the clock goes back; and a restarted tracker records nothing before the end of what is stored.
"""

from __future__ import annotations

import enum
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from fakes import FakeClock, ScriptedDesktop
from middenweg.config import Settings
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.domain.weeks import IsoWeek
from middenweg.history import weekly_report
from middenweg.notifications.notifier import Notification
from middenweg.rules import builtin_rules
from middenweg.scheduler import Scheduler, TickPacer
from middenweg.storage.records import DeviceSpec
from middenweg.storage.schema import QUARTER
from middenweg.storage.store import Store
from middenweg.tracking.runner import StoreSink
from middenweg.tracking.sampler import Sampler

LAPTOP = DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER)
AMS = ZoneInfo("Europe/Amsterdam")
#: The English titles of the notifications for the Board games evening the plans use.
BEFORE, START, END, CHECKIN = (
    "Board games starts in 30 minutes",
    "Board games starts now",
    "Well done: Board games is over",
    "How did your evening go?",
)
PHONE = "Your phone's screen time today"
IDLE_AFTER = 180


@dataclass(frozen=True, slots=True)
class Window:
    """A window on the scripted screen and the category a person would give it (the rules must agree)."""

    app: str
    title: str
    category: Category


WHATSAPP = Window("WhatsApp", "WhatsApp", Category.MESSAGING)
SIGNAL = Window("Signal", "Signal", Category.MESSAGING)
SLACK = Window("Slack", "Slack | general", Category.MESSAGING)
FACEBOOK = Window("firefox", "(2) Facebook — Mozilla Firefox", Category.SOCIAL)
INSTAGRAM = Window("Google-chrome", "Instagram - Google Chrome", Category.SOCIAL)
YOUTUBE = Window("firefox", "Cat video - YouTube — Mozilla Firefox", Category.SOCIAL)
EDITOR = Window("Code", "plan.md - Visual Studio Code", Category.OTHER)
TERMINAL = Window("gnome-terminal-server", "Terminal", Category.OTHER)
WRITER = Window("libreoffice-writer", "report.odt - LibreOffice Writer", Category.OTHER)
WIKIPEDIA = Window("firefox", "Wikipedia — Mozilla Firefox", Category.OTHER)
#: Every window has its own stored identity (app, kept title, label), so one window is one event.
WINDOWS = (WHATSAPP, SIGNAL, SLACK, FACEBOOK, INSTAGRAM, YOUTUBE, EDITOR, TERMINAL, WRITER, WIKIPEDIA)
ONLINE = (WHATSAPP, SIGNAL, SLACK, FACEBOOK, INSTAGRAM, YOUTUBE)
WORK = (EDITOR, TERMINAL, WRITER, WIKIPEDIA)


class Do(enum.Enum):
    USE = "use"  # in front, with input every second
    READ = "read"  # in front without input, shorter than idle-after, and then USE again: it counts
    AWAY = "away"  # no input for at least idle-after seconds: nothing after the last input counts
    LOCKED = "locked"  # the screen is locked: no window


@dataclass(frozen=True, slots=True)
class Step:
    do: Do
    seconds: int
    window: Window | None = None


@dataclass(frozen=True, slots=True)
class Jump:
    """Between two ticks the wall clock moves ``seconds`` more than the monotonic one: a suspend (the lid was
    closed, no ticks came) or the clock set by hand or by NTP. Negative: the clock went back."""

    seconds: int


@dataclass(frozen=True, slots=True)
class Restart:
    """The tracker stops cleanly (a last flush) and a new process starts ``pause`` seconds later."""

    pause: int = 5


Action = Step | Jump | Restart


def use(seconds: int, window: Window) -> Step:
    return Step(Do.USE, seconds, window)


def read(seconds: int, window: Window) -> Step:
    return Step(Do.READ, seconds, window)


def away(seconds: int, window: Window) -> Step:
    return Step(Do.AWAY, seconds, window)


def locked(seconds: int) -> Step:
    return Step(Do.LOCKED, seconds)


def check_plan(plan: Sequence[Action], idle_after: int = IDLE_AFTER) -> None:
    """Refuse a plan whose truth would be ambiguous: reading must end in use before idle-after seconds without
    input have passed (a restart's pause counts, a clock jump does not: idle time runs on the monotonic clock), and
    walking away must start from use and last until at least idle-after seconds without input."""
    idle = 0  # seconds without input when the last step ended
    previous: Do | None = None
    for action in plan:
        if isinstance(action, Restart):
            idle += action.pause
            continue
        if isinstance(action, Jump):
            continue
        assert (action.window is None) == (action.do is Do.LOCKED), action
        assert previous is not Do.READ or action.do in (Do.READ, Do.USE), action
        if action.do is Do.READ:
            assert previous in (Do.USE, Do.READ) and idle + action.seconds < idle_after - 2, action
        if action.do is Do.AWAY:
            assert previous in (Do.USE, Do.AWAY), action
        if previous is Do.AWAY and action.do is not Do.AWAY:
            assert idle > idle_after, action
        idle = 0 if action.do is Do.USE else idle + action.seconds
        previous = action.do
    assert previous is not Do.READ and (previous is not Do.AWAY or idle > idle_after)


class Desk(ScriptedDesktop):
    """The scripted screen; idle time runs on the monotonic clock, as the X11 and Mutter idle counters do."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.last_input = clock.mono

    def idle(self):  # type: ignore[no-untyped-def]
        from middenweg.tracking.probes import OK, IdleReading

        return IdleReading(OK, max(0.0, self.clock.mono - self.last_input))

    def input(self) -> None:
        self.last_input = self.clock.mono


def quarter_pieces(start: int, end: int) -> int:
    """How many rows the store writes for the event [start, end): it cuts at every multiple of QUARTER."""
    return (end - 1) // QUARTER - start // QUARTER + 1


class Truth:
    """What must be stored, from the ticks alone: seconds per (local day, category), the events and their rows."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self.seconds: dict[tuple[date, Category], int] = defaultdict(int)
        self.events = array("q")  # start, end, window index: one triple per event
        self.rows = 0
        self._prev: tuple[int, int, Window | None] | None = None
        self._floor = -(2**62)  # moments before this were already shown by the clock
        self._recorded_end = -(2**62)  # the end of the newest second stored
        self._break = False  # a restart came since the last tick
        self._run: list[int] | None = None  # [start, end, window index] of the event being built
        self._run_open = False  # the last second credited ended at the previous tick
        self._day: tuple[int, int, date] = (0, 0, date.min)

    def restart(self) -> None:
        """The tracker restarted: the next second is not joined to the last, and the floor is what is stored."""
        self._break = True

    def tick(self, wall: int, mono: int, window: Window | None) -> None:
        """``window`` is what the person is present at (None: away, locked or no window)."""
        prev = self._prev
        credited = False
        if prev is not None:
            prev_wall, prev_mono, prev_window = prev
            contiguous = not self._break and wall - prev_wall == 1 and mono - prev_mono == 1
            if self._break:  # a new tracker records nothing before what is stored
                self._floor = self._recorded_end
            elif not contiguous:  # after a jump, nothing before the last tick before it
                self._floor = max(self._floor, prev_wall)
            present = window is not None and wall >= self._floor
            if contiguous and present and prev_window is not None:
                self._credit(prev_wall, prev_window)
                credited = True
            self._prev = (wall, mono, window if present else None)
        else:
            self._prev = (wall, mono, window)
        self._break = False
        if not credited:
            self._run_open = False

    def _credit(self, second: int, window: Window) -> None:
        lo, hi, day = self._day
        if not lo <= second < hi:
            day = datetime.fromtimestamp(second, self.tz).date()
            lo = int(datetime.combine(day, datetime.min.time(), tzinfo=self.tz).timestamp())
            hi = int(datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=self.tz).timestamp())
            self._day = (lo, hi, day)
        self.seconds[(day, window.category)] += 1
        self._recorded_end = max(self._recorded_end, second + 1)
        index = WINDOWS.index(window)
        run = self._run
        if self._run_open and run is not None and run[2] == index:
            run[1] = second + 1
        else:
            self._close_run()
            self._run = [second, second + 1, index]
        self._run_open = True

    def _close_run(self) -> None:
        if self._run is not None:
            self.events.extend(self._run)
            self.rows += quarter_pieces(self._run[0], self._run[1])
            self._run = None

    def finish(self) -> None:
        self._close_run()

    def event_list(self) -> list[tuple[int, int, Window]]:
        e = self.events
        return [(e[i], e[i + 1], WINDOWS[e[i + 2]]) for i in range(0, len(e), 3)]

    def joined(self) -> list[tuple[int, int, Window]]:
        """The events with abutting ones of the same window joined, as ``Store.iter_events`` joins rows."""
        joined: list[tuple[int, int, Window]] = []
        for start, end, window in self.event_list():
            if joined and joined[-1][1] == start and joined[-1][2] is window:
                joined[-1] = (joined[-1][0], end, window)
            else:
                joined.append((start, end, window))
        return joined

    def day(self, day: date) -> dict[Category, int]:
        return {category: self.seconds.get((day, category), 0) for category in Category}


@dataclass
class Shown:
    """Every notification with the wall-clock second it was handed to the notifier."""

    notes: list[tuple[int, Notification]] = field(default_factory=list)

    def titled(self, *titles: str) -> list[tuple[int, str]]:
        return [(at, note.title) for at, note in self.notes if note.title in titles]

    def starting(self, prefix: str) -> list[tuple[int, str]]:
        return [(at, note.title) for at, note in self.notes if note.title.startswith(prefix)]


class Rig:
    """The real tracker and scheduler of one computer over a real database file, driven by a fake clock."""

    def __init__(
        self,
        path: Path,
        start: int,
        tz: ZoneInfo,
        *,
        settings: Settings | None = None,
        zone: Callable[[], ZoneInfo] | None = None,
        idle_after: int = IDLE_AFTER,
        flush_every: float = 10.0,
    ) -> None:
        self.path, self.tz, self.idle_after, self.flush_every = path, tz, idle_after, flush_every
        self.zone = zone or (lambda: self.tz)
        self.settings = settings or Settings.defaults()
        self.clock = FakeClock(float(start))
        self.desk = Desk(self.clock)
        self.truth = Truth(tz)
        self.shown = Shown()
        self.ticks = 0
        self.preloaded_rows = 0
        self.preloaded: dict[tuple[date, Category], int] = defaultdict(int)
        self.store = Store.open(path)
        self.device = self.store.ensure_device(LAPTOP)
        self._start_tracker()

    def _start_tracker(self) -> None:
        self.sampler = Sampler(
            self.desk, self.desk, None, builtin_rules(), StoreSink(self.store, self.device),
            idle_after=self.idle_after, flush_every=self.flush_every,
        )  # fmt: skip
        self.scheduler = Scheduler(self.store, lambda: self.settings, self.zone, self._notify)
        self.pacer = TickPacer(self.scheduler, self.clock)

    def _notify(self, note: Notification) -> None:
        self.shown.notes.append((int(self.clock.now), note))

    def preload(self, events: Sequence[UsageEvent]) -> None:
        """History from before the script (last week, for the weekly summary): kept apart from the truth."""
        self.preloaded_rows += self.store.add_events(self.device, events)
        for event in events:
            for second in range(event.start, event.end):
                self.preloaded[(datetime.fromtimestamp(second, self.tz).date(), event.category)] += 1

    @property
    def now(self) -> int:
        return int(self.clock.now)

    def play(self, plan: Iterable[Action]) -> None:
        for action in plan:
            if isinstance(action, Step):
                self._run(action)
            elif isinstance(action, Jump):
                self.clock.now += action.seconds
            else:
                self.restart(action.pause)

    def _run(self, step: Step) -> None:
        desk, clock = self.desk, self.clock
        tick, on_tick, truth_tick = self.sampler.tick, self.pacer.on_tick, self.truth.tick
        window = step.window
        desk.window = None if window is None else (window.app, window.title)
        present = window if step.do in (Do.USE, Do.READ) else None
        typing = step.do is Do.USE
        for _ in range(step.seconds):
            if typing:
                desk.last_input = clock.mono
            on_tick(tick(clock.now, clock.mono))
            truth_tick(int(clock.now), int(clock.mono), present)
            clock.now += 1
            clock.mono += 1
        self.ticks += step.seconds

    def until(self, moment: int, step: Step) -> None:
        """``step`` (its length ignored) until the tick before ``moment``."""
        if moment > self.now:
            self._run(Step(step.do, moment - self.now, step.window))

    def restart(self, pause: int = 5) -> None:
        """Stop the tracker as a clean exit does, then start a new one over the same database file."""
        self.sampler.stop()
        self.store.close()
        self.truth.restart()
        self.clock.advance(pause)
        self.store = Store.open(self.path)
        self.device = self.store.ensure_device(LAPTOP)
        self._start_tracker()

    def stop(self) -> None:
        self.sampler.stop()
        self.truth.finish()

    def close(self) -> None:
        self.store.close()

    # -- what was stored ------------------------------------------------------------------------------------------

    def stored_events(self) -> list[tuple[int, int, Window]]:
        by_key: dict[tuple[str, Category], Window] = {(w.app, w.category): w for w in WINDOWS}
        by_title = {(w.app, w.title): w for w in WINDOWS}
        found = []
        for event in self.store.iter_events():
            window = by_title.get((event.app, event.title or "")) or by_key[(event.app, event.category)]
            found.append((event.start, event.start + event.duration, window))
        return found


def assert_truthful(rig: Rig, since: int) -> None:
    """Stop the tracker; what is stored from ``since`` on is the script's truth: per local day and category in the
    weekly report, in total (no phantom time anywhere), and event by event (rows as the store cuts them)."""
    rig.stop()
    truth = rig.truth
    weeks = sorted({IsoWeek.containing(day) for day, _category in truth.seconds})
    for week in weeks:
        report = weekly_report(rig.store, week, rig.tz, None)
        for totals in report.days:
            stored = {category: totals.seconds.get(category) for category in Category}
            before = {category: rig.preloaded.get((totals.date, category), 0) for category in Category}
            assert stored == {c: truth.day(totals.date)[c] + before[c] for c in Category}, totals.date
    expected = dict.fromkeys(Category, 0)
    for (_day, category), seconds in truth.seconds.items():
        expected[category] += seconds
    assert rig.store.category_totals(since, 2**40) == expected
    assert [e for e in rig.stored_events() if e[0] >= since] == truth.joined()
    assert rig.store.event_count() - rig.preloaded_rows == truth.rows


def at(day: date, hh: int, mm: int = 0, ss: int = 0, tz: ZoneInfo | None = None) -> int:
    """UTC epoch seconds of a local time (fold=0 for a time that happens twice)."""
    zone = tz or ZoneInfo("Europe/Amsterdam")
    return int(datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=zone).timestamp())
