"""Hostile input for every file and text Middenweg reads (issue 9, point 4): nothing crashes, what cannot be read is
reported with the documented error, naming the file and the place.

Builds on the property tests next to each parser (tests/unit/interchange/test_activitywatch_properties.py: random
JSON, random bytes and one-byte corruptions of an ActivityWatch export; tests/unit/rules/test_rules_robustness.py:
random rules text and patterns; tests/unit/test_config.py: typed durations and device names) and adds what they
leave out: numbers too long for Python's int conversion, nesting too deep for its recursion limit, NaN and infinity
where times go, lone surrogates and invalid UTF-8 spliced into sound files, the Middenweg JSON import, the path from
a refused file to the message the user reads, accepted files that must also store, and hostile window titles
through the sampler into the database, the weekly report and the export.

CI runs modest example counts; ``MIDDENWEG_LONG=1`` runs twenty times as many (and marks the module slow).
"""

from __future__ import annotations

import copy
import io
import itertools
import json
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from long_runs import SLOW_WHEN_LONG, fuzz

from fakes import FakeClock, ScriptedDesktop
from middenweg.cli_text import render_report
from middenweg.config import SettingsError, load_settings_with_warnings, set_value, template_text
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.domain.weeks import IsoWeek, local_date
from middenweg.history import export_history, import_activitywatch, import_middenweg, weekly_report
from middenweg.interchange import ImportFormatError
from middenweg.interchange.activitywatch import AwExport, parse_export, read_export
from middenweg.interchange.middenweg_format import (
    ExportDevice,
    ExportEvent,
    MiddenwegExport,
    parse_middenweg_export,
    write_json,
)
from middenweg.privacy import MAX_APP, MAX_TITLE, TitlePolicy, clean_text, stored_title
from middenweg.rules import builtin_rules, load_rules
from middenweg.rules.userfile import UserRuleError, append_rule
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store
from middenweg.tracking.runner import StoreSink
from middenweg.tracking.sampler import Sampler

pytestmark = SLOW_WHEN_LONG


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """One folder for all examples of the module (hypothesis runs many examples in one test call)."""
    with tempfile.TemporaryDirectory(prefix="mw-fuzz-") as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def store(scratch: Path) -> Iterator[Store]:
    """A real database that every accepted file is imported into: what a parser accepts must also store."""
    s = Store.open(scratch / "import" / "middenweg.sqlite3")
    yield s
    s.close()


# -- hostile pieces ------------------------------------------------------------------------------------------------

