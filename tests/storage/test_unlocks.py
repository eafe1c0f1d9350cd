"""Unlocks in storage: stored once however often imported, counted per local day across DST, forgotten with history."""

from __future__ import annotations

import json
from datetime import date, datetime
from itertools import count
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.domain.weeks import IsoWeek, day_boundaries, local_date, week_boundaries
from middenweg.history import aw_device, classify_all, forget_days, import_activitywatch
from middenweg.interchange import ImportFormatError
from middenweg.interchange.activitywatch import read_export
from middenweg.privacy import TitlePolicy
from middenweg.reports.weekly import device_week
from middenweg.rules import builtin_rules
from middenweg.storage import schema
from middenweg.storage.records import DeviceSpec, ImportBatch
from middenweg.storage.store import Store

AMS = ZoneInfo("Europe/Amsterdam")
PHONE = DeviceSpec("android:pixel_7a", "pixel_7a", DeviceKind.PHONE)
OTHER_PHONE = DeviceSpec("android:galaxy", "galaxy", DeviceKind.PHONE)
LAPTOP = DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER)
ANDROID_EXPORT = Path(__file__).parents[1] / "unit" / "interchange" / "data" / "android_export.json"
#: Monday 19 – Sunday 25 October 2026; in Amsterdam the clocks go back on the Sunday at 03:00 (a 25-hour day).
AUTUMN = IsoWeek(2026, 43)
#: Monday 23 – Sunday 29 March 2026; the clocks go forward on the Sunday at 02:00 (a 23-hour day).
SPRING = IsoWeek(2026, 13)


def local(text: str, fold: int = 0) -> int:
    """Epoch seconds of an Amsterdam wall-clock time; ``fold=1`` is the second 02:30 of the night clocks go back."""
    return int(datetime.fromisoformat(text).replace(tzinfo=AMS, fold=fold).timestamp())


def stored(store: Store) -> list[tuple[int, int]]:
    """Every stored unlock as (device id, moment), read straight from the table."""
    table = schema.unlocks
    with store.engine.connect() as conn:
        rows = conn.execute(select(table.c.device_id, table.c.at).order_by(table.c.device_id, table.c.at)).all()
    return [(int(row.device_id), int(row.at)) for row in rows]


def week_unlocks(store: Store, week: IsoWeek, device_ids: list[int] | None = None) -> dict[int, list[int]]:
    bounds = week_boundaries(week, AMS)
    previous = week_boundaries(week.previous(), AMS)
    return store.week_usage(bounds, (previous[0], previous[-1]), device_ids).unlocks


def chat(start: int, seconds: int) -> UsageEvent:
    return UsageEvent(start, seconds, "WhatsApp", None, Category.MESSAGING, "WhatsApp")


# -- storing ----------------------------------------------------------------------------------------------------------


def test_importing_the_same_unlocks_again_adds_none(store: Store) -> None:
    moments = [local("2026-10-20T08:00:00"), local("2026-10-20T08:05:00"), local("2026-10-21T22:00:00")]
    first = store.import_batches([ImportBatch(PHONE, [], moments)])
    again = store.import_batches([ImportBatch(PHONE, [], moments)])
    assert (first[0].added_unlocks, again[0].added_unlocks) == (3, 0)
    # A later export holds the old unlocks and a new one (and an unlock twice): only the new one is added.
    later = store.import_batches([ImportBatch(PHONE, [], [moments[2], moments[2], local("2026-10-22T07:00:00")])])
    assert later[0].added_unlocks == 1
    (phone,) = store.devices()
    assert stored(store) == [(phone.id, at) for at in sorted([*moments, local("2026-10-22T07:00:00")])]
    assert week_unlocks(store, AUTUMN) == {phone.id: [0, 2, 1, 1, 0, 0, 0]}


