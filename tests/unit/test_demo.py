"""The demo home as `middenweg demo` opens it: six weeks of believable usage up to now, kept apart from real data.

The home is built once per module (it takes about half a second) and read the way the dashboard reads it.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from middenweg.bootstrap import Context
from middenweg.config import get_value, load_settings
from middenweg.demo import DEVICE_NAME, DemoError, demo_activities, demo_paths, demo_root, make_demo_home
from middenweg.domain.age import AgeGroup
from middenweg.domain.categories import Category
from middenweg.domain.weeks import IsoWeek, local_midnight
from middenweg.history import current_week, weekly_report
from middenweg.storage.records import StoredEvent
from middenweg.storage.store import Store

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A Thursday evening: the current week is partial, with its Friday to Sunday still ahead.
NOW = datetime(2026, 3, 12, 21, 30, 15, tzinfo=AMSTERDAM).timestamp()


def events_of(root: Path) -> list[StoredEvent]:
    store = Store.open(demo_paths(root).database_file)
    try:
        return list(store.iter_events())
    finally:
        store.close()


def without_device(events: list[StoredEvent]) -> list[tuple[object, ...]]:
    # The device's uid is a fresh uuid in every home; everything else must repeat.
    return [(e.start, e.duration, e.app, e.title, e.category, e.label) for e in events]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo_home(tmp_path_factory.mktemp("demo") / "home", now=NOW, tz=AMSTERDAM)


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    s = Store.open(demo_paths(home).database_file)
    yield s
    s.close()


@pytest.fixture(scope="module")
def events(home: Path) -> list[StoredEvent]:
    """The laptop's events (the phone's entered time is tested on its own)."""
    store = Store.open(demo_paths(home).database_file)
    try:
        laptop = next(d.uid for d in store.devices() if d.name == DEVICE_NAME)
    finally:
        store.close()
    return [e for e in events_of(home) if e.device_uid == laptop]


def test_six_weeks_each_with_social_and_messaging_time_and_nothing_before(store: Store) -> None:
    week = current_week(NOW, AMSTERDAM)
    for weeks_ago in range(6):
        totals = weekly_report(store, week.shifted(-weeks_ago), AMSTERDAM, AgeGroup.AGE_25_34).totals
        assert totals.social > 0, weeks_ago
        assert totals.messaging > 0, weeks_ago
        assert totals.other > 0, weeks_ago
    assert weekly_report(store, week.shifted(-6), AMSTERDAM, None).totals.total == 0


def test_the_current_week_stops_at_now(store: Store) -> None:
    report = weekly_report(store, current_week(NOW, AMSTERDAM), AMSTERDAM, None)
    today = datetime.fromtimestamp(NOW, AMSTERDAM).date()
    for day in report.days:
        if day.date > today:
            assert day.seconds.total == 0, day.date
        else:
            assert day.seconds.total > 0, day.date
    assert report.days[3].date == today
    assert report.days[3].seconds.total <= NOW - local_midnight(today, AMSTERDAM)
    extent = store.extent()
    assert extent is not None
    assert extent[1] <= NOW
    # Used right up to this evening, as someone trying the app would be.
    assert extent[1] > NOW - 3 * 3600


@settings(max_examples=8, deadline=None)
@given(
    now=st.integers(
        int(datetime(2026, 3, 20, tzinfo=AMSTERDAM).timestamp()),
        int(datetime(2026, 4, 20, tzinfo=AMSTERDAM).timestamp()),
    ),
    zone=st.sampled_from(["Europe/Amsterdam", "America/New_York", "Asia/Kolkata"]),
    weeks=st.integers(1, 7),
)
def test_activity_starts_on_a_monday_never_overlaps_and_never_reaches_past_now(now: int, zone: str, weeks: int) -> None:
    tz = ZoneInfo(zone)
    monday = current_week(now, tz).shifted(1 - weeks).monday
    previous_end = local_midnight(monday, tz)
    for activity in demo_activities(weeks=weeks, now=now, tz=tz, seed=3):
        assert activity.start >= previous_end
        assert activity.duration >= 1
        previous_end = activity.end
    assert previous_end <= now


def test_same_seed_same_home_other_seed_other_home(tmp_path: Path, home: Path) -> None:
    again = make_demo_home(tmp_path / "again", now=NOW, tz=AMSTERDAM)
    other = make_demo_home(tmp_path / "other", now=NOW, tz=AMSTERDAM, seed=12)
    events = events_of(home)  # the laptop's and the phone's
    assert without_device(events_of(again)) == without_device(events)
    assert without_device(events_of(other)) != without_device(events)


def test_writes_nothing_outside_its_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    # Every place Middenweg or a library could fall back to: the real home's variables and the temporary folder.
    folders = {name: elsewhere / name for name in ("middenweg-home", "home", "config", "data", "state", "cache", "tmp")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    monkeypatch.setenv("MIDDENWEG_HOME", str(folders["middenweg-home"]))
    monkeypatch.setenv("HOME", str(folders["home"]))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folders["config"]))
    monkeypatch.setenv("XDG_DATA_HOME", str(folders["data"]))
    monkeypatch.setenv("XDG_STATE_HOME", str(folders["state"]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(folders["cache"]))
    monkeypatch.setattr(tempfile, "tempdir", str(folders["tmp"]))

    root = tmp_path / "demo"
    assert make_demo_home(root, now=NOW, tz=AMSTERDAM) == root
    for name, folder in folders.items():
        assert list(folder.iterdir()) == [], name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "elsewhere"]
    assert sorted(p.name for p in root.iterdir()) == ["config", "data", "logs"]
    paths = demo_paths(root)
    assert paths.settings_file.is_file()
    assert paths.database_file.is_file()


def test_settings_say_25_to_34_and_the_demo_laptop(home: Path, store: Store) -> None:
    settings = load_settings(demo_paths(home).settings_file)
    assert settings.age_group is AgeGroup.AGE_25_34
    assert get_value(settings, "age-group") == "25-34"
    assert settings.time_zone == "Europe/Amsterdam"
    assert [d.name for d in store.devices()] == [DEVICE_NAME, "Phone (entered by hand)"]
    assert DEVICE_NAME == "Demo laptop"


def test_the_phone_has_each_day_before_today_entered_and_the_calm_week_is_calm_there_too(store: Store) -> None:
    week = current_week(NOW, AMSTERDAM)
    phone = [d.id for d in store.devices() if d.kind.value == "phone"]
    today = datetime.fromtimestamp(NOW, AMSTERDAM).date()
    social = {}
    for weeks_ago in range(6):
        report = weekly_report(store, week.shifted(-weeks_ago), AMSTERDAM, None, device_ids=phone)
        for day in report.days:
            assert (day.seconds.total > 0) == (day.date < today), day.date
            assert day.seconds.social + day.seconds.messaging < day.seconds.total or day.date >= today
        social[weeks_ago] = report.totals.social
    assert social[3] < 0.5 * min(s for weeks_ago, s in social.items() if weeks_ago not in (0, 3))
    assert weekly_report(store, week.shifted(-1), AMSTERDAM, None).scope.value == "with-phone"


def test_social_share_is_plausible(events: list[StoredEvent]) -> None:
    seconds = dict.fromkeys(Category, 0)
    for event in events:
        seconds[event.category] += event.duration
    total = sum(seconds.values())
    assert 0.10 <= seconds[Category.SOCIAL] / total <= 0.60
    assert 0.03 <= seconds[Category.MESSAGING] / total <= 0.30
    # Between four and eleven hours a day at the computer, as a person with a desk job might have.
    days = (NOW - events[0].start) / 86400
    assert 4 <= total / 3600 / days <= 11


def test_evenings_are_heavier_on_social_media_and_weekends_are_shorter(events: list[StoredEvent]) -> None:
    def social_share(selected: list[StoredEvent]) -> float:
        total = sum(e.duration for e in selected)
        return sum(e.duration for e in selected if e.category is Category.SOCIAL) / total

    local = [(datetime.fromtimestamp(e.start, AMSTERDAM), e) for e in events]
    weekday_daytime = [e for moment, e in local if moment.weekday() < 5 and 9 <= moment.hour < 17]
    weekday_evening = [e for moment, e in local if moment.weekday() < 5 and moment.hour >= 19]
    assert social_share(weekday_evening) > 2 * social_share(weekday_daytime)

    per_day: dict[date, int] = {}
    for moment, event in local:
        per_day[moment.date()] = per_day.get(moment.date(), 0) + event.duration
    weekend = [s for d, s in per_day.items() if d.weekday() >= 5]
    weekday = [s for d, s in per_day.items() if d.weekday() < 5]
    assert statistics.mean(weekend) < 0.85 * statistics.mean(weekday)


def test_one_week_is_clearly_calmer_on_social_media(store: Store) -> None:
    week = current_week(NOW, AMSTERDAM)
    full_weeks = [week.shifted(-n) for n in range(1, 6)]
    social = {w: weekly_report(store, w, AMSTERDAM, None).totals.social for w in full_weeks}
    calmest = min(social, key=social.__getitem__)
    others = [s for w, s in social.items() if w != calmest]
    assert social[calmest] < 0.5 * min(others)


def test_a_folder_that_holds_something_is_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "taken"
    root.mkdir()
    (root / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(DemoError, match="not an empty folder"):
        make_demo_home(root, now=NOW, tz=AMSTERDAM)
    assert [p.name for p in root.iterdir()] == ["notes.txt"]
    assert (root / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_demo_root_is_a_new_empty_folder_each_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    first, second = demo_root(), demo_root()
    assert first != second
    for root in (first, second):
        assert root.parent == tmp_path
        assert root.name.startswith("middenweg-demo-")
        assert list(root.iterdir()) == []
        # Someone's usage, even a made-up one, is readable by its owner alone.
        assert os.stat(root).st_mode & 0o077 == 0
    make_demo_home(first, now=NOW, tz=AMSTERDAM, weeks=1)
    monday = IsoWeek.containing(datetime.fromtimestamp(NOW, AMSTERDAM).date()).monday
    assert min(e.start for e in events_of(first)) >= local_midnight(monday, AMSTERDAM)


def test_the_app_opens_the_demo_home_as_this_computer(tmp_path: Path) -> None:
    root = make_demo_home(tmp_path / "home", now=NOW, tz=AMSTERDAM)
    context = Context.create({"MIDDENWEG_HOME": str(root), "LANGUAGE": "en"})
    try:
        assert context.tz.key == "Europe/Amsterdam"
        assert context.settings.age_group is AgeGroup.AGE_25_34
        # A tracker on the demo home would add to the demo laptop, not make a second device.
        assert context.local_device().name == "Demo laptop"
        assert [d.kind.value for d in context.store().devices()] == ["computer", "phone"]  # no second computer
        assert weekly_report(context.store(), current_week(NOW, context.tz), context.tz, None).totals.social > 0
    finally:
        context.close()


def test_the_demo_has_a_weekly_evening_with_a_streak_and_two_goals(store: Store) -> None:
    from middenweg.domain.goals import Goal, GoalName
    from middenweg.history import evening_streak
    from middenweg.storage.evening_store import EveningStore
    from middenweg.storage.goal_store import GoalStore

    evenings = EveningStore(store)
    [evening] = evenings.all()
    assert evening.weekdays == (3,) and evening.friends == ("Sanne", "Joris")
    answers = evenings.checkins()
    # NOW is Thursday 12 March 21:30, during that evening: the five Thursdays before it are answered, no more.
    assert sorted(day.isoformat() for _id, day in answers) == [
        "2026-02-05", "2026-02-12", "2026-02-19", "2026-02-26", "2026-03-05",
    ]  # fmt: skip
    assert evening_streak(evenings, int(NOW), AMSTERDAM) == 3
    assert sorted(GoalStore(store).all(), key=lambda g: g.name) == [
        Goal(GoalName.EVENINGS_PER_WEEK, 1),
        Goal(GoalName.WEEKLY_TOTAL, 7 * 3600),
    ]
