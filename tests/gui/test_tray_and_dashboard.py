"""The tray menu and the dashboard, driven with pytest-qt over a real database (offscreen Qt)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QFileDialog

from middenweg.domain.age import AgeGroup
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.domain.weeks import IsoWeek
from middenweg.gui.dashboard import Dashboard, WeekData, write_csv_atomically
from middenweg.gui.tray import Tray
from middenweg.history import export_history, weekly_report, weekly_totals
from middenweg.reports.weekly import CategorySeconds
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store
from middenweg.tracking.pause import FOREVER, PauseFile
from middenweg.tracking.sampler import TrackState

pytestmark = pytest.mark.gui
AMS = ZoneInfo("Europe/Amsterdam")
WEEK = IsoWeek(2026, 47)


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=AMS).timestamp())


@pytest.fixture
def filled(store: Store) -> Store:
    device = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    store.add_events(
        device,
        [
            UsageEvent(at("2026-11-16T20:00:00"), 5400, "firefox", "YouTube", Category.SOCIAL, "YouTube"),
            UsageEvent(at("2026-11-18T21:00:00"), 1800, "WhatsApp", "WhatsApp", Category.MESSAGING, "WhatsApp"),
            UsageEvent(at("2026-11-12T20:00:00"), 3600, "firefox", "Facebook", Category.SOCIAL, "Facebook"),
        ],
    )
    return store


@pytest.fixture
def dashboard(qtbot, filled: Store) -> Iterator[Dashboard]:  # type: ignore[no-untyped-def]
    def load(week: IsoWeek) -> WeekData:
        return WeekData(weekly_report(filled, week, AMS, AgeGroup.AGE_45_54), weekly_totals(filled, week, 12, AMS))

    def export(week: IsoWeek, path: Path) -> int:
        days = week.days()
        return write_csv_atomically(path, lambda out: export_history(filled, out, "csv", AMS, days[0], days[-1], 0))

    board = Dashboard(load, lambda: WEEK, export)
    qtbot.addWidget(board)
    board.show_week(WEEK)
    yield board


def test_the_dashboard_shows_the_week_its_comparison_and_top_apps(dashboard: Dashboard) -> None:
    assert "Week 47" in dashboard.title.text() and "16 Nov" in dashboard.title.text()
    assert (
        "Social: 1 h 30 min" in dashboard.summary.text() and "+50 % against the week before" in dashboard.summary.text()
    )
    assert "well above 10 hours" in dashboard.reference_text.text()
    assert "narrower" in dashboard.caveat.text()
    rows = [
        [dashboard.top_apps.topLevelItem(i).text(c) for c in range(3)]
        for i in range(dashboard.top_apps.topLevelItemCount())
    ]
    assert rows == [["YouTube", "Social", "1 h 30 min"], ["WhatsApp", "Messaging", "30 min"]]
    for chart in (dashboard.week_chart, dashboard.reference_chart, dashboard.trend_chart):
        assert not chart.pixmap().isNull() and chart.accessibleDescription()


def test_week_navigation_never_goes_past_this_week(dashboard: Dashboard) -> None:
    assert not dashboard.next_button.isEnabled()
    dashboard.previous_button.click()
    assert dashboard.week == IsoWeek(2026, 46)
    assert "Facebook" in dashboard.top_apps.topLevelItem(0).text(0)
    assert dashboard.next_button.isEnabled()
    dashboard.this_week_button.click()
    assert dashboard.week == WEEK


def test_export_the_week_as_csv(dashboard: Dashboard, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "week.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV file (*.csv)"))
    dashboard.export_button.click()
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["label"] for r in rows] == ["YouTube", "WhatsApp"]


def test_save_the_chart_as_svg(dashboard: Dashboard, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "SVG image (*.svg)"))
    dashboard.save_chart_button.click()
    assert target.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_closing_the_dashboard_only_hides_it(dashboard: Dashboard) -> None:
    dashboard.show()
    dashboard.close()
    assert not dashboard.isVisible()
    dashboard.show()
    assert dashboard.isVisible()


def test_tray_menu_pauses_resumes_and_shows_today(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pause_file = PauseFile(tmp_path / "pause.json")
    tray = Tray(lambda: CategorySeconds(3900, 600, 7200), pause_file, lambda spec: FOREVER if spec == "x" else 1e10)
    texts = [a.text() for a in tray.menu.actions() if not a.isSeparator()]
    assert texts[:3] == ["Social today: 1 h 5 min", "Messaging today: 10 min", "Other today: 2 h"]
    assert "social and messaging today: 1 h 15 min" in tray.icon.toolTip()
    assert not tray.resume_action.isVisible()
    tray.pause_actions["1h"].trigger()
    assert pause_file.active(1e9) and tray.state is TrackState.PAUSED
    assert tray.resume_action.isVisible() and "paused" in tray.icon.toolTip()
    tray.resume_action.trigger()
    assert not pause_file.active(1e9) and tray.state is TrackState.RECORDING
    with qtbot.waitSignal(tray.dashboard_requested, timeout=1000):
        tray.dashboard_action.trigger()
    with qtbot.waitSignal(tray.quit_requested, timeout=1000):
        tray.quit_action.trigger()


def test_a_past_week_is_not_called_this_week(dashboard: Dashboard) -> None:
    assert dashboard.reference_text.text().startswith("This week you spent")
    dashboard.previous_button.click()
    assert dashboard.reference_text.text().startswith("In week 46 you spent")


def test_a_language_change_applies_at_once(qtbot, dashboard: Dashboard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from middenweg import i18n

    tray = Tray(lambda: CategorySeconds(60, 0, 0), PauseFile(tmp_path / "p.json"), lambda spec: 1e10)
    i18n.activate("nl")
    tray.retranslate()
    dashboard.retranslate()
    tray.refresh()
    assert tray.dashboard_action.text() == "&Overzicht openen"
    assert tray.menu.actions()[0].text().startswith("Sociaal vandaag")
    assert "Vorige week" in dashboard.previous_button.text()
    assert dashboard.compare_heading.text() == "Vergeleken met je leeftijdsgroep"
    assert "ma 16 nov" in dashboard.title.text()


def test_the_dashboard_is_reachable_by_keyboard_and_named_for_screen_readers(qtbot, dashboard: Dashboard) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    dashboard.previous_button.click()  # the next-week button is enabled only for past weeks
    dashboard.show()
    qtbot.waitExposed(dashboard)
    # Walk the chain Tab follows, keeping what Tab can land on (visible, enabled, accepting Tab focus).
    seen: list[QWidget] = []
    widget: QWidget = dashboard.previous_button
    for _ in range(200):
        if widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            if widget in seen:
                break
            seen.append(widget)
        widget = widget.nextInFocusChain()
    expected = [
        dashboard.previous_button, dashboard.this_week_button, dashboard.next_button, dashboard.week_chart,
        dashboard.reference_chart, dashboard.trend_chart, dashboard.top_apps, dashboard.save_chart_button,
        dashboard.export_button,
    ]  # fmt: skip
    assert [w for w in seen if w in expected] == expected  # all reachable, in reading order
    for widget in expected:
        assert widget.accessibleName() or getattr(widget, "text", lambda: "")(), widget
    for chart in (dashboard.week_chart, dashboard.reference_chart, dashboard.trend_chart):
        assert "min" in chart.accessibleDescription() or "h" in chart.accessibleDescription()