def test_the_same_moment_on_two_phones_is_two_unlocks(store: Store) -> None:
    moment = local("2026-10-20T08:00:00")
    outcomes = store.import_batches([ImportBatch(PHONE, [], [moment]), ImportBatch(OTHER_PHONE, [], [moment])])
    assert [o.added_unlocks for o in outcomes] == [1, 1]
    assert len(stored(store)) == 2


def test_events_and_unlocks_of_an_import_are_one_transaction(store: Store) -> None:
    batches = [
        ImportBatch(PHONE, [chat(local("2026-10-20T08:00:00"), 60)], [local("2026-10-20T08:00:00")]),
        ImportBatch(OTHER_PHONE, [], [local("2026-10-20T09:00:00")]),
    ]

    def fail_after_first(done: int, total: int) -> None:
        if done == 1:
            raise RuntimeError("disk pulled out")

    with pytest.raises(RuntimeError):
        store.import_batches(batches, progress=fail_after_first)
    assert (stored(store), store.event_count(), store.devices()) == ([], 0, [])
    outcomes = store.import_batches(batches)
    assert [(o.added_events, o.added_unlocks) for o in outcomes] == [(1, 1), (0, 1)]


def test_the_android_fixture_stores_its_unlocks_once(store: Store) -> None:
    # What history.import_activitywatch does once it passes each host's unlocks on.
    export = read_export(ANDROID_EXPORT)
    ruleset = builtin_rules()

    def batches() -> list[ImportBatch]:
        return [
            ImportBatch(aw_device(h.hostname, h.kind), classify_all(ruleset, h.activities), h.unlocks)
            for h in export.hosts
        ]

    first = store.import_batches(batches())
    again = store.import_batches(batches())
    assert [(o.device.name, o.device.kind, o.added_unlocks) for o in first] == [("pixel_7a", DeviceKind.PHONE, 2)]
    assert again[0].added_unlocks == 0 and again[0].added_seconds == 0
    # Tuesday 10 March 2026, 18:59:58 and 19:10:00 in Amsterdam.
    assert week_unlocks(store, IsoWeek(2026, 11)) == {first[0].device.id: [0, 2, 0, 0, 0, 0, 0]}


def test_a_malformed_unlock_event_fails_the_import_and_stores_nothing(store: Store, tmp_path: Path) -> None:
    document = json.loads(ANDROID_EXPORT.read_text(encoding="utf-8"))
    document["buckets"]["aw-watcher-android-unlock"]["events"][1]["timestamp"] = "2026-03-10 18:09"
    path = tmp_path / "phone.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        import_activitywatch(store, path, builtin_rules(), policy=TitlePolicy.ALL)
    message = str(caught.value)
    assert "phone.json" in message
    assert "Bucket \u201caw-watcher-android-unlock\u201d, event 2: \u201ctimestamp\u201d has no time zone" in message
    # Not the window bucket's time, not the first (sound) unlock, not even the device.
    assert (stored(store), store.event_count(), store.devices()) == ([], 0, [])


# -- counting per local day -------------------------------------------------------------------------------------------


def test_the_week_clocks_go_back_counts_each_unlock_on_its_local_day(store: Store) -> None:
    bounds = week_boundaries(AUTUMN, AMS)
    assert bounds[7] - bounds[6] == 25 * 3600
    moments = [
        local("2026-10-18T23:59:59"),  # the Sunday before: not this week
        local("2026-10-19T00:00:00"),  # the first second of Monday
        local("2026-10-25T02:30:00", fold=0),  # 02:30 summer time, 00:30 UTC
        local("2026-10-25T02:30:00", fold=1),  # 02:30 again in winter time, an hour later
        # 23:30 on the Sunday is 22:30 UTC: with the week's Monday offset (+2) it would wrongly be Monday 00:30.
        local("2026-10-25T23:30:00"),
        local("2026-10-25T23:59:59"),
        local("2026-10-26T00:00:00"),  # next Monday: not this week
    ]
    assert moments[3] - moments[2] == 3600
    assert datetime.fromtimestamp(moments[4], ZoneInfo("UTC")).hour == 22
    store.import_batches([ImportBatch(PHONE, [], moments)])
    (phone,) = store.devices()
    assert week_unlocks(store, AUTUMN) == {phone.id: [1, 0, 0, 0, 0, 0, 4]}
    assert week_unlocks(store, AUTUMN.previous()) == {phone.id: [0, 0, 0, 0, 0, 0, 1]}
    assert week_unlocks(store, AUTUMN.shifted(1)) == {phone.id: [1, 0, 0, 0, 0, 0, 0]}


