"""Storage as reports and imports see it: exact days in any zone, no double counting, all-or-nothing imports."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.domain.weeks import IsoWeek, day_boundaries, week_boundaries
from middenweg.storage.models import QUARTER
from middenweg.storage.records import DayUsage, DeviceRecord, DeviceSpec, ImportBatch
from middenweg.storage.store import Store, split_at_quarters

AMS = ZoneInfo("Europe/Amsterdam")
LAPTOP = DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER)


def at(text: str, tz: ZoneInfo = AMS) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=tz).timestamp())


def social(start: int, seconds: int, label: str = "Facebook") -> UsageEvent:
    return UsageEvent(start, seconds, "firefox", f"{label} — Mozilla Firefox", Category.SOCIAL, label)


def chat(start: int, seconds: int) -> UsageEvent:
    return UsageEvent(start, seconds, "WhatsApp", "WhatsApp", Category.MESSAGING, "WhatsApp")


def brute_force_per_day(events: list[UsageEvent], bounds: list[int]) -> dict[tuple[int, Category], int]:
    """An independent oracle: count every second on its own."""
    out: dict[tuple[int, Category], int] = {}
    for e in events:
        for second in range(e.start, e.end):
            for d in range(len(bounds) - 1):
                if bounds[d] <= second < bounds[d + 1]:
                    out[(d, e.category)] = out.get((d, e.category), 0) + 1
    return out


def per_day(store: Store, bounds: list[int]) -> dict[tuple[int, Category], int]:
    out: dict[tuple[int, Category], int] = {}
    for usage in store.day_usage(bounds):
        out[(usage.day, usage.category)] = out.get((usage.day, usage.category), 0) + usage.seconds
    return out


def test_pieces_never_cross_a_quarter_and_add_up() -> None:
    pieces = list(split_at_quarters(1000, 5000))
    assert sum(d for _, d in pieces) == 4000
    assert all(s // QUARTER == (s + d - 1) // QUARTER for s, d in pieces)


def test_an_evening_across_midnight_counts_on_both_days(store: Store) -> None:
    device = store.ensure_device(LAPTOP)
    store.add_events(device, [social(at("2026-11-18T23:30:00"), 3600)])
    bounds = week_boundaries(IsoWeek(2026, 47), AMS)
    assert per_day(store, bounds) == {(2, Category.SOCIAL): 1800, (3, Category.SOCIAL): 1800}


def test_the_week_clocks_go_back_has_a_25_hour_sunday(store: Store) -> None:
    device = store.ensure_device(LAPTOP)
    week = IsoWeek(2026, 43)  # Monday 19 – Sunday 25 October 2026; clocks go back on the 25th at 03:00
    bounds = week_boundaries(week, AMS)
    assert bounds[7] - bounds[6] == 25 * 3600
    # Use the whole Sunday: 00:00 to 24:00 local is 25 hours of wall time.
    store.add_events(device, [chat(bounds[6] + i * 600, 600) for i in range(150)])
    assert per_day(store, bounds) == {(6, Category.MESSAGING): 25 * 3600}


def test_the_week_clocks_go_forward_has_a_23_hour_sunday(store: Store) -> None:
    device = store.ensure_device(LAPTOP)
    bounds = week_boundaries(IsoWeek(2026, 13), AMS)  # 29 March 2026
    assert bounds[7] - bounds[6] == 23 * 3600
    store.add_events(device, [chat(bounds[6] - 300, 23 * 3600 + 600)])
    assert per_day(store, bounds) == {(5, Category.MESSAGING): 300, (6, Category.MESSAGING): 23 * 3600}


def test_a_zone_off_the_quarter_grid_is_still_exact(store: Store) -> None:
    # Amsterdam in 1930 was UTC+00:19:32: local midnight falls mid-quarter, so pieces cross day boundaries.
    device = store.ensure_device(LAPTOP)
    days = [date(1930, 6, 2 + i) for i in range(3)]
    bounds = day_boundaries(days, AMS)
    assert any(b % QUARTER for b in bounds)
    events = [social(bounds[1] - 1000, 2500), chat(bounds[2] - 17, 50), social(bounds[0] - 100, 200)]
    store.add_events(device, events)
    assert per_day(store, bounds) == brute_force_per_day(events, bounds)


def test_a_week_off_the_quarter_grid_gives_each_device_its_exact_share(store: Store) -> None:
    laptop = store.ensure_device(LAPTOP)
    phone = store.ensure_device(DeviceSpec("phone", "Phone", DeviceKind.PHONE))
    days = [date(1930, 6, 2 + i) for i in range(7)]
    bounds = day_boundaries(days, AMS)  # UTC+00:19:32: every midnight falls inside a quarter
    mine = [social(bounds[1] - 1000, 2500), chat(bounds[3] - 17, 50), social(bounds[0] - 100, 200)]
    theirs = [chat(bounds[1] - 30, 90), social(bounds[6] + 60, 600)]
    store.add_events(laptop, mine)
    store.add_events(phone, theirs)

    usage = store.week_usage(bounds, (bounds[0] - 7 * 86_400, bounds[0]))

    def counted(rows: list[DayUsage]) -> dict[tuple[int, Category], int]:
        out: dict[tuple[int, Category], int] = {}
        for row in rows:
            out[row.day, row.category] = out.get((row.day, row.category), 0) + row.seconds
        return out

    assert counted(usage.days) == brute_force_per_day(mine + theirs, bounds)
    assert counted(usage.devices[laptop.id]) == brute_force_per_day(mine, bounds)
    assert counted(usage.devices[phone.id]) == brute_force_per_day(theirs, bounds)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    gaps=st.lists(st.tuples(st.integers(0, 4000), st.integers(1, 5000), st.booleans()), min_size=1, max_size=12),
    zone=st.sampled_from(["Europe/Amsterdam", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe"]),
    first=st.dates(date(2025, 1, 1), date(2027, 12, 1)),
)
def test_day_totals_match_a_second_by_second_count(
    store: Store, gaps: list[tuple[int, int, bool]], zone: str, first: date
) -> None:
    tz = ZoneInfo(zone)
    days = [date.fromordinal(first.toordinal() + i) for i in range(3)]
    bounds = day_boundaries(days, tz)
    store.forget_all()
    device = store.ensure_device(LAPTOP)
    events, cursor = [], bounds[1] - 20_000
    for gap, length, is_social in gaps:
        cursor += gap
        events.append(social(cursor, length) if is_social else chat(cursor, length))
        cursor += length
    store.add_events(device, events)
    assert per_day(store, bounds) == brute_force_per_day(events, bounds)


def test_importing_the_same_events_twice_changes_nothing(store: Store) -> None:
    events = [social(at("2026-11-16T20:00:00"), 1200), chat(at("2026-11-16T20:20:00"), 300)]
    first = store.import_batches([ImportBatch(LAPTOP, events)])
    again = store.import_batches([ImportBatch(LAPTOP, events)])
    assert first[0].added_seconds == 1500 and first[0].skipped_seconds == 0
    assert again[0].added_seconds == 0 and again[0].skipped_seconds == 1500
    bounds = week_boundaries(IsoWeek(2026, 47), AMS)
    assert per_day(store, bounds) == {(0, Category.SOCIAL): 1200, (0, Category.MESSAGING): 300}


def test_a_longer_export_adds_only_the_new_part(store: Store) -> None:
    monday = at("2026-11-16T20:00:00")
    store.import_batches([ImportBatch(LAPTOP, [social(monday, 600)])])
    # The next export: the same event, which AW kept extending, and one more.
    result = store.import_batches([ImportBatch(LAPTOP, [social(monday, 900), chat(monday + 1000, 100)])])
    assert (result[0].added_seconds, result[0].skipped_seconds) == (400, 600)


def test_time_already_tracked_on_the_same_device_is_not_imported_again(store: Store) -> None:
    device = store.ensure_device(LAPTOP)
    start = at("2026-11-17T12:00:00")
    store.add_events(device, [chat(start, 600)])
    result = store.import_batches([ImportBatch(LAPTOP, [social(start - 300, 1200)])])
    assert (result[0].added_seconds, result[0].skipped_seconds) == (600, 600)


def test_an_import_that_fails_half_way_stores_nothing(store: Store) -> None:
    phone = DeviceSpec("android:pixel", "Pixel", DeviceKind.PHONE)
    batches = [
        ImportBatch(LAPTOP, [social(1_800_000_000, 60)]),
        ImportBatch(phone, [chat(1_800_000_000, 60)]),
    ]

    def fail_after_first(done: int, total: int) -> None:
        if done == 1:
            raise RuntimeError("disk pulled out")

    with pytest.raises(RuntimeError):
        store.import_batches(batches, progress=fail_after_first)
    assert store.event_count() == 0
    assert store.devices() == []
    # and the store still works afterwards
    store.import_batches(batches)
    assert store.event_count() == 2


def test_forgetting_a_day_keeps_the_days_around_it(store: Store) -> None:
    device = store.ensure_device(LAPTOP)
    tuesday = week_boundaries(IsoWeek(2026, 47), AMS)[1]
    store.add_events(device, [social(tuesday - 600, 1200), chat(tuesday + 3600, 60)])
    removed = store.forget(tuesday, tuesday + 86400)
    assert removed > 0
    bounds = week_boundaries(IsoWeek(2026, 47), AMS)
    assert per_day(store, bounds) == {(0, Category.SOCIAL): 600}


def test_titles_can_be_kept_out_and_still_count(store: Store) -> None:
    device = store.ensure_device(LAPTOP)
    store.add_events(device, [social(2_000_000_000, 60)], keep_titles=False)
    [event] = list(store.iter_events())
    assert event.title is None and event.category is Category.SOCIAL and event.label == "Facebook"


def test_recategorising_follows_new_rules_but_keeps_titleless_windows(store: Store) -> None:
    device: DeviceRecord = store.ensure_device(LAPTOP)
    store.add_events(device, [social(2_000_000_000, 60, "LinkedIn")])
    store.add_events(device, [social(2_000_001_000, 60, "LinkedIn")], keep_titles=False)

    def not_social_for_me(app: str, title: str | None) -> tuple[Category, str]:
        return (Category.OTHER, app) if title is None else (Category.OTHER, "LinkedIn")

    assert store.recategorise(not_social_for_me) == 1
    events = list(store.iter_events())
    assert [(e.title is None, e.category) for e in events] == [
        (False, Category.OTHER),
        (True, Category.SOCIAL),
    ]


def test_export_joins_the_pieces_back(store: Store) -> None:
    device = store.ensure_device(LAPTOP)
    store.add_events(device, [social(2_000_000_100, 3000), chat(2_000_003_100, 10)])
    events = [(e.start, e.duration, e.label) for e in store.iter_events()]
    assert events == [(2_000_000_100, 3000, "Facebook"), (2_000_003_100, 10, "WhatsApp")]
    assert store.event_count() > 2


def test_window_usage_lists_time_per_stored_window(store: Store) -> None:
    device = store.ensure_device(LAPTOP)
    store.add_events(device, [social(2_000_000_000, 600), chat(2_000_000_600, 60), social(2_000_001_000, 300)])
    usage = store.window_usage(2_000_000_000, 2_000_002_000)
    assert [(u.label, u.seconds) for u in usage] == [("Facebook", 900), ("WhatsApp", 60)]
    assert store.window_usage(2_000_000_700, 2_000_000_800) == []


def test_recorded_until_is_the_end_of_the_devices_newest_event(store: Store) -> None:
    laptop = store.ensure_device(LAPTOP)
    phone = store.ensure_device(DeviceSpec("phone", "Phone", DeviceKind.PHONE))
    assert store.recorded_until(laptop) is None
    start = at("2026-03-02T21:50:00")
    # The long event is stored in pieces that end at quarters; the answer is where the last piece ends.
    store.replace_recent(laptop, start, [social(start, 1000), chat(start + 1000, 1030)])
    store.replace_recent(phone, start, [chat(start + 9000, 10)])
    assert store.recorded_until(laptop) == start + 2030
    assert store.recorded_until(phone) == start + 9010
