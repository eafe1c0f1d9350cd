"""Phone time in the week chart, and the dashboard's device filter, over a real SQLite file (offscreen Qt).

A laptop and a phone (pixel_7a) have time in week 47 of 2026 (Monday 16 to Sunday 22 November) and the week before;
the dashboard is wired the way the application wires it: one device's week through ``history`` with its device id.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from middenweg.domain.age import AgeGroup
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.domain.weeks import IsoWeek
from middenweg.gui.dashboard import Dashboard, DeviceChoice, Planner, Section, WeekData
from middenweg.history import weekly_report, weekly_totals
from middenweg.reports import charts
from middenweg.storage.evening_store import EveningStore
from middenweg.storage.goal_store import GoalStore
from middenweg.storage.records import DeviceRecord, DeviceSpec
from middenweg.storage.store import Store

pytestmark = pytest.mark.gui
AMS = ZoneInfo("Europe/Amsterdam")
WEEK = IsoWeek(2026, 47)


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=AMS).timestamp())


def event(start: str, seconds: int, category: Category, label: str) -> UsageEvent:
    return UsageEvent(at(start), seconds, label, None, category, label)


@pytest.fixture
def laptop(store: Store) -> DeviceRecord:
    device = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    store.add_events(
        device,
        [
            event("2026-11-16T20:00:00", 5400, Category.SOCIAL, "YouTube"),
            event("2026-11-18T21:00:00", 1800, Category.MESSAGING, "WhatsApp"),
            event("2026-11-12T20:00:00", 3600, Category.SOCIAL, "Facebook"),
        ],
    )
    return device


@pytest.fixture
def phone(store: Store, laptop: DeviceRecord) -> DeviceRecord:
    device = store.ensure_device(DeviceSpec("android:pixel_7a", "pixel_7a", DeviceKind.PHONE))
    store.add_events(
        device,
        [
            event("2026-11-16T08:00:00", 1200, Category.SOCIAL, "Instagram"),
            event("2026-11-18T08:00:00", 2400, Category.MESSAGING, "Signal"),
        ],
    )
    return device


def device_choices(store: Store) -> Callable[[], list[DeviceChoice]]:
    """Devices that have history, as the application lists them."""

    def listed() -> list[DeviceChoice]:
        return [DeviceChoice(d.uid, d.name, d.kind) for d in store.devices_with_history()]

    return listed


def make_dashboard(
    qtbot: Any, store: Store, *, planner: Planner | None = None, add_phone: Callable[[], None] | None = None
) -> Dashboard:
    def load(week: IsoWeek) -> WeekData:
        return WeekData(weekly_report(store, week, AMS, AgeGroup.AGE_25_34), weekly_totals(store, week, 12, AMS))

    def load_device(week: IsoWeek, uid: str) -> WeekData:
        ids = [d.id for d in store.devices() if d.uid == uid]
        return WeekData(
            weekly_report(store, week, AMS, AgeGroup.AGE_25_34, device_ids=ids),
            weekly_totals(store, week, 12, AMS, device_ids=ids),
        )

    board = Dashboard(
        load,
        lambda: WEEK,
        lambda week, path: 0,
        planner=planner,
        devices=device_choices(store),
        load_device_week=load_device,
        add_phone=add_phone,
    )
    qtbot.addWidget(board)
    board.show_week(WEEK)
    return board


@pytest.fixture
def dashboard(qtbot, store: Store, phone: DeviceRecord) -> Iterator[Dashboard]:  # type: ignore[no-untyped-def]
    board = make_dashboard(qtbot, store)
    board.show()
    yield board


def bars(figure: Figure) -> dict[str, Rectangle]:
    return {str(p.get_gid()): p for p in figure.axes[0].patches if isinstance(p, Rectangle) and p.get_gid()}


def legend_texts(figure: Figure) -> list[str]:
    legend = figure.axes[0].get_legend()
    assert legend is not None
    return [t.get_text() for t in legend.get_texts()]


def drawn(figure: Figure) -> list[tuple[object, ...]]:
    """What a figure draws, artist by artist: every bar's place, size, colour and hatch, and every text."""
    figure.canvas.draw()
    shapes = [
        (p.get_gid(), p.get_x(), p.get_y(), p.get_width(), p.get_height(), p.get_facecolor(), p.get_hatch())
        for p in figure.findobj(Rectangle)
    ]
    words = [(t.get_text(), t.get_color()) for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
    return shapes + words


def rows(board: Dashboard) -> list[list[str]]:
    tree = board.top_apps
    return [[tree.topLevelItem(i).text(c) for c in range(3)] for i in range(tree.topLevelItemCount())]


def entries(board: Dashboard) -> list[str]:
    return [board.device_box.itemText(i) for i in range(board.device_box.count())]


def choose(board: Dashboard, text: str) -> None:
    index = board.device_box.findText(text)
    assert index >= 0, entries(board)
    board.device_box.setCurrentIndex(index)


# --- the week chart -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("palette", [charts.LIGHT, charts.DARK], ids=["light", "dark"])
def test_the_phones_part_of_each_bar_is_its_own_hatched_segment(
    store: Store, phone: DeviceRecord, palette: charts.Palette
) -> None:
    report = weekly_report(store, WEEK, AMS, AgeGroup.AGE_25_34)
    figure = charts.week_chart(report, palette)
    found = bars(figure)
    assert legend_texts(figure) == ["Social", "Messaging", "Phone"]
    # Monday: 1 h 30 min social on the laptop, 20 min on the phone stacked right on it, no messaging.
    assert found["social-0"].get_y() == 0 and found["social-0"].get_height() == pytest.approx(1.5)
    assert found["social-phone-0"].get_y() == pytest.approx(1.5)
    assert found["social-phone-0"].get_height() == pytest.approx(1200 / 3600)
    assert found["messaging-0"].get_height() == 0 and found["messaging-phone-0"].get_height() == 0
    # Wednesday: 30 min messaging on the laptop, then 40 min on the phone.
    assert found["messaging-2"].get_height() == pytest.approx(0.5)
    assert found["messaging-phone-2"].get_y() == pytest.approx(0.5)
    assert found["messaging-phone-2"].get_height() == pytest.approx(2400 / 3600)
    for category in ("social", "messaging"):
        solid, on_phone = found[f"{category}-0"], found[f"{category}-phone-0"]
        assert not solid.get_hatch() and on_phone.get_hatch()  # a pattern, not only a shade, sets it apart
        assert on_phone.get_facecolor() != solid.get_facecolor()
    texts = {str(t.get_gid()): t.get_text() for t in figure.axes[0].texts if t.get_gid()}
    assert texts["total-0"] == "1 h 50 min" and texts["total-2"] == "1 h 10 min"  # the whole day, phone included


@pytest.mark.parametrize("palette", [charts.LIGHT, charts.DARK], ids=["light", "dark"])
def test_without_phone_time_the_chart_is_the_plain_one(
    store: Store, laptop: DeviceRecord, palette: charts.Palette
) -> None:
    report = weekly_report(store, WEEK, AMS, AgeGroup.AGE_25_34)
    assert [d.kind for d in report.devices] == [DeviceKind.COMPUTER]
    figure = charts.week_chart(report, palette)
    assert legend_texts(figure) == ["Social", "Messaging"]
    assert not any("phone" in gid for gid in bars(figure))
    plain = charts.week_chart(replace(report, devices=()), palette)  # as drawn before devices were known
    assert drawn(figure) == drawn(plain)
    assert "phone" not in charts.week_summary(report)


def test_a_phone_with_only_other_time_leaves_the_chart_plain(store: Store, laptop: DeviceRecord) -> None:
    device = store.ensure_device(DeviceSpec("android:old", "old phone", DeviceKind.PHONE))
    store.add_events(device, [event("2026-11-17T08:00:00", 900, Category.OTHER, "Camera")])
    report = weekly_report(store, WEEK, AMS, None)
    assert DeviceKind.PHONE in [d.kind for d in report.devices]
    assert drawn(charts.week_chart(report, charts.LIGHT)) == drawn(
        charts.week_chart(replace(report, devices=()), charts.LIGHT)
    )


def test_the_spoken_summary_gives_the_phones_share(store: Store, phone: DeviceRecord) -> None:
    summary = charts.week_summary(weekly_report(store, WEEK, AMS, AgeGroup.AGE_25_34))
    assert "Monday 16: social 1 h 50 min, messaging 0 min, 20 min of it on your phone" in summary
    assert "Tuesday 17: social 0 min, messaging 0 min;" in summary
    assert "Wednesday 18: social 0 min, messaging 1 h 10 min, 40 min of it on your phone" in summary
    # 1 h of 3 h of social and messaging time.
    assert summary.endswith(". 1 h of the 3 h was on your phone (33 %).")


def test_the_dashboards_week_chart_shows_the_phone(dashboard: Dashboard) -> None:
    assert dashboard.week_chart.figure is not None
    assert legend_texts(dashboard.week_chart.figure) == ["Social", "Messaging", "Phone"]
    assert "was on your phone (33 %)" in dashboard.week_chart.accessibleDescription()


# --- the device filter ----------------------------------------------------------------------------------------------


def test_the_filter_lists_every_device_with_history(qtbot, store: Store, dashboard: Dashboard) -> None:  # type: ignore[no-untyped-def]
    store.ensure_device(DeviceSpec("tablet", "Tablet", DeviceKind.COMPUTER))  # no history: not listed
    dashboard.refresh()
    assert dashboard.device_box.isVisible() and dashboard.device_label.isVisible()
    assert entries(dashboard) == ["All devices", "Laptop (computer)", "pixel_7a (phone)"]
    assert dashboard.device is None
    assert dashboard.device_label.text() == "&Device:" and dashboard.device_label.buddy() is dashboard.device_box
    assert dashboard.device_box.accessibleName() == "Device"


def test_choosing_a_device_shows_that_devices_week(dashboard: Dashboard, phone: DeviceRecord) -> None:
    choose(dashboard, "pixel_7a (phone)")
    assert dashboard.device == phone.uid
    summary = dashboard.summary.text()
    assert "Social: 20 min" in summary and "Messaging: 40 min" in summary
    assert "against the week before" not in summary  # the phone had no time the week before
    assert rows(dashboard) == [["Instagram", "Social", "20 min"], ["Signal", "Messaging", "40 min"]]
    assert "1 h in social and messaging apps on your phone" in dashboard.reference_text.text()
    chart = dashboard.week_chart.figure
    assert chart is not None
    found = bars(chart)
    assert found["social-0"].get_height() == 0  # all of the phone's time is phone time
    assert found["social-phone-0"].get_height() == pytest.approx(1200 / 3600)
    trend = dashboard.trend_chart.figure
    assert trend is not None
    trend_bars = bars(trend)
    assert trend_bars["social-11"].get_height() == pytest.approx(1200 / 3600)
    assert trend_bars["social-10"].get_height() == 0  # the laptop's Facebook of week 46 is not the phone's
    assert "week 46: social 0 min, messaging 0 min" in dashboard.trend_chart.accessibleDescription()

    choose(dashboard, "Laptop (computer)")
    assert "Social: 1 h 30 min" in dashboard.summary.text() and "Messaging: 30 min" in dashboard.summary.text()
    assert rows(dashboard) == [["YouTube", "Social", "1 h 30 min"], ["WhatsApp", "Messaging", "30 min"]]
    assert legend_texts(dashboard.week_chart.figure) == ["Social", "Messaging"]


def test_all_devices_shows_the_sum(dashboard: Dashboard) -> None:
    choose(dashboard, "pixel_7a (phone)")
    choose(dashboard, "All devices")
    assert dashboard.device is None
    summary = dashboard.summary.text()
    assert "Social: 1 h 50 min" in summary and "Messaging: 1 h 10 min" in summary
    assert "on your computer and phone together" in dashboard.reference_text.text()
    assert [r[0] for r in rows(dashboard)] == ["YouTube", "Instagram", "Signal", "WhatsApp"]
    trend = dashboard.trend_chart.figure
    assert trend is not None
    assert bars(trend)["social-10"].get_height() == pytest.approx(1.0)  # the laptop's week 46


def test_the_choice_stays_across_weeks_and_refreshes(dashboard: Dashboard, phone: DeviceRecord) -> None:
    choose(dashboard, "pixel_7a (phone)")
    dashboard.previous_button.click()
    assert dashboard.week == WEEK.previous() and dashboard.device == phone.uid
    assert rows(dashboard) == [["No social or messaging time this week.", "", ""]]
    dashboard.this_week_button.click()
    dashboard.refresh()
    assert dashboard.device == phone.uid and "Social: 20 min" in dashboard.summary.text()


def test_a_device_that_is_gone_falls_back_to_all_devices(qtbot, store: Store, phone: DeviceRecord) -> None:  # type: ignore[no-untyped-def]
    third = store.ensure_device(DeviceSpec("desktop", "Desktop", DeviceKind.COMPUTER))
    store.add_events(third, [event("2026-11-20T12:00:00", 600, Category.SOCIAL, "Reddit")])
    board = make_dashboard(qtbot, store)
    board.show()
    choose(board, "Desktop (computer)")
    assert "Social: 10 min" in board.summary.text()
    store.forget(at("2026-11-20T00:00:00"), at("2026-11-21T00:00:00"))
    board.refresh()
    assert board.device is None and "Desktop (computer)" not in entries(board)
    assert "Social: 1 h 50 min" in board.summary.text()


def test_with_one_device_there_is_nothing_to_choose(qtbot, store: Store, laptop: DeviceRecord) -> None:  # type: ignore[no-untyped-def]
    board = make_dashboard(qtbot, store)
    board.show()
    assert not board.device_box.isVisible() and not board.device_label.isVisible()
    assert board.device is None and "Social: 1 h 30 min" in board.summary.text()


def test_the_dashboard_without_the_new_arguments_has_no_filter(qtbot, store: Store, phone: DeviceRecord) -> None:  # type: ignore[no-untyped-def]
    def load(week: IsoWeek) -> WeekData:
        return WeekData(weekly_report(store, week, AMS, None), weekly_totals(store, week, 12, AMS))

    board = Dashboard(load, lambda: WEEK, lambda week, path: 0)
    qtbot.addWidget(board)
    board.show()
    board.show_week(WEEK)
    assert not board.device_box.isVisible() and board.device is None
    assert "Social: 1 h 50 min" in board.summary.text()


def test_the_filter_is_reached_by_keyboard_after_the_week_buttons(qtbot, dashboard: Dashboard) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    dashboard.previous_button.click()  # the next-week button is enabled only for past weeks
    qtbot.waitExposed(dashboard)
    seen: list[QWidget] = []
    widget: QWidget = dashboard.previous_button
    for _ in range(200):
        if widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            if widget in seen:
                break
            seen.append(widget)
        widget = widget.nextInFocusChain()
    expected = [dashboard.previous_button, dashboard.this_week_button, dashboard.next_button, dashboard.device_box,
                dashboard.week_chart]  # fmt: skip
    assert [w for w in seen if w in expected] == expected


def mnemonics(page: Any) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QLabel

    found = []
    for widget in page.findChildren(QAbstractButton) + page.findChildren(QLabel):
        text = widget.text().replace("&&", "")
        if widget.isVisible() and "&" in text:
            found.append(text[text.index("&") + 1].lower())
    return found


def week_page_letters(board: Dashboard) -> list[str]:
    board.show_section(Section.WEEK)
    tabs = [board.sections.tabText(i) for i in range(board.sections.count())]
    return mnemonics(board.sections.currentWidget()) + [t[t.index("&") + 1].lower() for t in tabs]


@pytest.fixture
def planned(qtbot, store: Store, phone: DeviceRecord) -> Dashboard:  # type: ignore[no-untyped-def]
    planner = Planner(
        EveningStore(store), GoalStore(store), lambda: at("2026-11-20T12:00:00"), lambda: AMS,
        lambda: "Europe/Amsterdam", store.category_totals,
    )  # fmt: skip
    board = make_dashboard(qtbot, store, planner=planner, add_phone=lambda: None)
    board.show()
    return board


def test_the_filters_mnemonic_is_used_once_in_the_week_section(planned: Dashboard) -> None:
    assert planned.device_box.isVisible()
    letters = week_page_letters(planned)
    assert "d" in letters and len(letters) == len(set(letters)), letters


def test_the_filter_in_dutch(planned: Dashboard) -> None:
    """Needs the Dutch strings of the device filter in nl.po (merged by the lead)."""
    from middenweg import i18n

    i18n.activate("nl")
    planned.retranslate()
    assert planned.device_label.text() != "&Device:"  # translated
    assert entries(planned) == ["Alle apparaten", "Laptop (computer)", "pixel_7a (telefoon)"]
    letters = week_page_letters(planned)
    assert len(letters) == len(set(letters)), letters


def test_the_add_phone_time_button_opens_what_the_application_gives(qtbot, store: Store, phone: DeviceRecord) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []
    board = make_dashboard(qtbot, store, add_phone=lambda: asked.append("phone"))
    board.show()
    assert board.phone_button.isVisible() and board.phone_button.text() == "&Add phone time…"
    board.phone_button.click()
    assert asked == ["phone"]


def test_without_a_phone_dialog_there_is_no_button(qtbot, store: Store, phone: DeviceRecord) -> None:  # type: ignore[no-untyped-def]
    board = make_dashboard(qtbot, store)
    board.show()
    assert not board.phone_button.isVisible()


def test_a_device_with_only_unlocks_can_be_chosen_and_one_without_anything_cannot(
    store: Store, laptop: DeviceRecord
) -> None:
    from middenweg.storage.records import ImportBatch

    quiet = store.ensure_device(DeviceSpec("android:old", "old phone", DeviceKind.PHONE))
    assert [d.name for d in store.devices_with_history()] == ["Laptop"]
    unlocked = ImportBatch(DeviceSpec("android:unlocks", "pixel", DeviceKind.PHONE), [], (at("2026-11-17T07:00:00"),))
    store.import_batches([unlocked])
    assert [d.name for d in store.devices_with_history()] == ["Laptop", "pixel"]
    assert quiet.id not in [d.id for d in store.devices_with_history()]


def test_a_name_that_says_its_kind_is_listed_without_it_again() -> None:
    from middenweg import i18n
    from middenweg.gui.dashboard import device_entry

    assert device_entry("Phone (entered by hand)", DeviceKind.PHONE) == "Phone (entered by hand)"
    assert device_entry("pixel_7a", DeviceKind.PHONE) == "pixel_7a (phone)"
    assert device_entry("Phone-free laptop", DeviceKind.COMPUTER) == "Phone-free laptop (computer)"
    i18n.activate("nl")
    try:
        assert device_entry("Telefoon (met de hand ingevoerd)", DeviceKind.PHONE) == "Telefoon (met de hand ingevoerd)"
        assert device_entry("Phone (entered by hand)", DeviceKind.PHONE) == "Phone (entered by hand) (telefoon)"
    finally:
        i18n.activate("en")