AMS = ZoneInfo("Europe/Amsterdam")
T0 = 1_773_133_200  # 2026-03-10 09:00:00 UTC
#: Characters that have broken programs before: C0 and C1 controls, escape sequences, line and paragraph
#: separators, bidi marks, embeddings, overrides and isolates (Trojan Source), a byte order mark, lone surrogates
#: (what undecodable bytes become through surrogateescape), emoji with joiners, combining marks, right-to-left
#: scripts, shell and format syntax.
HOSTILE_PIECES = (
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x1b]0;pwned\x07",
    "\r\n",
    "\t",
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ufeff",
    "\ufffd",
    "\ud800",
    "\udbff",
    "\udc80",
    "\udcff",
    "\udfff",
    "\U0001f600",
    "👨\u200d👩\u200d👧\u200d👦",
    "🏳️\u200d🌈",
    "e\u0301\u0301\u0301",
    "פייסבוק",
    "واتساب",
    "$(touch /tmp/pwned)",
    "`id`",
    "; rm -rf ~",
    "'\"\\",
    "%s%n%x",
    "{0}{title}{}",
    "<b>&amp;</b>",
    "\U0010ffff",
    "\uffff",
)
hostile_text = st.one_of(
    st.lists(st.sampled_from(HOSTILE_PIECES) | st.text(max_size=6), max_size=8).map("".join),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40),
)
#: JSON tokens that a sound export never holds, to splice in where a value goes.
RAW_TOKENS = st.one_of(
    st.integers(min_value=4301, max_value=12_000).map(lambda n: b"9" * n),  # past Python's int-conversion limit
    st.integers(min_value=4301, max_value=6000).map(lambda n: b"-1" + b"0" * n),
    st.integers(min_value=2, max_value=100_000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(min_value=2, max_value=40_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
    st.integers(min_value=1000, max_value=40_000).map(lambda n: b"[" * n),  # deep and cut off
    st.sampled_from(
        [
            b"NaN",
            b"Infinity",
            b"-Infinity",
            b"1e999",
            b"-1e999",
            b"1e-999",
            b"-0",
            b"18446744073709551616",
            b"-9223372036854775809",
            b"true",
            b"false",
            b"null",
            b"{}",
            b"[]",
            b'""',
            b'"\\ud800"',
            b'"\\udfff\\ud800"',
            b'"\\u0000\\u001b[2J"',
            b'"\xff\xfe"',
            b'"\xc3"',
            b'"\xed\xa0\x80"',
            b'"\xc0\xaf"',
            b'"\xef\xbb\xbf"',
            b'"\xf4\x90\x80\x80"',
            b'"2026-03-10T09:00:00Z"',
            b'"9999-12-31T23:59:59.999999-23:59"',
            b'"0001-01-01T00:00:00+23:59"',
            b'"0001-01-01T00:00:00Z"',
            b'"2026-03-10T09:00:00"',
            b'"2026-03-10T09:00:00+99:00"',
        ]
    ),
    st.binary(max_size=8),
)
SENTINEL = "\x00splice\x00"


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value in a JSON document, containers included."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _replaced(document: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    result = copy.deepcopy(document)
    holder = result
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = new
    return result


def splice(data: st.DataObject, document: Any, *, ensure_ascii: bool = True) -> bytes:
    """``document`` as JSON bytes with one value (drawn) replaced by a raw hostile token (drawn)."""
    paths = list(_paths(document))
    path = data.draw(st.sampled_from(paths), label="path")
    token = data.draw(RAW_TOKENS, label="token")
    text = json.dumps(_replaced(document, path, SENTINEL), ensure_ascii=ensure_ascii)
    marker = json.dumps(SENTINEL, ensure_ascii=ensure_ascii)
    assert text.count(marker) == 1
    return text.encode("utf-8", "surrogatepass").replace(marker.encode(), token)


def mangle(data: st.DataObject, raw: bytes) -> bytes:
    """``raw`` cut off, or with a few bytes replaced, inserted or doubled (drawn)."""
    how = data.draw(st.sampled_from(["cut", "replace", "insert", "double"]), label="how")
    at = data.draw(st.integers(min_value=0, max_value=max(0, len(raw) - 1)), label="at")
    piece = data.draw(st.binary(min_size=1, max_size=4) | st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80"]))
    if how == "cut":
        return raw[:at]
    if how == "replace":
        return raw[:at] + piece + raw[at + len(piece) :]
    if how == "insert":
        return raw[:at] + piece + raw[at:]
    return raw[:at] + raw[at : at + 64] + raw[at:]


def assert_clean(text: str | None, limit: int) -> None:
    """What may reach the database and the screen: UTF-8, no control characters (so one line), no bidi controls,
    capped."""
    if text is None:
        return
    text.encode("utf-8")  # no lone surrogates
    assert len(text) <= limit
    bad = [c for c in text if unicodedata.category(c) == "Cc" or c in "\u200e\u200f\u061c" or _bidi_control(c)]
    assert not bad, (text, bad)


def _bidi_control(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI")


# -- ActivityWatch ---------------------------------------------------------------------------------------------------


def _aw_event(offset: int, seconds: float, app: Any, title: Any) -> dict[str, Any]:
    return {
        "timestamp": f"2026-03-10T09:{offset // 60 % 60:02d}:{offset % 60:02d}.250000+00:00",
        "duration": seconds,
        "data": {"app": app, "title": title},
    }


aw_sound_documents = st.builds(
    lambda windows, afks, android: {
        "buckets": {
            "aw-watcher-window_laptop": {
                "id": "aw-watcher-window_laptop",
                "type": "currentwindow",
                "client": "aw-watcher-window",
                "hostname": "laptop",
                "events": [_aw_event(i * 30, d, a, t) for i, (d, a, t) in enumerate(windows)],
            },
            "aw-watcher-afk_laptop": {
                "id": "aw-watcher-afk_laptop",
                "type": "afkstatus",
                "client": "aw-watcher-afk",
                "hostname": "laptop",
                "events": [
                    {"timestamp": f"2026-03-10T09:{i:02d}:00Z", "duration": 60.0, "data": {"status": status}}
                    for i, status in enumerate(afks)
                ],
            },
            "aw-watcher-android-unlock": {
                "id": "aw-watcher-android-unlock",
                "type": "os.lockscreen.unlocks",
                "client": "aw-android",
                "hostname": "pixel",
                "events": [{"timestamp": f"2026-03-10T10:00:{s:02d}Z", "duration": 0, "data": {}} for s in android],
            },
        }
    },
    st.lists(st.tuples(st.floats(min_value=0, max_value=40), hostile_text, hostile_text | st.none()), max_size=4),
    st.lists(st.sampled_from(["afk", "not-afk"]), max_size=3),
    st.lists(st.integers(min_value=0, max_value=59), max_size=3),
)


def _aw_or_refusal(raw: bytes, source: str = "x.json") -> AwExport | None:
    try:
        result = parse_export(raw, source=source)
    except ImportFormatError as error:
        assert str(error).strip()
        return None
    for host in result.hosts:
        assert_clean(host.hostname, MAX_APP)
        for activity in host.activities:
            assert activity.duration > 0
            assert_clean(activity.app, MAX_APP)
            assert_clean(activity.title, MAX_TITLE)
    return result


@fuzz(150)
@given(st.data(), aw_sound_documents, st.booleans())
def test_activitywatch_hostile_tokens_in_a_sound_export_are_refused_or_cleaned(
    data: st.DataObject, document: dict[str, Any], ascii_only: bool
) -> None:
    _aw_or_refusal(splice(data, document, ensure_ascii=ascii_only))


@fuzz(100)
@given(aw_sound_documents, st.booleans())
def test_activitywatch_hostile_names_and_titles_come_out_clean(document: dict[str, Any], ascii_only: bool) -> None:
    raw = json.dumps(document, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    _aw_or_refusal(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"buckets": {}, "x": ' + b"9" * 5000 + b"}",
        b'{"buckets": {"w": {"type": "currentwindow", "hostname": "h", "events": [{"timestamp": '
        b'"2026-03-10T09:00:00Z", "duration": ' + b"1" * 4301 + b', "data": {"app": "a"}}]}}}',
        b'{"buckets": {"w": {"type": "currentwindow", "hostname": "h", "events": [' + b"-" + b"1" * 5000 + b"]}}}",
        b'{"buckets": {"w": {"type": "afkstatus", "hostname": "h", "events": [{"timestamp": '
        b'"2026-03-10T09:00:00Z", "duration": ' + b"9" * 9000 + b', "data": {"status": "not-afk"}}]}}}',
        b'{"buckets": {"w": {"type": "currentwindow", "hostname": ' + b"9" * 4400 + b', "events": []}}}',
        b'{"buckets": [' + b"7" * 4400 + b"]}",
    ],
    ids=["top-level", "duration", "event", "afk-duration", "hostname", "bucket-list"],
)
def test_activitywatch_numbers_too_long_for_python_are_reported_with_their_place(raw: bytes) -> None:
    # Python refuses to convert integers of more than 4300 digits (CVE-2020-10735) with a ValueError that is
    # not a JSONDecodeError; it must still become an ImportFormatError that says where.
    with pytest.raises(ImportFormatError, match=r"x\.json.*line 1, column \d+"):
        parse_export(raw, source="x.json")


@fuzz(60)
@given(st.data(), aw_sound_documents)
def test_every_refused_activitywatch_file_names_the_file_and_accepted_ones_store(
    scratch: Path, store: Store, data: st.DataObject, document: dict[str, Any]
) -> None:
    raw = json.dumps(document).encode()
    raw = data.draw(st.sampled_from([splice(data, document), mangle(data, raw), raw]), label="file")
    path = scratch / "aw" / "export-ä ø.json"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(raw)
    try:
        result = import_activitywatch(store, path, builtin_rules(), policy=TitlePolicy.ALL)
    except ImportFormatError as error:
        message = str(error)
        assert path.name in message, message
        if _json_syntax_error(raw):
            # A JSON mistake is placed by line and column (by byte for text that is not UTF-8), unless the reader
            # met a bucket or event it had to refuse before it got there.
            assert re.search(r"line \d+, column \d+|position \d+|Bucket “| is empty", message), message
        return
    assert result.export is not None


def _json_syntax_error(raw: bytes) -> bool:
    try:
        json.loads(raw.decode("utf-8-sig"))
    except json.JSONDecodeError:
        return True
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return False


def test_reading_a_folder_or_a_missing_activitywatch_file_is_reported(tmp_path: Path) -> None:
    for path in (tmp_path, tmp_path / "missing.json"):
        with pytest.raises(ImportFormatError, match=re.escape(str(path))):
            read_export(path)


# -- the Middenweg JSON export -----------------------------------------------------------------------------------

categories = st.sampled_from(list(Category))
_Event = tuple[int, int, str, str | None, Category, bool]  # gap before, duration, app, title, category, on the phone
mw_events = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=900),  # gap before, seconds
        st.integers(min_value=1, max_value=900),  # duration
        st.text(min_size=1, max_size=12),
        st.none() | st.text(max_size=20),
        categories,
        st.booleans(),  # on the phone
    ),
    max_size=8,
)


def _export_bytes(events: list[_Event]) -> bytes:
    devices = [
        ExportDevice("uid-laptop", "laptop", "Laptop", DeviceKind.COMPUTER),
        ExportDevice("uid-phone", "pixel", "Pixel ☎", DeviceKind.PHONE),
    ]
    items: list[ExportEvent] = []
    at = {"uid-laptop": T0, "uid-phone": T0}
    for gap, duration, app, title, category, phone in events:
        uid = "uid-phone" if phone else "uid-laptop"
        start = at[uid] + gap
        at[uid] = start + duration
        label = app if category is Category.OTHER else "WhatsApp"
        items.append(ExportEvent(uid, UsageEvent(start, duration, app, title, category, label)))
    out = io.StringIO()
    write_json(out, devices, items, AMS, T0 + 86_400, {"uid-phone": [T0 + 5, T0 + 99]})
    return out.getvalue().encode("utf-8")


def _mw_or_refusal(raw: bytes, source: str = "export.json", *, must_read: bool = False) -> MiddenwegExport | None:
    try:
        result = parse_middenweg_export(raw, source)
    except ImportFormatError as error:
        assert source in str(error), str(error)
        assert not must_read, str(error)
        return None
    for device in result.devices:
        for text in (device.uid, device.host_key, device.name):
            assert_clean(text, MAX_APP)
            assert text
    for items in result.events.values():
        for event in items:
            assert event.duration > 0
            assert_clean(event.app, MAX_APP)
            assert_clean(event.label, MAX_APP)
            assert_clean(event.title, MAX_TITLE)
        assert all(a.end <= b.start for a, b in itertools.pairwise(items))
    return result


@fuzz(80)
@given(mw_events)
def test_a_middenweg_export_reads_back_as_written(events: list[_Event]) -> None:
    # An app name of only spaces or control characters is the tracker's "unknown".
    expected = sorted(
        ((e[1], clean_text(e[2], MAX_APP) or "unknown", clean_text(e[3], MAX_TITLE)) for e in events), key=repr
    )
    result = _mw_or_refusal(_export_bytes(events), must_read=True)
    assert result is not None
    read = sorted(((e.duration, e.app, e.title) for items in result.events.values() for e in items), key=repr)
    assert read == expected


@fuzz(150)
@given(st.data(), mw_events)
def test_middenweg_hostile_tokens_and_damage_are_refused_with_the_file_name(
    data: st.DataObject, events: list[_Event]
) -> None:
    raw = _export_bytes(events)
    document = json.loads(raw)
    how = data.draw(st.sampled_from(["splice", "mangle"]))
    _mw_or_refusal(splice(data, document) if how == "splice" else mangle(data, raw))


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | hostile_text
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=12,
)
mw_fields = st.fixed_dictionaries(
    {},
    optional={
        "device": st.sampled_from(["d1", "d2"]) | json_values,
        "start_utc": st.sampled_from(["2026-03-10T09:00:00Z", "0001-01-01T00:00:00+23:59"]) | json_values,
        "end_utc": st.sampled_from(["2026-03-10T09:01:00Z", "9999-12-31T23:59:59-23:59"]) | json_values,
        "app": hostile_text | json_values,
        "title": hostile_text | json_values,
        "label": hostile_text | json_values,
        "category": st.sampled_from(["social", "messaging", "other"]) | json_values,
    },
)
mw_devices = st.fixed_dictionaries(
    {},
    optional={
        "uid": st.sampled_from(["d1", "d2"]) | hostile_text | json_values,
        "host_key": hostile_text | json_values,
        "name": hostile_text | json_values,
        "kind": st.sampled_from(["computer", "phone"]) | json_values,
        "unlocks": st.lists(st.sampled_from(["2026-03-10T09:00:00Z", "0001-01-01T00:00:00+23:59"]) | json_values)
        | json_values,
    },
)
mw_documents = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "format": st.just("middenweg-export") | json_values,
            "version": st.sampled_from([1, 0, -1, 2, True]) | json_values,
            "devices": st.lists(mw_devices, max_size=3) | json_values,
            "events": st.lists(mw_fields, max_size=4) | json_values,
        },
        optional={"timezone": json_values, "exported_at": json_values},
    ),
)


