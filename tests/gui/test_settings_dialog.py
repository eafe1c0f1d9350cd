"""The Settings dialog, driven like a person would: each change lands in the settings file at once, a refused
value is explained and undone, rules are previewed on real history and written, and history is deleted only
after a Yes. A real SQLite database and real files in tmp_path; only the OS's file and message dialogs are
answered by the test."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QWidget,
)

from middenweg.autostart import autostart_backend
from middenweg.config import load_settings, set_value
from middenweg.domain.age import AgeGroup
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.gui.first_run import FirstRunDialog
from middenweg.gui.settings_dialog import SettingsDialog
from middenweg.history import date_range
from middenweg.interchange.middenweg_format import CSV_COLUMNS
from middenweg.paths import Paths
from middenweg.rules import Classification, load_rules
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store

pytestmark = pytest.mark.gui
AMS = ZoneInfo("Europe/Amsterdam")


def today() -> date:
    return datetime.now(AMS).date()


def noon(days_ago: int) -> int:
    day = today() - timedelta(days=days_ago)
    return int(datetime(day.year, day.month, day.day, 12, tzinfo=AMS).timestamp())


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    paths = Paths.from_environment({"MIDDENWEG_HOME": str(tmp_path / "home")})
    set_value(paths.settings_file, "time-zone", "Europe/Amsterdam")
    return paths


@pytest.fixture
def filled(store: Store) -> Store:
    device = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    store.add_events(
        device,
        [
            UsageEvent(noon(20), 3000, "firefox", "Old | Mastodon — Mozilla Firefox", Category.OTHER, "firefox"),
            UsageEvent(noon(3), 300, "WhatsApp", "WhatsApp", Category.MESSAGING, "WhatsApp"),
            UsageEvent(noon(2), 600, "firefox", "Mastodon docs — Mozilla Firefox", Category.OTHER, "firefox"),
            UsageEvent(noon(2) + 3600, 900, "firefox", "Jira board — Mozilla Firefox", Category.OTHER, "firefox"),
            UsageEvent(noon(1), 1200, "firefox", "Home | Mastodon — Mozilla Firefox", Category.OTHER, "firefox"),
        ],
    )
    return store


@pytest.fixture
def changes() -> list[str]:
    return []


@pytest.fixture
def dialog(qtbot, paths: Paths, filled: Store, changes: list[str]) -> Iterator[SettingsDialog]:  # type: ignore[no-untyped-def]
    window = SettingsDialog(paths, filled, on_changed=changes.append)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window


def choose(qtbot, button: QAbstractButton) -> None:  # type: ignore[no-untyped-def]
    """Click a check or radio button on its label, where a person clicks."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(12, button.height() // 2))


def click(qtbot, button: QAbstractButton) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def events_on(store: Store, day: date) -> int:
    start, end = date_range(AMS, day, day)
    return sum(1 for _ in store.iter_events(start, end))


# --- General -------------------------------------------------------------------------------------------------------


def test_choosing_a_language_writes_it_at_once(qtbot, dialog, paths, changes) -> None:  # type: ignore[no-untyped-def]
    dialog.language.setCurrentIndex(dialog.language.findText("Nederlands"))
    assert load_settings(paths.settings_file).language == "nl"
    assert changes == ["language"]
    dialog.language.setCurrentIndex(0)
    assert load_settings(paths.settings_file).language == "system"


def test_the_age_group_starts_unchosen_and_is_written_when_chosen(qtbot, dialog, paths, changes) -> None:  # type: ignore[no-untyped-def]
    assert dialog.age_group.currentIndex() == -1
    assert not load_settings(paths.settings_file).age_group_asked
    dialog.age_group.setCurrentIndex(dialog.age_group.findText("25 to 34"))
    assert load_settings(paths.settings_file).age_group is AgeGroup.AGE_25_34
    dialog.age_group.setCurrentIndex(dialog.age_group.findText("Prefer not to say"))
    settings = load_settings(paths.settings_file)
    assert settings.age_group is None
    assert settings.age_group_asked
    assert changes == ["age-group", "age-group"]


