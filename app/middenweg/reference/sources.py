"""The published figures Middenweg sets beside a user's week, with their source, year, metric and vagueness.

This module is the single place the reference numbers live, exactly as the project's REFERENCE-DATA.md
gives them: the primary source (Forrester Research, 2010, as quoted in a 2012 Dutch blog post) in its own
age groups, and the secondary source (SCP Media:Tijd 2018) in its own, different age bands. It must never
invent a figure, fill a gap with an estimate, or re-bin one source into the other's bands. Texts are marked
with ``N_`` (English source text) and translated where they are shown. No I/O.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from middenweg.domain.age import AgeGroup
from middenweg.i18n import N_


class Bound(enum.StrEnum):
    """How exact a figure is. The string values are part of the JSON schema."""

    #: The source gives this number ("18 uur per week").
    EXACT = "exact"
    #: The source only says "more than" the number ("ruim boven de 10 uur", "nog iets hoger" than 18).
    MORE_THAN = "more_than"
    #: The source says nothing for this group; there is no number.
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Source:
    """Where figures come from: ``name`` is a proper noun, never translated; the other texts are N_."""

    name: str
    year: int
    #: What the source measured, as a noun phrase ("all leisure time online, ...").
    metric: str
    #: How we know the figures (who, how, where published; what could not be checked).
    provenance: str


@dataclass(frozen=True, slots=True)
class PrimaryFigure:
    """What the primary source says for one of our age groups (its groups are the same as ours)."""

    age_group: AgeGroup
    #: Whole hours per week as quoted; for MORE_THAN the number it is "more than"; None for Bound.NONE.
    hours_per_week: int | None
    bound: Bound
    #: What the source says, in plain words, with its vagueness (N_).
    text: str

    def __post_init__(self) -> None:
        # A figure without a number, or "no figure" with a number, would show the user something the source
        # never said.
        if (self.bound is Bound.NONE) != (self.hours_per_week is None):
            raise ValueError(
                f"Reference figure for {self.age_group}: bound {self.bound} does not match "
                f"hours_per_week={self.hours_per_week!r}; only 'none' goes without hours."
            )


@dataclass(frozen=True, slots=True)
class SecondaryBand:
    """One age band of the secondary source, in that source's own bands (never re-binned into ours)."""

    #: The source's own label for the band ("13-34", "13+"); stable, part of the JSON schema.
    code: str
    #: How the band is named to people (N_), e.g. "People aged 13-34".
    label: str
    first_age: int
    #: Last year of age in the band (inclusive); None for an open upper end.
    last_age: int | None
    #: Minutes per day, averaged over everyone in the band, as published.
    minutes_per_day: int
    #: True for the whole-population band (13+), which stands for everyone rather than one age band.
    everyone: bool = False

    @property
    def hours_per_week(self) -> float:
        """minutes × 7 ÷ 60, rounded half up to one decimal (64 → 7.5, 57 → 6.7, 33 → 3.9), as in the spec."""
        # Decimal, not float: 57 × 7 ÷ 60 = 6.65 and 33 × 7 ÷ 60 = 3.85 sit exactly on the rounding edge, and
        # the published table rounds them up.
        exact = Decimal(self.minutes_per_day * 7) / Decimal(60)
        return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    def overlaps(self, first_age: int, last_age: int | None) -> bool:
        """Whether any year of age lies in both this band and ``first_age``..``last_age`` (None: open end)."""
        starts_before_other_ends = last_age is None or self.first_age <= last_age
        other_starts_before_this_ends = self.last_age is None or first_age <= self.last_age
        return starts_before_other_ends and other_starts_before_this_ends


FORRESTER_2010 = Source(
    name="Forrester Research",
    year=2010,
    metric=N_("all leisure time online, on any device, self-reported, in 2010"),
    provenance=N_(
        "Forrester Research, 2010, as quoted in a 2012 Dutch blog post; the original report was not located, "
        "so the figures are as quoted."
    ),
)

