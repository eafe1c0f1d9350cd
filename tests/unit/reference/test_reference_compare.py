"""What the comparison shows for every age group: figures, bounds, sources, bands, caveat and JSON.

The expected values are copied from REFERENCE-DATA.md (the specification), not from the implementation.
"""

from __future__ import annotations

import json

import pytest

from middenweg.domain.age import AgeGroup
from middenweg.reference import Bound, Comparison, ReferenceFigure, compare

# Primary source per group (REFERENCE-DATA.md §A): hours per week, bound, a wording cue the text must carry.
PRIMARY: dict[AgeGroup, tuple[float | None, Bound, str]] = {
    AgeGroup.UNDER_16: (None, Bound.NONE, "no figure"),
    AgeGroup.AGE_16_24: (18, Bound.EXACT, "18 hours a week"),
    AgeGroup.AGE_25_34: (18, Bound.MORE_THAN, "slightly higher than 16-24"),
    AgeGroup.AGE_35_44: (None, Bound.NONE, "no figure"),
    AgeGroup.AGE_45_54: (10, Bound.MORE_THAN, "well above 10"),
    AgeGroup.AGE_55_64: (10, Bound.MORE_THAN, "well above 10"),
    AgeGroup.AGE_65_PLUS: (6, Bound.EXACT, "6 hours a week"),
}

# SCP Media:Tijd 2018, "communiceren", minutes per day in SCP's own bands, and the published hours per week.
SCP_MINUTES = {"13+": 64, "13-34": 92, "35-49": 60, "50-64": 57, "65+": 33}
SCP_PUBLISHED_HOURS = {"13+": 7.5, "13-34": 10.7, "35-49": 7.0, "50-64": 6.7, "65+": 3.9}

# Which SCP bands each group must show (every band that overlaps it; 13+ only for "prefer not to say").
SCP_BANDS: dict[AgeGroup | None, set[str]] = {
    None: {"13+"},
    AgeGroup.UNDER_16: {"13-34"},
    AgeGroup.AGE_16_24: {"13-34"},
    AgeGroup.AGE_25_34: {"13-34"},
    AgeGroup.AGE_35_44: {"35-49"},
    AgeGroup.AGE_45_54: {"35-49", "50-64"},
    AgeGroup.AGE_55_64: {"50-64"},
    AgeGroup.AGE_65_PLUS: {"65+"},
}

ALL_GROUPS: list[AgeGroup | None] = [None, *AgeGroup]
FIGURE_KEYS = {
    "source",
    "year",
    "metric",
    "age_band",
    "hours_per_week",
    "bound",
    "text",
    "minutes_per_day",
    "provenance",
}


def test_every_age_group_is_covered_by_the_expectations() -> None:
    assert set(PRIMARY) == set(AgeGroup)
    assert set(SCP_BANDS) == set(ALL_GROUPS)


@pytest.mark.parametrize("group", list(AgeGroup), ids=str)
def test_primary_figure_bound_and_wording(group: AgeGroup) -> None:
    hours, bound, cue = PRIMARY[group]
    primary = compare(group).primary

    assert primary is not None
    assert primary.source == "Forrester Research"
    assert primary.year == 2010
    assert primary.age_band == group.value
    assert primary.bound is bound
    assert primary.minutes_per_day is None
    if hours is None:
        assert primary.hours_per_week is None
    else:
        assert primary.hours_per_week == pytest.approx(hours)
    assert cue in primary.text.lower()


@pytest.mark.parametrize("group", [AgeGroup.UNDER_16, AgeGroup.AGE_35_44], ids=str)
def test_a_group_the_source_does_not_mention_gets_no_number(group: AgeGroup) -> None:
    primary = compare(group).primary

    assert primary is not None
    assert primary.text == "The source gives no figure for this age group."
    assert not any(char.isdigit() for char in primary.text)


@pytest.mark.parametrize("group", list(AgeGroup), ids=str)
def test_primary_metric_and_provenance_state_what_was_measured_and_how_we_know(group: AgeGroup) -> None:
    primary = compare(group).primary

    assert primary is not None
    metric = primary.metric.lower()
    for phrase in ("all leisure time online", "any device", "self-reported", "2010"):
        assert phrase in metric
    provenance = primary.provenance.lower()
    for phrase in ("2012", "dutch blog post", "not located", "as quoted"):
        assert phrase in provenance


def test_prefer_not_to_say_has_no_primary_figure_and_the_everyone_band() -> None:
    comparison = compare(None)

    assert comparison.age_group is None
    assert comparison.primary is None
    assert [figure.age_band for figure in comparison.secondary] == ["13+"]
    assert "everyone" in comparison.secondary[0].text.lower()


@pytest.mark.parametrize("group", ALL_GROUPS, ids=str)
def test_secondary_bands_are_scp_own_bands_that_overlap_the_group(group: AgeGroup | None) -> None:
    secondary = compare(group).secondary

    assert {figure.age_band for figure in secondary} == SCP_BANDS[group]
    # Each band appears once and keeps its own label.
    assert len(secondary) == len(SCP_BANDS[group])