def test_quiet_hours_and_the_weekly_summary_are_written_as_they_are_chosen(qtbot, dialog, paths, changes) -> None:  # type: ignore[no-untyped-def]
    from datetime import time

    from PySide6.QtCore import QTime

    assert not dialog.quiet.isChecked() and not dialog.quiet_from.isEnabled()  # off by default
    assert dialog.summary.isChecked() and dialog.summary_day.currentText() == "Monday"
    assert dialog.summary_time.time() == QTime(9, 0)
    choose(qtbot, dialog.quiet)
    assert dialog.quiet_from.isEnabled()
    assert load_settings(paths.settings_file).quiet_hours == (time(22), time(7))  # the suggested times
    dialog.quiet_to.setTime(QTime(6, 30))
    assert load_settings(paths.settings_file).quiet_hours == (time(22), time(6, 30))
    dialog.summary_day.setCurrentIndex(6)
    dialog.summary_time.setTime(QTime(18, 15))
    assert load_settings(paths.settings_file).weekly_summary == (6, time(18, 15))
    choose(qtbot, dialog.summary)
    assert load_settings(paths.settings_file).weekly_summary is None and not dialog.summary_day.isEnabled()

    choose(qtbot, dialog.phone_reminder)
    assert load_settings(paths.settings_file).phone_reminder == time(21, 30)
    dialog.phone_time.setTime(QTime(22, 0))
    assert load_settings(paths.settings_file).phone_reminder == time(22, 0)

    again = SettingsDialog(paths, None)  # opened another time: shows what the file says
    qtbot.addWidget(again)
    assert again.quiet.isChecked() and again.quiet_to.time() == QTime(6, 30)
    assert not again.summary.isChecked() and again.summary_day.currentText() == "Monday"
    assert again.phone_reminder.isChecked() and again.phone_time.time() == QTime(22, 0)
    assert set(changes) == {"quiet-hours", "weekly-summary", "phone-reminder"}


def test_start_at_login_switches_the_real_autostart_entry(  # type: ignore[no-untyped-def]
    qtbot, paths, filled, changes, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg-system"))
    window = SettingsDialog(paths, filled, on_changed=changes.append)
    qtbot.addWidget(window)
    window.show()
    assert window.autostart.isEnabled()
    assert not window.autostart.isChecked()
    choose(qtbot, window.autostart)
    assert autostart_backend().status().enabled
    assert list((tmp_path / "xdg" / "autostart").glob("*.desktop"))
    assert window.autostart.isChecked()
    choose(qtbot, window.autostart)
    assert not autostart_backend().status().enabled
    assert changes == ["autostart", "autostart"]


def test_show_welcome_again_opens_the_welcome_and_shows_its_answer(qtbot, dialog, paths, changes) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, dialog.welcome)
    welcome = dialog.findChild(FirstRunDialog)
    assert welcome is not None and welcome.isVisible()
    welcome.age_buttons.buttons()[3].setChecked(True)  # 35 to 44
    for _ in range(4):
        click(qtbot, welcome.next_button)
    assert not welcome.isVisible()
    assert load_settings(paths.settings_file).age_group is AgeGroup.AGE_35_44
    assert dialog.age_group.currentText() == "35 to 44"
    assert changes == ["age-group"]


# --- Tracking and privacy ------------------------------------------------------------------------------------------


def test_typing_an_idle_time_saves_it_once_in_seconds(qtbot, dialog, paths, changes) -> None:  # type: ignore[no-untyped-def]
    dialog.tabs.setCurrentIndex(1)
    spin = dialog.idle_minutes
    assert spin.value() == 3  # the default, 180 seconds
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "15")
    assert changes == []  # not 1 minute on the way to 15
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert load_settings(paths.settings_file).idle_after == 900
    assert changes == ["idle-after"]
    assert dialog.isVisible()  # Enter in a field does not close the dialog
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert load_settings(paths.settings_file).idle_after == 960


def test_choosing_which_titles_are_stored(qtbot, dialog, paths, changes) -> None:  # type: ignore[no-untyped-def]
    dialog.tabs.setCurrentIndex(1)
    buttons = {button.accessibleName(): button for button in dialog.title_buttons.buttons()}
    assert buttons["Only for social and messaging windows"].isChecked()
    choose(qtbot, buttons["None"])
    assert load_settings(paths.settings_file).titles == "none"
    choose(qtbot, buttons["All windows"])
    assert load_settings(paths.settings_file).titles == "all"
    assert changes == ["titles", "titles"]


