"""The dashboard charts, checked through the Figure's artists: bar sizes, labels, notes, colours, saving, layout."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

import middenweg
from middenweg import i18n
from middenweg.domain.age import AgeGroup
from middenweg.domain.categories import Category
from middenweg.domain.weeks import IsoWeek
from middenweg.reference.compare import compare
from middenweg.reports.charts import (
    DARK,
    LIGHT,
    Error,
    Palette,
    reference_chart,
    reference_summary,
    save_figure,
    trend_chart,
    trend_summary,
    week_chart,
    week_summary,
)
from middenweg.reports.weekly import WeeklyReport, build_weekly_report
from middenweg.storage.records import DayUsage as Row

WEEK = IsoWeek(2026, 44)  # Monday 26 October to Sunday 1 November


ROWS = [
    Row(0, Category.SOCIAL, "YouTube", 3900),
    Row(0, Category.MESSAGING, "WhatsApp", 1200),
    Row(1, Category.SOCIAL, "Reddit", 1800),
    Row(2, Category.MESSAGING, "Signal", 2700),  # messaging only: its bar starts at 0
    Row(3, Category.SOCIAL, "YouTube", 7400),
    Row(3, Category.SOCIAL, "Facebook", 500),
    Row(3, Category.MESSAGING, "WhatsApp", 600),
    Row(5, Category.SOCIAL, "YouTube", 10800),
    Row(5, Category.MESSAGING, "Telegram", 3600),
    Row(6, Category.OTHER, "Code", 7200),  # other time is not in the charts
]


def make_report(age_group: AgeGroup | None = AgeGroup.AGE_25_34, rows: list[Row] = ROWS) -> WeeklyReport:
    return build_weekly_report(WEEK, "Europe/Amsterdam", rows, {}, compare(age_group))


def trend_weeks(count: int = 12, last: IsoWeek = WEEK) -> list[tuple[IsoWeek, dict[str, int]]]:
    return [
        (last.shifted(-i), {"social": 1000 * (i + 1) + 37, "messaging": 600 * (i % 4), "other": 5000})
        for i in range(count - 1, -1, -1)
    ]


def the_axes(figure: Figure) -> Axes:
    assert len(figure.axes) == 1
    return figure.axes[0]


def bars(figure: Figure) -> dict[str, Rectangle]:
    found = {p.get_gid(): p for p in the_axes(figure).patches if isinstance(p, Rectangle) and p.get_gid()}
    return {str(gid): patch for gid, patch in found.items()}


def texts(figure: Figure) -> dict[str, str]:
    """The figure's texts with a gid, by gid."""
    return {str(t.get_gid()): t.get_text() for t in the_axes(figure).texts if t.get_gid()}


def all_text(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text()]


def tick_texts(figure: Figure, axis: str) -> list[str]:
    figure.canvas.draw()
    labels = the_axes(figure).get_xticklabels() if axis == "x" else the_axes(figure).get_yticklabels()
    return [t.get_text() for t in labels]


# --- week chart ---------------------------------------------------------------------------------------------------


def test_week_chart_stacks_messaging_on_social_in_hours_per_day() -> None:
    report = make_report()
    figure = week_chart(report, LIGHT)
    found = bars(figure)
    for index, day in enumerate(report.days):
        social, messaging = found[f"social-{index}"], found[f"messaging-{index}"]
        assert social.get_y() == 0
        assert social.get_height() == pytest.approx(day.seconds.social / 3600)
        assert messaging.get_y() == pytest.approx(social.get_height())
        assert messaging.get_height() == pytest.approx(day.seconds.messaging / 3600)
        assert social.get_x() == pytest.approx(messaging.get_x())
    # Thursday: 7400 + 500 social seconds, 600 messaging on top.
    assert found["social-3"].get_height() == pytest.approx(7900 / 3600)
    assert found["messaging-3"].get_y() + found["messaging-3"].get_height() == pytest.approx(8500 / 3600)
    assert found["messaging-2"].get_y() == 0 and found["messaging-2"].get_height() == pytest.approx(0.75)
    assert set(found) == {f"{c}-{i}" for c in ("social", "messaging") for i in range(7)}


