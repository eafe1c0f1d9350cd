"""Entering a day's phone time in the dialog (from the tray menu): stored, shown again for a correction, deleted only
after a Yes, and refused with the reason when the numbers cannot be."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication

from fakes import FakeClock
from middenweg import phone_entries
from middenweg.bootstrap import Context
from middenweg.gui.app import TrayApplication
from middenweg.instance import InstanceLock
from middenweg.phone_entries import PhoneDay

pytestmark = pytest.mark.gui
AMS = ZoneInfo("Europe/Amsterdam")
FRIDAY = date(2026, 11, 20)


@pytest.fixture
def tray_app(qapp: QApplication, tmp_path: Path) -> Iterator[TrayApplication]:
    clock = FakeClock(datetime(2026, 11, 20, 21, 0, tzinfo=AMS).timestamp())
    ctx = Context.create({"MIDDENWEG_HOME": str(tmp_path / "home"), "TZ": "Europe/Amsterdam"}, clock=clock)
    ctx.paths.ensure()
    lock = InstanceLock(ctx.paths.data_dir / "tracker.lock", "test")
    lock.acquire()
    application = TrayApplication(ctx, qapp, None, lock)
    yield application
    application.stop()


def test_the_tray_menu_opens_the_dialog_and_saving_counts_at_once(qtbot, tray_app: TrayApplication) -> None:  # type: ignore[no-untyped-def]
    tray_app.tray.phone_action.trigger()
    dialog = tray_app._phone
    assert dialog.isVisible() and dialog.day.date() == QDate(2026, 11, 20)
    assert dialog.day.maximumDate() == QDate(2026, 11, 20)  # no days to come
    assert not dialog.save_button.isEnabled() and not dialog.delete_button.isVisible()
    dialog.total.hours.setValue(3)
    dialog.total.minutes.setValue(10)
    dialog.social.hours.setValue(1)
    dialog.social.minutes.setValue(5)
    dialog.messaging.minutes.setValue(40)
    assert dialog.save_button.isEnabled()
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert phone_entries.entries(tray_app.store, [FRIDAY], AMS) == [PhoneDay(FRIDAY, 11400, 3900, 2400)]
    assert tray_app._today().social == 3900  # the tray's "today" counts it


def test_a_day_with_an_entry_is_shown_for_correction_and_deleted_after_a_yes(  # type: ignore[no-untyped-def]
    qtbot, tray_app: TrayApplication, message_boxes
) -> None:
    phone_entries.save(tray_app.store, PhoneDay(date(2026, 11, 19), 7200, 1800, 600), AMS)
    tray_app.show_phone()
    dialog = tray_app._phone
    dialog.day.setDate(QDate(2026, 11, 19))
    assert (
        dialog.total.hours.value() == 2
        and dialog.social.minutes.value() == 30
        and dialog.messaging.minutes.value() == 10
    )
    assert (
        dialog.existing_note.text() == "This day has an entry; saving replaces it." and dialog.delete_button.isVisible()
    )
    dialog.social.hours.setValue(3)  # more than the total
    assert not dialog.save_button.isEnabled()
    assert "together are more than the total (2 h)" in dialog.problem_text.text()
    message_boxes.answers = [False]
    dialog.delete_button.click()
    assert dialog.isVisible() and phone_entries.entries(tray_app.store, [date(2026, 11, 19)], AMS)
    message_boxes.answers = [True]
    dialog.delete_button.click()
    assert message_boxes.questions[-1] == "Delete the phone time of 2026-11-19?"
    assert phone_entries.entries(tray_app.store, [date(2026, 11, 19)], AMS) == []


def test_from_the_dashboard_the_entered_day_shows_in_the_chart_and_the_comparison(
    qtbot, tray_app: TrayApplication
) -> None:  # type: ignore[no-untyped-def]
    from middenweg import i18n

    board = tray_app.dashboard
    tray_app.show_dashboard()
    assert board.phone_button.isVisible()
    board.phone_button.click()
    dialog = tray_app._phone
    assert dialog.isVisible()
    dialog.total.hours.setValue(2)
    dialog.social.hours.setValue(1)
    dialog.messaging.minutes.setValue(30)
    dialog.save_button.click()

    figure = board.week_chart.figure
    assert figure is not None
    bars = {str(p.get_gid()): p for p in figure.axes[0].patches if p.get_gid()}
    assert bars["social-phone-4"].get_height() == pytest.approx(1.0)  # Friday, the phone's hatched part
    assert bars["messaging-phone-4"].get_height() == pytest.approx(0.5)
    assert "on your phone" in board.reference_text.text()
    assert "1 h 30 min of the 1 h 30 min was on your phone (100 %)" in board.week_chart.accessibleDescription()

    i18n.activate("nl")
    board.retranslate()
    board.refresh()
    legend = [t.get_text() for t in board.week_chart.figure.axes[0].get_legend().get_texts()]
    assert legend == ["Sociaal", "Berichten", "Telefoon"]
    assert "op je telefoon" in board.reference_text.text()