def test_exclusions_are_added_edited_and_removed(qtbot, dialog, paths, changes, message_boxes) -> None:  # type: ignore[no-untyped-def]
    dialog.tabs.setCurrentIndex(1)
    dialog.exclusion_kind.setCurrentIndex(dialog.exclusion_kind.findText("Window title"))
    qtbot.keyClicks(dialog.exclusion_pattern, "*bank*")
    qtbot.keyClick(dialog.exclusion_pattern, Qt.Key.Key_Return)
    dialog.exclusion_kind.setCurrentIndex(dialog.exclusion_kind.findText("App name"))
    qtbot.keyClicks(dialog.exclusion_pattern, "Signal ")
    click(qtbot, dialog.add_exclusion)
    assert load_settings(paths.settings_file).exclude == ("title:*bank*", "app:Signal")
    assert [dialog.exclusions.item(row).text() for row in range(dialog.exclusions.count())] == [
        "title:*bank*",
        "app:Signal",
    ]
    assert dialog.exclusion_pattern.text() == ""

    dialog.exclusions.item(0).setText("title:*my bank*")  # what an edit in place does
    assert load_settings(paths.settings_file).exclude == ("title:*my bank*", "app:Signal")

    dialog.exclusions.setCurrentRow(1)
    click(qtbot, dialog.remove_exclusion)
    assert load_settings(paths.settings_file).exclude == ("title:*my bank*",)
    assert changes == ["exclude"] * 4
    assert message_boxes.errors == []


def test_a_refused_exclusion_is_explained_and_the_list_goes_back(qtbot, dialog, paths, changes, message_boxes) -> None:  # type: ignore[no-untyped-def]
    set_value(paths.settings_file, "exclude", "title:*bank*")
    dialog.hide()
    dialog.show()  # shown again: it reads the file anew
    before = paths.settings_file.read_bytes()
    dialog.exclusions.item(0).setText("bank")  # no "app:" or "title:"
    assert len(message_boxes.errors) == 1
    assert "exclude" in message_boxes.errors[0]
    assert [dialog.exclusions.item(row).text() for row in range(dialog.exclusions.count())] == ["title:*bank*"]
    assert paths.settings_file.read_bytes() == before
    qtbot.keyClicks(dialog.exclusion_pattern, "a,b")
    click(qtbot, dialog.add_exclusion)
    assert "comma" in message_boxes.errors[1]
    assert paths.settings_file.read_bytes() == before
    assert changes == []


def test_a_settings_file_from_a_newer_version_is_shown_and_never_overwritten(  # type: ignore[no-untyped-def]
    qtbot, paths, filled, changes, message_boxes
) -> None:
    newer = b'schema_version = 99\nlanguage = "nl"\n'
    paths.settings_file.write_bytes(newer)
    window = SettingsDialog(paths, filled, on_changed=changes.append)
    qtbot.addWidget(window)
    assert not window.file_problem.isHidden()
    assert "newer Middenweg" in window.file_problem.text()
    window.language.setCurrentIndex(window.language.findText("English"))
    assert len(message_boxes.errors) == 1
    assert window.language.currentData() == "system"  # back to what is in effect
    assert paths.settings_file.read_bytes() == newer
    assert changes == []


# --- Rules ---------------------------------------------------------------------------------------------------------


