"""The reference tables themselves: complete, consistent, and never re-binned."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from middenweg.domain.age import AgeGroup
from middenweg.reference.sources import (
    PRIMARY_FIGURES,
    SCP_BANDS,
    Bound,
    PrimaryFigure,
    SecondaryBand,
    primary_figure,
    secondary_bands,
)

OLDEST = 130


def _ages(code: str) -> range:
    """The years of age an SCP band code names ("13-34", "65+"), read from the label, not the table."""
    if code.endswith("+"):
        return range(int(code[:-1]), OLDEST + 1)
    first, last = code.split("-")
    return range(int(first), int(last) + 1)


def _group_ages(group: AgeGroup) -> range:
    first, last = group.years
    return range(first, (OLDEST if last is None else last) + 1)


def test_the_primary_table_has_exactly_one_entry_per_age_group() -> None:
    groups = [figure.age_group for figure in PRIMARY_FIGURES]
    assert sorted(groups) == sorted(AgeGroup)
    for group in AgeGroup:
        assert primary_figure(group).age_group is group


def test_scp_band_years_match_their_labels() -> None:
    for band in SCP_BANDS:
        ages = _ages(band.code)
        assert band.first_age == ages.start
        assert band.last_age == (None if band.code.endswith("+") else ages.stop - 1)


AGE_BAND_CODES = [band.code for band in SCP_BANDS if band.code != "13+"]


@given(st.sampled_from(list(AgeGroup)), st.sampled_from(AGE_BAND_CODES))
def test_an_scp_band_is_shown_exactly_when_some_age_lies_in_both(group: AgeGroup, code: str) -> None:
    shown = {band.code for band in secondary_bands(group)}
    shares_an_age = bool(set(_ages(code)) & set(_group_ages(group)))
    assert (code in shown) == shares_an_age


def test_the_everyone_band_is_only_for_prefer_not_to_say() -> None:
    assert [band.code for band in secondary_bands(None)] == ["13+"]
    for group in AgeGroup:
        assert "13+" not in {band.code for band in secondary_bands(group)}


@pytest.mark.parametrize(("minutes", "hours"), [(64, 7.5), (92, 10.7), (60, 7.0), (57, 6.7), (33, 3.9)])
def test_scp_hours_per_week_round_like_the_published_table(minutes: int, hours: float) -> None:
    band = next(band for band in SCP_BANDS if band.minutes_per_day == minutes)
    assert band.hours_per_week == hours


@pytest.mark.parametrize(("hours", "bound"), [(None, Bound.EXACT), (None, Bound.MORE_THAN), (5, Bound.NONE)])
def test_a_figure_whose_number_contradicts_its_bound_is_refused(hours: int | None, bound: Bound) -> None:
    with pytest.raises(ValueError, match="hours_per_week"):
        PrimaryFigure(AgeGroup.AGE_35_44, hours, bound, "text")


@given(
    st.integers(0, 20),
    st.integers(0, 10),
    st.booleans(),
    st.integers(0, 20),
    st.integers(0, 10),
    st.booleans(),
)
# The edges: a band that starts the year the other ends, and one that ends the year the other starts.
@example(5, 5, False, 0, 5, False)
@example(0, 5, False, 5, 5, False)
@example(0, 4, False, 5, 5, True)
def test_overlap_means_a_shared_year_of_age_even_at_the_edges(
    band_first: int,
    band_span: int,
    band_open_ended: bool,
    other_first: int,
    other_span: int,
    other_open_ended: bool,
) -> None:
    # An open end (None) stands for "and over"; OLDEST caps it for the brute-force check.
    band_last = None if band_open_ended else band_first + band_span
    other_last = None if other_open_ended else other_first + other_span
    band = SecondaryBand("x", "x", band_first, band_last, 1)
    band_ages = set(range(band_first, (OLDEST if band_last is None else band_last) + 1))
    other_ages = set(range(other_first, (OLDEST if other_last is None else other_last) + 1))
    assert band.overlaps(other_first, other_last) == bool(band_ages & other_ages)
