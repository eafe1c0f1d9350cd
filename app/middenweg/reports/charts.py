"""The dashboard's charts: pure functions from report data to matplotlib Figures, and text twins for screen readers.

Each chart function takes plain report data and a ``Palette`` and returns a new ``matplotlib.figure.Figure``; the
GUI wraps it in its own canvas, ``save_figure`` writes it to PNG or SVG. matplotlib is imported inside the functions
only, never when this module is imported, so the tray and the tracker start without it; and never through pyplot,
which keeps global state. A reference figure is never drawn as a target or as a number the source did not give:
"more than" figures are open-ended bars, missing figures are a note, and every axis starts at 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from middenweg.cli_text import CATEGORY_NAMES, WEEKDAY_NAMES, WEEKDAYS
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind
from middenweg.domain.weeks import IsoWeek
from middenweg.i18n import _, decimal
from middenweg.reference.compare import Bound, ReferenceFigure, format_duration
from middenweg.reference.sources import FORRESTER_2010
from middenweg.reports.weekly import WeeklyReport

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

__all__ = [
    "DARK",
    "LIGHT",
    "Error",
    "Palette",
    "reference_chart",
    "reference_summary",
    "save_figure",
    "trend_chart",
    "trend_summary",
    "week_chart",
    "week_summary",
]


class Error(ValueError):
    """A chart cannot be made or saved as asked; the message says what to do instead."""


@dataclass(frozen=True, slots=True)
class Palette:
    """The colours of a chart. Social and messaging are an Okabe–Ito pair that stays apart in every colour-vision
    deficiency; reference figures are neutral greys, so a source's number never looks like part of your week."""

    #: Figure and axes background.
    background: str
    #: Tick labels, axis labels, legend and value labels.
    text: str
    #: Notes ("the source gives no figure") and other secondary text.
    muted: str
    #: Grid lines and axis lines.
    grid: str
    social: str
    messaging: str
    other: str
    #: The primary source's bar.
    reference: str
    #: Hatch and edge of the open end of a "more than" bar.
    reference_open: str
    #: The secondary source's (SCP) thinner bars.
    secondary: str


#: For light window themes. Vermillion and blue: both above 3:1 against white.
LIGHT = Palette(
    background="#ffffff",
    text="#1f1f1f",
    muted="#595959",
    grid="#d9d9d9",
    social="#d55e00",
    messaging="#0072b2",
    other="#8c8c8c",
    reference="#595959",
    reference_open="#262626",
    secondary="#a6a6a6",
)

#: For dark window themes. Orange and sky blue: the lighter Okabe–Ito pair, well above 3:1 against the background.
DARK = Palette(
    background="#1e1e1e",
    text="#e8e8e8",
    muted="#b3b3b3",
    grid="#3d3d3d",
    social="#e69f00",
    messaging="#56b4e9",
    other="#8c8c8c",
    reference="#a6a6a6",
    reference_open="#d9d9d9",
    secondary="#6e6e6e",
)

#: The categories the charts are about, bottom of a stack first.
_STACK: tuple[Category, ...] = (Category.SOCIAL, Category.MESSAGING)

# Font sizes in points, so a figure rendered at 200 dpi has the same layout as at 100 dpi, only sharper.
_FONT = 9.0
_SMALL = 8.0

_SAVE_FORMATS = {".png": "png", ".svg": "svg"}

#: A phone's part of a bar: the category's colour, lighter (toward the background), with hatching in the full
#: colour, so it stands apart by pattern as well as by shade (never by colour alone).
_PHONE_HATCH = "////"
_PHONE_TINT = 0.55


def _stacked_bars(
    ax: Axes,
    palette: Palette,
    hours: dict[Category, list[float]],
    phone: dict[Category, list[float]] | None = None,
) -> list[float]:
    """One column per position, categories stacked in ``_STACK`` order; bars get gids "social-3" for tests and
    tools. With ``phone`` (a part of ``hours``), each category's phone part is stacked right on its other part,
    hatched and lighter, with the gid "social-phone-3". Returns the column tops."""
    bottoms: list[float] = []
    for category in _STACK:
        heights = hours[category]
        bottoms = bottoms or [0.0] * len(heights)
        phone_heights = phone[category] if phone is not None else [0.0] * len(heights)
        solid = [max(0.0, h - p) for h, p in zip(heights, phone_heights, strict=True)]
        container = ax.bar(
            list(range(len(heights))),
            solid,
            bottom=bottoms,
            width=0.65,
            color=_colour(palette, category),
            label=_(CATEGORY_NAMES[category]),
            zorder=2,
        )
        for index, bar in enumerate(container.patches):
            bar.set_gid(f"{category.value}-{index}")
        bottoms = [b + h for b, h in zip(bottoms, solid, strict=True)]
        if phone is not None:
            colour = _colour(palette, category)
            container = ax.bar(
                list(range(len(heights))),
                phone_heights,
                bottom=bottoms,
                width=0.65,
                facecolor=_tint(colour, palette.background),
                hatch=_PHONE_HATCH,
                hatchcolor=colour,
                linewidth=0,
                label="_nolegend_",
                zorder=2,
            )
            for index, bar in enumerate(container.patches):
                bar.set_gid(f"{category.value}-phone-{index}")
            bottoms = [b + h for b, h in zip(bottoms, phone_heights, strict=True)]
    return bottoms