def test_the_week_clocks_go_forward_counts_each_unlock_on_its_local_day(store: Store) -> None:
    bounds = week_boundaries(SPRING, AMS)
    assert bounds[7] - bounds[6] == 23 * 3600
    # 01:59:59 winter time, 03:00 summer time (one second later), and 23:30 summer time (21:30 UTC).
    moments = [local("2026-03-29T01:59:59"), local("2026-03-29T03:00:00"), local("2026-03-29T23:30:00")]
    assert moments[1] - moments[0] == 1
    store.import_batches([ImportBatch(PHONE, [], moments)])
    (phone,) = store.devices()
    assert week_unlocks(store, SPRING) == {phone.id: [0, 0, 0, 0, 0, 0, 3]}


_device_numbers = count()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    offsets=st.lists(st.integers(min_value=-2 * 86_400, max_value=9 * 86_400), max_size=30),
    week=st.sampled_from([SPRING, AUTUMN, IsoWeek(2026, 47)]),
    zone=st.sampled_from(["Europe/Amsterdam", "America/St_Johns", "Australia/Lord_Howe", "UTC"]),
)
def test_per_day_counts_match_each_unlocks_local_date(
    store: Store, offsets: list[int], week: IsoWeek, zone: str
) -> None:
    tz = ZoneInfo(zone)
    bounds = week_boundaries(week, tz)
    moments = {bounds[0] + offset for offset in offsets}
    # A device of its own per example: the store is shared by all examples of this test.
    spec = DeviceSpec(f"android:phone-{next(_device_numbers)}", "phone", DeviceKind.PHONE)
    (outcome,) = store.import_batches([ImportBatch(spec, [], sorted(moments))])
    expected = [0] * 7
    for moment in moments:
        day = local_date(moment, tz)
        if day in week.days():
            expected[week.days().index(day)] += 1
    usage = store.week_usage(bounds, (bounds[0] - 7 * 86_400, bounds[0]), [outcome.device.id])
    assert usage.unlocks == ({outcome.device.id: expected} if any(expected) else {})


def test_unlocks_are_per_device_and_follow_the_device_filter(store: Store) -> None:
    tuesday = local("2026-10-20T12:00:00")
    store.import_batches(
        [
            ImportBatch(LAPTOP, [chat(tuesday, 600)]),
            ImportBatch(PHONE, [chat(tuesday + 3600, 60)], [tuesday, tuesday + 60]),
            ImportBatch(OTHER_PHONE, [], [tuesday + 86_400]),  # unlocks, but no time on the phone this week
        ]
    )
    laptop, phone, other = store.devices()
    bounds = week_boundaries(AUTUMN, AMS)
    usage = store.week_usage(bounds, (bounds[0] - 7 * 86_400, bounds[0]))
    assert usage.unlocks == {phone.id: [0, 2, 0, 0, 0, 0, 0], other.id: [0, 0, 1, 0, 0, 0, 0]}
    assert set(usage.devices) == {laptop.id, phone.id}  # the time per device is as before
    assert week_unlocks(store, AUTUMN, [laptop.id, phone.id]) == {phone.id: [0, 2, 0, 0, 0, 0, 0]}
    assert week_unlocks(store, AUTUMN, [laptop.id]) == {}
    assert week_unlocks(store, AUTUMN.shifted(-3)) == {}