@fuzz(250)
@given(mw_documents, st.booleans())
def test_any_json_is_a_middenweg_export_or_an_import_format_error(document: Any, ascii_only: bool) -> None:
    raw = json.dumps(document, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    _mw_or_refusal(raw)


@fuzz(150)
@given(st.binary(max_size=300))
def test_any_bytes_are_a_middenweg_export_or_an_import_format_error(raw: bytes) -> None:
    _mw_or_refusal(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"format": "middenweg-export", "version": 1, "devices": [], "events": ' + b"[" * 50_000,
        b'{"format": "middenweg-export", "version": ' + b"9" * 5000 + b"}",
        b'{"format": "middenweg-export", "version": 1, "devices": [' + b"1" * 4400 + b"]}",
        b'{"format": "middenweg-export", "version": 1, "devices": [], "events": [], "x": NaN}',
        b"\xef\xbb\xbf{}",
        b'{"format": "middenweg-export", "version": 1, "devices": [{"uid": "\\ud800", "host_key": "h", '
        b'"name": "n", "kind": "computer"}], "events": []}',
    ],
    ids=["deep", "deep-cut", "long-version", "long-number", "nan", "bom", "surrogate-uid"],
)
def test_middenweg_imports_that_python_chokes_on_are_import_format_errors(raw: bytes) -> None:
    _mw_or_refusal(raw)