def test_typing_a_title_pattern_previews_the_windows_of_the_last_week(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.tabs.setCurrentIndex(2)
    assert not dialog.rule_add.isEnabled()
    qtbot.keyClicks(dialog.rule_title, "*Mastodon*")
    shown = [dialog.preview_list.item(row).text() for row in range(dialog.preview_list.count())]
    # Not the window of 20 days ago, nor Jira or WhatsApp; most time first.
    assert len(shown) == 2
    assert shown[0].startswith("Home | Mastodon — Mozilla Firefox")
    assert "20 min" in shown[0]
    assert "30 min" in dialog.preview_total.text()  # 1200 s + 600 s
    assert dialog.preview_total.text().startswith("2 windows")
    assert dialog.rule_add.isEnabled()
    qtbot.keyClicks(dialog.rule_app, "chromium")  # app and title must both match
    assert dialog.preview_list.count() == 0
    assert dialog.preview_total.text().startswith("0 windows")


def test_add_rule_writes_a_rule_that_classifies_as_chosen(qtbot, dialog, paths, changes) -> None:  # type: ignore[no-untyped-def]
    dialog.tabs.setCurrentIndex(2)
    qtbot.keyClicks(dialog.rule_title, "*Mastodon*")
    choose(qtbot, dialog.rule_in_browser)
    dialog.rule_category.setCurrentIndex(dialog.rule_category.findText("Social"))
    qtbot.keyClicks(dialog.rule_label, "Mastodon")
    click(qtbot, dialog.rule_add)
    rules, problems = load_rules(paths.rules_file)
    assert problems == []
    assert rules.classify("firefox", "Home | Mastodon — Mozilla Firefox") == Classification(Category.SOCIAL, "Mastodon")
    assert rules.classify("gedit", "Mastodon notes").category is Category.OTHER  # only in browsers
    assert changes == ["rules"]
    assert dialog.rule_title.text() == ""
    assert "No problems" in dialog.rule_problems.text()
    # The next rule's preview leaves out the windows the first one already decides.
    qtbot.keyClicks(dialog.rule_title, "*Mozilla Firefox")
    shown = [dialog.preview_list.item(row).text() for row in range(dialog.preview_list.count())]
    assert shown == ["Jira board — Mozilla Firefox · firefox · 15 min"]


def test_problems_in_the_rules_file_are_shown(qtbot, paths, filled) -> None:  # type: ignore[no-untyped-def]
    paths.rules_file.write_text('[[rule]]\napp = "x"\ncategory = "games"\n', encoding="utf-8")
    window = SettingsDialog(paths, filled)
    qtbot.addWidget(window)
    assert "rules.toml, line 3" in window.rule_problems.text()


# --- Data ----------------------------------------------------------------------------------------------------------


def test_deleting_a_day_asks_first(qtbot, dialog, filled, changes, message_boxes) -> None:  # type: ignore[no-untyped-def]
    dialog.tabs.setCurrentIndex(3)
    day = today() - timedelta(days=2)
    dialog.forget_date.setDate(QDate(day.year, day.month, day.day))
    assert events_on(filled, day) == 2

    message_boxes.answers.append(False)
    click(qtbot, dialog.forget_day)
    assert day.isoformat() in message_boxes.questions[0]
    assert events_on(filled, day) == 2
    assert dialog.data_message.text() == "Nothing was deleted."

    message_boxes.answers.append(True)
    click(qtbot, dialog.forget_day)
    assert events_on(filled, day) == 0
    assert events_on(filled, day - timedelta(days=1)) == 1  # the day before is untouched
    assert events_on(filled, day + timedelta(days=1)) == 1
    assert changes == ["history"]


def test_deleting_all_history_asks_first(qtbot, dialog, filled, message_boxes) -> None:  # type: ignore[no-untyped-def]
    dialog.tabs.setCurrentIndex(3)
    message_boxes.answers.extend([False, True])
    click(qtbot, dialog.forget_all)
    assert filled.event_count() > 0
    click(qtbot, dialog.forget_all)
    assert filled.event_count() == 0
    assert "ALL" in message_boxes.questions[1]


def test_export_writes_a_csv_in_the_users_time_zone(qtbot, dialog, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out" / "history"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV file (*.csv)"))
    dialog.tabs.setCurrentIndex(3)
    click(qtbot, dialog.export)
    written = target.with_suffix(".csv")
    with written.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert sorted(row["app"] for row in rows) == ["WhatsApp", "firefox", "firefox", "firefox", "firefox"]
    # Every event began at noon in Amsterdam, as the settings say, not at noon UTC.
    assert all(re.search(r"T12:00:00\+0[12]:00$", row["start_local"]) for row in rows if row["app"] == "WhatsApp")
    assert "5 events" in dialog.data_message.text()
    assert list(written.parent.iterdir()) == [written]  # no .part file left