@pytest.mark.parametrize("group", ALL_GROUPS, ids=str)
def test_secondary_minutes_and_hours_per_week(group: AgeGroup | None) -> None:
    for figure in compare(group).secondary:
        minutes = SCP_MINUTES[figure.age_band]
        assert figure.source == "SCP Media:Tijd"
        assert figure.year == 2018
        assert figure.bound is Bound.EXACT
        assert figure.minutes_per_day == minutes
        assert figure.hours_per_week is not None
        assert figure.hours_per_week == pytest.approx(minutes * 7 / 60, abs=0.05)
        assert figure.hours_per_week == pytest.approx(SCP_PUBLISHED_HOURS[figure.age_band])
        assert f"{minutes} minutes a day" in figure.text
        assert f"{SCP_PUBLISHED_HOURS[figure.age_band]:.1f} hours a week" in figure.text


@pytest.mark.parametrize("group", ALL_GROUPS, ids=str)
def test_secondary_metric_and_provenance(group: AgeGroup | None) -> None:
    for figure in compare(group).secondary:
        metric = figure.metric.lower()
        for phrase in ("communicating", "messaging", "social media", "e-mail", "any medium", "multitasking"):
            assert phrase in metric
        assert "averaged over everyone" in metric
        assert "autumn 2018" in metric
        provenance = figure.provenance
        for phrase in (
            "Sociaal en Cultureel Planbureau",
            "NLO, NOM, SKO and PMA",
            "diary",
            "autumn 2018",
            "2,700",
            "13 and over",
            "ocwincijfers.nl",
            "Tijdsbesteding aan media",
        ):
            assert phrase in provenance


def test_45_54_shows_both_overlapping_bands_each_with_its_own_label() -> None:
    secondary = compare(AgeGroup.AGE_45_54).secondary

    texts = {figure.age_band: figure.text for figure in secondary}
    assert "35-49" in texts["35-49"]
    assert "60 minutes" in texts["35-49"]
    assert "50-64" in texts["50-64"]
    assert "57 minutes" in texts["50-64"]


@pytest.mark.parametrize("group", ALL_GROUPS, ids=str)
def test_caveat_says_middenweg_measures_something_narrower(group: AgeGroup | None) -> None:
    caveat = compare(group).caveat

    for phrase in ("narrower", "social and messaging apps, on the devices it knows about", "saw you", "one week"):
        assert phrase in caveat
    for phrase in ("communicating", "any medium", "averaged over everyone", "2018"):
        assert phrase in caveat
    assert "context, not a target" in caveat
    if group is None:
        # No primary figure is shown, so the caveat does not describe it.
        assert "Forrester" not in caveat
    else:
        primary_phrases = (
            "Forrester Research",
            "all leisure time online",
            "any device",
            "self-reported",
            "2010",
        )
        for phrase in primary_phrases:
            assert phrase in caveat


@pytest.mark.parametrize("group", ALL_GROUPS, ids=str)
def test_to_json_is_serialisable_with_the_documented_keys(group: AgeGroup | None) -> None:
    comparison = compare(group)
    data = json.loads(json.dumps(comparison.to_json()))

    assert set(data) == {"age_group", "primary", "secondary", "caveat"}
    assert data["age_group"] == (None if group is None else group.value)
    assert data["caveat"] == comparison.caveat
    if group is None:
        assert data["primary"] is None
    else:
        hours, bound, _cue = PRIMARY[group]
        primary = data["primary"]
        assert set(primary) == FIGURE_KEYS
        assert primary["source"] == "Forrester Research"
        assert primary["year"] == 2010
        assert primary["age_band"] == group.value
        assert primary["bound"] == bound.value
        assert primary["minutes_per_day"] is None
        if hours is None:
            assert primary["hours_per_week"] is None
        else:
            assert isinstance(primary["hours_per_week"], int | float)
            assert primary["hours_per_week"] == pytest.approx(hours)
    assert {item["age_band"] for item in data["secondary"]} == SCP_BANDS[group]
    for item in data["secondary"]:
        assert set(item) == FIGURE_KEYS
        assert item["source"] == "SCP Media:Tijd"
        assert item["year"] == 2018
        assert item["bound"] == "exact"
        assert item["minutes_per_day"] == SCP_MINUTES[item["age_band"]]
        assert item["hours_per_week"] == pytest.approx(SCP_PUBLISHED_HOURS[item["age_band"]])


def test_bound_values_are_the_json_strings() -> None:
    assert {bound.value for bound in Bound} == {"exact", "more_than", "none"}


def test_comparison_values_are_frozen() -> None:
    comparison = compare(AgeGroup.AGE_16_24)
    assert isinstance(comparison, Comparison)
    assert comparison.primary is not None
    assert isinstance(comparison.primary, ReferenceFigure)
    with pytest.raises(AttributeError):
        comparison.primary.hours_per_week = 1.0  # type: ignore[misc]