def test_an_event_of_millennia_is_refused_before_storage_cuts_it_into_days() -> None:
    # Storage cuts events at local midnights; this one (found by the fuzzing) took 23 GB before it was refused.
    raw = json.dumps(
        {
            "format": "middenweg-export",
            "version": 1,
            "devices": [{"uid": "u", "host_key": "h", "name": "n", "kind": "computer"}],
            "events": [
                {
                    "device": "u",
                    "start_utc": "0001-01-01T00:00:00Z",
                    "end_utc": "9999-12-31T00:00:00Z",
                    "app": "a",
                    "title": None,
                    "category": "other",
                    "label": "a",
                }
            ],
        }
    ).encode()
    with pytest.raises(ImportFormatError, match="event 1: it lasts more than ten years"):
        parse_middenweg_export(raw, "old.json")


@fuzz(60)
@given(st.data(), mw_events, mw_documents)
def test_every_middenweg_file_imports_or_is_refused_naming_the_file(
    scratch: Path,
    store: Store,
    data: st.DataObject,
    events: list[_Event],
    document: Any,
) -> None:
    sound = _export_bytes(events)
    raw = data.draw(
        st.sampled_from(
            [
                sound,
                splice(data, json.loads(sound)),
                mangle(data, sound),
                json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass"),
            ]
        )
    )
    path = scratch / "mw" / "dump ü.json"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(raw)
    try:
        import_middenweg(store, path, policy=TitlePolicy.ALL)
    except ImportFormatError as error:
        assert str(path) in str(error), str(error)
        return
    # Whatever was accepted is in the database and goes out again as an export that reads back.
    out = io.StringIO()
    export_history(store, out, "json", AMS, None, None, T0)
    _mw_or_refusal(out.getvalue().encode("utf-8"), must_read=True)