def test_cancelling_the_export_writes_nothing(qtbot, dialog, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    dialog.tabs.setCurrentIndex(3)
    click(qtbot, dialog.export)
    assert dialog.data_message.text() == ""


def test_without_a_database_history_controls_say_why_they_are_off(qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    window = SettingsDialog(paths, None)
    qtbot.addWidget(window)
    assert not window.export.isEnabled()
    assert not window.forget_day.isEnabled()
    assert not window.forget_all.isEnabled()
    assert "not open" in window.data_message.text()
    qtbot.keyClicks(window.rule_title, "*x*")
    assert "not open" in window.preview_total.text()


# --- keyboard and screen readers ----------------------------------------------------------------------------------


FOCUSABLE = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QListWidget)


def test_every_control_has_a_name_and_every_page_unique_mnemonics(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    tab_keys = [re.search(r"&(\w)", dialog.tabs.tabText(i)).group(1).lower() for i in range(dialog.tabs.count())]  # type: ignore[union-attr]
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        page = dialog.tabs.widget(index)
        controls = [w for w in page.findChildren(QWidget) if isinstance(w, FOCUSABLE) and w.isVisibleTo(dialog)]
        controls = [w for w in controls if not isinstance(w.parent(), QAbstractSpinBox | QComboBox)]
        assert controls
        unnamed = [type(w).__name__ for w in controls if not w.accessibleName()]
        assert unnamed == [], dialog.tabs.tabText(index)
        texts = [w.text() for w in page.findChildren(QAbstractButton) if w.isVisibleTo(dialog)]
        texts += [label.text() for label in page.findChildren(QLabel) if label.buddy() is not None]
        keys = [match.group(1).lower() for text in texts if (match := re.search(r"&(\w)", text))]
        assert len(keys) == len(set(keys)), (dialog.tabs.tabText(index), keys)
        assert not set(keys) & set(tab_keys), (dialog.tabs.tabText(index), keys)
        # Every visible label with a mnemonic leads somewhere.
        for label in page.findChildren(QLabel):
            if "&" in label.text() and label.isVisibleTo(dialog):
                assert label.buddy() is not None, label.text()


def test_tab_goes_through_the_general_page_in_reading_order(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.language.setFocus()
    names = [dialog.focusWidget().accessibleName()]
    for _ in range(9):
        dialog.focusNextChild()
        names.append(dialog.focusWidget().accessibleName())
    assert names == [
        "Language", "Age group", "Start Middenweg when you log in", "Quiet hours",  # its times: off, so skipped
        "Weekly summary", "Weekly summary day", "Weekly summary time", "Phone time reminder", "Show welcome again",
        "Close",
    ]  # fmt: skip


def test_a_mnemonic_moves_the_focus_to_its_control(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.activateWindow()
    qtbot.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.age_group
    qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert dialog.tabs.currentIndex() == 2
    qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.rule_title


# --- Several computers ---------------------------------------------------------------------------------------------


def test_the_computer_name_and_sync_folder_are_written_and_the_data_page_says_where_time_goes(  # type: ignore[no-untyped-def]
    qtbot, dialog, paths, changes, monkeypatch, tmp_path
) -> None:
    sharing = dialog.sharing
    assert dialog.stays_here.text() == "Everything stays on this computer."
    assert not sharing.stop_sync.isEnabled() and sharing.sync_folder.text() == ""
    sharing.device_name.selectAll()
    qtbot.keyClicks(sharing.device_name, "Zolder")
    qtbot.keyClick(sharing.device_name, Qt.Key.Key_Return)
    assert load_settings(paths.settings_file).device_name == "Zolder"
    assert sharing.device_name.maxLength() == 64  # what the setting accepts
    assert dialog.rule_label.maxLength() == 200  # and a rule's label what the rules file accepts

    folder = tmp_path / "Sync" / "middenweg"
    folder.mkdir(parents=True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args: str(folder))  # the desktop's own dialog
    click(qtbot, sharing.choose_folder)
    assert load_settings(paths.settings_file).sync_folder == folder
    assert sharing.sync_folder.text() == str(folder) and sharing.stop_sync.isEnabled()
    assert str(folder) in dialog.stays_here.text()
    click(qtbot, sharing.stop_sync)
    assert load_settings(paths.settings_file).sync_folder is None
    assert dialog.stays_here.text() == "Everything stays on this computer."
    assert changes == ["device-name", "sync-folder", "sync-folder"]


def test_a_shared_database_is_shown_without_its_password_and_a_wrong_url_is_refused(  # type: ignore[no-untyped-def]
    qtbot, dialog, paths, changes, message_boxes
) -> None:
    sharing = dialog.sharing
    qtbot.keyClicks(sharing.database_url, "postgresql+psycopg://anna:geheim-42@nas.local/middenweg")
    click(qtbot, sharing.use_server)
    assert load_settings(paths.settings_file).database_url == "postgresql+psycopg://anna:geheim-42@nas.local/middenweg"
    assert "geheim-42" not in sharing.database_url.text() and "***" in sharing.database_url.text()
    assert "starts again" in sharing.database_note.text() and sharing.use_local.isEnabled()
    assert not sharing.choose_folder.isEnabled() and "Not used while a shared database" in sharing.folder_note.text()
    assert "not on this computer" in dialog.stays_here.text()
    click(qtbot, sharing.use_server)  # the masked URL, unchanged: nothing written
    assert changes == ["database-url"]

    sharing.database_url.setText("mysql://anna:geheim-42@nas.local/middenweg")
    click(qtbot, sharing.use_server)
    assert len(message_boxes.errors) == 1 and "PostgreSQL" in message_boxes.errors[0]
    assert "geheim-42" not in message_boxes.errors[0]
    assert load_settings(paths.settings_file).database_url is not None  # what was set before stays
    click(qtbot, sharing.use_local)
    assert load_settings(paths.settings_file).database_url is None
    assert sharing.database_url.text() == "" and not sharing.use_local.isEnabled()
    assert sharing.choose_folder.isEnabled() and "Syncthing" in sharing.folder_note.text()
