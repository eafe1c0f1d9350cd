"""Half-open integer intervals [start, end): union, subtraction and clipping.

Used wherever time must not be counted twice: AFK time removed from window time, already imported periods removed
from a new import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open interval of UTC epoch seconds."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return max(0, self.end - self.start)


def union(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping, non-touching spans covering exactly the input (empty spans dropped)."""
    result: list[Span] = []
    for span in sorted(s for s in spans if s.end > s.start):
        if result and span.start <= result[-1].end:
            last = result[-1]
            if span.end > last.end:
                result[-1] = Span(last.start, span.end)
        else:
            result.append(span)
    return result


def subtract(span: Span, holes: list[Span]) -> list[Span]:
    """The parts of ``span`` not covered by ``holes`` (which must be the output of ``union``)."""
    pieces: list[Span] = []
    cursor = span.start
    lo, hi = 0, len(holes)
    # Binary search for the first hole that can touch the span: holes are sorted and disjoint.
    while lo < hi:
        mid = (lo + hi) // 2
        if holes[mid].end <= span.start:
            lo = mid + 1
        else:
            hi = mid
    for hole in holes[lo:]:
        if hole.start >= span.end:
            break
        if hole.start > cursor:
            pieces.append(Span(cursor, hole.start))
        cursor = max(cursor, hole.end)
    if cursor < span.end:
        pieces.append(Span(cursor, span.end))
    return pieces


def intersect(span: Span, allowed: list[Span]) -> list[Span]:
    """The parts of ``span`` inside ``allowed`` (which must be the output of ``union``)."""
    pieces: list[Span] = []
    lo, hi = 0, len(allowed)
    while lo < hi:
        mid = (lo + hi) // 2
        if allowed[mid].end <= span.start:
            lo = mid + 1
        else:
            hi = mid
    for part in allowed[lo:]:
        if part.start >= span.end:
            break
        start, end = max(span.start, part.start), min(span.end, part.end)
        if end > start:
            pieces.append(Span(start, end))
    return pieces
