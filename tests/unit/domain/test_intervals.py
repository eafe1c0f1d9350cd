"""Interval arithmetic that keeps time from being counted twice."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from middenweg.domain.intervals import Span, intersect, subtract, union

spans = st.lists(st.tuples(st.integers(0, 300), st.integers(0, 60)).map(lambda t: Span(t[0], t[0] + t[1])))


def seconds(items: list[Span]) -> set[int]:
    return {s for span in items for s in range(span.start, span.end)}


@given(spans)
def test_union_covers_exactly_the_input_with_disjoint_sorted_spans(items: list[Span]) -> None:
    merged = union(items)
    assert seconds(merged) == seconds(items)
    assert all(a.end < b.start for a, b in itertools.pairwise(merged))
    assert union(merged) == merged


@given(st.integers(0, 300), st.integers(1, 100), spans)
def test_subtract_and_intersect_split_a_span_exactly(start: int, length: int, holes: list[Span]) -> None:
    span = Span(start, start + length)
    merged = union(holes)
    outside, inside = subtract(span, merged), intersect(span, merged)
    assert seconds(outside) == seconds([span]) - seconds(merged)
    assert seconds(inside) == seconds([span]) & seconds(merged)
    assert sum(p.length for p in outside) + sum(p.length for p in inside) == length
