"""Whole-second rounding, tolerant timestamps, clean text and progress reports."""

from __future__ import annotations

import gc
import json
import random
from itertools import pairwise
from typing import Any

import pytest
from aw_export_builder import afk, afk_bucket, export, large_export, utc, window, window_bucket

from middenweg.domain.events import WindowActivity
from middenweg.interchange import ImportFormatError
from middenweg.interchange.activitywatch import APP_MAX_CHARS, TITLE_MAX_CHARS, parse_export

T0 = 1_773_133_200_000  # 2026-03-10 09:00:00 UTC, in milliseconds
S0 = T0 // 1000


def _one(event: dict[str, Any]) -> tuple[WindowActivity, ...]:
    result = parse_export(export(window_bucket("laptop", [event])))
    return result.hosts[0].activities if result.hosts else ()


def _raw_event(timestamp: str, duration: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {"timestamp": timestamp, "duration": duration, "data": data}


@pytest.mark.parametrize(
    ("timestamp", "duration", "start", "length"),
    [
        ("2026-03-10T09:00:00.499999+00:00", 10.0, 0, 10),  # just under half: down; end 10.499999 down
        ("2026-03-10T09:00:00.500000+00:00", 10.0, 1, 10),  # exactly half: up
        ("2026-03-10T09:00:00.500Z", 1.0, 1, 1),  # 0.5 -> 1 and 1.5 -> 2
        ("2026-03-10T09:00:00.2Z", 0.3, 0, 1),  # end exactly 0.5 rounds up
        ("2026-03-10T08:59:59.999999999Z", 1, 0, 1),  # nanoseconds (aw-server-rust)
        ("2026-03-10t09:00:00.25z", 2, 0, 2),  # RFC 3339 allows lower case
        ("2026-03-10T09:00:00,75+00:00", 2, 1, 2),  # ISO 8601 decimal comma
        ("2026-03-10T11:00:00+02:00", 5, 0, 5),  # an offset is converted to UTC
        ("2026-03-10T03:30:00.600-05:30", 5, 1, 5),
        ("2026-03-10T09:00:00Z", 7, 0, 7),  # integer duration
    ],
)
def test_start_and_end_round_to_the_nearest_second_halves_up(
    timestamp: str, duration: float, start: int, length: int
) -> None:
    activities = _one(_raw_event(timestamp, duration, {"app": "firefox", "title": "x"}))
    assert [(a.start - S0, a.duration) for a in activities] == [(start, length)]


def test_zero_and_sub_second_events_that_round_to_nothing_are_dropped() -> None:
    events = [
        window(T0, 0, "a"),
        window(T0 + 1_100, 300, "b"),  # 1.1 .. 1.4 -> 1 .. 1
        window(T0 + 2_500, 999, "b"),  # 2.5 .. 3.499 -> 3 .. 3
        {"timestamp": "2026-03-10T09:00:05Z", "duration": 1e-9, "data": {"app": "c"}},
        window(T0 + 10_000, 600, "d"),  # 10.0 .. 10.6 -> 10 .. 11
    ]
    result = parse_export(export(window_bucket("laptop", events)))
    assert [(a.start - S0, a.duration, a.app) for a in result.hosts[0].activities] == [(10, 1, "d")]


def test_back_to_back_events_telescope_so_the_total_stays_within_a_second() -> None:
    rng = random.Random(7)
    ms, events = T0 + 321, []
    for _number in range(2_000):
        duration = rng.randint(1, 4_000)
        events.append(window(ms, duration, rng.choice(("a", "b", "c"))))
        ms += duration
    exact_seconds = (ms - (T0 + 321)) / 1000
    result = parse_export(export(window_bucket("laptop", events)))
    total = sum(a.duration for a in result.hosts[0].activities)
    assert abs(total - exact_seconds) <= 1
    activities = result.hosts[0].activities
    assert all(a.end == b.start for a, b in pairwise(activities))


def test_float_durations_are_exact_to_the_microsecond() -> None:
    # 515.968 s is 515967999999.99994 ns as a float (aw-server-rust#745); it must not lose a second here.
    activities = _one(_raw_event("2026-03-10T09:00:00.032Z", 515.968, {"app": "a"}))
    assert activities == (WindowActivity(S0, 516, "a", None),)


@pytest.mark.parametrize(
    ("data", "title"),
    [
        ({"app": "a"}, None),
        ({"app": "a", "title": None}, None),
        ({"app": "a", "title": 42}, None),
        ({"app": "a", "title": ["x"]}, None),
        ({"app": "a", "title": ""}, ""),
        ({"app": "a", "title": "Inbox (3)", "url": "https://mail.example", "incognito": False}, "Inbox (3)"),
    ],
)
def test_title_is_none_unless_it_is_text(data: dict[str, Any], title: str | None) -> None:
    (activity,) = _one(_raw_event("2026-03-10T09:00:00Z", 5, data))
    assert activity.title == title


def test_control_characters_are_removed_from_app_and_title() -> None:
    controls = "".join(chr(c) for c in range(0x20)) + "\x7f"
    (activity,) = _one(
        _raw_event("2026-03-10T09:00:00Z", 5, {"app": f"fire{controls}fox", "title": f"a\tb\nc{controls}"})
    )
    assert activity.app == "firefox"
    assert activity.title == "abc"


def test_other_unicode_is_kept() -> None:
    title = "\U0001f4ac WhatsApp \u2014 Caf\u00e9 \u200b\u00a0\u4f60\u597d"
    (activity,) = _one(_raw_event("2026-03-10T09:00:00Z", 5, {"app": "Telegram\u00ae", "title": title}))
    assert (activity.app, activity.title) == ("Telegram\u00ae", title)


def test_a_lone_surrogate_becomes_a_question_mark_so_the_text_can_be_stored() -> None:
    raw = export(window_bucket("laptop", [window(T0, 5000, "app", "x")])).replace(b'"x"', b'"a\\ud83db"')
    (activity,) = parse_export(raw).hosts[0].activities
    assert activity.title == "a?b"
    assert activity.title.encode("utf-8")


def test_app_and_title_are_capped() -> None:
    (activity,) = _one(_raw_event("2026-03-10T09:00:00Z", 5, {"app": "A" * 500, "title": "\u00e9" * 5000}))
    assert activity.app == "A" * APP_MAX_CHARS == "A" * 200
    assert activity.title == "\u00e9" * TITLE_MAX_CHARS == "\u00e9" * 1000


def test_hostname_is_cleaned_like_an_app_name() -> None:
    result = parse_export(export(window_bucket("lap\ntop", [window(T0, 5000, "a")])))
    assert result.hosts[0].hostname == "laptop"


def test_progress_is_reported_at_most_about_a_hundred_times_and_ends_complete() -> None:
    raw = large_export(5_000)
    total_events = json.loads(raw)["buckets"]
    expected_total = sum(len(b["events"]) for b in total_events.values())
    calls: list[tuple[int, int]] = []
    parse_export(raw, progress=lambda done, total: calls.append((done, total)))
    assert 50 <= len(calls) <= 100
    assert calls[-1] == (expected_total, expected_total)
    assert [done for done, _total in calls] == sorted({done for done, _total in calls})
    assert all(total == expected_total for _done, total in calls)


def test_progress_for_a_tiny_export_still_ends_complete() -> None:
    calls: list[tuple[int, int]] = []
    parse_export(export(window_bucket("laptop", [window(T0, 5000, "a")])), progress=lambda *c: calls.append(c))
    assert calls == [(1, 1)]
    calls.clear()
    parse_export(b'{"buckets": {}}', progress=lambda *c: calls.append(c))
    assert calls == [(0, 0)]


def test_progress_total_never_falls_below_done_when_data_mentions_timestamp() -> None:
    # Extra "timestamp" keys make the up-front count too high; a escaped key makes it too low. Either way the
    # numbers stay sane and the last report is complete.
    events = [window(T0 + n * 1000, 1000, "a") for n in range(300)]
    raw = export(window_bucket("laptop", events)).replace(b'"timestamp"', b'"\\u0074imestamp"', 250)
    calls: list[tuple[int, int]] = []
    parse_export(raw, progress=lambda *c: calls.append(c))
    assert calls[-1] == (300, 300)
    assert all(done <= total for done, total in calls)
    assert len(calls) <= 101


def test_the_garbage_collector_is_left_as_it_was() -> None:
    assert gc.isenabled()
    parse_export(export(window_bucket("laptop", [window(T0, 5000, "a")])))
    assert gc.isenabled()
    with pytest.raises(ImportFormatError):
        parse_export(b'{"buckets": 1}')
    assert gc.isenabled()
    gc.disable()
    try:
        parse_export(export(window_bucket("laptop", [window(T0, 5000, "a")])))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_extra_keys_in_buckets_and_events_are_ignored() -> None:
    document = json.loads(export(window_bucket("laptop", [window(T0, 5000, "a", "t")]), afk_bucket("laptop", [])))
    bucket = document["buckets"]["aw-watcher-window_laptop"]
    bucket["future_field"] = {"nested": [1, 2, {"timestamp": "not one"}]}
    bucket["events"][0]["id"] = 77
    bucket["events"][0]["meta"] = {"x": None}
    document["version"] = "0.13.2"
    result = parse_export(json.dumps(document).encode())
    # The (empty) AFK bucket of the laptop applies: no not-afk time, so nothing counts.
    assert result.hosts == ()
    del document["buckets"]["aw-watcher-afk_laptop"]
    assert parse_export(json.dumps(document).encode()).hosts[0].activities == (WindowActivity(S0, 5, "a", "t"),)


def test_events_spanning_years_and_far_dates_are_fine() -> None:
    activities = _one(_raw_event("2025-12-31T23:59:30Z", 60.0, {"app": "a"}))
    assert activities == (WindowActivity(utc("2025-12-31 23:59:30"), 60, "a", None),)
    (far,) = _one(_raw_event("9999-12-31T23:00:00+00:00", 3600, {"app": "a"}))
    assert far.end == utc("9999-12-31 23:00:00") + 3600


def test_afk_events_with_an_unknown_status_do_not_count_as_present() -> None:
    raw = export(
        window_bucket("laptop", [window(T0, 30_000, "a")]),
        afk_bucket("laptop", [afk(T0, 10_000, "not-afk"), afk(T0 + 10_000, 20_000, "NOT-AFK")]),
    )
    assert [(a.start - S0, a.duration) for a in parse_export(raw).hosts[0].activities] == [(0, 10)]


def test_afk_events_with_tolerant_timestamps_are_read() -> None:
    raw = export(
        window_bucket("laptop", [window(T0, 30_000, "a")]),
        afk_bucket(
            "laptop", [{"timestamp": "2026-03-10t09:00:10.000000000z", "duration": 10, "data": {"status": "not-afk"}}]
        ),
    )
    assert [(a.start - S0, a.duration) for a in parse_export(raw).hosts[0].activities] == [(10, 10)]