# -- the rules file ------------------------------------------------------------------------------------------------


def _builtin_text() -> str:
    import importlib.resources

    return importlib.resources.files("middenweg.rules").joinpath("builtin.toml").read_text(encoding="utf-8")


toml_tokens = st.one_of(
    st.integers(min_value=4301, max_value=9000).map(lambda n: "9" * n),
    st.integers(min_value=4301, max_value=6000).map(lambda n: "0x" + "f" * n),
    st.integers(min_value=2, max_value=20_000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=2, max_value=20_000).map(lambda n: "{a=" * n + "1" + "}" * n),
    st.sampled_from(["nan", "inf", "-inf", "1e999", "9999-12-31T23:59:59-23:59", "0001-01-01", "true", '"\\u0000"']),
    hostile_text.map(lambda text: json.dumps(text)),
    hostile_text,
)


@fuzz(150)
@given(st.data())
def test_a_damaged_rules_file_never_raises_and_problems_name_it(scratch: Path, data: st.DataObject) -> None:
    text = _builtin_text()
    lines = text.split("\n")
    line = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    key = data.draw(st.sampled_from(["schema_version", "app", "title", "title_regex", "category", "label", "x"]))
    lines.insert(line, f"{key} = {data.draw(toml_tokens)}")
    raw = "\n".join(lines).encode("utf-8", "surrogatepass")
    raw = data.draw(st.sampled_from([raw, mangle(data, raw)]))
    path = scratch / "rules" / "rules.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(raw)
    rules, problems = load_rules(path)
    assert all(str(problem).startswith("rules.toml") for problem in problems), problems
    rules.classify("WhatsApp", "\ud800 (2) Facebook")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("schema_version = " + "9" * 5000, "rules.toml, line 1:"),
        ('[[rule]]\ncategory = "social"\napp = 0x' + "f" * 5000, "rules.toml, line 3:"),
        ("x = 1\n[[rule]]\napp = " + "[" * 5000 + "]" * 5000 + '\ncategory = "social"', "rules.toml:"),
        ("[[rule]]\napp = " + "{a=" * 3000 + "1" + "}" * 3000, "rules.toml:"),
    ],
    ids=["long-version", "long-hex", "deep-array", "deep-table"],
)
def test_rules_that_python_chokes_on_are_a_problem(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    rules, problems = load_rules(path)
    assert len(problems) == 1 and str(problems[0]).startswith(where), problems
    assert rules.classify("WhatsApp", None).category is Category.MESSAGING  # the built-ins still work


@fuzz(100)
@given(
    existing=st.sampled_from([b"", b'schema_version = 1\n[[rule]]\napp = "x"\ncategory = "social"\n'])
    | st.binary(max_size=60),
    app=st.none() | hostile_text,
    title=st.none() | hostile_text,
    label=st.none() | hostile_text,
    category=st.sampled_from(list(Category)),
)
def test_adding_a_hostile_rule_adds_it_or_refuses_and_leaves_the_file(
    scratch: Path,
    existing: bytes,
    app: str | None,
    title: str | None,
    label: str | None,
    category: Category,
) -> None:
    path = scratch / "userrules" / "rules.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(existing)
    try:
        append_rule(path, app=app, title=title, category=category, label=label)
    except UserRuleError as error:
        assert str(error).strip()
        assert path.read_bytes() == existing
        return
    assert path.read_bytes().startswith(existing)
    _rules, problems = load_rules(path)
    assert not problems


# -- the settings file ----------------------------------------------------------------------------------------------


@fuzz(200)
@given(st.data())
def test_a_damaged_settings_file_loads_or_is_a_settings_error_naming_it(scratch: Path, data: st.DataObject) -> None:
    lines = template_text().split("\n")
    line = data.draw(st.integers(min_value=0, max_value=len(lines)))
    key = data.draw(
        st.sampled_from(["schema_version", "titles", "idle_after", "time_zone", "device_name", "exclude", "x"])
    )
    lines.insert(line, f"{key} = {data.draw(toml_tokens)}")
    raw = "\n".join(lines).encode("utf-8", "surrogatepass")
    raw = data.draw(st.sampled_from([raw, mangle(data, raw), data.draw(st.binary(max_size=80))]))
    path = scratch / "settings" / "settings.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(raw)
    try:
        settings_, warnings = load_settings_with_warnings(path)
    except SettingsError as error:
        assert str(path) in str(error), str(error)
        assert error.file == path
        return
    assert all(str(path) in warning for warning in warnings)
    assert_clean(settings_.device_name, 64)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("schema_version = " + "9" * 5000, 1),
        ("titles = 'all'\nidle_after = 0x" + "f" * 5000, 2),
        ("idle_after = " + "9" * 5000, 1),
        ("exclude = " + "[" * 5000 + "]" * 5000, None),
        ("x = " + "{a=" * 3000 + "1" + "}" * 3000, None),
    ],
    ids=["long-version", "long-hex", "long-number", "deep-array", "deep-table"],
)
def test_settings_that_python_chokes_on_are_a_settings_error(tmp_path: Path, text: str, line: int | None) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings_with_warnings(path)
    assert caught.value.file == path and caught.value.line == line, str(caught.value)