def test_week_chart_labels_days_categories_and_totals() -> None:
    figure = week_chart(make_report(), LIGHT)
    ax = the_axes(figure)
    assert tick_texts(figure, "x") == ["Mon 26", "Tue 27", "Wed 28", "Thu 29", "Fri 30", "Sat 31", "Sun 1"]
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["Social", "Messaging"]
    assert [c.get_label() for c in ax.containers] == ["Social", "Messaging"]
    assert ax.get_ylabel() == "hours"
    shown = texts(figure)
    assert shown["total-0"] == "1 h 25 min"
    assert shown["total-5"] == "4 h"
    assert "total-4" not in shown and "total-6" not in shown  # nothing social or messaging those days
    assert ax.get_ylim()[0] == 0


def test_week_chart_in_dutch_uses_dutch_days_names_and_decimal_comma() -> None:
    i18n.activate("nl")
    # Half an hour at most: the axis stays one hour tall, so its ticks are fractions of an hour.
    figure = week_chart(make_report(rows=[Row(1, Category.SOCIAL, "Reddit", 1800)]), LIGHT)
    assert tick_texts(figure, "x") == ["ma 26", "di 27", "wo 28", "do 29", "vr 30", "za 31", "zo 1"]
    legend = the_axes(figure).get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["Sociaal", "Berichten"]
    y_ticks = tick_texts(figure, "y")
    assert "0,2" in y_ticks and not any("." in tick for tick in y_ticks)
    assert texts(figure)["total-1"] == "30 min"


def test_empty_week_says_so_and_has_flat_bars() -> None:
    figure = week_chart(make_report(rows=[]), LIGHT)
    assert all(bar.get_height() == 0 for bar in bars(figure).values())
    assert texts(figure)["empty-note"] == "Nothing recorded this week yet."
    assert the_axes(figure).get_ylim() == (0, 1)


# --- reference chart ----------------------------------------------------------------------------------------------


def assert_measured_bar(figure: Figure, report: WeeklyReport) -> None:
    found = bars(figure)
    social, messaging = found["measured-social"], found["measured-messaging"]
    assert social.get_x() == 0
    assert social.get_width() == pytest.approx(report.totals.social / 3600)
    assert messaging.get_x() == pytest.approx(social.get_width())
    assert messaging.get_x() + messaging.get_width() == pytest.approx(report.totals.online / 3600)


def test_reference_exact_figure_is_a_solid_bar_of_its_hours() -> None:
    report = make_report(AgeGroup.AGE_16_24)
    figure = reference_chart(report, LIGHT)
    found = bars(figure)
    assert_measured_bar(figure, report)
    exact = found["reference-exact"]
    assert (exact.get_x(), exact.get_width()) == (0, 18)
    assert not any(gid.startswith("reference-open") for gid in found)
    assert texts(figure)["reference-exact-text"] == "18 h"
    assert texts(figure)["measured-text"] == "9 h 1 min"
    assert tick_texts(figure, "y")[:2] == ["Week 44\n(social + messaging)", "Forrester 2010, 16-24"]


def test_reference_more_than_figure_is_open_ended_never_a_total() -> None:
    figure = reference_chart(make_report(AgeGroup.AGE_25_34), LIGHT)
    found = bars(figure)
    bar = found["reference-open"]
    assert (bar.get_x(), bar.get_width()) == (0, 18)
    assert "reference-exact" not in found
    # The tail starts at the bound and fades out.
    tail = [found[f"reference-open-tail-{i}"] for i in range(4)]
    assert tail[0].get_x() == pytest.approx(18)
    assert all(a.get_x() < b.get_x() for a, b in pairwise(tail))
    alphas = [segment.get_alpha() or 1.0 for segment in tail]
    assert alphas == sorted(alphas, reverse=True) and alphas[-1] < 0.2
    assert all(segment.get_hatch() for segment in tail)
    shown = texts(figure)
    assert shown["reference-open-text"] == "more than 18 h"
    # The only number written for the source is the bound it gave.
    assert [text for gid, text in shown.items() if gid.startswith("reference")] == ["more than 18 h"]


def test_reference_without_a_figure_draws_no_bar_and_says_why() -> None:
    figure = reference_chart(make_report(AgeGroup.AGE_35_44), LIGHT)
    found = bars(figure)
    assert not any(gid.startswith("reference") for gid in found)
    assert texts(figure)["reference-note"] == "The source gives no figure for this age group."
    assert "Forrester 2010, 35-44" in tick_texts(figure, "y")


def test_reference_without_an_age_group_says_so_and_shows_everyone() -> None:
    report = make_report(None)
    figure = reference_chart(report, LIGHT)
    found = bars(figure)
    assert not any(gid.startswith("reference") for gid in found)
    assert texts(figure)["reference-note"] == "No age group set"
    everyone = found["secondary-13+"]
    assert everyone.get_width() == pytest.approx(report.reference.secondary[0].hours_per_week or -1)
    assert tick_texts(figure, "y") == ["Week 44\n(social + messaging)", "Forrester 2010", "SCP 2018, 13+"]


