"""The few fakes the tests may use: a clock that moves only when told to."""

from __future__ import annotations


class FakeClock:
    """A wall clock and a monotonic counter under the test's control."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.mono = 1000.0

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.mono += seconds


class ScriptedDesktop:
    """Probes that answer what the test says is on screen: the only stand-in for an OS (tracking tests).

    ``window`` is (app, title) or None for a locked screen; ``last_input`` is the wall time of the last input.
    """

    name = "scripted"

    def __init__(self, clock: FakeClock) -> None:
        from middenweg.tracking.probes import OK

        self.clock = clock
        self.window: tuple[str, str | None] | None = None
        self.last_input = clock.now
        self.playing: bool | None = False
        self.status = OK

    def active_window(self):  # type: ignore[no-untyped-def]
        from middenweg.tracking.probes import WindowInfo, WindowReading

        if self.window is None:
            return WindowReading(self.status, None)
        app, title = self.window
        return WindowReading(self.status, WindowInfo(app, title, pid=4242, process=app))

    def idle(self):  # type: ignore[no-untyped-def]
        from middenweg.tracking.probes import OK, IdleReading

        return IdleReading(OK, max(0.0, self.clock.now - self.last_input))

    def close(self) -> None:
        pass

    def input(self) -> None:
        self.last_input = self.clock.now