#: Seed 000 ("Online vs Offline"): "Jongeren tussen de 16-24 jaar besteden gemiddeld 18 uur per week online,
#: de generatie hierboven ... nog iets hoger ... 45-54 en 55-64 ... ruim boven de 10 uur ... 65+ ... 6 uur per
#: week". 35-44 and under 16 are not mentioned, so they get no number.
PRIMARY_FIGURES: tuple[PrimaryFigure, ...] = (
    PrimaryFigure(
        AgeGroup.UNDER_16,
        None,
        Bound.NONE,
        N_("The source gives no figure for this age group."),
    ),
    PrimaryFigure(
        AgeGroup.AGE_16_24,
        18,
        Bound.EXACT,
        N_("People aged 16-24 spent 18 hours a week online, on average."),
    ),
    PrimaryFigure(
        AgeGroup.AGE_25_34,
        18,
        Bound.MORE_THAN,
        N_(
            "People aged 25-34 spent more than 18 hours a week online: slightly higher than 16-24, "
            "the source gives no exact number."
        ),
    ),
    PrimaryFigure(
        AgeGroup.AGE_35_44,
        None,
        Bound.NONE,
        N_("The source gives no figure for this age group."),
    ),
    PrimaryFigure(
        AgeGroup.AGE_45_54,
        10,
        Bound.MORE_THAN,
        N_(
            "People aged 45-54 spent more than 10 hours a week online: well above 10 hours, "
            "the source gives no exact number."
        ),
    ),
    PrimaryFigure(
        AgeGroup.AGE_55_64,
        10,
        Bound.MORE_THAN,
        N_(
            "People aged 55-64 spent more than 10 hours a week online: well above 10 hours, "
            "the source gives no exact number."
        ),
    ),
    PrimaryFigure(
        AgeGroup.AGE_65_PLUS,
        6,
        Bound.EXACT,
        N_("People aged 65 and over spent 6 hours a week online, on average."),
    ),
)

SCP_MEDIA_TIJD_2018 = Source(
    name="SCP Media:Tijd",
    year=2018,
    metric=N_(
        "time spent communicating (messaging, social media, e-mail) via any medium, multitasking included, "
        "in minutes per day averaged over everyone, from a diary kept in autumn 2018"
    ),
    provenance=N_(
        "Sociaal en Cultureel Planbureau (SCP) with NLO, NOM, SKO and PMA: Media:Tijd 2018, a diary study in "
        "autumn 2018 of about 2,700 Dutch people aged 13 and over; figures from ocwincijfers.nl, "
        "“Tijdsbesteding aan media” (Media:Tijd 2018 source table)."
    ),
)

#: The SCP Media:Tijd 2018 "communiceren" table, in SCP's own bands.
SCP_EVERYONE = SecondaryBand("13+", N_("Everyone aged 13 and over"), 13, None, 64, everyone=True)
SCP_BANDS: tuple[SecondaryBand, ...] = (
    SCP_EVERYONE,
    SecondaryBand("13-34", N_("People aged 13-34"), 13, 34, 92),
    SecondaryBand("35-49", N_("People aged 35-49"), 35, 49, 60),
    SecondaryBand("50-64", N_("People aged 50-64"), 50, 64, 57),
    SecondaryBand("65+", N_("People aged 65 and over"), 65, None, 33),
)


def primary_figure(age_group: AgeGroup) -> PrimaryFigure:
    """What the primary source says for ``age_group`` (a Bound.NONE figure where it says nothing)."""
    for figure in PRIMARY_FIGURES:
        if figure.age_group is age_group:
            return figure
    # Unreachable while PRIMARY_FIGURES covers every AgeGroup (a unit test checks that it does).
    raise LookupError(f"No primary reference entry for age group {age_group}.")


def secondary_bands(age_group: AgeGroup | None) -> tuple[SecondaryBand, ...]:
    """The SCP bands to show for ``age_group``: every age band that overlaps it, or the 13+ band for None.

    Overlap is decided by years of age, so 45-54 gets both 35-49 and 50-64 and under-16 gets 13-34; the 13+
    band is left out for a known group because it stands for everyone, not for that group.
    """
    if age_group is None:
        return (SCP_EVERYONE,)
    first, last = age_group.years
    return tuple(band for band in SCP_BANDS if not band.everyone and band.overlaps(first, last))
