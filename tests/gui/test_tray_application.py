"""The tray application object in-process (offscreen, no tracking): what it builds when, and language changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from middenweg.bootstrap import Context
from middenweg.gui.app import TrayApplication
from middenweg.instance import InstanceLock


@pytest.fixture
def tray_app(qapp: QApplication, tmp_path: Path) -> Iterator[TrayApplication]:
    ctx = Context.create({"MIDDENWEG_HOME": str(tmp_path / "home"), "TZ": "Europe/Amsterdam"})
    ctx.paths.ensure()
    lock = InstanceLock(ctx.paths.data_dir / "tracker.lock", "test")
    lock.acquire()
    application = TrayApplication(ctx, qapp, None, lock)
    yield application
    if application._settings_dialog is not None:
        application._settings_dialog.close()
    application.stop()


def test_the_dashboard_is_built_only_when_first_needed(qtbot, tray_app: TrayApplication) -> None:  # type: ignore[no-untyped-def]
    assert tray_app._dashboard is None  # a tray app that is never opened holds no dashboard
    tray_app.show_dashboard()
    assert tray_app._dashboard is not None
    assert tray_app.dashboard.isVisible()
    assert tray_app.dashboard.windowTitle() != ""


def test_a_language_chosen_in_settings_shows_at_once_in_the_settings_window(qtbot, tray_app: TrayApplication) -> None:  # type: ignore[no-untyped-def]
    tray_app.show_settings()
    before = tray_app._settings_dialog
    assert before.windowTitle() == "Middenweg settings"
    before.tabs.setCurrentIndex(2)
    before.language.setCurrentIndex(before.language.findText("Nederlands"))
    after = tray_app._settings_dialog
    assert after is not before
    assert after.isVisible() and not before.isVisible()
    assert after.windowTitle() == "Instellingen van Middenweg"
    assert after.tabs.currentIndex() == 2  # the same page
    assert after.language.currentText() == "Nederlands"
    assert tray_app.tray.quit_action.text() == "Middenweg &afsluiten"  # the tray menu speaks Dutch too