@fuzz(120)
@given(
    existing=st.sampled_from([None, template_text()]) | hostile_text,
    key=st.sampled_from(["titles", "idle-after", "time-zone", "device-name", "exclude", "quiet-hours", "no-such"]),
    value=hostile_text | st.sampled_from(["all", "3m", "Europe/Amsterdam", "../../etc/passwd", "app:x", "9" * 5000]),
)
def test_config_set_with_hostile_values_changes_the_file_or_nothing(
    scratch: Path, existing: str | None, key: str, value: str
) -> None:
    path = scratch / "set" / "settings.toml"
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    if existing is not None:
        path.write_bytes(existing.encode("utf-8", "surrogatepass"))
    before = path.read_bytes() if path.exists() else None
    try:
        set_value(path, key, value)
    except SettingsError as error:
        assert str(error).strip()
        assert (path.read_bytes() if path.exists() else None) == before
        return
    load_settings_with_warnings(path)  # what set wrote loads again


# -- window titles through the sampler ---------------------------------------------------------------------------


class _Media:
    name = "scripted"

    def playing(self) -> bool | None:
        return False

    def close(self) -> None:
        pass


def _track(
    path: Path, windows: list[tuple[str, str | None]], policy: TitlePolicy, ticks: int = 3
) -> tuple[Store, list[UsageEvent]]:
    """Run the real sampler on scripted probes over ``windows`` (``ticks`` seconds each) into a real store."""
    store = Store.open(path)
    device = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    clock = FakeClock(float(T0))
    desk = ScriptedDesktop(clock)
    sampler = Sampler(desk, desk, _Media(), builtin_rules(), StoreSink(store, device), policy=policy)
    for window in windows:
        desk.window = window
        for _tick in range(ticks):
            desk.input()
            sampler.tick(clock.now, clock.mono)
            clock.advance(1)
    sampler.stop()
    events = [UsageEvent(e.start, e.duration, e.app, e.title, e.category, e.label) for e in store.iter_events()]
    return store, events


