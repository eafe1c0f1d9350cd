"""What the tray application offers for evenings: the dashboard opened on Evenings or Goals from the tray menu, and
the morning check-in window (what the reminder scheduler opens when its notification is clicked)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication

from fakes import FakeClock
from middenweg.bootstrap import Context
from middenweg.domain.categories import Category
from middenweg.domain.evenings import Evening, EveningChange, EveningKind
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.gui.app import TrayApplication
from middenweg.gui.dashboard import Section
from middenweg.instance import InstanceLock
from middenweg.storage.evening_store import EveningStore
from middenweg.storage.records import DeviceSpec

pytestmark = pytest.mark.gui
AMS = ZoneInfo("Europe/Amsterdam")


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=AMS).timestamp())


@pytest.fixture
def tray_app(qapp: QApplication, tmp_path: Path) -> Iterator[TrayApplication]:
    clock = FakeClock(at("2026-10-23T08:00:00"))
    ctx = Context.create({"MIDDENWEG_HOME": str(tmp_path / "home"), "TZ": "Europe/Amsterdam"}, clock=clock)
    ctx.paths.ensure()
    lock = InstanceLock(ctx.paths.data_dir / "tracker.lock", "test")
    lock.acquire()
    application = TrayApplication(ctx, qapp, None, lock)
    yield application
    application.dashboard.hide()
    application.stop()


def thursdays(
    tray_app: TrayApplication, kind: EveningKind = EveningKind.SCREEN_FREE, first: date = date(2026, 10, 1)
) -> Evening:
    return EveningStore(tray_app.store).add(
        Evening(0, "Reading", kind, time(20), time(23), first, weekdays=(3,), time_zone="Europe/Amsterdam"), now=1
    )


def test_the_tray_menu_opens_the_dashboard_on_evenings_or_goals(qtbot, tray_app: TrayApplication) -> None:  # type: ignore[no-untyped-def]
    thursdays(tray_app)
    tray_app.tray.evenings_action.trigger()
    board = tray_app.dashboard
    assert board.isVisible() and board.section is Section.EVENINGS and board.windowTitle() == "Your evenings"
    assert board.data is None  # the week (and matplotlib) is not drawn for the Evenings section
    assert board.evenings_page is not None and board.evenings_page.evening_list.count() == 1
    assert "next Thu 29 Oct, 20:00" in board.evenings_page.evening_list.item(0).text()
    tray_app.tray.goals_action.trigger()
    assert board.section is Section.GOALS and board.windowTitle() == "Your goals"


def test_show_checkin_asks_about_the_evening_and_stores_the_answer(qtbot, tray_app: TrayApplication) -> None:  # type: ignore[no-untyped-def]
    evening = thursdays(tray_app)
    device = tray_app.store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    tray_app.store.add_events(
        device,
        [
            UsageEvent(at("2026-10-22T21:00:00"), 900, "editor", None, Category.OTHER, "Editor"),
            UsageEvent(at("2026-10-22T19:00:00"), 900, "editor", None, Category.OTHER, "Editor"),  # before it began
        ],
    )
    tray_app.show_dashboard()  # open on the week: the check-in must update the evenings too
    assert tray_app.show_checkin(evening.id, date(2026, 10, 22))
    dialog = tray_app._checkin
    assert dialog.isVisible() and dialog.about.text() == "Reading · Thu 22 Oct"
    assert dialog.slipped_label.text() == "This computer was in use for 15 min during the evening."
    dialog.partly_button.click()
    stored = EveningStore(tray_app.store)
    assert stored.checkins() == {(evening.id, date(2026, 10, 22)): "partly"}
    assert dialog.streak_label.text() == "Streak: 1 evening kept in a row."
    page = tray_app.dashboard.evenings_page
    assert page is not None and page.history.item(0).text() == "Thu 22 Oct · Reading · Partly kept"
    dialog.close_button.click()


def test_show_checkin_of_a_moved_or_gone_evening(qtbot, tray_app: TrayApplication) -> None:  # type: ignore[no-untyped-def]
    evening = thursdays(tray_app, EveningKind.PHONE_FREE)
    store = EveningStore(tray_app.store)
    store.set_change(EveningChange(evening.id, date(2026, 10, 22), date(2026, 10, 21), time(19), time(21)))
    device = tray_app.store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    tray_app.store.add_events(
        device, [UsageEvent(at("2026-10-21T20:00:00"), 300, "firefox", None, Category.SOCIAL, "Instagram")]
    )
    assert tray_app.show_checkin(evening.id, date(2026, 10, 22))  # counted where the evening took place
    assert "5 min of social media and messaging" in tray_app._checkin.slipped_label.text()
    assert tray_app.show_checkin(evening.id, date(2026, 10, 15), slipped_seconds=0)  # replaces the first window
    assert "no social media" in tray_app._checkin.slipped_label.text()
    store.remove(evening.id, now=2)
    assert not tray_app.show_checkin(evening.id, date(2026, 10, 22))


# --- the scheduler in the tray app ---


def delivered(tray_app: TrayApplication) -> list[str]:
    """The notification titles delivered so far: with no notification service and no visible tray icon in this test,
    the chain falls through to its last link, the log file."""
    log = tray_app.ctx.paths.log_dir / "notifications.log"
    return [line.split("\t")[1] for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def test_the_tray_app_reminds_shows_the_evening_and_asks_the_next_morning(qtbot, tray_app: TrayApplication) -> None:  # type: ignore[no-untyped-def]
    thursdays(tray_app, EveningKind.PHONE_FREE, first=date(2026, 10, 29))
    clock = tray_app.ctx.clock
    assert isinstance(clock, FakeClock)
    clock.now = at("2026-10-29T19:29:00")
    tray_app.reminders.wake()
    assert delivered(tray_app) == [] and tray_app.reminders.due_at == at("2026-10-29T19:30:00")
    clock.now = at("2026-10-29T19:30:02")
    tray_app.reminders.wake()
    assert delivered(tray_app) == ["Reading starts in 30 minutes"]
    assert tray_app.tray.evening is None and tray_app.tray.icon_name == "tracking.svg"

    clock.now = at("2026-10-29T20:00:03")
    tray_app.reminders.wake()
    tray_app.reminders.wake()  # a second wake-up at the same moment shows nothing again
    assert delivered(tray_app) == ["Reading starts in 30 minutes", "Reading starts now"]
    assert tray_app.tray.evening == "Phone-free evening: 2 h 59 min left"
    assert tray_app.tray.icon_name == "evening.svg"
    assert tray_app.tray.menu.actions()[0].text() == "Phone-free evening: 2 h 59 min left"

    clock.now = at("2026-10-29T23:00:01")
    tray_app.reminders.wake()
    assert delivered(tray_app)[-1] == "Well done: Reading is over"
    assert tray_app.tray.evening is None and tray_app.tray.icon_name == "tracking.svg"

    clock.now = at("2026-10-30T09:00:30")
    tray_app.reminders.wake()
    assert delivered(tray_app)[-1] == "How did your evening go?"
    dialog = tray_app._checkin  # the check-in notification opens the question too
    assert dialog.isVisible() and dialog.about.text() == "Reading · Thu 29 Oct"


def test_a_skip_made_in_the_dashboard_holds_back_the_reminder_at_once(qtbot, tray_app: TrayApplication) -> None:  # type: ignore[no-untyped-def]
    thursdays(tray_app, first=date(2026, 10, 29))
    clock = tray_app.ctx.clock
    assert isinstance(clock, FakeClock)
    clock.now = at("2026-10-29T19:00:00")
    tray_app.reminders.wake()
    assert tray_app.reminders.due_at == at("2026-10-29T19:30:00")  # the plans are read and kept for a minute
    tray_app.show_evenings()
    page = tray_app.dashboard.evenings_page
    assert page is not None
    page.evening_list.setCurrentRow(0)
    page.skip_next()  # tells the scheduler, which plans again without waiting for its minute
    assert tray_app.reminders.due_at != at("2026-10-29T19:30:00")
    clock.now = at("2026-10-29T20:00:01")
    tray_app.reminders.wake()
    assert delivered(tray_app) == []


def test_the_goals_section_shows_last_weeks_summary(qtbot, tray_app: TrayApplication) -> None:  # type: ignore[no-untyped-def]
    device = tray_app.store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    tray_app.store.add_events(
        device,
        [
            UsageEvent(at("2026-10-14T21:00:00"), 3600, "chat", None, Category.MESSAGING, "WhatsApp"),  # week 42
            UsageEvent(at("2026-10-20T21:00:00"), 5400, "social", None, Category.SOCIAL, "Instagram"),  # week 43
        ],
    )
    tray_app.show_goals()  # Friday 23 October: last week is week 42
    page = tray_app.dashboard.goals_page
    assert page is not None and page.summary.isVisible()
    assert page.summary_heading.text() == "Last week (week 42) in short"
    assert page.summary.text().startswith("Social media and messaging: 1 h (1 h more than the week before).")
    assert "Phone-free evenings kept: 0; streak: 0." in page.summary.text()


def test_the_tray_menu_shows_each_goals_progress_and_follows_the_goals_page(qtbot, tray_app: TrayApplication) -> None:  # type: ignore[no-untyped-def]
    from middenweg.domain.goals import Goal, GoalName
    from middenweg.storage.goal_store import GoalStore

    device = tray_app.store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    tray_app.store.add_events(
        device, [UsageEvent(at("2026-10-20T21:00:00"), 5400, "social", None, Category.SOCIAL, "Instagram")]
    )
    tray_app.tray.refresh()
    assert tray_app.tray.goal_actions == []  # no goals, no lines
    GoalStore(tray_app.store).set([Goal(GoalName.WEEKLY_TOTAL, 7 * 3600)], (), now=1)
    tray_app.tray.menu.aboutToShow.emit()  # what opening the menu does
    assert [a.text() for a in tray_app.tray.goal_actions] == [
        "Social and messaging this week: 1 h 30 min of 7 h (21 %)"
    ]
    menu = [action.text() for action in tray_app.tray.menu.actions()]
    assert menu.index("Social and messaging this week: 1 h 30 min of 7 h (21 %)") == 3  # right after today's lines

    tray_app.show_goals()
    page = tray_app.dashboard.goals_page
    assert page is not None
    page.rows[GoalName.EVENINGS_PER_WEEK].switch.setChecked(True)
    page.save_button.click()
    assert [a.text() for a in tray_app.tray.goal_actions] == [
        "Social and messaging this week: 1 h 30 min of 7 h (21 %)",
        "Phone-free evenings kept this week: 0 of 2",
    ]