def test_scp_bands_are_thinner_exact_bars_with_their_own_labels() -> None:
    report = make_report(AgeGroup.AGE_45_54)
    figure = reference_chart(report, LIGHT)
    found = bars(figure)
    hours = {f.age_band: f.hours_per_week for f in report.reference.secondary}
    assert hours == {"35-49": 7.0, "50-64": 6.7}
    for band, value in hours.items():
        assert found[f"secondary-{band}"].get_width() == pytest.approx(value)
        assert found[f"secondary-{band}"].get_height() < found["reference-open"].get_height()
    assert found["reference-open"].get_width() == 10
    assert tick_texts(figure, "y")[1:] == ["Forrester 2010, 45-54", "SCP 2018, 35-49", "SCP 2018, 50-64"]
    shown = texts(figure)
    assert (shown["secondary-35-49-text"], shown["secondary-50-64-text"]) == ("7 h", "6.7 h")


@pytest.mark.parametrize("age_group", [*AgeGroup, None])
def test_reference_axis_starts_at_zero_and_holds_every_bar(age_group: AgeGroup | None) -> None:
    figure = reference_chart(make_report(age_group, rows=[Row(0, Category.SOCIAL, "YouTube", 40 * 3600)]), LIGHT)
    left, right = the_axes(figure).get_xlim()
    assert left == 0
    assert all(bar.get_x() + bar.get_width() <= right for bar in bars(figure).values())


def test_reference_chart_in_dutch_writes_decimal_commas() -> None:
    i18n.activate("nl")
    figure = reference_chart(make_report(AgeGroup.AGE_25_34), LIGHT)
    assert texts(figure)["secondary-13-34-text"] == "10,7 u"
    assert texts(figure)["measured-text"] == "9 u 1 min"


# --- trend chart --------------------------------------------------------------------------------------------------


def test_trend_has_a_stacked_column_per_week_in_hours() -> None:
    weeks = trend_weeks()
    figure = trend_chart(weeks, LIGHT)
    found = bars(figure)
    assert len(found) == 24
    for index, (_week, totals) in enumerate(weeks):
        social, messaging = found[f"social-{index}"], found[f"messaging-{index}"]
        assert social.get_height() == pytest.approx(totals["social"] / 3600)
        assert messaging.get_y() == pytest.approx(social.get_height())
        assert messaging.get_height() == pytest.approx(totals["messaging"] / 3600)
    assert tick_texts(figure, "x") == [f"W{w}" for w in range(33, 45)]
    legend = the_axes(figure).get_legend()
    assert legend is not None and [t.get_text() for t in legend.get_texts()] == ["Social", "Messaging"]


def test_trend_puts_the_current_week_last_and_bold_across_new_year() -> None:
    weeks = trend_weeks(count=5, last=IsoWeek(2027, 2))
    figure = trend_chart(list(reversed(weeks)), LIGHT)
    assert tick_texts(figure, "x") == ["W51", "W52", "W53", "W1", "W2"]
    labels = the_axes(figure).get_xticklabels()
    assert labels[-1].get_fontweight() == "bold" and labels[0].get_fontweight() != "bold"
    assert bars(figure)["social-4"].get_height() == pytest.approx(weeks[-1][1]["social"] / 3600)


def test_trend_without_weeks_is_an_empty_chart() -> None:
    figure = trend_chart([], LIGHT)
    assert bars(figure) == {}
    assert trend_summary([]) == "No weeks to show yet."


# --- palette, layout, saving --------------------------------------------------------------------------------------


def all_charts(palette: Palette, **size: float) -> Iterator[Figure]:
    report = make_report(AgeGroup.AGE_45_54)
    yield week_chart(report, palette, **size)
    yield reference_chart(report, palette, **size)
    yield trend_chart(trend_weeks(), palette, **size)


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
def test_charts_take_their_colours_from_the_palette(palette: Palette) -> None:
    for figure in all_charts(palette):
        ax = the_axes(figure)
        assert figure.get_facecolor() == to_rgba(palette.background)
        assert ax.get_facecolor() == to_rgba(palette.background)
        figure.canvas.draw()
        assert {to_rgba(t.get_color()) for t in ax.get_xticklabels() + ax.get_yticklabels()} == {to_rgba(palette.text)}
    week = bars(week_chart(make_report(), palette))
    assert week["social-0"].get_facecolor() == to_rgba(palette.social)
    assert week["messaging-0"].get_facecolor() == to_rgba(palette.messaging)


