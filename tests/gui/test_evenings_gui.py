"""The Evenings and Goals sections, the evening and check-in dialogs and the tray's evening line, driven with
pytest-qt over a real SQLite file, at a fixed "now" (Friday 23 October 2026, noon in Amsterdam; summer time ends
that Sunday at 03:00)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QApplication, QFileDialog

from fakes import FakeClock
from middenweg.domain.categories import Category
from middenweg.domain.evenings import Evening, EveningChange, EveningKind
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.domain.goals import Goal, GoalName
from middenweg.domain.weeks import IsoWeek
from middenweg.gui.checkin_dialog import CheckinDialog
from middenweg.gui.dashboard import Dashboard, Planner, Section, WeekData
from middenweg.gui.evening_dialog import EveningDialog
from middenweg.gui.evenings_page import EveningsPage
from middenweg.gui.goals_page import GoalsPage
from middenweg.gui.tray import Tray, evening_line
from middenweg.reports.weekly import CategorySeconds
from middenweg.storage.evening_store import EveningStore
from middenweg.storage.goal_store import GoalStore
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store
from middenweg.tracking.pause import PauseFile
from middenweg.tracking.sampler import TrackState

pytestmark = pytest.mark.gui
AMS = ZoneInfo("Europe/Amsterdam")


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=AMS).timestamp())


NOW = at("2026-10-23T12:00:00")
THURSDAYS = Evening(
    0, "Board games", EveningKind.PHONE_FREE, time(19), time(23), date(2026, 10, 1), weekdays=(3,),
    time_zone="Europe/Amsterdam", friends=("Sanne", "Joris"),
)  # fmt: skip


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def planner(store: Store, clock: FakeClock) -> Planner:
    return Planner(
        EveningStore(store),
        GoalStore(store),
        lambda: int(clock.time()),
        lambda: AMS,
        lambda: "Europe/Amsterdam",
        store.category_totals,
    )


@pytest.fixture
def page(qtbot, planner: Planner) -> EveningsPage:  # type: ignore[no-untyped-def]
    shown = EveningsPage(
        planner.evenings, now=planner.now, tz=planner.tz, tz_name=planner.tz_name, totals=planner.totals
    )
    qtbot.addWidget(shown)
    shown.show()
    return shown


@pytest.fixture
def goals_page(qtbot, planner: Planner) -> GoalsPage:  # type: ignore[no-untyped-def]
    shown = GoalsPage(planner.goals, planner.evenings, now=planner.now, tz=planner.tz, totals=planner.totals)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def add_events(store: Store, *events: tuple[str, int, Category]) -> None:
    device = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    store.add_events(
        device,
        [UsageEvent(at(start), seconds, "firefox", None, category, "Site") for start, seconds, category in events],
    )


def open_dialog(page: EveningsPage, button: str = "add") -> EveningDialog:
    getattr(page, f"{button}_button").click()
    assert page.dialog is not None and page.dialog.isVisible()
    return page.dialog


def rows(listing) -> list[str]:  # type: ignore[no-untyped-def]
    return [listing.item(row).text() for row in range(listing.count())]


def mnemonics(widgets) -> list[str]:  # type: ignore[no-untyped-def]
    """The letters after & in the texts of the visible ``widgets``, in lower case."""
    found = []
    for widget in widgets:
        text = widget.text().replace("&&", "")
        if widget.isVisible() and "&" in text:
            found.append(text[text.index("&") + 1].lower())
    return found


# --- planning an evening ---


def test_an_evening_planned_in_the_dialog_shows_with_its_next_date_in_amsterdam(
    qtbot, page: EveningsPage, planner: Planner
) -> None:  # type: ignore[no-untyped-def]
    assert page.empty_text.isVisible() and not page.evening_list.isVisible()
    assert not page.edit_button.isEnabled() and not page.export_button.isEnabled()
    dialog = open_dialog(page)
    dialog.title.setText("Games night")
    dialog.friends.setText(" Sanne, ,Joris ")
    qtbot.mouseClick(dialog.weekday_boxes[6], qtbot_left())  # Sunday, the day summer time ends
    dialog.start_time.setTime(QTime(19, 0))
    dialog.end_time.setTime(QTime(0, 30))
    assert "ends the next day, at 00:30" in dialog.times_note.text()
    assert dialog.ok_button.isEnabled() and not dialog.problem_text.isVisible()
    qtbot.mouseClick(dialog.ok_button, qtbot_left())

    [stored] = planner.evenings.all()
    assert (stored.title, stored.weekdays, stored.friends) == ("Games night", (6,), ("Sanne", "Joris"))
    assert (stored.start, stored.end, stored.time_zone, stored.first_date) == (
        time(19),
        time(0, 30),
        "Europe/Amsterdam",
        date(2026, 10, 23),
    )
    assert stored.remind_before == (30, 0) and stored.end_note and stored.checkin
    assert page.evening_list.isVisible() and not page.empty_text.isVisible()
    [text] = rows(page.evening_list)
    assert text.startswith("Games night with Sanne, Joris\n")
    assert "every Sun, 19:00–00:30" in text and "next Sun 25 Oct, 19:00" in text
    assert "Games night is planned" in page.status.text()


def qtbot_left():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_an_evening_without_a_weekday_or_with_no_length_is_explained_and_not_added(
    page: EveningsPage, planner: Planner
) -> None:
    dialog = open_dialog(page)
    assert not dialog.ok_button.isEnabled()
    assert "Choose at least one weekday" in dialog.problem_text.text()
    dialog.weekday_boxes[3].setChecked(True)
    assert dialog.ok_button.isEnabled() and dialog.problem_text.text() == ""
    dialog.end_time.setTime(QTime(19, 0))
    assert not dialog.ok_button.isEnabled()
    assert "starts and ends at the same time" in dialog.problem_text.text()
    dialog.accept()  # Enter in a field: refused while there is a problem
    assert dialog.isVisible()
    dialog.once.setChecked(True)
    dialog.on_date.setDate(dialog.on_date.date().addDays(-2))
    assert "2026-10-21 has passed" in dialog.problem_text.text()
    dialog.cancel_button.click()
    assert planner.evenings.all() == []
    assert page.empty_text.isVisible()


def test_an_evening_title_cannot_be_typed_longer_than_the_database_keeps(
    qtbot, page: EveningsPage, planner: Planner
) -> None:  # type: ignore[no-untyped-def]
    """200 characters: what a shared PostgreSQL database keeps, and what `middenweg evenings add` allows."""
    dialog = open_dialog(page)
    assert dialog.title.maxLength() == 200
    dialog.weekday_boxes[3].setChecked(True)
    qtbot.keyClicks(dialog.title, "Board games " * 20)
    assert dialog.title.text() == ("Board games " * 20)[:200]
    dialog.ok_button.click()
    [stored] = planner.evenings.all()
    assert stored.title == ("Board games " * 20)[:200]


def test_a_pasted_title_with_control_characters_is_stored_clean(page: EveningsPage, planner: Planner) -> None:
    """A NUL pasted into the title would fail on a shared PostgreSQL database; an escape would reach notifications."""
    dialog = open_dialog(page)
    dialog.weekday_boxes[3].setChecked(True)
    dialog.title.setText("Board\x00 games\x1b")
    dialog.friends.setText("Sanne,\x07Joris, ")
    dialog.ok_button.click()
    [stored] = planner.evenings.all()
    assert (stored.title, stored.friends) == ("Board games", ("Sanne", "Joris"))


def test_an_evening_for_one_date_only(page: EveningsPage, planner: Planner) -> None:
    dialog = open_dialog(page)
    dialog.once.setChecked(True)
    assert dialog.once_part.isVisibleTo(dialog) and not dialog.weekly_part.isVisibleTo(dialog)
    dialog.on_date.setDate(dialog.on_date.date().addDays(8))
    dialog.screen_free.setChecked(True)
    dialog.day_before.setChecked(True)
    dialog.before.setChecked(False)
    dialog.ok_button.click()
    [stored] = planner.evenings.all()
    assert stored.once and stored.first_date == date(2026, 10, 31) and stored.kind is EveningKind.SCREEN_FREE
    assert stored.title == "Screen-free evening" and stored.remind_before == (1440, 0)
    assert "next Sat 31 Oct, 19:00" in rows(page.evening_list)[0]


def test_changing_an_evening_keeps_its_id_skips_and_check_ins(page: EveningsPage, planner: Planner) -> None:
    old = planner.evenings.add(THURSDAYS, now=1)
    planner.evenings.set_change(EveningChange(old.id, date(2026, 10, 29)))
    planner.evenings.check_in(old.id, date(2026, 10, 22), "kept", 0, now=2)
    page.refresh()
    dialog = open_dialog(page, "edit")
    assert dialog.title.text() == "Board games" and dialog.weekday_boxes[3].isChecked()
    dialog.start_time.setTime(QTime(20, 0))
    dialog.ok_button.click()

    [new] = planner.evenings.all()
    assert new.id == old.id and new.start == time(20) and new.first_date == date(2026, 10, 23)
    assert EveningChange(new.id, date(2026, 10, 29)) in planner.evenings.changes()
    [text] = rows(page.evening_list)
    assert "every Thu, 20:00–23:00" in text and "next Thu 5 Nov, 20:00" in text  # 29 October stays skipped
    assert "Streak: 1 evening kept in a row." in page.streak_label.text()
    assert rows(page.history)[0] == "Thu 22 Oct · Board games · Kept"


def test_moving_an_evening_to_another_weekday_drops_the_skips_that_no_longer_apply(
    page: EveningsPage, planner: Planner
) -> None:
    old = planner.evenings.add(THURSDAYS, now=1)
    planner.evenings.set_change(EveningChange(old.id, date(2026, 10, 29)))  # a Thursday
    planner.evenings.check_in(old.id, date(2026, 10, 22), "kept", 0, now=2)
    page.refresh()
    dialog = open_dialog(page, "edit")
    dialog.weekday_boxes[3].setChecked(False)
    dialog.weekday_boxes[4].setChecked(True)
    dialog.ok_button.click()

    [new] = planner.evenings.all()
    assert new.id == old.id and new.weekdays == (4,)
    assert planner.evenings.changes() == []  # 29 October is no Friday: its skip went with the Thursdays
    assert "next Fri 23 Oct, 19:00" in rows(page.evening_list)[0]
    assert rows(page.history)[0] == "Thu 22 Oct · Board games · Kept"  # the answered Thursday stays


# --- skipping, removing, exporting ---


def test_skip_next_skips_only_the_next_date(page: EveningsPage, planner: Planner) -> None:
    added = planner.evenings.add(THURSDAYS, now=1)
    page.refresh()
    assert "next Thu 29 Oct, 19:00" in rows(page.evening_list)[0]
    page.skip_button.click()
    assert planner.evenings.changes() == [EveningChange(added.id, date(2026, 10, 29))]
    assert "next Thu 5 Nov, 19:00" in rows(page.evening_list)[0]
    assert "Board games on Thu 29 Oct is skipped" in page.status.text()


def test_move_next_moves_one_date_to_another_day_and_time(page: EveningsPage, planner: Planner) -> None:
    from PySide6.QtCore import QDate

    added = planner.evenings.add(THURSDAYS, now=1)
    page.refresh()
    page.move_button.click()
    dialog = page.move_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.about.text() == "Board games of Thu 29 Oct moves; the other dates stay as planned."
    assert dialog.to_date.date() == QDate(2026, 10, 29) and dialog.start_time.time() == QTime(19, 0)
    dialog.to_date.setDate(QDate(2026, 10, 21))  # before "now" (Thursday 22 October): refused, with the reason
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem_text.text() == "That time is already over; choose a later date or time."
    dialog.end_time.setTime(QTime(19, 0))
    assert "starts and ends at the same time" in dialog.problem_text.text()
    dialog.to_date.setDate(QDate(2026, 10, 28))
    dialog.end_time.setTime(QTime(22, 0))
    assert dialog.ok_button.isEnabled() and dialog.problem_text.isHidden()
    dialog.ok_button.click()

    assert planner.evenings.changes() == [
        EveningChange(added.id, date(2026, 10, 29), date(2026, 10, 28), None, time(22))
    ]
    assert "next Wed 28 Oct, 19:00" in rows(page.evening_list)[0]
    assert page.status.text() == "Board games of Thu 29 Oct is moved to Wed 28 Oct; the rest stays as planned."


def test_remove_asks_first(page: EveningsPage, planner: Planner, message_boxes) -> None:  # type: ignore[no-untyped-def]
    planner.evenings.add(THURSDAYS, now=1)
    page.refresh()
    message_boxes.answers = [False]
    page.remove_button.click()
    assert "Remove Board games (every Thu, 19:00–23:00)?" in message_boxes.questions[0]
    assert len(planner.evenings.all()) == 1 and page.status.text() == "Nothing was removed."
    message_boxes.answers = [True]
    page.remove_button.click()
    assert planner.evenings.all() == []
    assert page.empty_text.isVisible() and not page.remove_button.isEnabled()


def test_export_to_calendar_writes_a_private_ics_file(
    page: EveningsPage, planner: Planner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    planner.evenings.add(THURSDAYS, now=1)
    page.refresh()
    target = tmp_path / "evenings"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Calendar file (*.ics)"))
    page.export_button.click()
    written = target.with_suffix(".ics")
    assert written.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert b"RRULE:FREQ=WEEKLY" in written.read_bytes()
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600
    assert str(written) in page.status.text()


def test_a_failed_export_says_why(page: EveningsPage, planner: Planner, monkeypatch, message_boxes) -> None:  # type: ignore[no-untyped-def]
    planner.evenings.add(THURSDAYS, now=1)
    page.refresh()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("/nonexistent/dir/e.ics", ""))
    page.export_button.click()
    assert message_boxes.errors and "Cannot write /nonexistent/dir/e.ics" in message_boxes.errors[0]


# --- the past evenings and the check-in ---


def test_past_evenings_show_how_they_went_and_can_be_answered(
    qtbot, page: EveningsPage, planner: Planner, store: Store
) -> None:  # type: ignore[no-untyped-def]
    added = planner.evenings.add(THURSDAYS, now=1)
    planner.evenings.check_in(added.id, date(2026, 10, 8), "kept", 0, now=2)
    planner.evenings.check_in(added.id, date(2026, 10, 15), "partly", 0, now=2)
    add_events(store, ("2026-10-22T20:00:00", 600, Category.SOCIAL), ("2026-10-22T18:00:00", 900, Category.SOCIAL))
    page.refresh()
    assert rows(page.history) == [
        "Thu 22 Oct · Board games · Not answered",
        "Thu 15 Oct · Board games · Partly kept",
        "Thu 8 Oct · Board games · Kept",
        "Thu 1 Oct · Board games · Not answered",
    ]
    assert page.streak_label.text() == "Streak: 2 evenings kept in a row."
    page.history.setCurrentRow(0)
    page.checkin_button.click()
    dialog = page.checkin_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.about.text() == "Board games · Thu 22 Oct"
    # Only the 10 minutes during the evening count, not the 15 before it.
    assert dialog.slipped_label.text() == (
        "This computer counted 10 min of social media and messaging during the evening."
    )
    qtbot.mouseClick(dialog.kept_button, qtbot_left())
    assert planner.evenings.checkins()[(added.id, date(2026, 10, 22))] == "kept"
    assert dialog.thanks.text() == "Well done!"
    assert dialog.streak_label.text() == "Streak: 3 evenings kept in a row."
    assert rows(page.history)[0] == "Thu 22 Oct · Board games · Kept"
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_the_check_in_dialog_stores_each_answer_and_a_not_kept_ends_the_streak(qtbot, planner: Planner) -> None:  # type: ignore[no-untyped-def]
    added = planner.evenings.add(THURSDAYS, now=1)
    planner.evenings.check_in(added.id, date(2026, 10, 15), "kept", 0, now=2)
    dialog = CheckinDialog(planner.evenings, added, date(2026, 10, 22), now=planner.now, tz=planner.tz, slipped=0)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "no social media or messaging" in dialog.slipped_label.text()
    assert QApplication.focusWidget() in (dialog.kept_button, None)  # offscreen may not give focus
    with qtbot.waitSignal(dialog.answered, timeout=1000) as answered:
        dialog.not_button.click()
    assert answered.args == ["not"]
    assert planner.evenings.checkins()[(added.id, date(2026, 10, 22))] == "not"
    assert dialog.streak_label.text() == "No streak yet: every evening you keep starts one."

    again = CheckinDialog(planner.evenings, added, date(2026, 10, 22), now=planner.now, tz=planner.tz)
    qtbot.addWidget(again)
    assert "You answered Not kept before" in again.earlier.text() and not again.slipped_label.isVisibleTo(again)
    again.partly_button.click()
    assert planner.evenings.checkins()[(added.id, date(2026, 10, 22))] == "partly"
    assert again.streak_label.text() == "Streak: 2 evenings kept in a row."


# --- goals ---


def test_goals_are_saved_and_show_this_weeks_progress_in_words(
    goals_page: GoalsPage, planner: Planner, store: Store
) -> None:
    add_events(
        store,
        ("2026-10-20T20:00:00", 5400, Category.SOCIAL),
        ("2026-10-23T09:00:00", 1800, Category.MESSAGING),  # today
        ("2026-10-16T20:00:00", 7200, Category.SOCIAL),  # the week before: not counted
    )
    goals_page.refresh()
    assert goals_page.no_goals.isVisible() and not goals_page.save_button.isEnabled()
    total = goals_page.rows[GoalName.WEEKLY_TOTAL]
    total.switch.setChecked(True)
    total.hours.setValue(1)
    total.minutes.setValue(0)  # type: ignore[union-attr]
    daily = goals_page.rows[GoalName.DAILY_TOTAL]
    daily.switch.setChecked(True)
    assert goals_page.status.text() == "Not saved yet." and goals_page.save_button.isEnabled()
    goals_page.save_button.click()

    assert GoalStore(store).all() == [Goal(GoalName.WEEKLY_TOTAL, 3600), Goal(GoalName.DAILY_TOTAL, 3600)]
    assert goals_page.status.text() == "Your goals are saved." and not goals_page.save_button.isEnabled()
    assert not goals_page.no_goals.isVisible()
    assert total.bar.text() == "2 h of 1 h" and total.bar.value() == total.bar.maximum()
    assert total.words.text() == "Limit passed by 1 h this week."
    assert daily.bar.text() == "30 min of 1 h" and daily.words.text() == "30 min left today."
    assert not goals_page.rows[GoalName.WEEKLY_SOCIAL].bar.isVisible()


def test_a_goal_switched_on_at_nothing_is_explained_and_goals_can_be_switched_off(
    goals_page: GoalsPage, planner: Planner
) -> None:
    planner.goals.set([Goal(GoalName.EVENINGS_PER_WEEK, 2), Goal(GoalName.WEEKLY_SOCIAL, 5 * 3600)], [], now=1)
    added = planner.evenings.add(THURSDAYS, now=1)
    planner.evenings.check_in(added.id, date(2026, 10, 22), "partly", 0, now=2)
    goals_page.refresh()
    target = goals_page.rows[GoalName.EVENINGS_PER_WEEK]
    assert target.switch.isChecked() and target.hours.value() == 2
    assert target.bar.text() == "1 of 2 evenings" and target.words.text() == "1 more evening to go this week."
    social = goals_page.rows[GoalName.WEEKLY_SOCIAL]
    social.hours.setValue(0)
    social.minutes.setValue(0)  # type: ignore[union-attr]
    assert not goals_page.save_button.isEnabled()
    assert "Choose more than 0 min for “Social apps, per week”" in goals_page.problems.text()
    social.switch.setChecked(False)
    target.switch.setChecked(False)
    goals_page.save()
    assert planner.goals.all() == []
    assert goals_page.status.text() == "All goals are off now." and goals_page.no_goals.isVisible()


# --- the dashboard's sections ---


@pytest.fixture
def dashboard(qtbot, planner: Planner, store: Store) -> Iterator[Dashboard]:  # type: ignore[no-untyped-def]
    from middenweg.domain.age import AgeGroup
    from middenweg.history import weekly_report, weekly_totals

    loads: list[IsoWeek] = []

    def load(week: IsoWeek) -> WeekData:
        loads.append(week)
        return WeekData(weekly_report(store, week, AMS, AgeGroup.AGE_25_34), weekly_totals(store, week, 12, AMS))

    board = Dashboard(load, lambda: IsoWeek(2026, 43), lambda week, path: 0, planner=planner)
    board.loads = loads  # type: ignore[attr-defined]
    qtbot.addWidget(board)
    yield board


def test_the_dashboard_has_week_evenings_and_goals_sections(dashboard: Dashboard, planner: Planner) -> None:
    assert [dashboard.sections.tabText(i) for i in range(3)] == ["&Week", "E&venings", "&Goals"]
    dashboard.show_evenings()
    assert dashboard.section is Section.EVENINGS and dashboard.windowTitle() == "Your evenings"
    assert dashboard.loads == []  # type: ignore[attr-defined]  # the week is not drawn until it is chosen
    planner.evenings.add(THURSDAYS, now=1)
    dashboard.show_goals()
    assert dashboard.windowTitle() == "Your goals"
    dashboard.show_evenings()  # brought up to date as it shows
    assert dashboard.evenings_page is not None and len(rows(dashboard.evenings_page.evening_list)) == 1
    dashboard.show_section(Section.WEEK)
    assert dashboard.windowTitle() == "Your week" and dashboard.loads == [IsoWeek(2026, 43)]  # type: ignore[attr-defined]


def test_a_kept_evening_counts_toward_the_goal_at_once(dashboard: Dashboard, planner: Planner) -> None:
    planner.goals.set([Goal(GoalName.EVENINGS_PER_WEEK, 1)], [], now=1)
    planner.evenings.add(THURSDAYS, now=1)
    dashboard.show_evenings()
    page, goals = dashboard.evenings_page, dashboard.goals_page
    assert page is not None and goals is not None
    page.history.setCurrentRow(0)
    page.checkin_button.click()
    assert page.checkin_dialog is not None
    page.checkin_dialog.kept_button.click()
    assert goals.rows[GoalName.EVENINGS_PER_WEEK].words.text() == "Target reached. Well done!"


def test_every_control_has_a_name_and_no_mnemonic_is_used_twice(qtbot, dashboard: Dashboard, planner: Planner) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QDateTimeEdit, QLabel, QLineEdit, QListWidget

    planner.evenings.add(THURSDAYS, now=1)
    dashboard.show()
    tabs = [dashboard.sections.tabText(i) for i in range(dashboard.sections.count())]
    for section in Section:
        dashboard.show_section(section)
        page = dashboard.sections.currentWidget()
        controls = page.findChildren(QAbstractButton) + page.findChildren(QLabel)
        letters = mnemonics(controls) + [t[t.index("&") + 1].lower() for t in tabs]
        assert len(letters) == len(set(letters)), letters
        for kind in (QAbstractButton, QAbstractSpinBox, QListWidget):
            for control in page.findChildren(kind):
                if control.isVisible():  # a button's text names it too
                    assert control.accessibleName() or getattr(control, "text", str)(), control
    assert dashboard.evenings_page is not None
    dialog = open_dialog(dashboard.evenings_page, "edit")
    for weekly in (True, False):
        (dialog.weekly if weekly else dialog.once).setChecked(True)
        letters = mnemonics(dialog.findChildren(QAbstractButton) + dialog.findChildren(QLabel))
        assert len(letters) == len(set(letters)), letters
    for kind in (QAbstractButton, QAbstractSpinBox, QDateTimeEdit, QLineEdit):
        for control in dialog.findChildren(kind):
            inner = control.objectName().startswith("qt_")  # a spin box's own line edit: the box has the name
            if control.isVisible() and control.focusPolicy() and not inner:
                assert control.accessibleName(), control
    dialog.reject()


def test_the_evening_dialog_is_reachable_by_keyboard(qtbot, page: EveningsPage) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    dialog = open_dialog(page)
    qtbot.waitExposed(dialog)
    seen: list[QWidget] = []
    widget: QWidget = dialog.title
    for _ in range(300):
        if widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            if widget in seen:
                break
            seen.append(widget)
        widget = widget.nextInFocusChain()
    for control in (
        dialog.title, dialog.friends, dialog.phone_free, dialog.weekly, *dialog.weekday_boxes, dialog.every,
        dialog.starting, dialog.start_time, dialog.end_time, dialog.day_before, dialog.before, dialog.minutes_before,
        dialog.at_start, dialog.end_note, dialog.checkin, dialog.cancel_button,
    ):  # fmt: skip
        assert control in seen, control
    assert [box.accessibleName() for box in dialog.weekday_boxes][:2] == ["Monday", "Tuesday"]
    dialog.reject()


# --- the tray ---


def test_the_tray_shows_the_evening_and_then_its_normal_state(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tray = Tray(lambda: CategorySeconds(60, 0, 0), PauseFile(tmp_path / "p.json"), lambda spec: 1e10)
    assert tray.menu.actions()[0].text().startswith("Social today")
    tray.set_evening(evening_line(EveningKind.PHONE_FREE, 80 * 60))
    first = tray.menu.actions()[0]
    assert first.text() == "Phone-free evening: 1 h 20 min left" and not first.isEnabled()
    assert tray.menu.actions()[1].isSeparator()
    assert tray.icon_name == "evening.svg"
    assert tray.icon.toolTip().startswith("Phone-free evening: 1 h 20 min left\n")
    tray.set_state(TrackState.PAUSED.value)
    assert tray.icon_name == "paused.svg"  # that tracking is paused matters more
    tray.set_state(TrackState.RECORDING.value)
    assert tray.icon_name == "evening.svg"
    tray.set_evening(evening_line(EveningKind.SCREEN_FREE, 20))
    assert tray.menu.actions()[0].text() == "Screen-free evening: 1 min left"
    assert sum(1 for action in tray.menu.actions() if action is tray.evening_action) == 1
    tray.set_evening(None)
    assert tray.menu.actions()[0].text().startswith("Social today")
    assert tray.icon_name == "tracking.svg" and "evening" not in tray.icon.toolTip()
    with qtbot.waitSignal(tray.evenings_requested, timeout=1000):
        tray.evenings_action.trigger()
    with qtbot.waitSignal(tray.goals_requested, timeout=1000):
        tray.goals_action.trigger()


# --- the language ---


def test_a_language_change_applies_to_the_new_sections_at_once(qtbot, dashboard: Dashboard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Needs the Dutch strings of these sections in nl.po (merged by the lead)."""
    from middenweg import i18n

    tray = Tray(lambda: CategorySeconds(60, 0, 0), PauseFile(tmp_path / "p.json"), lambda spec: 1e10)
    dashboard.show_evenings()
    i18n.activate("nl")
    tray.retranslate()
    dashboard.retranslate()
    assert tray.evenings_action.text() == "A&vonden…" and tray.goals_action.text() == "&Doelen…"
    assert [dashboard.sections.tabText(i) for i in range(3)] == ["&Week", "&Avonden", "D&oelen"]
    assert dashboard.windowTitle() == "Jouw avonden"
    assert dashboard.evenings_page is not None and dashboard.goals_page is not None
    assert dashboard.evenings_page.add_button.text() == "&Toevoegen…"
    assert dashboard.goals_page.save_button.text() == "Doelen o&pslaan"
    assert "Nog 0 min" not in dashboard.goals_page.no_goals.text()
    tray.set_evening(evening_line(EveningKind.PHONE_FREE, 3600))
    assert tray.menu.actions()[0].text() == "Telefoonvrije avond: nog 1 u"