def _shown_everywhere(store: Store, scratch: Path) -> None:
    """The week's report as text and JSON and both exports: what a person would look at, none may fail."""
    week = IsoWeek.containing(local_date(T0, AMS))
    report = weekly_report(store, week, AMS, None)
    render_report(report).encode("utf-8")
    json.dumps(report.to_json(), ensure_ascii=False).encode("utf-8")
    for fmt in ("csv", "json"):
        out = io.StringIO()
        export_history(store, out, fmt, AMS, None, None, T0)
        out.getvalue().encode("utf-8")
        if fmt == "json":
            _mw_or_refusal(out.getvalue().encode("utf-8"), must_read=True)


window_titles = st.one_of(
    hostile_text,
    st.binary(max_size=30).map(lambda raw: raw.decode("utf-8", "surrogateescape")),  # undecodable bytes
    st.binary(max_size=30).map(lambda raw: raw.decode("latin-1")),
)


@fuzz(60)
@given(windows=st.lists(st.tuples(window_titles, st.none() | window_titles), min_size=1, max_size=4))
def test_hostile_window_titles_are_stored_cleaned_and_reported(
    scratch: Path, windows: list[tuple[str, str | None]]
) -> None:
    folder = Path(tempfile.mkdtemp(dir=scratch))
    store, events = _track(folder / "m.sqlite3", windows, TitlePolicy.ALL)
    try:
        cleaned = set()
        for app, title in windows:
            clean_app, clean_title = clean_text(app, MAX_APP) or "unknown", clean_text(title, MAX_TITLE)
            category = builtin_rules().classify(clean_app, clean_title).category
            cleaned.add((clean_app, stored_title(clean_app, clean_title, category, TitlePolicy.ALL)))
        for event in events:
            assert (event.app, event.title) in cleaned
            assert_clean(event.app, MAX_APP)
            assert_clean(event.title, MAX_TITLE)
            assert_clean(event.label, MAX_APP)
        # Every second was counted once (three per window, less the last one the tracker only saw start).
        assert sum(e.duration for e in events) == 3 * len(windows) - 1
        _shown_everywhere(store, folder)
    finally:
        store.close()


