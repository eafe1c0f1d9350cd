"""AFK exclusion and overlapping window buckets, checked against per-second brute force and hand-worked cases."""

from __future__ import annotations

import random
from itertools import pairwise
from typing import Any

from aw_export_builder import Style, afk, afk_bucket, export, window, window_bucket

from middenweg.domain.events import WindowActivity
from middenweg.interchange.activitywatch import parse_export

T0 = 1_773_133_200_000  # 2026-03-10 09:00:00 UTC, in milliseconds
S0 = T0 // 1000


def _seconds(start_ms: int, duration_ms: int) -> range:
    """The whole seconds an event covers: start and end rounded to the nearest second, halves up."""
    return range((start_ms + 500) // 1000, (start_ms + duration_ms + 500) // 1000)


def _covered(activities: tuple[WindowActivity, ...]) -> list[int]:
    return [second for a in activities for second in range(a.start, a.end)]


def test_window_time_counts_only_inside_not_afk_time() -> None:
    raw = export(
        window_bucket("laptop", [window(T0, 100_000, "firefox", "WhatsApp")]),
        afk_bucket(
            "laptop",
            [
                afk(T0 - 5_000, 15_000, "not-afk"),  # 08:59:55 .. 09:00:10
                afk(T0 + 10_000, 40_000, "afk"),  # 09:00:10 .. 09:00:50
                afk(T0 + 50_000, 20_000, "not-afk"),  # 09:00:50 .. 09:01:10
                afk(T0 + 70_000, 60_000, "afk"),  # 09:01:10 .. 09:02:10
            ],
        ),
    )
    (host,) = parse_export(raw).hosts
    assert host.activities == (
        WindowActivity(S0, 10, "firefox", "WhatsApp"),
        WindowActivity(S0 + 50, 20, "firefox", "WhatsApp"),
    )


def test_gaps_without_afk_data_count_as_away_as_in_activitywatch() -> None:
    # The AFK watcher was not running 09:00:30 .. 09:01:00: ActivityWatch's "window ∩ not-afk" drops that time.
    raw = export(
        window_bucket("laptop", [window(T0, 90_000, "code", "main.py")]),
        afk_bucket("laptop", [afk(T0, 30_000, "not-afk"), afk(T0 + 60_000, 60_000, "not-afk")]),
    )
    (host,) = parse_export(raw).hosts
    assert [(a.start - S0, a.duration) for a in host.activities] == [(0, 30), (60, 30)]


def test_two_afk_buckets_of_one_host_add_up_their_not_afk_time() -> None:
    raw = export(
        window_bucket("laptop", [window(T0, 60_000, "code")]),
        afk_bucket("laptop", [afk(T0, 20_000, "not-afk")]),
        afk_bucket("laptop", [afk(T0 + 10_000, 20_000, "not-afk")], suffix="-old"),
    )
    result = parse_export(raw)
    assert [(a.start - S0, a.duration) for a in result.hosts[0].activities] == [(0, 30)]
    assert result.afk_buckets == 2


def test_afk_of_another_host_does_not_apply() -> None:
    raw = export(
        window_bucket("laptop", [window(T0, 60_000, "code")]),
        afk_bucket("desktop", [afk(T0, 60_000, "afk")]),
    )
    result = parse_export(raw)
    assert _covered(result.hosts[0].activities) == list(range(S0, S0 + 60))
    assert (result.afk_buckets, result.ignored_buckets) == (0, ("aw-watcher-afk_desktop",))


def test_an_afk_bucket_without_not_afk_time_leaves_nothing() -> None:
    raw = export(
        window_bucket("laptop", [window(T0, 60_000, "code")]),
        afk_bucket("laptop", [afk(T0, 60_000, "afk"), afk(T0 + 60_000, 60_000, "hibernating")]),
    )
    result = parse_export(raw)
    assert result.hosts == ()
    assert result.window_buckets == 1


def test_overlapping_window_buckets_of_one_host_do_not_count_twice() -> None:
    # Two window buckets for the same laptop, e.g. its own and an "-synced-from" copy with slightly other events.
    first = [window(T0, 60_000, "firefox", "A")]
    second = [
        window(T0 + 10_000, 10_000, "Slack", "inside A"),  # wholly inside A: nothing left
        window(T0 + 30_000, 60_000, "Slack", "B"),  # starts inside A: moved to A's end
    ]
    raw = export(window_bucket("laptop", first), window_bucket("laptop", second, suffix="-synced-from-laptop"))
    result = parse_export(raw)
    assert result.hosts[0].activities == (
        WindowActivity(S0, 60, "firefox", "A"),
        WindowActivity(S0 + 60, 30, "Slack", "B"),
    )
    assert result.window_buckets == 2


def test_overlap_resolution_does_not_depend_on_event_order() -> None:
    events = [
        window(T0, 60_000, "firefox", "A"),
        window(T0 + 30_000, 60_000, "Slack", "B"),
        window(T0 + 120_000, 5_000, "code", "C"),
    ]
    results = {
        parse_export(export(window_bucket("laptop", order))).hosts
        for order in (events, events[::-1], [events[1], events[2], events[0]])
    }
    assert len(results) == 1


def _brute_force_case(rng: random.Random, style: Style) -> None:
    windows: list[dict[str, Any]] = []
    afks: list[dict[str, Any]] = []
    seconds_window: set[int] = set()
    seconds_awake: set[int] = set()
    app_of_second: dict[int, set[str]] = {}
    for number in range(rng.randint(0, 25)):
        start = T0 + rng.randint(0, 300_000)
        duration = rng.choice((0, rng.randint(1, 2_000), rng.randint(1, 90_000)))
        app = f"app{number % 4}"
        windows.append(window(start, duration, app, f"title {number}", style))
        for second in _seconds(start, duration):
            seconds_window.add(second)
            app_of_second.setdefault(second, set()).add(app)
    for _number in range(rng.randint(0, 12)):
        start = T0 + rng.randint(-20_000, 320_000)
        duration = rng.randint(0, 60_000)
        status = rng.choice(("afk", "not-afk", "not-afk"))
        afks.append(afk(start, duration, status, style))
        if status == "not-afk":
            seconds_awake.update(_seconds(start, duration))
    rng.shuffle(windows)
    buckets = [window_bucket("laptop", windows, style=style)]
    with_afk = rng.random() < 0.7
    if with_afk:
        buckets.append(afk_bucket("laptop", afks, style=style))
    result = parse_export(export(*buckets, style=style))

    expected = seconds_window & seconds_awake if with_afk else seconds_window
    activities = result.hosts[0].activities if result.hosts else ()
    covered = _covered(activities)
    assert len(covered) == len(set(covered)), "an activity overlaps another"
    assert set(covered) == expected
    assert all(a.end <= b.start for a, b in pairwise(activities))
    for activity in activities:
        for second in range(activity.start, activity.end):
            assert activity.app in app_of_second[second]


def test_afk_exclusion_matches_a_per_second_brute_force() -> None:
    rng = random.Random(20261025)
    for case in range(300):
        _brute_force_case(rng, "python" if case % 2 else "rust")
