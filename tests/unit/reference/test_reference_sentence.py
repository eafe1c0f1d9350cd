"""The one-sentence comparison for the human-readable report, and how durations are written."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from middenweg.domain.age import AgeGroup
from middenweg.reference import Error, compare, comparison_sentence, format_duration

SIX_H_TWENTY = 6 * 3600 + 20 * 60

# What the sentence must say of the source's figure for each group (REFERENCE-DATA.md §A).
FINDINGS: dict[AgeGroup, str] = {
    AgeGroup.AGE_16_24: "18 hours a week",
    AgeGroup.AGE_25_34: "slightly more than 18 hours a week",
    AgeGroup.AGE_45_54: "well above 10 hours a week",
    AgeGroup.AGE_55_64: "well above 10 hours a week",
    AgeGroup.AGE_65_PLUS: "6 hours a week",
}
NO_FIGURE_GROUPS = {AgeGroup.UNDER_16: "under 16", AgeGroup.AGE_35_44: "35-44"}


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "0 min"),
        (59, "0 min"),
        (60, "1 min"),
        (45 * 60, "45 min"),
        (3600, "1 h"),
        (SIX_H_TWENTY, "6 h 20 min"),
        (SIX_H_TWENTY + 59, "6 h 20 min"),
        (30 * 3600 + 5 * 60, "30 h 5 min"),
    ],
)
def test_format_duration(seconds: int, expected: str) -> None:
    assert format_duration(seconds) == expected


@given(st.integers(min_value=0, max_value=10**7))
def test_format_duration_never_shows_more_than_was_measured(seconds: int) -> None:
    text = format_duration(seconds)
    match = re.fullmatch(r"(?:(\d+) h)?(?: ?(\d+) min)?", text)
    assert match is not None
    shown = int(match.group(1) or 0) * 3600 + int(match.group(2) or 0) * 60
    assert shown <= seconds < shown + 60


def test_format_duration_refuses_a_negative_time() -> None:
    with pytest.raises(Error, match="negative"):
        format_duration(-1)


@pytest.mark.parametrize("group", list(FINDINGS), ids=str)
def test_sentence_sets_the_week_beside_the_figure(group: AgeGroup) -> None:
    sentence = comparison_sentence(compare(group), SIX_H_TWENTY)

    assert sentence.startswith("This week you spent 6 h 20 min in social and messaging apps on this computer")
    assert f"people aged {group.value}" in sentence
    assert "Forrester Research (2010)" in sentence
    assert FINDINGS[group] in sentence
    assert "all leisure time on any device" in sentence
    assert "context, not a target" in sentence


def test_sentence_for_an_exact_figure_does_not_hedge() -> None:
    sentence = comparison_sentence(compare(AgeGroup.AGE_16_24), SIX_H_TWENTY)
    assert "more than" not in sentence
    assert "above" not in sentence


@pytest.mark.parametrize("group", list(NO_FIGURE_GROUPS), ids=str)
def test_sentence_for_a_group_without_a_figure_says_so(group: AgeGroup) -> None:
    sentence = comparison_sentence(compare(group), 45 * 60)

    assert "45 min" in sentence
    assert "gives no figure" in sentence
    assert f"people aged {NO_FIGURE_GROUPS[group]}" in sentence
    assert "hours a week" not in sentence


def test_sentence_without_an_age_group_says_how_to_set_one() -> None:
    sentence = comparison_sentence(compare(None), 0)

    assert "0 min" in sentence
    assert "no age group is set" in sentence
    assert "middenweg config set age-group 25-34" in sentence
    assert "Forrester" not in sentence


@pytest.mark.parametrize("group", [None, *AgeGroup], ids=str)
def test_sentence_is_one_sentence(group: AgeGroup | None) -> None:
    sentence = comparison_sentence(compare(group), SIX_H_TWENTY)

    assert sentence.endswith(".")
    assert ". " not in sentence
    assert "\n" not in sentence