# -- in the weekly report ---------------------------------------------------------------------------------------------


def test_the_report_json_has_unlocks_only_for_a_device_that_has_them(store: Store) -> None:
    # What history.weekly_report does once it passes ``usage.unlocks.get(device id)`` to device_week.
    tuesday = local("2026-10-20T12:00:00")
    store.import_batches(
        [
            ImportBatch(LAPTOP, [chat(tuesday, 600)]),
            ImportBatch(PHONE, [chat(tuesday + 3600, 60)], [tuesday, tuesday + 60, local("2026-10-25T23:30:00")]),
        ]
    )
    bounds = week_boundaries(AUTUMN, AMS)
    usage = store.week_usage(bounds, (bounds[0] - 7 * 86_400, bounds[0]))
    known = {device.id: device for device in store.devices()}
    weeks = {
        known[i].kind: device_week(known[i].uid, known[i].name, known[i].kind, AUTUMN, rows, usage.unlocks.get(i))
        for i, rows in usage.devices.items()
    }
    phone, laptop = weeks[DeviceKind.PHONE].to_json(), weeks[DeviceKind.COMPUTER].to_json()
    assert phone["unlocks"] == [0, 2, 0, 0, 0, 0, 1]
    assert "unlocks" not in laptop and weeks[DeviceKind.COMPUTER].unlocks is None
    assert list(phone) == ["uid", "name", "kind", "totals", "days", "unlocks"]
    json.dumps(phone)  # plain JSON


def test_device_week_wants_one_unlock_count_per_day() -> None:
    with pytest.raises(ValueError, match="one count per day"):
        device_week("uid", "pixel_7a", DeviceKind.PHONE, AUTUMN, [], [1, 2, 3])
    week = device_week("uid", "pixel_7a", DeviceKind.PHONE, AUTUMN, [], [0] * 7)
    assert week.unlocks == (0,) * 7 and week.to_json()["unlocks"] == [0] * 7


# -- forgetting -------------------------------------------------------------------------------------------------------


def test_forgetting_a_day_deletes_its_unlocks_on_every_device_and_keeps_the_rest(store: Store) -> None:
    day_start, day_end = day_boundaries([date(2026, 10, 25)], AMS)  # the 25-hour Sunday
    moments = [day_start - 1, day_start, local("2026-10-25T23:30:00"), day_end - 1, day_end]
    store.import_batches([ImportBatch(PHONE, [], moments), ImportBatch(OTHER_PHONE, [], [day_start + 3600])])
    phone, _other = store.devices()
    store.forget(day_start, day_end)
    assert stored(store) == [(phone.id, day_start - 1), (phone.id, day_end)]
    assert local_date(day_start - 1, AMS) == date(2026, 10, 24) and local_date(day_end, AMS) == date(2026, 10, 26)
    # Forgotten unlocks are really gone: importing them again brings them back as new.
    again = store.import_batches([ImportBatch(PHONE, [], moments)])
    assert again[0].added_unlocks == 3


def test_forgetting_everything_deletes_every_unlock_and_keeps_the_devices(store: Store) -> None:
    store.import_batches([ImportBatch(PHONE, [chat(local("2026-10-20T08:00:00"), 60)], [local("2026-10-20T08:00:00")])])
    store.forget_all()
    assert stored(store) == [] and week_unlocks(store, AUTUMN) == {}
    assert [d.name for d in store.devices()] == ["pixel_7a"]


def test_forgetting_a_local_day_through_history_deletes_that_days_unlocks(store: Store) -> None:
    moments = [local("2026-10-24T23:59:59"), local("2026-10-25T00:00:00"), local("2026-10-26T00:00:00")]
    store.import_batches([ImportBatch(PHONE, [], moments)])
    forget_days(store, AMS, date(2026, 10, 25), date(2026, 10, 25))
    (phone,) = store.devices()
    assert stored(store) == [(phone.id, moments[0]), (phone.id, moments[2])]
