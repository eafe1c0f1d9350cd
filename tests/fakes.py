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
