"""Real-looking exports from aw-server (Python), aw-server-rust and aw-android, with hand-computed results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aw_export_builder import utc

from middenweg.domain.events import DeviceKind, WindowActivity
from middenweg.interchange.activitywatch import AwExport, parse_export, read_export

DATA = Path(__file__).parent / "data"


def _activity(start: str, end: str, app: str, title: str | None) -> WindowActivity:
    return WindowActivity(utc(start), utc(end) - utc(start), app, title)


def test_python_server_export_keeps_window_time_inside_not_afk_time() -> None:
    result = read_export(DATA / "python_server_export.json")

    # Window events (UTC, 2026-03-10), start/end rounded half up to whole seconds:
    #   09:00:00.250 + 120.5  -> 09:00:00 .. 09:02:01   firefox
    #   09:02:00.750 +  59.4  -> 09:02:01 .. 09:03:00   Slack   (09:03:00.150 rounds down)
    #   09:03:00.150 + 600    -> 09:03:00 .. 09:13:00   code
    #   09:13:00.150 +   0.3  -> 09:13:00 .. 09:13:00   gnome-shell: nothing left, dropped
    #   09:13:00.450 + 1800   -> 09:13:00 .. 09:43:00   telegram-desktop
    # Not-afk: 08:59..09:04 and 09:11..10:11; afk 09:04..09:11 cuts "code" in two.
    assert result.hosts[0].activities == (
        _activity("2026-03-10 09:00:00", "2026-03-10 09:02:01", "firefox", "WhatsApp \u2014 Mozilla Firefox"),
        _activity("2026-03-10 09:02:01", "2026-03-10 09:03:00", "Slack", "general | Studio Noord - Slack"),
        _activity(
            "2026-03-10 09:03:00", "2026-03-10 09:04:00", "code", "activitywatch.py - middenweg - Visual Studio Code"
        ),
        _activity(
            "2026-03-10 09:11:00", "2026-03-10 09:13:00", "code", "activitywatch.py - middenweg - Visual Studio Code"
        ),
        _activity("2026-03-10 09:13:00", "2026-03-10 09:43:00", "telegram-desktop", "Telegram (2)"),
    )
    assert sum(a.duration for a in result.hosts[0].activities) == 121 + 59 + 60 + 120 + 1800
    assert [(h.hostname, h.kind) for h in result.hosts] == [("laptop-anna", DeviceKind.COMPUTER)]
    assert (result.window_buckets, result.afk_buckets) == (1, 1)
    assert result.ignored_buckets == ("aw-stopwatch", "aw-watcher-web-firefox")


def test_rust_server_export_across_the_dst_change_counts_real_seconds() -> None:
    # 2026-10-25 01:00 UTC is when Amsterdam goes from CEST back to CET; in UTC nothing happens, so an event
    # spanning it keeps its plain length (no hour gained or lost).
    result = read_export(DATA / "rust_server_export.json")

    # Window: 00:58:10.500 + 119.5 -> 00:58:11 .. 01:00:10   (a half second rounds up)
    #         01:00:10 + 300.123456789 -> 01:00:10 .. 01:05:10
    #         01:05:10.123456789 + 50 -> 01:05:10 .. 01:06:00
    #         01:06:00.123456 + 0.2 -> empty, dropped
    # Not-afk: 00:55..01:05 and 01:05:30..02:05:30.
    assert result.hosts[0].activities == (
        _activity("2026-10-25 00:58:11", "2026-10-25 01:00:10", "chrome.exe", "Instagram \u2022 Google Chrome"),
        _activity("2026-10-25 01:00:10", "2026-10-25 01:05:00", "WhatsApp.exe", "WhatsApp"),
        _activity("2026-10-25 01:05:30", "2026-10-25 01:06:00", "explorer.exe", "Downloads"),
    )
    assert [(h.hostname, h.kind) for h in result.hosts] == [("desktop-bert", DeviceKind.COMPUTER)]
    assert (result.window_buckets, result.afk_buckets) == (1, 1)
    assert result.ignored_buckets == ("aw-watcher-input_desktop-bert",)


def test_android_export_is_a_phone_without_afk_filtering() -> None:
    result = read_export(DATA / "android_export.json")

    # 18:00:00.123 + 65.4 -> 18:00:00 .. 18:01:06; 18:01:05.523 + 300 -> 18:01:06 .. 18:06:06; 18:10 + 12.
    # The phone's screen on/off "afkstatus" bucket has zero-length events; applying it would erase everything,
    # and ActivityWatch's own phone queries do not apply it either.
    assert result.hosts[0].activities == (
        _activity("2026-03-10 18:00:00", "2026-03-10 18:01:06", "WhatsApp", None),
        _activity("2026-03-10 18:01:06", "2026-03-10 18:06:06", "Instagram", None),
        _activity("2026-03-10 18:10:00", "2026-03-10 18:10:12", "Pixel Launcher", None),
    )
    assert [(h.hostname, h.kind) for h in result.hosts] == [("pixel_7a", DeviceKind.PHONE)]
    assert (result.window_buckets, result.afk_buckets, result.unlock_buckets) == (1, 0, 1)
    # The unlock bucket is used (its two unlocks, 17:59:58 and 18:09:59.870 -> 18:10:00, are the phone's); only the
    # screen on/off bucket is left.
    assert result.hosts[0].unlocks == (utc("2026-03-10 17:59:58"), utc("2026-03-10 18:10:00"))
    assert result.ignored_buckets == ("aw-watcher-android-realtime-afk",)


def test_one_export_can_hold_a_computer_and_a_phone() -> None:
    merged: dict[str, dict[str, object]] = {"buckets": {}}
    for name in ("python_server_export.json", "android_export.json"):
        merged["buckets"].update(json.loads((DATA / name).read_text(encoding="utf-8"))["buckets"])
    result = parse_export(json.dumps(merged).encode())
    assert [(h.hostname, h.kind) for h in result.hosts] == [
        ("laptop-anna", DeviceKind.COMPUTER),
        ("pixel_7a", DeviceKind.PHONE),
    ]
    assert result.window_buckets == 2


def test_same_hostname_on_a_computer_and_a_phone_stays_two_devices() -> None:
    phone = json.loads((DATA / "android_export.json").read_text(encoding="utf-8"))
    laptop = json.loads((DATA / "python_server_export.json").read_text(encoding="utf-8"))
    for bucket in phone["buckets"].values():
        bucket["hostname"] = "laptop-anna"
    laptop["buckets"].update(phone["buckets"])
    result = parse_export(json.dumps(laptop).encode())
    assert [(h.hostname, h.kind) for h in result.hosts] == [
        ("laptop-anna", DeviceKind.COMPUTER),
        ("laptop-anna", DeviceKind.PHONE),
    ]
    # The laptop's AFK bucket does not apply to the phone: all 378 phone seconds remain.
    assert sum(a.duration for a in result.hosts[1].activities) == 66 + 300 + 12


@pytest.mark.parametrize("name", ["python_server_export.json", "rust_server_export.json", "android_export.json"])
def test_events_before_type_reversed_and_tab_indented_give_the_same_result(name: str) -> None:
    original = json.loads((DATA / name).read_text(encoding="utf-8"))
    expected = parse_export((DATA / name).read_bytes())
    # Indented, "id" first but the other keys reversed (so "events" comes before "type"), events reversed.
    reordered = {
        "buckets": {
            key: {
                "id": bucket["id"],
                **{k: (list(reversed(v)) if k == "events" else v) for k, v in reversed(bucket.items()) if k != "id"},
            }
            for key, bucket in original["buckets"].items()
        }
    }
    assert all(list(b).index("events") < list(b).index("type") for b in reordered["buckets"].values())
    raw = ("\r\n" + json.dumps(reordered, indent="\t") + "\n").encode()
    assert parse_export(raw) == expected


@pytest.mark.parametrize("name", ["python_server_export.json", "rust_server_export.json", "android_export.json"])
def test_indented_files_give_the_same_result(name: str) -> None:
    original = json.loads((DATA / name).read_text(encoding="utf-8"))
    for indent in (2, "\t", 0):
        raw = json.dumps(original, indent=indent).encode()
        assert parse_export(raw) == read_export(DATA / name)
    spaced = json.dumps(original, separators=(" ,  ", " : ")).encode()
    assert parse_export(spaced) == read_export(DATA / name)


def test_the_list_of_buckets_form_from_the_published_schema_is_read_too() -> None:
    original = json.loads((DATA / "rust_server_export.json").read_text(encoding="utf-8"))
    as_list = {"buckets": list(original["buckets"].values())}
    assert parse_export(json.dumps(as_list).encode()) == read_export(DATA / "rust_server_export.json")


def test_a_byte_order_mark_is_accepted() -> None:
    raw = (DATA / "rust_server_export.json").read_bytes()
    assert parse_export(b"\xef\xbb\xbf" + raw) == parse_export(raw)


def test_an_export_without_window_buckets_is_valid_but_empty() -> None:
    original = json.loads((DATA / "python_server_export.json").read_text(encoding="utf-8"))
    del original["buckets"]["aw-watcher-window_laptop-anna"]
    result = parse_export(json.dumps(original).encode())
    # The AFK bucket has no window time to filter, so it was not used either.
    assert result == AwExport(
        hosts=(),
        window_buckets=0,
        afk_buckets=0,
        ignored_buckets=("aw-stopwatch", "aw-watcher-afk_laptop-anna", "aw-watcher-web-firefox"),
    )
    assert "nothing to import" in result.summary()
    assert "3 other buckets were skipped" in result.summary()


def test_summary_counts_what_was_found() -> None:
    summary = read_export(DATA / "python_server_export.json").summary()
    # 2160 seconds on one laptop.
    assert summary.startswith("Found 0.6 hours of window activity on 1 device.")
    assert "away from the keyboard" in summary
    assert "2 other buckets were skipped." in summary


def test_an_empty_buckets_object_yields_nothing() -> None:
    assert parse_export(b'{"buckets": {}}') == AwExport((), 0, 0, ())
