"""aw-android's unlock bucket: each event is one unlock of the phone's screen, kept per device as whole seconds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aw_export_builder import Bucket, Event, Style, bucket, event, export, utc, window, window_bucket

from middenweg.domain.events import DeviceKind
from middenweg.interchange import ImportFormatError
from middenweg.interchange.activitywatch import UNLOCK_TYPE, parse_export, read_export

DATA = Path(__file__).parent / "data"
T0 = 1_773_133_200_000  # 2026-03-10 09:00:00 UTC in milliseconds
S0 = T0 // 1000
UNLOCK_ID = "aw-watcher-android-unlock"


def unlock(ms: int, style: Style = "python", event_id: int | None = None) -> Event:
    """An unlock as aw-android sends it: a heartbeat with duration 0 and empty data."""
    return event(ms, 0, {}, style, event_id)


def unlock_bucket(hostname: str, events: list[Event], *, suffix: str = "", style: Style = "python") -> Bucket:
    return bucket(UNLOCK_ID + suffix, UNLOCK_TYPE, hostname, events, client="aw-android", style=style)


def phone_window_bucket(hostname: str, events: list[Event], *, suffix: str = "") -> Bucket:
    return bucket("aw-watcher-android-test" + suffix, "currentwindow", hostname, events, client="aw-android")


def _error(raw: bytes) -> str:
    with pytest.raises(ImportFormatError) as caught:
        parse_export(raw, source="phone.json")
    return str(caught.value)


def test_the_android_fixture_has_two_unlocks_on_the_phone() -> None:
    result = read_export(DATA / "android_export.json")
    (phone,) = result.hosts
    assert (phone.hostname, phone.kind) == ("pixel_7a", DeviceKind.PHONE)
    # 17:59:58Z stays; 18:09:59.870Z rounds to the nearest second, 18:10:00, as window events do.
    assert phone.unlocks == (utc("2026-03-10 17:59:58"), utc("2026-03-10 18:10:00"))
    assert (result.unlock_buckets, result.unlock_count) == (1, 2)
    assert UNLOCK_ID not in result.ignored_buckets
    assert result.summary() == (
        "Found 0.1 hours of window activity on 1 device. Found 2 screen unlocks. 1 other bucket was skipped."
    )


@pytest.mark.parametrize("style", ["python", "rust"])
def test_unlocks_are_whole_seconds_sorted_and_each_counted_once(style: Style) -> None:
    events = [
        unlock(T0 + 60_000, style, 3),
        unlock(T0 + 499, style, 1),  # rounds down to S0
        unlock(T0, style, 2),  # the same second again: one unlock
        unlock(T0 + 1_500, style, 4),  # a half rounds up: S0 + 2
        unlock(T0 + 60_000, style, 5),  # a duplicate, as the old watcher could send
    ]
    raw = export(phone_window_bucket("pixel_7a", [window(T0, 5_000, "WhatsApp")]), unlock_bucket("pixel_7a", events))
    (phone,) = parse_export(raw).hosts
    assert phone.unlocks == (S0, S0 + 2, S0 + 60)


def test_a_synced_copy_belongs_to_its_host_and_shared_unlocks_count_once() -> None:
    # aw-sync's copy keeps the phone's "hostname" and aw-android's client; its id gains "-synced-from-<host>".
    own = unlock_bucket("pixel_7a", [unlock(T0), unlock(T0 + 10_000)])
    copy = unlock_bucket("pixel_7a", [unlock(T0 + 10_000), unlock(T0 + 20_000)], suffix="-synced-from-pixel_7a")
    result = parse_export(export(own, copy))
    assert [(h.hostname, h.kind, h.unlocks) for h in result.hosts] == [
        ("pixel_7a", DeviceKind.PHONE, (S0, S0 + 10, S0 + 20))
    ]
    assert (result.unlock_buckets, result.ignored_buckets) == (2, ())


def test_unlocks_without_window_time_still_make_a_device() -> None:
    result = parse_export(export(unlock_bucket("pixel_7a", [unlock(T0), unlock(T0 + 3_600_000)])))
    assert [(h.hostname, h.kind, h.activities, h.unlocks) for h in result.hosts] == [
        ("pixel_7a", DeviceKind.PHONE, (), (S0, S0 + 3600))
    ]
    assert result.window_buckets == 0
    assert result.summary() == "Found 2 screen unlocks."


def test_an_empty_unlock_bucket_gives_no_device() -> None:
    result = parse_export(export(unlock_bucket("pixel_7a", [])))
    assert (result.hosts, result.unlock_buckets, result.unlock_count) == ((), 1, 0)
    assert "nothing to import" in result.summary()


def test_two_phones_keep_their_own_unlocks_and_a_computer_of_the_same_name_gets_none() -> None:
    raw = export(
        window_bucket("pixel_7a", [window(T0, 60_000, "code")]),  # a computer that happens to share the name
        phone_window_bucket("pixel_7a", [window(T0, 60_000, "WhatsApp")]),
        unlock_bucket("pixel_7a", [unlock(T0)]),
        bucket("aw-watcher-android-unlock_2", UNLOCK_TYPE, "galaxy", [unlock(T0 + 5_000)], client="aw-android"),
    )
    result = parse_export(raw)
    assert [(h.hostname, h.kind, h.unlocks) for h in result.hosts] == [
        ("galaxy", DeviceKind.PHONE, (S0 + 5,)),
        ("pixel_7a", DeviceKind.COMPUTER, ()),
        ("pixel_7a", DeviceKind.PHONE, (S0,)),
    ]


def test_unlock_events_before_the_type_are_read_the_same() -> None:
    raw = export(unlock_bucket("pixel_7a", [unlock(T0), unlock(T0 + 2_000)]))
    document = json.loads(raw)
    original = document["buckets"][UNLOCK_ID]
    document["buckets"][UNLOCK_ID] = {"events": original.pop("events"), **original}
    assert parse_export(json.dumps(document).encode()) == parse_export(raw)


def test_data_or_a_duration_on_an_unlock_is_allowed_and_only_the_moment_counts() -> None:
    events = [event(T0, 4_000, {"note": "merged heartbeat"}), unlock(T0 + 60_000)]
    (phone,) = parse_export(export(unlock_bucket("pixel_7a", events))).hosts
    assert phone.unlocks == (S0, S0 + 60)


BAD_UNLOCK_EVENTS: list[tuple[str, Any, str]] = [
    ("not an object", ["2026-03-10T09:00:00Z"], "the event is a list, not an object"),
    ("no timestamp", {"duration": 0.0, "data": {}}, "it has no \u201ctimestamp\u201d"),
    ("not a time", {"timestamp": "soon", "duration": 0.0, "data": {}}, "\u201ctimestamp\u201d is not a date"),
    (
        "no time zone",
        {"timestamp": "2026-03-10T09:00:00", "duration": 0.0, "data": {}},
        "\u201ctimestamp\u201d has no time zone",
    ),
    ("no duration", {"timestamp": "2026-03-10T09:00:00Z", "data": {}}, "it has no \u201cduration\u201d"),
    ("negative", {"timestamp": "2026-03-10T09:00:00Z", "duration": -1, "data": {}}, "\u201cduration\u201d is negative"),
    ("no data", {"timestamp": "2026-03-10T09:00:00Z", "duration": 0.0}, "it has no \u201cdata\u201d"),
    ("data a list", {"timestamp": "2026-03-10T09:00:00Z", "duration": 0.0, "data": []}, "\u201cdata\u201d is a list"),
]


@pytest.mark.parametrize(("case", "bad", "problem"), BAD_UNLOCK_EVENTS, ids=[c[0] for c in BAD_UNLOCK_EVENTS])
def test_a_malformed_unlock_event_refuses_the_whole_file(case: str, bad: Any, problem: str) -> None:
    # A sound window bucket beside it does not help: nothing is returned, and the message names bucket and event.
    raw = export(
        phone_window_bucket("pixel_7a", [window(T0, 60_000, "WhatsApp")]),
        unlock_bucket("pixel_7a", [unlock(T0), unlock(T0 + 1_000), bad, unlock(T0 + 3_000)]),
    )
    message = _error(raw)
    assert message.startswith(f"Bucket \u201c{UNLOCK_ID}\u201d, event 3: {problem}"), message
    assert "Nothing was imported" in message


def test_a_malformed_unlock_event_is_found_when_events_come_before_the_type() -> None:
    document = json.loads(export(unlock_bucket("pixel_7a", [unlock(T0), {"timestamp": "2026-03-10T09:00:01Z"}])))
    original = document["buckets"][UNLOCK_ID]
    document["buckets"][UNLOCK_ID] = {"events": original.pop("events"), **original}
    assert _error(json.dumps(document).encode()).startswith(
        f"Bucket \u201c{UNLOCK_ID}\u201d, event 2: it has no \u201cduration\u201d"
    )


def test_an_unlock_bucket_without_a_hostname_is_refused() -> None:
    document = json.loads(export(unlock_bucket("pixel_7a", [unlock(T0)])))
    del document["buckets"][UNLOCK_ID]["hostname"]
    message = _error(json.dumps(document).encode())
    assert message.startswith(f"Bucket \u201c{UNLOCK_ID}\u201d: it has no \u201chostname\u201d")
