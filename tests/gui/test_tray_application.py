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


def test_settings_changed_outside_the_app_show_without_a_restart(qtbot, tray_app: TrayApplication) -> None:  # type: ignore[no-untyped-def]
    from middenweg.config import set_value

    assert tray_app.tray.quit_action.text() == "&Quit Middenweg"
    set_value(tray_app.ctx.paths.settings_file, "language", "nl")  # `middenweg config set language nl`
    tray_app._look_at_files()  # what its timer does every few seconds
    assert tray_app.tray.quit_action.text() == "Middenweg &afsluiten"
    assert tray_app.ctx.settings.language == "nl"


def test_a_settings_file_broken_outside_the_app_keeps_the_settings_in_use(qtbot, tray_app: TrayApplication) -> None:  # type: ignore[no-untyped-def]
    from middenweg.config import set_value

    set_value(tray_app.ctx.paths.settings_file, "idle-after", "240")
    tray_app._look_at_files()
    tray_app.ctx.paths.settings_file.write_text("idle_after = [oops\n", encoding="utf-8")
    tray_app._look_at_files()
    assert tray_app.ctx.settings.idle_after == 240
    assert any("goes on with the settings it had" in notice for notice in tray_app.ctx.notices)


def test_a_sync_folder_set_while_running_is_synced_off_the_gui_thread(
    qtbot,
    tray_app: TrayApplication,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from middenweg.config import set_value
    from middenweg.domain.categories import Category
    from middenweg.domain.events import UsageEvent

    start = int(tray_app.ctx.clock.time()) - 3600
    tray_app.store.add_events(
        tray_app.device, [UsageEvent(start, 600, "WhatsApp", None, Category.MESSAGING, "WhatsApp")]
    )
    folder = tmp_path / "Sync"
    set_value(tray_app.ctx.paths.settings_file, "sync-folder", str(folder))
    tray_app._look_at_files()
    assert tray_app._sync_timer is not None and tray_app._sync_timer.isActive()
    tray_app.sync_folder()
    qtbot.waitUntil(lambda: any((folder / tray_app.device.uid).glob("*.json.gz")), timeout=10_000)
    set_value(tray_app.ctx.paths.settings_file, "sync-folder", "off")
    tray_app._look_at_files()
    assert not tray_app._sync_timer.isActive()


def test_quitting_while_a_sync_runs_still_shares_the_last_time(
    qtbot, tray_app: TrayApplication, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import gzip
    import json

    from middenweg.config import set_value
    from middenweg.domain.categories import Category
    from middenweg.domain.events import UsageEvent

    start = int(tray_app.ctx.clock.time()) - 7200
    chat = UsageEvent(start, 600, "WhatsApp", None, Category.MESSAGING, "WhatsApp")
    tray_app.store.add_events(tray_app.device, [chat])
    folder = tmp_path / "Sync"
    set_value(tray_app.ctx.paths.settings_file, "sync-folder", str(folder))
    tray_app._look_at_files()
    tray_app.sync_folder()  # a run begins on the worker thread...
    later = UsageEvent(start + 3600, 300, "WhatsApp", None, Category.MESSAGING, "WhatsApp")
    tray_app.store.add_events(tray_app.device, [later])
    tray_app.stop()  # ...and the app quits before it is seen to end
    shared = [
        event["duration"]
        for month in (folder / tray_app.device.uid).glob("*.json.gz")
        for event in json.loads(gzip.decompress(month.read_bytes()))["events"]
    ]
    assert sorted(shared) == [300, 600]