@pytest.mark.parametrize(
    ("app", "title"),
    [
        ("firefox", "(2) Facebook " + "x" * 1_000_000 + " — Mozilla Firefox"),
        ("firefox", "\u202e" * 500_000 + "WhatsApp"),
        ("x" * 1_000_000, None),
        ("code", "\x00" * 1_000_000),
        ("code", "\ud83d" * 300_000 + "😀" * 100_000),
        ("\u202eexe.txt", "\u2066Inbox\u2069 \u202a(3)\u202c — \U0001f4ac \u05e9\u05dc\u05d5\u05dd"),
        ("code", b"caf\xe9 \xff\xfe \xed\xa0\x80".decode("utf-8", "surrogateescape")),
    ],
    ids=["1MB-title", "half-MB-overrides", "1MB-app", "1MB-NUL", "surrogates-and-emoji", "bidi", "invalid-utf8"],
)
def test_megabyte_and_bidi_titles_are_stored_cleaned(tmp_path: Path, app: str, title: str | None) -> None:
    store, events = _track(tmp_path / "m.sqlite3", [(app, title), ("code", "next")], TitlePolicy.ALL)
    try:
        first = events[0]
        assert first.app == (clean_text(app, MAX_APP) or "unknown")
        assert first.title == clean_text(title, MAX_TITLE)
        assert_clean(first.app, MAX_APP)
        assert_clean(first.title, MAX_TITLE)
        _shown_everywhere(store, tmp_path)
    finally:
        store.close()
