"""Sets a user's age group beside what the reference sources say, with every figure's source, year and caveat.

``compare`` picks the figures for an age group (or for "prefer not to say") and translates their texts at
call time; ``comparison_sentence`` turns a comparison and the measured week into one plain sentence for the
report. This module must never present a reference figure as a target, show a number where the source gives
none, or mix one source's age bands into the other's. Pure: no I/O, no clock; the measured time is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from middenweg.domain.age import AgeGroup
from middenweg.domain.events import Scope
from middenweg.i18n import N_, _, decimal
from middenweg.reference.sources import (
    FORRESTER_2010,
    SCP_MEDIA_TIJD_2018,
    Bound,
    SecondaryBand,
    primary_figure,
    secondary_bands,
)

__all__ = [
    "Bound",
    "Comparison",
    "Error",
    "ReferenceFigure",
    "compare",
    "comparison_sentence",
    "format_duration",
]


class Error(Exception):
    """Something asked of the reference package cannot be answered; the message says what and why."""


@dataclass(frozen=True, slots=True)
class ReferenceFigure:
    """One figure as shown to the user: translated texts, the source's own age band, and how exact it is."""

    #: The source's name, a proper noun ("Forrester Research", "SCP Media:Tijd").
    source: str
    year: int
    #: What the source measured (translated).
    metric: str
    #: The source's own label for the band ("25-34", "13-34", "13+").
    age_band: str
    #: Hours per week: the quoted number, the "more than" number, or None when the source gives no figure.
    #: SCP figures are minutes × 7 ÷ 60, rounded half up to one decimal.
    hours_per_week: float | None
    bound: Bound
    #: What the source says for this band, in plain words (translated).
    text: str
    #: Minutes per day as published (SCP only); None for the primary source.
    minutes_per_day: int | None
    #: How we know the figure: who, how, where published, what could not be checked (translated).
    provenance: str

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "year": self.year,
            "metric": self.metric,
            "age_band": self.age_band,
            "hours_per_week": _json_hours(self.hours_per_week),
            "bound": self.bound.value,
            "text": self.text,
            "minutes_per_day": self.minutes_per_day,
            "provenance": self.provenance,
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """What the sources say for one age group (None: "prefer not to say"), with the caveat to show with it."""

    age_group: AgeGroup | None
    #: The primary source's figure; None only when no age group is set.
    primary: ReferenceFigure | None
    #: Every SCP band overlapping the age group, in SCP's own bands; the 13+ band when no age group is set.
    secondary: tuple[ReferenceFigure, ...]
    caveat: str

    def to_json(self) -> dict[str, object]:
        """The stable ``--json`` shape.

        ``{"age_group": "25-34" | null, "primary": FIGURE | null, "secondary": [FIGURE, ...], "caveat": str}``
        where FIGURE is ``{"source", "year", "metric", "age_band", "hours_per_week", "bound", "text",
        "minutes_per_day", "provenance"}``. ``hours_per_week`` is a JSON number (whole values are written
        as integers: 18, 6, 7; others with one decimal: 10.7) or null when ``bound`` is "none"; for
        "more_than" it is the number the source says the figure is above. ``minutes_per_day`` is null for
        the primary source.
        """
        return {
            "age_group": None if self.age_group is None else self.age_group.value,
            "primary": None if self.primary is None else self.primary.to_json(),
            "secondary": [figure.to_json() for figure in self.secondary],
            "caveat": self.caveat,
        }


def compare(age_group: AgeGroup | None) -> Comparison:
    """The reference figures for ``age_group``, translated into the active language now."""
    primary = None if age_group is None else _primary(age_group)
    secondary = tuple(_secondary(band) for band in secondary_bands(age_group))
    return Comparison(age_group=age_group, primary=primary, secondary=secondary, caveat=_caveat(primary))


def _primary(age_group: AgeGroup) -> ReferenceFigure:
    figure = primary_figure(age_group)
    return ReferenceFigure(
        source=FORRESTER_2010.name,
        year=FORRESTER_2010.year,
        metric=_(FORRESTER_2010.metric),
        age_band=age_group.value,
        hours_per_week=None if figure.hours_per_week is None else float(figure.hours_per_week),
        bound=figure.bound,
        text=_(figure.text),
        minutes_per_day=None,
        provenance=_(FORRESTER_2010.provenance),
    )


def _secondary(band: SecondaryBand) -> ReferenceFigure:
    hours = band.hours_per_week
    text = _("{label}: {minutes} minutes a day communicating, about {hours} hours a week.").format(
        label=_(band.label), minutes=band.minutes_per_day, hours=decimal(hours, 1)
    )
    return ReferenceFigure(
        source=SCP_MEDIA_TIJD_2018.name,
        year=SCP_MEDIA_TIJD_2018.year,
        metric=_(SCP_MEDIA_TIJD_2018.metric),
        age_band=band.code,
        hours_per_week=hours,
        bound=Bound.EXACT,
        text=text,
        minutes_per_day=band.minutes_per_day,
        provenance=_(SCP_MEDIA_TIJD_2018.provenance),
    )