def test_light_and_dark_differ_and_keep_social_and_messaging_apart() -> None:
    assert LIGHT.background != DARK.background and LIGHT.text != DARK.text
    for palette in (LIGHT, DARK):
        assert len({palette.social, palette.messaging, palette.reference, palette.secondary}) == 4


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize(("dpi", "width"), [(100, 6.4), (200, 6.4), (100, 4.2)])
def test_nothing_is_cut_off(language: str, dpi: float, width: float) -> None:
    i18n.activate(language)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "constrained layout not applied": the layout gave up
        for figure in all_charts(DARK, dpi=dpi, width=width):
            figure.canvas.draw()
            drawn = figure.get_tightbbox()
            assert drawn is not None
            # In inches; a hair of tolerance for anti-aliasing.
            assert drawn.x0 >= -0.01 and drawn.y0 >= -0.01
            assert drawn.x1 <= figure.get_figwidth() + 0.01 and drawn.y1 <= figure.get_figheight() + 0.01


def test_save_figure_writes_png_and_svg(tmp_path: Path) -> None:
    figure = week_chart(make_report(), LIGHT)
    save_figure(figure, tmp_path / "week.png")
    assert (tmp_path / "week.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    save_figure(figure, tmp_path / "week.SVG")
    svg = (tmp_path / "week.SVG").read_text(encoding="utf-8")
    assert "<svg" in svg and "Messaging" in svg


def test_save_figure_follows_dpi(tmp_path: Path) -> None:
    def png_width(path: Path) -> int:
        return int.from_bytes(path.read_bytes()[16:20], "big")

    save_figure(trend_chart(trend_weeks(), LIGHT, dpi=100), tmp_path / "low.png")
    save_figure(trend_chart(trend_weeks(), LIGHT, dpi=200), tmp_path / "high.png")
    assert png_width(tmp_path / "high.png") == pytest.approx(2 * png_width(tmp_path / "low.png"), abs=4)


def test_save_figure_refuses_other_formats(tmp_path: Path) -> None:
    with pytest.raises(Error, match=r"\.png or \.svg") as caught:
        save_figure(week_chart(make_report(), LIGHT), tmp_path / "week.jpg")
    assert isinstance(caught.value, ValueError)
    assert not (tmp_path / "week.jpg").exists()


# --- summaries ----------------------------------------------------------------------------------------------------


def test_week_summary_reads_every_day() -> None:
    summary = week_summary(make_report())
    assert summary.startswith("Social and messaging time per day in week 2026-W44: ")
    assert "Monday 26: social 1 h 5 min, messaging 20 min" in summary
    assert "Wednesday 28: social 0 min, messaging 45 min" in summary
    assert "Thursday 29: social 2 h 11 min, messaging 10 min" in summary
    assert "Sunday 1: social 0 min, messaging 0 min" in summary


def test_reference_summary_says_what_each_source_gives() -> None:
    more = reference_summary(make_report(AgeGroup.AGE_25_34))
    assert "This week: 9 h 1 min in social and messaging apps." in more
    assert "Forrester Research (2010), ages 25-34: more than 18 hours a week" in more
    assert "SCP Media:Tijd (2018), ages 13-34: 10.7 hours a week" in more
    assert "no figure" in reference_summary(make_report(AgeGroup.AGE_35_44))
    assert "No age group set" in reference_summary(make_report(None))
    assert "18 hours a week on average" in reference_summary(make_report(AgeGroup.AGE_16_24))


def test_trend_summary_lists_weeks_oldest_first() -> None:
    summary = trend_summary(trend_weeks())
    assert summary.index("week 33:") < summary.index("week 44:")
    # Week 44 is i = 0: 1037 s social, 0 messaging.
    assert "week 44: social 17 min, messaging 0 min" in summary


def test_summaries_follow_the_language() -> None:
    i18n.activate("nl")
    assert "1 u 5 min" in week_summary(make_report())
    assert "10,7" in reference_summary(make_report(AgeGroup.AGE_25_34))


# --- start-up weight ----------------------------------------------------------------------------------------------


def test_importing_the_charts_module_does_not_import_matplotlib() -> None:
    app = Path(middenweg.__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(app)}
    result = subprocess.run(
        [sys.executable, "-c", "import middenweg.reports.charts, sys; print('matplotlib' in sys.modules)"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    assert result.stdout.strip() == "False"
