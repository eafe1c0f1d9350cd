"""Property tests: any input gives an AwExport or an ImportFormatError; results never overlap or overcount."""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

from aw_export_builder import Style, afk, afk_bucket, export, window, window_bucket
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from middenweg.interchange import ImportFormatError
from middenweg.interchange.activitywatch import AwExport, parse_export

T0 = 1_773_133_200_000  # 2026-03-10 09:00:00 UTC, in milliseconds

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
timestamps = st.one_of(
    st.sampled_from(
        [
            "2026-03-10T09:00:00Z",
            "2026-03-10T09:00:00.123456789Z",
            "2026-03-10T09:00:00+00:00",
            "2026-03-10T09:00:00",
            "0001-01-01T00:00:00+23:59",
            "9999-12-31T23:59:59.999999-23:59",
            "2026-02-30T09:00:00Z",
            "2026-03-10t09:00:00.5z",
            "2026-03-10T25:00:00Z",
            "2026-03-10",
            "",
        ]
    ),
    st.text(max_size=30),
    json_values,
)
durations = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, 0.0, 1e-9, 5.5, 316_224_000, 316_224_001, True, None, "5"]),
    json_values,
)
datas = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "app": st.one_of(st.text(max_size=20), json_values),
            "title": st.one_of(st.text(max_size=20), json_values),
            "status": st.sampled_from(["afk", "not-afk", "hibernating"]) | json_values,
        },
    ),
    json_values,
)
sound_timestamps = st.builds(
    lambda ms, zulu: (
        f"2026-03-10T09:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}" + ("Z" if zulu else "+00:00")
    ),
    st.integers(min_value=0, max_value=3_599_999),
    st.booleans(),
)
# Mostly sound events and buckets with a few bad parts, so the deep paths are reached, not only the first check.
plausible_events = st.fixed_dictionaries(
    {
        "timestamp": sound_timestamps | timestamps,
        "duration": st.floats(min_value=0, max_value=600) | durations,
        "data": st.fixed_dictionaries(
            {"app": st.text(max_size=20) | json_values},
            optional={
                "title": st.text(max_size=20) | json_values,
                "status": st.sampled_from(["afk", "not-afk"]) | json_values,
            },
        )
        | datas,
    },
    optional={"id": st.integers()},
)
loose_events = st.one_of(
    st.fixed_dictionaries(
        {}, optional={"timestamp": timestamps, "duration": durations, "data": datas, "id": json_values}
    ),
    json_values,
)
events = st.one_of(plausible_events, loose_events)
bucket_types = st.sampled_from(["currentwindow", "afkstatus", "os.lockscreen.unlocks"])
plausible_buckets = st.fixed_dictionaries(
    {
        "type": bucket_types | json_values,
        "hostname": st.sampled_from(["laptop", "pixel_7a", "", "a\nb"]) | json_values,
        "events": st.lists(events, max_size=6) | json_values,
    },
    optional={
        "id": st.sampled_from(["aw-watcher-window_laptop", "aw-watcher-android-test"]) | json_values,
        "client": st.sampled_from(["aw-watcher-window", "aw-android"]) | json_values,
    },
)
loose_buckets = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "id": st.text(max_size=30) | json_values,
            "type": bucket_types | json_values,
            "client": st.sampled_from(["aw-watcher-window", "aw-android"]) | json_values,
            "hostname": st.sampled_from(["laptop", "pixel_7a", ""]) | json_values,
            "events": st.lists(events, max_size=5) | json_values,
        },
    ),
    json_values,
)
buckets = st.one_of(plausible_buckets, plausible_buckets, loose_buckets)
documents = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"buckets": st.dictionaries(st.text(max_size=30), buckets, max_size=4) | st.lists(buckets, max_size=3)},
        optional={"extra": json_values},
    ),
)


def _parse_or_refuse(raw: bytes) -> AwExport | None:
    try:
        return parse_export(raw, source="x.json")
    except ImportFormatError as error:
        assert str(error).strip(), "an error must have a message"
        return None


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.booleans())
def test_any_json_gives_an_export_or_an_import_format_error(document: Any, compact: bool) -> None:
    separators = (",", ":") if compact else (", ", ": ")
    result = _parse_or_refuse(json.dumps(document, separators=separators).encode())
    if result is not None:
        for host in result.hosts:
            assert all(a.duration > 0 for a in host.activities)
            assert all(a.end <= b.start for a, b in pairwise(host.activities))


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_any_bytes_give_an_export_or_an_import_format_error(raw: bytes) -> None:
    _parse_or_refuse(raw)


@settings(max_examples=300)
@given(st.data())
def test_cutting_or_corrupting_a_sound_export_gives_an_import_format_error(data: st.DataObject) -> None:
    raw = export(
        window_bucket("laptop", [window(T0, 5_000, "firefox", "Inbox"), window(T0 + 5_000, 1_500, "code", None)]),
        afk_bucket("laptop", [afk(T0, 10_000, "not-afk")]),
    )
    position = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    replacement = data.draw(st.binary(min_size=0, max_size=3))
    corrupted = raw[:position] + replacement + raw[position + 1 :]
    _parse_or_refuse(corrupted)
    _parse_or_refuse(raw[:position])


window_events = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=600_000),  # start, ms after T0
        st.integers(min_value=0, max_value=120_000),  # duration, ms
        st.sampled_from(["firefox", "code", "Slack"]),
    ),
    max_size=40,
)
afk_events = st.lists(
    st.tuples(
        st.integers(min_value=-60_000, max_value=660_000),
        st.integers(min_value=0, max_value=200_000),
        st.sampled_from(["afk", "not-afk"]),
    ),
    max_size=15,
)


def _seconds(start_ms: int, duration_ms: int) -> set[int]:
    return set(range((start_ms + 500) // 1000, (start_ms + duration_ms + 500) // 1000))


@settings(max_examples=300)
@given(window_events, window_events, afk_events, st.booleans(), st.sampled_from(["python", "rust"]))
def test_random_events_never_overlap_and_never_overcount(
    first: list[tuple[int, int, str]],
    second: list[tuple[int, int, str]],
    afks: list[tuple[int, int, str]],
    with_afk: bool,
    style: Style,
) -> None:
    assume(first or second)
    buckets = [
        window_bucket("laptop", [window(T0 + s, d, app, "t", style) for s, d, app in first], style=style),
        window_bucket("laptop", [window(T0 + s, d, app, "t", style) for s, d, app in second], suffix="-2", style=style),
    ]
    if with_afk:
        buckets.append(afk_bucket("laptop", [afk(T0 + s, d, status, style) for s, d, status in afks], style=style))
    result = parse_export(export(*buckets, style=style))

    activities = result.hosts[0].activities if result.hosts else ()
    assert all(a.duration > 0 for a in activities)
    assert all(a.end <= b.start for a, b in pairwise(activities)), "overlap or unsorted"
    total = sum(a.duration for a in activities)
    rounded = [_seconds(T0 + s, d) for s, d, _app in first + second]
    assert total <= sum(len(seconds) for seconds in rounded)
    union = set().union(*rounded)
    if with_afk:
        awake = set().union(set(), *(_seconds(T0 + s, d) for s, d, status in afks if status == "not-afk"))
        assert total == len(union & awake)
    else:
        assert total == len(union)