def _phone_seconds(report: WeeklyReport) -> list[dict[Category, int]] | None:
    """Seconds on phones per day and category, or None when the week has no social or messaging time on a phone
    (the chart is then drawn as it always was)."""
    phones = [device for device in report.devices if device.kind is DeviceKind.PHONE]
    per_day = [
        {c: sum(device.days[index].seconds.get(c) for device in phones) for c in _STACK}
        for index in range(len(report.days))
    ]
    return per_day if any(any(day.values()) for day in per_day) else None


def _phone_legend_handle(palette: Palette) -> Artist:
    from matplotlib.patches import Patch

    # Neutral, so the one entry stands for the phone part of both categories.
    return Patch(
        facecolor=palette.background,
        hatch=_PHONE_HATCH,
        hatchcolor=palette.text,
        edgecolor=palette.muted,
        linewidth=0.6,
        label=_("Phone"),
    )


def _finish_hours_chart(ax: Axes, palette: Palette, *, top: float, ticks: int, extra: Sequence[Artist] = ()) -> None:
    """The shared look of the column charts: an hours axis from 0 to ``top``, grid, legend (with ``extra``
    entries after the categories), palette."""
    from matplotlib.ticker import MaxNLocator

    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=ticks, steps=[1, 2, 5, 10]))
    _hours_axis(ax.yaxis)
    ax.set_ylabel(_("hours"), fontsize=_FONT, color=palette.text)
    ax.grid(axis="y", color=palette.grid, linewidth=0.6, zorder=0)
    _legend(ax, palette, extra)
    _style_axes(ax, palette)


def week_chart(
    report: WeeklyReport, palette: Palette, *, dpi: float = 100, width: float = 6.4, height: float = 3.2
) -> Figure:
    """Social (bottom) and messaging (top) hours per local day, Monday to Sunday, as stacked bars.

    Each bar has the gid ``"<category>-<day index>"`` (``"social-0"`` is Monday's social bar) and each category's
    container the translated category name as its label. When a phone has social or messaging time this week, the
    phone's part of each category is its own hatched, lighter segment on top of the rest of that category
    (``"social-phone-0"``; ``"social-0"`` is then the part not on a phone) and the legend gains "Phone"; without
    phone time the chart is exactly the plain one.
    """

    figure, ax = _new_figure(palette, dpi, width, height)
    positions = list(range(len(report.days)))
    phone = _phone_seconds(report)
    bottoms = _stacked_bars(
        ax,
        palette,
        {c: [day.seconds.get(c) / 3600 for day in report.days] for c in _STACK},
        None if phone is None else {c: [day[c] / 3600 for day in phone] for c in _STACK},
    )

    top = max(bottoms, default=0.0)
    for position, day in zip(positions, report.days, strict=True):
        seconds = day.seconds.online
        if seconds > 0:
            ax.annotate(
                format_duration(seconds),
                (position, seconds / 3600),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=_SMALL,
                color=palette.text,
                gid=f"total-{position}",
            )
    if top == 0:
        ax.text(
            0.5,
            0.5,
            _("Nothing recorded this week yet."),
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=_FONT,
            color=palette.muted,
            gid="empty-note",
        )

    ax.set_xticks(positions, [f"{_(WEEKDAYS[d.date.weekday()])} {d.date.day}" for d in report.days])
    # At least one hour tall, so a few minutes do not fill the chart, and room above the bars for their labels.
    extra = () if phone is None else (_phone_legend_handle(palette),)
    _finish_hours_chart(ax, palette, top=max(1.0, top * 1.18), ticks=5, extra=extra)
    return figure


