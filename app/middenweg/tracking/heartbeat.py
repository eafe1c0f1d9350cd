"""Merging 1 Hz samples into events, as a pure function with a pulsetime (after ActivityWatch's heartbeats).

A sample extends the open event when it shows the same window within ``pulsetime`` seconds; a different window
within the pulsetime ends the old event at the new sample (the switch happened since the last tick); a longer
silence (suspend, a stopped process) ends the old event at its last sample, so a gap never becomes usage.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from middenweg.domain.categories import Category


@dataclass(frozen=True, slots=True)
class Sample:
    """What was in front at ``time`` (UTC epoch seconds), already classified and privacy-filtered."""

    time: float
    app: str
    title: str | None
    category: Category
    label: str

    @property
    def key(self) -> tuple[str, str | None, Category, str]:
        return (self.app, self.title, self.category, self.label)


@dataclass(frozen=True, slots=True)
class Span:
    """An event being built: [start, end] in float epoch seconds."""

    start: float
    end: float
    app: str
    title: str | None
    category: Category
    label: str

    @property
    def key(self) -> tuple[str, str | None, Category, str]:
        return (self.app, self.title, self.category, self.label)


def merge(current: Span | None, sample: Sample, pulsetime: float) -> tuple[Span | None, Span]:
    """(the event this sample closed, or None; the open event after it). Merging a sample twice changes nothing."""
    fresh = Span(sample.time, sample.time, sample.app, sample.title, sample.category, sample.label)
    if current is None:
        return None, fresh
    gap = sample.time - current.end
    if gap < 0 or gap > pulsetime:
        return current, fresh  # a silence or a clock going back: close at the last sample, count nothing between
    if sample.key == current.key:
        return None, replace(current, end=sample.time)
    return replace(current, end=sample.time), fresh


def trim(spans: list[Span], at: float) -> list[Span]:
    """The spans cut off at ``at`` (the last input before the user went away); spans starting later are dropped."""
    kept = []
    for span in spans:
        if span.start >= at:
            continue
        kept.append(replace(span, end=min(span.end, at)) if span.end > at else span)
    return kept
