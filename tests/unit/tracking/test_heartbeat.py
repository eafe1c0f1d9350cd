"""Heartbeat merging: samples become events, silences never become usage, and merging twice changes nothing."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from middenweg.domain.categories import Category
from middenweg.tracking.heartbeat import Sample, Span, merge, trim

APPS = [("WhatsApp", Category.MESSAGING), ("firefox", Category.SOCIAL), ("Code", Category.OTHER)]


def run(samples: list[Sample], pulsetime: float = 3.0) -> list[Span]:
    spans: list[Span] = []
    current = None
    for sample in samples:
        closed, current = merge(current, sample, pulsetime)
        if closed is not None:
            spans.append(closed)
    return [*spans, *([current] if current else [])]


samples_strategy = st.lists(st.tuples(st.floats(0.1, 10.0), st.integers(0, 2)), min_size=1, max_size=60).map(
    lambda steps: [
        Sample(sum(s for s, _ in steps[: i + 1]), APPS[a][0], None, APPS[a][1], APPS[a][0])
        for i, (_, a) in enumerate(steps)
    ]
)


def test_a_steady_window_becomes_one_event_and_a_switch_ends_it_at_the_switch() -> None:
    wa = [Sample(t, "WhatsApp", "WhatsApp", Category.MESSAGING, "WhatsApp") for t in range(100, 161)]
    code = [Sample(t, "Code", None, Category.OTHER, "Code") for t in range(161, 171)]
    spans = run(wa + code)
    assert [(s.app, s.start, s.end) for s in spans] == [("WhatsApp", 100, 161), ("Code", 161, 170)]


def test_a_silence_longer_than_the_pulsetime_is_not_counted() -> None:
    spans = run([Sample(t, "Code", None, Category.OTHER, "Code") for t in (0, 1, 2, 500, 501)])
    assert [(s.start, s.end) for s in spans] == [(0, 2), (500, 501)]


@given(samples_strategy)
def test_merging_every_sample_twice_changes_nothing(samples: list[Sample]) -> None:
    doubled = [s for sample in samples for s in (sample, sample)]
    assert run(doubled) == run(samples)


@given(samples_strategy)
def test_events_never_overlap_and_never_cover_a_silence(samples: list[Sample]) -> None:
    spans = run(samples)
    for before, after in itertools.pairwise(spans):
        assert before.end <= after.start
    covered = sum(s.end - s.start for s in spans)
    steps = [b.time - a.time for a, b in itertools.pairwise(samples)]
    assert covered <= sum(step for step in steps if step <= 3.0) + 1e-9


def test_trim_cuts_at_the_last_input() -> None:
    spans = [Span(0, 50, "a", None, Category.OTHER, "a"), Span(50, 90, "b", None, Category.OTHER, "b")]
    assert [(s.start, s.end) for s in trim(spans, 60)] == [(0, 50), (50, 60)]
    assert [(s.start, s.end) for s in trim(spans, 40)] == [(0, 40)]