def reference_chart(
    report: WeeklyReport, palette: Palette, *, dpi: float = 100, width: float = 6.4, height: float = 1.8
) -> Figure:
    """Your week's social and messaging hours beside what the sources found for your age group, as horizontal bars.

    Rows, top to bottom: this week (``gid`` "measured-social" and "measured-messaging", stacked); the primary
    source ("reference-exact" for an exact figure; "reference-open" drawn to the bound, its fading hatched tail
    "reference-open-tail-<i>" and the "more than" text "reference-open-text"; or the note "reference-note" where
    there is no figure); then one thinner bar per SCP band, "secondary-<band>".
    """
    from matplotlib.ticker import MaxNLocator

    figure, ax = _new_figure(palette, dpi, width, height)
    comparison = report.reference
    labels: list[str] = []
    ends: list[float] = [0.0]

    row = 0
    left = 0.0
    for category in _STACK:
        hours = report.totals.get(category) / 3600
        bars = ax.barh(row, hours, left=left, height=0.6, color=_colour(palette, category), zorder=2)
        bars.patches[0].set_gid(f"measured-{category.value}")
        left += hours
    _value_label(ax, row, format_duration(report.totals.online), palette.text, "measured-text")
    ends.append(left)
    # Two lines, so the label leaves the bars room in a narrow window and in Dutch.
    # TRANSLATORS: a row label of the reference chart; keep the line break and each line short.
    labels.append(_("Week {number}\n(social + messaging)").format(number=report.week.week))

    row += 1
    primary = comparison.primary
    labels.append(
        _short_source(primary)
        if primary is not None
        # TRANSLATORS: a chart row label, e.g. "Forrester 2010": a source's short name and year.
        else _("{source} {year}").format(source=_short_name(FORRESTER_2010.name), year=FORRESTER_2010.year)
    )
    if primary is None:
        _note(ax, row, _("No age group set"), palette)
    elif primary.bound is Bound.NONE or primary.hours_per_week is None:
        _note(ax, row, _("The source gives no figure for this age group."), palette)
    elif primary.bound is Bound.EXACT:
        hours = primary.hours_per_week
        ax.barh(row, hours, height=0.6, color=palette.reference, zorder=2).patches[0].set_gid("reference-exact")
        _value_label(ax, row, _("{hours} h").format(hours=_hours_text(hours)), palette.text, "reference-exact-text")
        ends.append(hours)
    else:
        # The tail is a tenth of the largest number shown, so it reads as "and more" at any scale.
        scale = max(
            [report.totals.online / 3600, primary.hours_per_week]
            + [f.hours_per_week or 0 for f in comparison.secondary]
        )
        ends.append(_open_bar(ax, row, primary.hours_per_week, scale / 10, palette))

    for band_figure in comparison.secondary:
        row += 1
        labels.append(_short_source(band_figure))
        if band_figure.hours_per_week is None:  # SCP always gives a number; kept honest should that change.
            _note(ax, row, _("The source gives no figure for this age group."), palette)
            continue
        hours = band_figure.hours_per_week
        bars = ax.barh(row, hours, height=0.32, color=palette.secondary, zorder=2)
        bars.patches[0].set_gid(f"secondary-{band_figure.age_band}")
        text = _("{hours} h").format(hours=_hours_text(hours))
        _value_label(ax, row, text, palette.text, f"secondary-{band_figure.age_band}-text")
        ends.append(hours)

    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)  # first row on top
    # The x axis always starts at 0, so bar lengths compare honestly.
    ax.set_xlim(0, max(max(ends) * 1.05, 1.0))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    _hours_axis(ax.xaxis)
    ax.set_xlabel(_("hours a week"), fontsize=_FONT, color=palette.text)
    ax.grid(axis="x", color=palette.grid, linewidth=0.6, zorder=0)
    ax.tick_params(axis="y", length=0)
    _style_axes(ax, palette)
    return figure


def trend_chart(
    weeks: Sequence[tuple[IsoWeek, Mapping[str, int]]],
    palette: Palette,
    *,
    dpi: float = 100,
    width: float = 6.4,
    height: float = 2.4,
) -> Figure:
    """Social and messaging hours per ISO week as stacked columns, oldest first and the latest week last.

    ``weeks`` is what ``history.weekly_totals`` returns. Each column has the gid ``"<category>-<index>"``.
    """

    figure, ax = _new_figure(palette, dpi, width, height)
    ordered = sorted(weeks, key=lambda item: item[0])
    positions = list(range(len(ordered)))
    bottoms = _stacked_bars(
        ax, palette, {c: [totals.get(c.value, 0) / 3600 for _week, totals in ordered] for c in _STACK}
    )

    # TRANSLATORS: a short label for an ISO week number under a column, e.g. "W44".
    ax.set_xticks(positions, [_("W{week}").format(week=week.week) for week, _totals in ordered])
    if ordered:
        # The week in progress: bold, so "this week" is found at a glance.
        ax.get_xticklabels()[-1].set_fontweight("bold")
    else:
        ax.set_xlim(-0.5, 0.5)
    _finish_hours_chart(ax, palette, top=max(1.0, max(bottoms, default=0.0) * 1.1), ticks=4)
    return figure


