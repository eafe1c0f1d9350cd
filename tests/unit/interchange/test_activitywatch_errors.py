"""Malformed and foreign files: one ImportFormatError that says what is wrong and where, and nothing returned."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aw_export_builder import afk, afk_bucket, export, window, window_bucket

from middenweg.interchange import Error, ImportFormatError
from middenweg.interchange.activitywatch import parse_export, read_export

T0 = 1_773_133_200_000  # 2026-03-10 09:00:00 UTC in milliseconds


def _error(raw: bytes, source: str = "aw-buckets-export.json") -> str:
    with pytest.raises(ImportFormatError) as caught:
        parse_export(raw, source=source)
    assert isinstance(caught.value, Error)
    return str(caught.value)


def _with_event(event: Any, position: int = 2, bucket_type: str = "window") -> bytes:
    """A sound laptop export whose window (or afk) bucket has ``event`` as its ``position``-th event."""
    windows = [window(T0 + n * 10_000, 10_000, "firefox", "Firefox") for n in range(3)]
    afks = [afk(T0, 30_000, "not-afk")]
    target = windows if bucket_type == "window" else afks
    target.insert(position - 1, event)
    return export(window_bucket("laptop", windows), afk_bucket("laptop", afks))


def test_text_that_is_not_json_names_line_and_column() -> None:
    message = _error(b'{"buckets": {\n  "a": {"id": "a",, }\n}}')
    assert message.startswith("aw-buckets-export.json is not an ActivityWatch export: it is not valid JSON")
    assert "line 2, column 19" in message


@pytest.mark.parametrize(
    "text",
    [
        '{"buckets": {}} x',
        '{"buckets" {}}',
        '{"buckets": {"b": {"type": "x", "events": [1,]}}}',
        '{"buckets": {"b": {"type": "x", "events": [{"a": 1} {"b": 2}]}}}',
        '{"buckets": {"b": {"type": "x",}}}',
        '{"buckets": {"b": {"type": "x", "data": {"k": "tab\there"}}}}',
        '{"buckets": {"b": {"type": "x", "data": {"k": tru}}}}',
        '\n\n  {"buckets": [ {"type": "x"}, ]}',
        '{"buckets": {"b": {"type": "x" "y": 1}}}',
        '{"buckets": [{"type": "x"} {"type": "y"}]}',
        '{"buckets": {"b": {"type": "currentwindow", "hostname": "h", "events": ['
        '{"timestamp": "2026-03-10T09:00:00Z", "duration": 1, "data": {"app": "a"}} '
        '{"timestamp": "2026-03-10T09:00:01Z", "duration": 1, "data": {"app": "a"}}]}}}',
        '{"buckets": {"b": {"type": "currentwindow", "hostname": "h", "events": ['
        '{"timestamp": "2026-03-10T09:00:00Z", "duration": 1, "data": {"app": "a"}}, ]}}}',
    ],
)
def test_json_errors_are_placed_where_the_json_module_places_them(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as reference:
        json.loads(text)
    message = _error(text.encode())
    expected = f"({reference.value.msg} at line {reference.value.lineno}, column {reference.value.colno})"
    assert expected in message


def test_a_cut_off_file_says_so() -> None:
    raw = Path(__file__).parent.joinpath("data", "python_server_export.json").read_bytes()
    for cut in (len(raw) - 1, len(raw) // 2, 40):
        message = _error(raw[:cut])
        assert "ends too early" in message and "cut off" in message, (cut, message)


def test_bytes_that_are_not_utf8_name_the_position() -> None:
    message = _error(b'{"buckets": {"caf\xe9": {}}}')
    assert "not UTF-8 text" in message
    assert "position 17" in message


def test_utf16_with_a_byte_order_mark_is_not_utf8() -> None:
    message = _error('{"buckets": {}}'.encode("utf-16"))
    assert "not UTF-8 text" in message


def test_empty_file() -> None:
    assert "is empty" in _error(b"  \n")


@pytest.mark.parametrize(
    ("raw", "kind"),
    [(b"[]", "a list"), (b'"buckets"', "text"), (b"42", "a number"), (b"null", "null"), (b"true", "true or false")],
)
def test_top_level_that_is_not_an_object(raw: bytes, kind: str) -> None:
    message = _error(raw)
    assert f"it holds {kind} instead of an object" in message


def test_an_object_without_buckets() -> None:
    message = _error(b'{"events": []}', source="settings.json")
    assert message.startswith("settings.json is not an ActivityWatch export: it has no \u201cbuckets\u201d object.")


def test_without_a_source_the_message_still_reads_well() -> None:
    assert _error(b'{"version": 1}', source="").startswith("The file is not an ActivityWatch export")


def test_buckets_that_is_not_an_object() -> None:
    assert "\u201cbuckets\u201d is text, not an object" in _error(b'{"buckets": "all of them"}')


def test_a_bucket_that_is_not_an_object() -> None:
    message = _error(b'{"buckets": {"aw-watcher-window_laptop": [1, 2]}}')
    assert "Bucket \u201caw-watcher-window_laptop\u201d" in message
    assert "is a list, not an object" in message


def test_events_that_are_not_a_list() -> None:
    document = json.loads(_with_event(window(T0, 1000, "x")))
    document["buckets"]["aw-watcher-window_laptop"]["events"] = {"0": {}}
    message = _error(json.dumps(document).encode())
    assert "Bucket \u201caw-watcher-window_laptop\u201d: \u201cevents\u201d is an object, not a list" in message


def test_events_that_are_not_a_list_in_an_ignored_bucket_are_still_refused() -> None:
    raw = b'{"buckets": {"aw-stopwatch": {"type": "general.stopwatch", "events": "none"}}}'
    assert "Bucket \u201caw-stopwatch\u201d: \u201cevents\u201d is text" in _error(raw)


def test_a_bucket_without_type_or_hostname() -> None:
    assert "Bucket \u201cb\u201d has no \u201ctype\u201d" in _error(
        b'{"buckets": {"b": {"hostname": "x", "events": []}}}'
    )
    raw = b'{"buckets": {"b": {"type": "currentwindow", "events": []}}}'
    assert "Bucket \u201cb\u201d: it has no \u201chostname\u201d" in _error(raw)
    raw = b'{"buckets": {"b": {"type": "afkstatus", "hostname": 7, "events": []}}}'
    assert "\u201chostname\u201d is a number, not text" in _error(raw)


def test_a_repeated_key_in_a_bucket_is_refused() -> None:
    raw = b'{"buckets": {"b": {"type": "currentwindow", "hostname": "x", "events": [], "events": []}}}'
    assert "has \u201cevents\u201d more than once" in _error(raw)


# Each bad event is placed 2nd, so the message must say "event 2" (counted from 1, in file order).
BAD_WINDOW_EVENTS = [
    ("not an object", ["2026-03-10T09:00:00Z", 5], "the event is a list, not an object"),
    ("no timestamp", {"duration": 5.0, "data": {"app": "x"}}, "it has no \u201ctimestamp\u201d"),
    (
        "unparseable timestamp",
        {"timestamp": "yesterday", "duration": 5.0, "data": {"app": "x"}},
        '\u201ctimestamp\u201d is not a date and time ("yesterday")',
    ),
    (
        "timestamp of the wrong type",
        {"timestamp": 1773133200, "duration": 5.0, "data": {"app": "x"}},
        "\u201ctimestamp\u201d is not a date and time (1773133200)",
    ),
    (
        "impossible date in the tolerant form",
        {"timestamp": "2026-02-30t09:00:00z", "duration": 5.0, "data": {"app": "x"}},
        '\u201ctimestamp\u201d is not a date and time ("2026-02-30t09:00:00z")',
    ),
    (
        "timestamp without a time zone",
        {"timestamp": "2026-03-10T09:00:00.250000", "duration": 5.0, "data": {"app": "x"}},
        '\u201ctimestamp\u201d has no time zone ("2026-03-10T09:00:00.250000")',
    ),
    ("no duration", {"timestamp": "2026-03-10T09:00:00Z", "data": {"app": "x"}}, "it has no \u201cduration\u201d"),
    (
        "negative duration",
        {"timestamp": "2026-03-10T09:00:00Z", "duration": -0.5, "data": {"app": "x"}},
        "\u201cduration\u201d is negative (-0.5)",
    ),
    (
        "NaN duration",
        {"timestamp": "2026-03-10T09:00:00Z", "duration": float("nan"), "data": {"app": "x"}},
        "\u201cduration\u201d is not a finite number (NaN)",
    ),
    (
        "infinite duration",
        {"timestamp": "2026-03-10T09:00:00Z", "duration": float("inf"), "data": {"app": "x"}},
        "\u201cduration\u201d is not a finite number (Infinity)",
    ),
    (
        "duration as text",
        {"timestamp": "2026-03-10T09:00:00Z", "duration": "5", "data": {"app": "x"}},
        '\u201cduration\u201d is not a number of seconds ("5")',
    ),
    (
        "duration true",
        {"timestamp": "2026-03-10T09:00:00Z", "duration": True, "data": {"app": "x"}},
        "\u201cduration\u201d is not a number of seconds (true)",
    ),
    (
        "absurd duration",
        {"timestamp": "2026-03-10T09:00:00Z", "duration": 1e12, "data": {"app": "x"}},
        "\u201cduration\u201d is far too long",
    ),
    ("no data", {"timestamp": "2026-03-10T09:00:00Z", "duration": 5.0}, "it has no \u201cdata\u201d"),
    (
        "data not an object",
        {"timestamp": "2026-03-10T09:00:00Z", "duration": 5.0, "data": "firefox"},
        "\u201cdata\u201d is text, not an object",
    ),
    (
        "window data without app",
        {"timestamp": "2026-03-10T09:00:00Z", "duration": 5.0, "data": {"title": "Inbox"}},
        "the window data has no \u201capp\u201d",
    ),
    (
        "app that is not text",
        {"timestamp": "2026-03-10T09:00:00Z", "duration": 5.0, "data": {"app": None, "title": "Inbox"}},
        "\u201capp\u201d is null, not text",
    ),
]


@pytest.mark.parametrize(("case", "event", "problem"), BAD_WINDOW_EVENTS, ids=[c[0] for c in BAD_WINDOW_EVENTS])
def test_bad_window_event_names_bucket_and_event(case: str, event: Any, problem: str) -> None:
    message = _error(_with_event(event))
    assert message.startswith(f"Bucket \u201caw-watcher-window_laptop\u201d, event 2: {problem}"), message
    assert "Nothing was imported" in message


@pytest.mark.parametrize(("case", "event", "problem"), BAD_WINDOW_EVENTS, ids=[c[0] for c in BAD_WINDOW_EVENTS])
def test_bad_window_event_is_found_when_events_come_before_type(case: str, event: Any, problem: str) -> None:
    document = json.loads(_with_event(event))
    bucket = document["buckets"]["aw-watcher-window_laptop"]
    document["buckets"]["aw-watcher-window_laptop"] = {"events": bucket.pop("events"), **bucket}
    message = _error(json.dumps(document).encode())
    assert message.startswith(f"Bucket \u201caw-watcher-window_laptop\u201d, event 2: {problem}"), message


def test_the_brief_example_reads_as_promised() -> None:
    windows = [window(T0 + n * 1000, 1000, "firefox") for n in range(1531)]
    windows.append({"timestamp": "yesterday", "duration": 5.0, "data": {"app": "firefox"}})
    message = _error(export(window_bucket("laptop", windows)))
    assert message.startswith(
        "Bucket \u201caw-watcher-window_laptop\u201d, event 1532: \u201ctimestamp\u201d is not a date and time "
        '("yesterday").'
    )


@pytest.mark.parametrize(
    ("event", "problem"),
    [
        ({"timestamp": "later", "duration": 5.0, "data": {"status": "afk"}}, "\u201ctimestamp\u201d is not a date"),
        ({"timestamp": "2026-03-10T09:00:00Z", "duration": -1, "data": {"status": "afk"}}, "is negative"),
        ({"timestamp": "2026-03-10T09:00:00Z", "duration": 1, "data": ["afk"]}, "\u201cdata\u201d is a list"),
    ],
)
def test_bad_afk_events_are_refused_too(event: Any, problem: str) -> None:
    message = _error(_with_event(event, position=1, bucket_type="afk"))
    assert message.startswith("Bucket \u201caw-watcher-afk_laptop\u201d, event 1: ")
    assert problem in message


def test_a_bad_event_far_into_a_pending_bucket_is_found_as_well() -> None:
    # "events" before "type": the events are checked when the type is known, with the same numbering.
    raw = (
        b'{"buckets": {"w": {"events": [{"timestamp": "2026-03-10T09:00:00Z", "duration": 1, "data": {"app": "a"}}, '
        b'{"timestamp": "2026-03-10T09:00:01Z", "duration": 1, "data": {}}], "type": "currentwindow", '
        b'"hostname": "h"}}}'
    )
    assert _error(raw).startswith("Bucket \u201cw\u201d, event 2: the window data has no \u201capp\u201d")


def test_events_of_ignored_buckets_are_not_judged() -> None:
    # A browser watcher's odd event must not block importing window time; only the structure is checked.
    raw = export(
        window_bucket("laptop", [window(T0, 5000, "firefox")]),
        {"id": "aw-watcher-web-chrome", "type": "web.tab.current", "hostname": "unknown", "events": [{"x": 1}]},
    )
    assert parse_export(raw).ignored_buckets == ("aw-watcher-web-chrome",)


def test_deeply_nested_json_is_refused_cleanly() -> None:
    raw = b'{"buckets": {"b": {"type": "x", "data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}}"
    assert "nested far too deeply" in _error(raw)


def test_trailing_data_after_the_export() -> None:
    raw = export(window_bucket("laptop", [window(T0, 5000, "firefox")])) + b"\n{}"
    message = _error(raw)
    assert "not valid JSON (Extra data at line 2, column 1)" in message


def test_nothing_is_returned_when_the_last_event_is_bad() -> None:
    windows = [window(T0 + n * 1000, 1000, "firefox") for n in range(50)]
    windows.append({"timestamp": "2026-03-10T10:00:00Z", "duration": -3, "data": {"app": "firefox"}})
    with pytest.raises(ImportFormatError, match="event 51"):
        parse_export(export(window_bucket("laptop", windows)))


def test_read_export_turns_os_errors_into_a_clear_message(tmp_path: Path) -> None:
    missing = tmp_path / "aw-buckets-export.json"
    with pytest.raises(ImportFormatError, match=r"Could not read .*aw-buckets-export\.json: No such file"):
        read_export(missing)
    with pytest.raises(ImportFormatError, match=r"Could not read .*: Is a directory"):
        read_export(tmp_path)


def test_read_export_names_the_file_in_format_errors(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text('{"notes": []}', encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"^notes\.json is not an ActivityWatch export"):
        read_export(path)