def test_no_mnemonic_is_used_twice_in_dutch_either(qtbot, dashboard: Dashboard, planner: Planner) -> None:  # type: ignore[no-untyped-def]
    """Needs the Dutch strings of these sections in nl.po (merged by the lead)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    from middenweg import i18n

    planner.evenings.add(THURSDAYS, now=1)
    i18n.activate("nl")
    dashboard.retranslate()
    dashboard.show()
    tabs = [dashboard.sections.tabText(i) for i in range(dashboard.sections.count())]
    assert tabs[1] != "E&venings"  # translated
    for section in Section:
        dashboard.show_section(section)
        page = dashboard.sections.currentWidget()
        letters = mnemonics(page.findChildren(QAbstractButton) + page.findChildren(QLabel))
        letters += [t[t.index("&") + 1].lower() for t in tabs]
        assert len(letters) == len(set(letters)), letters
    assert dashboard.evenings_page is not None
    dashboard.show_evenings()
    dialog = open_dialog(dashboard.evenings_page, "edit")
    for weekly in (True, False):
        (dialog.weekly if weekly else dialog.once).setChecked(True)
        letters = mnemonics(dialog.findChildren(QAbstractButton) + dialog.findChildren(QLabel))
        assert len(letters) == len(set(letters)), letters
    dialog.reject()