def week_summary(report: WeeklyReport) -> str:
    """What the week chart shows, as text for a screen reader; with phone time, also each day's phone part and
    the phone's share of the week."""
    phone = _phone_seconds(report)
    parts = []
    for index, d in enumerate(report.days):
        day = f"{_(WEEKDAY_NAMES[d.date.weekday()])} {d.date.day}"
        social, messaging = format_duration(d.seconds.social), format_duration(d.seconds.messaging)
        on_phone = sum(phone[index].values()) if phone is not None else 0
        if on_phone:
            # TRANSLATORS: one day of the week chart's spoken summary, e.g. "Monday 16: social 1 h, messaging
            # 20 min, 35 min of it on your phone".
            text = _("{day}: social {social}, messaging {messaging}, {phone} of it on your phone").format(
                day=day, social=social, messaging=messaging, phone=format_duration(on_phone)
            )
        else:
            text = _("{day}: social {social}, messaging {messaging}").format(
                day=day, social=social, messaging=messaging
            )
        parts.append(text)
    summary = _("Social and messaging time per day in week {week}: {days}.").format(
        week=report.week, days="; ".join(parts)
    )
    if phone is None:
        return summary
    on_phone = sum(sum(day.values()) for day in phone)
    total = report.totals.online
    # TRANSLATORS: after the week chart's spoken summary, e.g. "2 h 10 min of the 9 h was on your phone (24 %)."
    share = _("{phone} of the {total} was on your phone ({percent} %).").format(
        phone=format_duration(on_phone), total=format_duration(total), percent=_percent(on_phone, total)
    )
    return f"{summary} {share}"


def reference_summary(report: WeeklyReport) -> str:
    """What the reference chart shows, as text for a screen reader."""
    comparison = report.reference
    parts = [
        _("This week: {measured} in social and messaging apps.").format(measured=format_duration(report.totals.online))
    ]
    primary = comparison.primary
    if primary is None:
        parts.append(_("No age group set, so there is no figure for your age group."))
    else:
        parts.append(_band_figuresentence(primary))
    parts.extend(_band_figuresentence(figure) for figure in comparison.secondary)
    return " ".join(parts)


def trend_summary(weeks: Sequence[tuple[IsoWeek, Mapping[str, int]]]) -> str:
    """What the trend chart shows, as text for a screen reader."""
    ordered = sorted(weeks, key=lambda item: item[0])
    if not ordered:
        return _("No weeks to show yet.")
    listed = "; ".join(
        _("week {week}: social {social}, messaging {messaging}").format(
            week=week.week,
            social=format_duration(totals.get(Category.SOCIAL.value, 0)),
            messaging=format_duration(totals.get(Category.MESSAGING.value, 0)),
        )
        for week, totals in ordered
    )
    return _("Social and messaging time per week, oldest first: {weeks}.").format(weeks=listed)


def save_figure(figure: Figure, path: Path) -> None:
    """Write ``figure`` to ``path`` as PNG or SVG, chosen by the suffix, cropped to what is drawn.

    Raises Error for any other suffix; an unwritable path raises the OSError as is, for the caller to show.
    """
    fmt = _SAVE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise Error(
            _("Cannot save a chart as “{name}”: choose a file name ending in .png or .svg.").format(name=path.name)
        )
    figure.savefig(path, format=fmt, bbox_inches="tight", facecolor=figure.get_facecolor())


def _new_figure(palette: Palette, dpi: float, width: float, height: float) -> tuple[Figure, Axes]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # Constrained layout fits labels, legend and value texts inside the figure at any size the GUI gives it.
    figure = Figure(figsize=(width, height), dpi=dpi, layout="constrained", facecolor=palette.background)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    ax.set_facecolor(palette.background)
    return figure, ax


def _style_axes(ax: Axes, palette: Palette) -> None:
    ax.tick_params(colors=palette.text, labelsize=_FONT, which="both")
    ax.tick_params(axis="both", color=palette.grid)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(palette.grid)
    ax.set_axisbelow(True)