def _caveat(primary: ReferenceFigure | None) -> str:
    parts = [
        _(
            "Middenweg measures something narrower than these sources: the time it saw you in social and "
            "messaging apps, on the devices it knows about, in one week."
        )
    ]
    if primary is not None:
        parts.append(
            _("The primary source, {source}, counted {metric}.").format(
                source=FORRESTER_2010.name, metric=_(FORRESTER_2010.metric)
            )
        )
    parts.append(
        _("{source} counted {metric}.").format(source=SCP_MEDIA_TIJD_2018.name, metric=_(SCP_MEDIA_TIJD_2018.metric))
    )
    parts.append(_("So the comparison is context, not a target."))
    return " ".join(parts)


# Whole sentences, one per kind of finding, so a translator never has to glue fragments together.
_FOUND_EXACT = N_(
    "{when} you spent {measured} in social and messaging apps {where}; {source} ({year}) "
    "found that people aged {group} spent {hours} hours a week online on average — all leisure time on "
    "any device, so this is context, not a target."
)
_FOUND_SLIGHTLY_MORE = N_(
    "{when} you spent {measured} in social and messaging apps {where}; {source} ({year}) "
    "found that people aged {group} spent slightly more than {hours} hours a week online — all leisure "
    "time on any device, so this is context, not a target."
)
_FOUND_WELL_ABOVE = N_(
    "{when} you spent {measured} in social and messaging apps {where}; {source} ({year}) "
    "found that people aged {group} spent well above {hours} hours a week online — all leisure time on "
    "any device, so this is context, not a target."
)
_NO_FIGURE = N_(
    "{when} you spent {measured} in social and messaging apps {where}; {source} ({year}) "
    "gives no figure for people aged {group}, so there is nothing from it to set your week beside."
)
_NO_AGE_GROUP = N_(
    "{when} you spent {measured} in social and messaging apps {where}; no age group is set, "
    "so there is no figure for your age group to set it beside (set one with "
    "`middenweg config set age-group 25-34`)."
)

# The wording of a "more than" figure follows the source: "nog iets hoger" for 25-34, "ruim boven" for 45-64.
_MORE_THAN_SENTENCES: dict[AgeGroup, str] = {
    AgeGroup.AGE_25_34: _FOUND_SLIGHTLY_MORE,
    AgeGroup.AGE_45_54: _FOUND_WELL_ABOVE,
    AgeGroup.AGE_55_64: _FOUND_WELL_ABOVE,
}


#: Where the measured time comes from, as it reads inside the comparison sentence.
_WHERE: dict[Scope, str] = {
    Scope.THIS_COMPUTER: N_("on this computer"),
    Scope.COMPUTERS: N_("on your computers"),
    Scope.WITH_PHONE: N_("on your computer and phone together"),
    Scope.PHONE: N_("on your phone"),
}


def comparison_sentence(
    comparison: Comparison, measured_seconds: int, week_number: int | None = None, scope: Scope = Scope.THIS_COMPUTER
) -> str:
    """One plain sentence for the human-readable report: the measured week and the primary source's figure.

    ``week_number`` names a week other than the current one ("In week 44 you spent ..."); None means this week.
    ``scope`` says which devices the time covers: with phone time, the sentence says it counts both.
    """
    measured = format_duration(measured_seconds)
    where = _(_WHERE[scope])
    when = _("This week") if week_number is None else _("In week {number}").format(number=week_number)
    primary = comparison.primary
    if comparison.age_group is None or primary is None:
        return _(_NO_AGE_GROUP).format(when=when, measured=measured, where=where)
    group = _group_label(comparison.age_group)
    if primary.bound is Bound.NONE or primary.hours_per_week is None:
        return _(_NO_FIGURE).format(
            when=when, measured=measured, where=where, source=primary.source, year=primary.year, group=group
        )
    exact = primary.bound is Bound.EXACT
    template = _FOUND_EXACT if exact else _MORE_THAN_SENTENCES[comparison.age_group]
    return _(template).format(
        when=when,
        measured=measured,
        where=where,
        source=primary.source,
        year=primary.year,
        group=group,
        hours=_format_hours(primary.hours_per_week),
    )


def format_duration(seconds: int) -> str:
    """A duration as hours and whole minutes: "6 h 20 min", "2 h", "45 min", "0 min".

    Leftover seconds are dropped rather than rounded up, so the report never shows more than was measured.
    """
    if seconds < 0:
        raise Error(
            _(
                "A measured duration cannot be negative (got {seconds} seconds); this is a bug in Middenweg, "
                "please report it."
            ).format(seconds=seconds)
        )
    hours, minutes = divmod(seconds // 60, 60)
    if hours == 0:
        return _("{minutes} min").format(minutes=minutes)
    if minutes == 0:
        return _("{hours} h").format(hours=hours)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)


def _group_label(age_group: AgeGroup) -> str:
    # "people aged under-16" reads badly; the other values read as they are ("people aged 65+").
    if age_group is AgeGroup.UNDER_16:
        return _("under 16")
    return age_group.value


def _format_hours(hours: float) -> str:
    return str(int(hours)) if hours.is_integer() else decimal(hours, 1)


def _json_hours(hours: float | None) -> int | float | None:
    if hours is None:
        return None
    return int(hours) if hours.is_integer() else hours
