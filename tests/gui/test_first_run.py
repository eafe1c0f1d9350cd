"""The welcome dialog: what Done and Skip write to the settings file, and moving through it by keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QRadioButton, QWidget

from middenweg.config import load_settings, set_value
from middenweg.domain.age import AgeGroup
from middenweg.domain.goals import Goal, GoalName
from middenweg.gui.first_run import FirstRunDialog
from middenweg.paths import Paths
from middenweg.storage.goal_store import GoalStore
from middenweg.storage.store import Store

pytestmark = pytest.mark.gui


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths.from_environment({"MIDDENWEG_HOME": str(tmp_path / "home")})


@pytest.fixture
def dialog(qtbot, paths: Paths) -> FirstRunDialog:  # type: ignore[no-untyped-def]
    window = FirstRunDialog(paths)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def radio(dialog: FirstRunDialog, name: str) -> QRadioButton:
    found = [button for button in dialog.findChildren(QRadioButton) if button.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def choose(qtbot, button: QRadioButton) -> None:  # type: ignore[no-untyped-def]
    """Click the radio button's label, where a person clicks (its middle may be empty space)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(12, button.height() // 2))


def press_next(qtbot, dialog: FirstRunDialog, times: int = 1) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)


def test_done_without_an_answer_records_that_the_age_group_was_asked(qtbot, dialog, paths) -> None:  # type: ignore[no-untyped-def]
    press_next(qtbot, dialog, 3)
    assert dialog.next_button.text() == "&Done"
    press_next(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    settings = load_settings(paths.settings_file)
    assert settings.age_group_asked
    assert settings.age_group is None
    assert settings.titles == "social-only"  # the default stays; nothing else was chosen
    assert dialog.written_keys == ("age-group",)


def test_done_writes_the_chosen_age_group_and_title_privacy(qtbot, dialog, paths) -> None:  # type: ignore[no-untyped-def]
    press_next(qtbot, dialog)
    choose(qtbot, radio(dialog, "25 to 34"))
    press_next(qtbot, dialog)
    choose(qtbot, radio(dialog, "None"))
    press_next(qtbot, dialog, 2)
    settings = load_settings(paths.settings_file)
    assert settings.age_group is AgeGroup.AGE_25_34
    assert settings.titles == "none"
    assert set(dialog.written_keys) == {"age-group", "titles"}


def test_skip_without_a_choice_leaves_the_age_group_unset(qtbot, dialog, paths) -> None:  # type: ignore[no-untyped-def]
    press_next(qtbot, dialog, 2)
    qtbot.mouseClick(dialog.skip_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not paths.settings_file.exists()
    assert not load_settings(paths.settings_file).age_group_asked
    assert dialog.written_keys == ()


def test_skip_after_a_choice_keeps_the_choice(qtbot, dialog, paths) -> None:  # type: ignore[no-untyped-def]
    press_next(qtbot, dialog)
    choose(qtbot, radio(dialog, "Prefer not to say"))
    qtbot.mouseClick(dialog.skip_button, Qt.MouseButton.LeftButton)
    settings = load_settings(paths.settings_file)
    assert settings.age_group_asked
    assert settings.age_group is None


def test_escape_skips(qtbot, dialog, paths) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()
    assert not load_settings(paths.settings_file).age_group_asked


def test_enter_moves_on_and_finishes(qtbot, dialog, paths) -> None:  # type: ignore[no-untyped-def]
    pages = []
    for _ in range(4):
        pages.append(dialog.pages.currentIndex())
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    assert pages == [0, 1, 2, 3]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert load_settings(paths.settings_file).age_group_asked


def test_the_keyboard_reaches_the_answers_and_the_buttons_in_order(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    press_next(qtbot, dialog)
    first = radio(dialog, "Under 16")
    assert dialog.focusWidget() is first  # the page's first answer has the focus
    order: list[QWidget] = []
    for _ in range(4):
        dialog.focusNextChild()
        order.append(dialog.focusWidget())
    # The answers to one question are one stop for Tab, as in every dialog; the arrow keys move between them.
    assert [widget.accessibleName() for widget in order] == ["Skip", "Back", "Next", "Under 16"]
    for _ in range(3):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Down)
    assert dialog.focusWidget() is radio(dialog, "35 to 44")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Space)
    assert radio(dialog, "35 to 44").isChecked()
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert dialog.pages.currentIndex() == 2
    assert dialog.focusWidget() is radio(dialog, "Only for social and messaging windows")  # the current choice


def test_it_starts_from_the_answers_already_given(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    set_value(paths.settings_file, "age-group", "45-54")
    set_value(paths.settings_file, "titles", "all")
    window = FirstRunDialog(paths)
    qtbot.addWidget(window)
    assert radio(window, "45 to 54").isChecked()
    assert radio(window, "All windows").isChecked()
    window.reject()
    assert window.written_keys == ()


def test_a_settings_file_it_cannot_change_is_reported_and_closing_still_works(  # type: ignore[no-untyped-def]
    qtbot, dialog, paths, message_boxes
) -> None:
    paths.settings_file.parent.mkdir(parents=True)
    newer = b"schema_version = 99\n"
    paths.settings_file.write_bytes(newer)
    press_next(qtbot, dialog, 4)
    assert len(message_boxes.errors) == 1
    assert "newer Middenweg" in message_boxes.errors[0]
    assert dialog.isVisible()  # Done did not pretend to save
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert paths.settings_file.read_bytes() == newer


def test_the_goals_on_the_last_page_are_stored_only_when_ticked(qtbot, paths: Paths, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "m.sqlite3")
    goals = GoalStore(store)
    window = FirstRunDialog(paths, save_goals=lambda chosen: goals.set(chosen, cleared=(), now=1))
    qtbot.addWidget(window)
    window.show()
    press_next(qtbot, window, 3)
    assert not window.hours.isEnabled() and not window.evenings.isEnabled()  # off until ticked
    assert window.hours.value() == 7 and window.evenings.suffix() == " evenings"
    window.hours_goal.setChecked(True)
    window.hours.setValue(5)
    window.evenings.setValue(1)
    assert window.evenings.suffix() == " evening"
    press_next(qtbot, window)
    assert window.result() == QDialog.DialogCode.Accepted
    assert goals.all() == [Goal(GoalName.WEEKLY_TOTAL, 5 * 3600)]  # the evenings goal was not ticked
    store.close()

    reopened = Store.open(tmp_path / "m.sqlite3")
    assert GoalStore(reopened).all() == [Goal(GoalName.WEEKLY_TOTAL, 5 * 3600)]
    skipped = FirstRunDialog(paths, save_goals=lambda chosen: GoalStore(reopened).set(chosen, cleared=(), now=2))
    qtbot.addWidget(skipped)
    skipped.evenings_goal.setChecked(True)
    skipped.reject()  # Skip keeps what was actively chosen, and leaves the other goal as it was
    assert sorted(GoalStore(reopened).all(), key=lambda goal: goal.name) == [
        Goal(GoalName.EVENINGS_PER_WEEK, 2),
        Goal(GoalName.WEEKLY_TOTAL, 5 * 3600),
    ]
    reopened.close()