def _legend(ax: Axes, palette: Palette, extra: Sequence[Artist] = ()) -> None:
    # Above the plot, outside it, so it never hides a bar; constrained layout makes room for it.
    handles, labels = ax.get_legend_handles_labels()
    handles += list(extra)
    labels += [str(handle.get_label()) for handle in extra]
    legend = ax.legend(
        handles,
        labels,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=len(handles),
        frameon=False,
        fontsize=_FONT,
        handlelength=1.0,
        borderaxespad=0.2,
    )
    for text in legend.get_texts():
        text.set_color(palette.text)


def _hours_axis(axis: Axis) -> None:
    from matplotlib.ticker import FuncFormatter

    # A formatter of our own, for the decimal comma in Dutch.
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: _hours_text(value)))


def _hours_text(hours: float) -> str:
    rounded = round(hours, 1)
    return str(int(rounded)) if float(rounded).is_integer() else decimal(rounded, 1)


def _colour(palette: Palette, category: Category) -> str:
    return palette.social if category is Category.SOCIAL else palette.messaging


def _tint(colour: str, background: str) -> tuple[float, float, float]:
    """``colour`` moved ``_PHONE_TINT`` of the way toward ``background``: lighter on light themes, darker on dark."""
    from matplotlib.colors import to_rgb

    (red, green, blue), (to_red, to_green, to_blue) = to_rgb(colour), to_rgb(background)
    return (
        red + (to_red - red) * _PHONE_TINT,
        green + (to_green - green) * _PHONE_TINT,
        blue + (to_blue - blue) * _PHONE_TINT,
    )


def _percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` in whole percent; a small part is "<1", not 0, and a part short of the whole is never
    rounded up to 100."""
    share = part * 100 / whole if whole else 0.0
    if 0 < share < 1:
        return "<1"
    if 99 < share < 100:
        return ">99"
    return str(round(share))


def _value_label(ax: Axes, row: int, text: str, colour: str, gid: str) -> None:
    # In a column just right of the plot, not at the bar's end: a text placed in data coordinates moves whenever
    # the layout shrinks the plot to make room for it, and at narrow widths it ends up cut off.
    ax.annotate(
        text,
        (1.0, row),
        xycoords=("axes fraction", "data"),
        xytext=(6, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=_SMALL,
        color=colour,
        gid=gid,
    )


def _note(ax: Axes, row: int, text: str, palette: Palette) -> None:
    ax.annotate(
        text,
        (0, row),
        xytext=(4, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=_SMALL,
        fontstyle="italic",
        color=palette.muted,
        gid="reference-note",
    )


def _open_bar(ax: Axes, row: int, bound: float, tail: float, palette: Palette) -> float:
    """A solid bar up to ``bound``, then a hatched tail ``tail`` long that fades out: "more than", never a total."""
    ax.barh(row, bound, height=0.6, color=palette.reference, zorder=2).patches[0].set_gid("reference-open")
    alphas = (0.55, 0.35, 0.2, 0.08)
    step = tail / len(alphas)
    for index, alpha in enumerate(alphas):
        segment = ax.barh(
            row,
            step,
            left=bound + index * step,
            height=0.6,
            facecolor=palette.reference,
            alpha=alpha,
            hatch="////",
            hatchcolor=palette.reference_open,
            linewidth=0,
            zorder=2,
        )
        segment.patches[0].set_gid(f"reference-open-tail-{index}")
    end = bound + tail
    _value_label(
        ax,
        row,
        # TRANSLATORS: beside an open-ended bar: the source only says "more than" this many hours a week.
        _("more than {hours} h").format(hours=_hours_text(bound)),
        palette.text,
        gid="reference-open-text",
    )
    return end


def _short_source(figure: ReferenceFigure) -> str:
    # The row label has room for a short name only ("SCP 2018, 35-49"); the full name, metric and provenance are
    # shown beside the chart by the dashboard. The first word is the short name both sources go by.
    # TRANSLATORS: a chart row label, e.g. "SCP 2018, 35-49": a source's short name, year and own age band.
    return _("{source} {year}, {band}").format(
        source=_short_name(figure.source), year=figure.year, band=figure.age_band
    )


def _short_name(source: str) -> str:
    return source.split(" ")[0]


def _band_figuresentence(figure: ReferenceFigure) -> str:
    group = _("{source} ({year}), ages {band}").format(source=figure.source, year=figure.year, band=figure.age_band)
    if figure.bound is Bound.NONE or figure.hours_per_week is None:
        return _("{group}: the source gives no figure for this age group.").format(group=group)
    hours = _hours_text(figure.hours_per_week)
    if figure.bound is Bound.MORE_THAN:
        return _("{group}: more than {hours} hours a week; the source gives no exact number.").format(
            group=group, hours=hours
        )
    return _("{group}: {hours} hours a week on average.").format(group=group, hours=hours)
