"""Read ActivityWatch exports ("Export all buckets" in the web UI, ``GET /api/0/export``) into window activity.

The file is ``{"buckets": {bucket_id: bucket}}`` as written by both aw-server (Python) and aw-server-rust (also on
Android). Window buckets (type ``currentwindow``) become per-device ``WindowActivity`` in whole UTC epoch seconds;
on a computer with an ``afkstatus`` bucket only the time inside "not-afk" events counts, as in ActivityWatch's own
queries ("window time ∩ not-afk time"). aw-android's unlock bucket (type ``os.lockscreen.unlocks``) becomes the
device's unlocks: the moments its screen was unlocked, in whole UTC epoch seconds, each counted once. Every other
bucket is ignored but named in the result.

Whole seconds: each event's start and end (timestamp, timestamp + duration) are rounded to the nearest second,
halves up. Storage, reports and exports then agree to the second, and contiguous events telescope (one event's
rounded end is the next one's rounded start), so a run of back-to-back events keeps its total within a second.

This module is pure: it never touches the database, the network or the clock, and it never returns part of a
file. The whole export is checked before anything is returned, so one bad event means nothing is imported. It
reads the JSON incrementally, one event at a time, so memory stays near the size of the file and progress can be
reported while reading.
"""

from __future__ import annotations

import gc
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from json.scanner import make_scanner
from operator import itemgetter
from pathlib import Path
from typing import Any, Final, cast

from middenweg.domain import lengths
from middenweg.domain.events import DeviceKind, WindowActivity
from middenweg.i18n import N_, _, ngettext
from middenweg.interchange.errors import ImportFormatError

#: Called with (events_done, events_total) while reading, at most a hundred times, last with done == total. The
#: total is counted up front and is exact for files ActivityWatch wrote. An exception raised by the callback stops
#: the reading and reaches the caller unchanged, so raising is a way to cancel.
Progress = Callable[[int, int], None]

APP_MAX_CHARS: Final = lengths.APP_NAME
#: A host name becomes a device's name (and, with a short prefix, its host key).
HOSTNAME_MAX_CHARS: Final = lengths.DEVICE_NAME
#: The name of a window whose app name is empty (or only control characters), as the tracker names it.
UNKNOWN_APP: Final = "unknown"
TITLE_MAX_CHARS: Final = 1000
#: No ActivityWatch event lasts ten years; a longer one is a broken file, and refusing it keeps the arithmetic
#: (and the database's 64-bit seconds) far from overflow.
MAX_DURATION_SECONDS: Final = 10 * 366 * 86_400

WINDOW_TYPE: Final = "currentwindow"
AFK_TYPE: Final = "afkstatus"
NOT_AFK: Final = "not-afk"
#: aw-android writes its buckets with this client, under ids "aw-watcher-android", "aw-watcher-android-test",
#: "aw-watcher-android-unlock" (and "-synced-from-<host>" copies made by aw-sync).
ANDROID_CLIENT: Final = "aw-android"
ANDROID_ID_PREFIX: Final = "aw-watcher-android"
#: The type of aw-android's unlock bucket, as its source creates it: ``createBucketHelper(UNLOCK_BUCKET_ID,
#: "os.lockscreen.unlocks")`` with ``UNLOCK_BUCKET_ID = "aw-watcher-android-unlock"`` (SessionEventWatcher.kt; the
#: older UsageStatsWatcher.kt used the same id and type). Each Android KEYGUARD_HIDDEN event is sent as a heartbeat
#: with duration 0, empty data and pulsetime 0, so one event is one unlock. The older watcher could send an unlock
#: twice (it counted on heartbeat merging to drop the copy), and aw-sync copies overlap, so duplicates count once.
UNLOCK_TYPE: Final = "os.lockscreen.unlocks"

_MICROS: Final = 1_000_000
_HALF: Final = 500_000
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MICRO: Final = timedelta(microseconds=1)
_WHITESPACE: Final = " \t\n\r"
_skip_whitespace = re.compile(r"[ \t\n\r]*").match
#: RFC 3339 allows a lower-case "t" and "z" and any number of fraction digits; fromisoformat does not take all.
_TOLERANT_TIMESTAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?"
)
#: C0 and C1 controls and DEL, deleted from app names and titles (they break terminals, CSV and logs), and the
#: bidi marks, embeddings, overrides and isolates that can make a title read as something else ("Trojan Source");
#: the same characters the tracker keeps out of titles (privacy.clean_text).
_CONTROL_CHARACTERS: Final = dict.fromkeys(
    [*range(0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)

_WINDOW: Final = 1
_AFK: Final = 2
_IGNORED: Final = 3
_PENDING: Final = 4
_UNLOCK: Final = 5

# A window event on its way to a WindowActivity: (start, end, app, title), whole seconds.
_Stretch = tuple[int, int, str, str | None]
_Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class HostActivity:
    """What one device did: window activity sorted by start, non-overlapping, each at least one second long; and
    the moments its screen was unlocked (whole UTC epoch seconds, sorted, each once; ``()`` when none)."""

    hostname: str
    kind: DeviceKind
    activities: tuple[WindowActivity, ...]
    unlocks: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class AwExport:
    """What an ActivityWatch export holds for Middenweg.

    ``hosts`` has one entry per (hostname, kind) with any window time or unlocks, sorted by hostname then kind.
    ``window_buckets``, ``afk_buckets`` and ``unlock_buckets`` count the buckets that were used;
    ``ignored_buckets`` names the rest.
    """

    hosts: tuple[HostActivity, ...]
    window_buckets: int
    afk_buckets: int
    ignored_buckets: tuple[str, ...]
    unlock_buckets: int = 0

    @property
    def unlock_count(self) -> int:
        """How many unlocks the export holds, on all devices together."""
        return sum(len(host.unlocks) for host in self.hosts)

    def summary(self) -> str:
        """One or two sentences for people: what was found, or why there is nothing to import."""
        ignored = len(self.ignored_buckets)
        skipped = (
            " "
            + ngettext("{count} other bucket was skipped.", "{count} other buckets were skipped.", ignored).format(
                count=ignored
            )
            if ignored
            else ""
        )
        unlocks = self.unlock_count
        found_unlocks = (
            ngettext("Found {count} screen unlock.", "Found {count} screen unlocks.", unlocks).format(count=unlocks)
            if unlocks
            else ""
        )
        if self.window_buckets == 0:
            if unlocks:
                return found_unlocks + skipped
            return (
                _(
                    "This export has no window activity (no \u201ccurrentwindow\u201d buckets), so there is "
                    "nothing to import."
                )
                + skipped
            )
        seconds = sum(activity.duration for host in self.hosts for activity in host.activities)
        devices = sum(1 for host in self.hosts if host.activities)
        found = ngettext(
            "Found {hours:.1f} hours of window activity on {devices} device.",
            "Found {hours:.1f} hours of window activity on {devices} devices.",
            devices,
        ).format(hours=seconds / 3600, devices=devices)
        afk = " " + _("Time away from the keyboard was left out, as ActivityWatch does.") if self.afk_buckets else ""
        return found + afk + (" " + found_unlocks if found_unlocks else "") + skipped


def read_export(path: Path, *, progress: Progress | None = None) -> AwExport:
    """Read and check the export at ``path``; see ``parse_export``. Unreadable files raise ImportFormatError."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise ImportFormatError(
            _("Could not read {path}: {reason}. Check that the file exists and that you may read it.").format(
                path=path, reason=reason
            )
        ) from error
    text = _decode(raw, path.name)
    # Let the bytes go before parsing: a large export should not be held in memory twice.
    del raw
    return _Parser(text, path.name, progress).parse()


def parse_export(raw: bytes, *, source: str = "", progress: Progress | None = None) -> AwExport:
    """Check a whole ActivityWatch export and return its window activity per device.

    ``source`` names the file in messages. Raises ImportFormatError, and nothing else, for any file that is not a
    sound export; nothing is returned unless the whole file is sound.
    """
    return _Parser(_decode(raw, source), source, progress).parse()


def _decode(raw: bytes, source: str) -> str:
    try:
        # utf-8-sig: an editor may have added a byte order mark; ActivityWatch itself never does.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFormatError(
            _(
                "{source} is not an ActivityWatch export: it is not UTF-8 text (unreadable byte at position "
                "{position}). Choose the .json file that ActivityWatch's \u201cExport all buckets\u201d saved."
            ).format(source=_source_name(source), position=error.start)
        ) from error


def _source_name(source: str) -> str:
    return source or _("The file")


_KIND_NAMES: Final = {
    dict: N_("an object"),
    list: N_("a list"),
    str: N_("text"),
    bool: N_("true or false"),
    int: N_("a number"),
    float: N_("a number"),
    type(None): N_("null"),
}


def _kind(value: object) -> str:
    return _(_KIND_NAMES.get(type(value), N_("a value")))


def _show(value: object) -> str:
    """A short JSON rendering of ``value`` for a message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, TypeError, RecursionError):
        text = "\u2026"
    text = text.translate(_CONTROL_CHARACTERS)
    return text if len(text) <= 80 else text[:79] + "\u2026"


def _clean(text: str, limit: int) -> str:
    """``text`` without control characters or lone surrogates, cut to ``limit`` characters."""
    # isprintable() is True for the vast majority of titles, and then there is nothing to delete.
    if not text.isprintable():
        text = text.translate(_CONTROL_CHARACTERS)
        if not text.isascii():
            # JSON may carry a lone "\ud83d"; such a string cannot be stored as UTF-8, so it becomes "?".
            text = text.encode("utf-8", "replace").decode("utf-8")
    return text[:limit]


def _parse_timestamp(value: str) -> datetime | None:
    """Tolerant fallback for timestamps ``datetime.fromisoformat`` refused; None when it is not one at all."""
    match = _TOLERANT_TIMESTAMP.fullmatch(value.strip())
    if match is None:
        return None
    date, time, fraction, zone = match.groups()
    # Nanoseconds (aw-server-rust) are cut to microseconds, as fromisoformat itself does.
    text = f"{date}T{time}" + (f".{fraction[:6]}" if fraction else "")
    if zone:
        text += "+00:00" if zone in "Zz" else zone
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an export is read.

    Reading makes hundreds of thousands of long-lived values; the collector would scan them again and again (a
    third of the run time), although none of them can form a cycle. Reference counting frees memory as usual, and
    the collector runs again afterwards if it was running before.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Bucket:
    """A bucket while it is being read; ``label`` names it in messages."""

    __slots__ = (
        "client",
        "hostname",
        "id",
        "key",
        "mode",
        "not_afk",
        "pending",
        "position",
        "seen",
        "stretches",
        "type",
        "unlocks",
    )

    def __init__(self, key: str | None, position: int) -> None:
        self.key = key
        self.position = position
        self.id: object = None
        self.type: object = None
        self.client: object = None
        self.hostname: object = None
        self.seen: set[str] = set()
        self.mode = _PENDING
        self.stretches: list[_Stretch] = []
        self.not_afk: list[_Span] = []
        self.unlocks: list[int] = []
        self.pending: list[Any] = []

    @property
    def label(self) -> str:
        """The bucket's id (its key in the export, else its "id"), or its place in a list of buckets."""
        if self.key is not None:
            return _clean(self.key, APP_MAX_CHARS)
        if isinstance(self.id, str):
            return _clean(self.id, APP_MAX_CHARS)
        return f"#{self.position}"

    @property
    def is_android(self) -> bool:
        names = (self.key, self.id)
        return self.client == ANDROID_CLIENT or any(
            isinstance(name, str) and name.startswith(ANDROID_ID_PREFIX) for name in names
        )


class _Parser:
    """Walks the export text: the outer objects by hand, each event with the C JSON scanner."""

    def __init__(self, text: str, source: str, progress: Progress | None) -> None:
        self.text = text
        self.source = source
        self.progress = progress
        self.scan = make_scanner(cast(Any, json.JSONDecoder()))
        self.buckets: list[_Bucket] = []
        self.app_names: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        self.done = 0
        # A cheap, exact-for-real-files estimate so progress can be shown while reading.
        self.total = text.count('"timestamp"') if progress is not None else 0
        self.step = max(1, -(-self.total // 100))  # ceiling: at most 100 reports
        self.next_report = self.step if progress is not None else -1
        self.reported = -1

    # -- the JSON structure ----------------------------------------------------------------------------------

    def parse(self) -> AwExport:
        with _collector_paused():
            return self._parse()

    def _parse(self) -> AwExport:
        try:
            self._document()
        except IndexError as error:
            if "string index" not in str(error):
                raise  # not ours: e.g. from the progress callback
            # Reading past the end of the text: the file was cut off.
            raise self._json_error("", len(self.text)) from None
        except RecursionError:
            raise ImportFormatError(
                _(
                    "{source} is not an ActivityWatch export: its JSON is nested far too deeply. Choose the .json "
                    "file that ActivityWatch's \u201cExport all buckets\u201d saved."
                ).format(source=_source_name(self.source))
            ) from None
        if self.progress is not None and self.reported != self.done:
            self.progress(self.done, max(self.total, self.done))
        return self._assemble()

    def _document(self) -> None:
        s = self.text
        i = self._ws(0)
        if i >= len(s):
            raise ImportFormatError(
                _(
                    "{source} is empty, so it is not an ActivityWatch export. Choose the .json file that "
                    "ActivityWatch's \u201cExport all buckets\u201d saved."
                ).format(source=_source_name(self.source))
            )
        if s[i] != "{":
            value, end = self._value(i)
            self._expect_end(end)
            raise self._not_export(
                _("it holds {kind} instead of an object with \u201cbuckets\u201d").format(kind=_kind(value))
            )
        found = False

        def member(key: str, at: int) -> int:
            nonlocal found
            if key == "buckets":
                found = True
                return self._buckets(at)
            return self._value(at)[1]

        self._expect_end(self._object(i, member))
        if not found:
            raise self._not_export(_("it has no \u201cbuckets\u201d object"))

    def _buckets(self, i: int) -> int:
        s = self.text
        if s[i] == "{":
            return self._object(i, lambda key, at: self._bucket(key, at))
        if s[i] == "[":
            # The published export schema describes a list of buckets; accept it too.
            position = 0

            def element(at: int) -> int:
                nonlocal position
                position += 1
                return self._bucket(None, at, position)

            return self._array(i, element)
        value, _end = self._value(i)
        raise self._not_export(_("\u201cbuckets\u201d is {kind}, not an object").format(kind=_kind(value)))

    def _bucket(self, key: str | None, i: int, position: int = 0) -> int:
        bucket = _Bucket(key, position)
        if self.text[i] != "{":
            value, _end = self._value(i)
            raise ImportFormatError(
                _(
                    "Bucket \u201c{bucket}\u201d is {kind}, not an object, so the file is not a sound "
                    "ActivityWatch export. Export it again from ActivityWatch."
                ).format(bucket=bucket.label, kind=_kind(value))
            )

        def member(name: str, at: int) -> int:
            if name in ("id", "type", "client", "hostname", "events"):
                if name in bucket.seen:
                    raise ImportFormatError(
                        _(
                            "Bucket \u201c{bucket}\u201d has \u201c{key}\u201d more than once, so it is unclear "
                            "which to use. Export it again from ActivityWatch."
                        ).format(bucket=bucket.label, key=name)
                    )
                bucket.seen.add(name)
            if name == "events":
                return self._events(bucket, at)
            value, end = self._value(at)
            if name == "id":
                bucket.id = value
            elif name == "type":
                bucket.type = value
            elif name == "client":
                bucket.client = value
            elif name == "hostname":
                bucket.hostname = value
            return end

        end = self._object(i, member)
        self._finish(bucket)
        return end

    def _events(self, bucket: _Bucket, i: int) -> int:
        s = self.text
        if s[i] != "[":
            value, end = self._value(i)
            if value is None:
                return end
            raise ImportFormatError(
                _(
                    "Bucket \u201c{bucket}\u201d: \u201cevents\u201d is {kind}, not a list, so the file is not a "
                    "sound ActivityWatch export. Export it again from ActivityWatch."
                ).format(bucket=bucket.label, kind=_kind(value))
            )
        bucket.mode = self._mode(bucket)
        if bucket.mode == _WINDOW:
            return self._window_events(bucket, i)
        handle: Callable[[_Bucket, int, Any], None] | None
        if bucket.mode == _AFK:
            handle = self._afk_event
        elif bucket.mode == _UNLOCK:
            handle = self._unlock_event
        elif bucket.mode == _PENDING:
            handle = self._pending_event
        else:
            handle = None
        scan = self.scan
        i = self._ws(i + 1)
        if s[i] == "]":
            return i + 1
        number = 0
        while True:
            try:
                event, i = scan(s, i)
            except StopIteration as stop:
                raise self._json_error("Expecting value", stop.value) from None
            except ValueError as error:
                raise self._scan_error(error, i) from None
            number += 1
            if handle is not None:
                handle(bucket, number, event)
            self.done += 1
            if self.done >= self.next_report >= 0:
                self._report()
            c = s[i]
            if c != "," and c != "]":
                i = self._ws(i)
                c = s[i]
            if c == ",":
                # Python's json.dumps writes ", " and aw-server-rust writes ","; skip either without a regex call.
                i += 1
                if s[i] in _WHITESPACE:
                    i += 1
                    if s[i] in _WHITESPACE:
                        i = self._ws(i)
            elif c == "]":
                return i + 1
            else:
                raise self._json_error("Expecting ',' delimiter", i)

    def _window_events(self, bucket: _Bucket, i: int) -> int:
        """The events list of a window bucket: the hot loop, so ``_window_event`` is inlined by hand."""
        s = self.text
        scan = self.scan
        from_iso = datetime.fromisoformat
        epoch = _EPOCH
        one_micro = _ONE_MICRO
        whitespace = _WHITESPACE
        app_names = self.app_names
        titles = self.titles
        append = bucket.stretches.append
        done = self.done
        next_report = self.next_report
        i = self._ws(i + 1)
        if s[i] == "]":
            return i + 1
        number = 0
        while True:
            try:
                event, i = scan(s, i)
            except StopIteration as stop:
                raise self._json_error("Expecting value", stop.value) from None
            except ValueError as error:
                raise self._scan_error(error, i) from None
            number += 1
            # The fast path assumes a sound event; anything unexpected goes to the careful path, which either
            # accepts the event after all (e.g. a lower-case "z") or says exactly what is wrong.
            try:
                micros = (from_iso(event["timestamp"]) - epoch) // one_micro
                duration = event["duration"]
                # Text, null, lists and objects fail the comparison; NaN and infinity fail it too; only true and
                # false (which compare as 1 and 0) need a check of their own.
                if not 0 <= duration <= MAX_DURATION_SECONDS or duration is True or duration is False:
                    raise ValueError
                data = event["data"]
                app = data["app"]
                if type(app) is not str:
                    raise TypeError
                title = data.get("title")
            except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
                micros, duration, data = self._careful_event(bucket, number, event)
                app, title = self._careful_window_data(bucket, number, data)
            # Round half up to whole seconds (see the module docstring); 500_000 µs is half a second.
            start = (micros + 500_000) // 1_000_000
            end = (micros + round(duration * 1_000_000) + 500_000) // 1_000_000
            if end > start:
                clean_app = app_names.get(app)
                if clean_app is None:
                    clean_app = app_names[app] = _clean(app, APP_MAX_CHARS) or UNKNOWN_APP
                clean_title: str | None = None
                if type(title) is str:
                    clean_title = titles.get(title)
                    if clean_title is None:
                        clean_title = titles[title] = _clean(title, TITLE_MAX_CHARS)
                append((start, end, clean_app, clean_title))
            done += 1
            if done >= next_report >= 0:
                self.done = done
                self._report()
                next_report = self.next_report
            c = s[i]
            if c != "," and c != "]":
                i = self._ws(i)
                c = s[i]
            if c == ",":
                i += 1
                if s[i] in whitespace:
                    i += 1
                    if s[i] in whitespace:
                        i = self._ws(i)
            elif c == "]":
                self.done = done
                return i + 1
            else:
                raise self._json_error("Expecting ',' delimiter", i)

    def _object(self, i: int, member: Callable[[str, int], int]) -> int:
        """Read the object at ``i`` (which is "{"), calling ``member(key, value_position)`` for each member."""
        s = self.text
        i = self._ws(i + 1)
        if s[i] == "}":
            return i + 1
        while True:
            if s[i] != '"':
                raise self._json_error("Expecting property name enclosed in double quotes", i)
            key, i = self._value(i)
            i = self._ws(i)
            if s[i] != ":":
                raise self._json_error("Expecting ':' delimiter", i)
            i = member(key, self._ws(i + 1))
            i = self._ws(i)
            c = s[i]
            if c == ",":
                i = self._ws(i + 1)
            elif c == "}":
                return i + 1
            else:
                raise self._json_error("Expecting ',' delimiter", i)

    def _array(self, i: int, element: Callable[[int], int]) -> int:
        s = self.text
        i = self._ws(i + 1)
        if s[i] == "]":
            return i + 1
        while True:
            i = self._ws(element(i))
            c = s[i]
            if c == ",":
                i = self._ws(i + 1)
            elif c == "]":
                return i + 1
            else:
                raise self._json_error("Expecting ',' delimiter", i)

    def _value(self, i: int) -> tuple[Any, int]:
        try:
            return self.scan(self.text, i)
        except StopIteration as stop:
            raise self._json_error("Expecting value", stop.value) from None
        except ValueError as error:
            raise self._scan_error(error, i) from None

    def _ws(self, i: int) -> int:
        match = _skip_whitespace(self.text, i)
        assert match is not None  # the pattern also matches the empty string
        return match.end()

    def _expect_end(self, i: int) -> None:
        i = self._ws(i)
        if i != len(self.text):
            raise self._json_error("Extra data", i)

    def _scan_error(self, error: ValueError, position: int) -> ImportFormatError:
        """A JSONDecodeError from the scanner, or the ValueError Python raises for an integer of more digits than it
        converts (sys.get_int_max_str_digits, 4300 by default), which JSON itself allows."""
        if isinstance(error, json.JSONDecodeError):
            return self._json_error(error.msg, error.pos)
        digits = sys.get_int_max_str_digits()
        found = re.compile(rf"\d{{{digits + 1},}}").search(self.text, position) if digits else None
        position = found.start() if found is not None else position
        s = self.text
        return self._not_export(
            _("the number at line {line}, column {column} has more than {digits} digits").format(
                line=s.count("\n", 0, position) + 1, column=position - s.rfind("\n", 0, position), digits=digits
            )
        )

    def _json_error(self, detail: str, position: int) -> ImportFormatError:
        s = self.text
        if detail.startswith("Unterminated string"):
            # A string can only run unterminated to the end of the text: the file was cut off inside it.
            position = len(s)
        position = min(position, len(s))
        line = s.count("\n", 0, position) + 1
        column = position - s.rfind("\n", 0, position)
        if position >= len(s):
            return ImportFormatError(
                _(
                    "{source} ends too early (line {line}, column {column}): the file seems cut off. Export it "
                    "again from ActivityWatch, or copy it again if it came from elsewhere."
                ).format(source=_source_name(self.source), line=line, column=column)
            )
        return ImportFormatError(
            _(
                "{source} is not an ActivityWatch export: it is not valid JSON ({detail} at line {line}, column "
                "{column}). Choose the .json file that ActivityWatch's \u201cExport all buckets\u201d saved."
            ).format(source=_source_name(self.source), detail=detail, line=line, column=column)
        )

    def _not_export(self, reason: str) -> ImportFormatError:
        return ImportFormatError(
            _(
                "{source} is not an ActivityWatch export: {reason}. Choose the .json file that ActivityWatch's "
                "\u201cExport all buckets\u201d saved."
            ).format(source=_source_name(self.source), reason=reason)
        )

    def _report(self) -> None:
        assert self.progress is not None
        self.progress(self.done, max(self.total, self.done))
        self.reported = self.done
        # Stop intermediate reports once the estimate is reached, so a wrong estimate cannot flood the caller.
        self.next_report = self.next_report + self.step if self.done < self.total else -1

    # -- buckets and events --------------------------------------------------------------------------------

    @staticmethod
    def _mode(bucket: _Bucket) -> int:
        if not isinstance(bucket.type, str):
            return _PENDING
        if bucket.type == WINDOW_TYPE:
            return _WINDOW
        if bucket.type == AFK_TYPE:
            return _AFK
        if bucket.type == UNLOCK_TYPE:
            return _UNLOCK
        return _IGNORED

    def _finish(self, bucket: _Bucket) -> None:
        if "type" not in bucket.seen:
            raise ImportFormatError(
                _(
                    "Bucket \u201c{bucket}\u201d has no \u201ctype\u201d, so it is not a sound ActivityWatch "
                    "bucket. Export it again from ActivityWatch."
                ).format(bucket=bucket.label)
            )
        if not isinstance(bucket.type, str):
            raise ImportFormatError(
                _(
                    "Bucket \u201c{bucket}\u201d: \u201ctype\u201d is {kind}, not text. Export it again from "
                    "ActivityWatch."
                ).format(bucket=bucket.label, kind=_kind(bucket.type))
            )
        if bucket.mode == _PENDING:
            bucket.mode = self._mode(bucket)
            events, bucket.pending = bucket.pending, []
            handle = {_WINDOW: self._window_event, _AFK: self._afk_event, _UNLOCK: self._unlock_event}.get(bucket.mode)
            if handle is not None:
                for number, event in enumerate(events, start=1):
                    handle(bucket, number, event)
        if bucket.mode in (_WINDOW, _AFK, _UNLOCK) and not isinstance(bucket.hostname, str):
            if "hostname" not in bucket.seen:
                reason = _("it has no \u201chostname\u201d")
            else:
                reason = _("\u201chostname\u201d is {kind}, not text").format(kind=_kind(bucket.hostname))
            raise ImportFormatError(
                _(
                    "Bucket \u201c{bucket}\u201d: {reason}, so its time cannot be given to a device. Export it "
                    "again from ActivityWatch."
                ).format(bucket=bucket.label, reason=reason)
            )
        self.buckets.append(bucket)

    @staticmethod
    def _pending_event(bucket: _Bucket, _number: int, event: Any) -> None:
        # "type" comes after "events" in this bucket (neither server writes it so): decide at the end.
        bucket.pending.append(event)

    def _window_event(self, bucket: _Bucket, number: int, event: Any) -> None:
        """One window event of a bucket whose "type" came after its "events"; ``_window_events`` inlines this."""
        micros, duration, data = self._careful_event(bucket, number, event)
        app, title = self._careful_window_data(bucket, number, data)
        start = (micros + _HALF) // _MICROS
        end = (micros + round(duration * _MICROS) + _HALF) // _MICROS
        if end > start:
            clean_app = self.app_names.setdefault(app, _clean(app, APP_MAX_CHARS) or UNKNOWN_APP)
            clean_title = None if title is None else self.titles.setdefault(title, _clean(title, TITLE_MAX_CHARS))
            bucket.stretches.append((start, end, clean_app, clean_title))

    def _afk_event(self, bucket: _Bucket, number: int, event: Any) -> None:
        try:
            micros = (datetime.fromisoformat(event["timestamp"]) - _EPOCH) // _ONE_MICRO
            duration = event["duration"]
            if not 0 <= duration <= MAX_DURATION_SECONDS or duration is True or duration is False:
                raise ValueError
            status = event["data"].get("status")
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            micros, duration, data = self._careful_event(bucket, number, event)
            status = data.get("status")
        if status != NOT_AFK:
            return
        start = (micros + _HALF) // _MICROS
        end = (micros + round(duration * _MICROS) + _HALF) // _MICROS
        if end > start:
            bucket.not_afk.append((start, end))

    def _unlock_event(self, bucket: _Bucket, number: int, event: Any) -> None:
        """One unlock: only its moment counts. aw-android writes duration 0 and empty data; a longer duration or
        other data is accepted as long as the event is sound, and the unlock is still its start."""
        micros, _duration, _data = self._careful_event(bucket, number, event)
        bucket.unlocks.append((micros + _HALF) // _MICROS)

    def _careful_event(self, bucket: _Bucket, number: int, event: Any) -> tuple[int, float, dict[str, Any]]:
        """Check one event field by field; returns (start in microseconds, duration, data) or raises."""

        def fail(problem: str) -> ImportFormatError:
            return ImportFormatError(
                _(
                    "Bucket \u201c{bucket}\u201d, event {number}: {problem}. Nothing was imported; export the data "
                    "again from ActivityWatch, or fix or remove that event, and try again."
                ).format(bucket=bucket.label, number=number, problem=problem)
            )

        if not isinstance(event, dict):
            raise fail(_("the event is {kind}, not an object").format(kind=_kind(event)))
        if "timestamp" not in event:
            raise fail(_("it has no \u201ctimestamp\u201d"))
        stamp = event["timestamp"]
        moment: datetime | None = None
        if isinstance(stamp, str):
            try:
                moment = datetime.fromisoformat(stamp)
            except ValueError:
                moment = _parse_timestamp(stamp)
        if moment is None:
            raise fail(_("\u201ctimestamp\u201d is not a date and time ({value})").format(value=_show(stamp)))
        if moment.utcoffset() is None:
            raise fail(
                _("\u201ctimestamp\u201d has no time zone ({value}), so the moment is unknown").format(
                    value=_show(stamp)
                )
            )
        micros = (moment - _EPOCH) // _ONE_MICRO
        if "duration" not in event:
            raise fail(_("it has no \u201cduration\u201d"))
        duration = event["duration"]
        if isinstance(duration, bool) or not isinstance(duration, int | float):
            raise fail(_("\u201cduration\u201d is not a number of seconds ({value})").format(value=_show(duration)))
        if duration != duration or duration in (float("inf"), float("-inf")):
            raise fail(_("\u201cduration\u201d is not a finite number ({value})").format(value=_show(duration)))
        if duration < 0:
            raise fail(_("\u201cduration\u201d is negative ({value})").format(value=_show(duration)))
        if duration > MAX_DURATION_SECONDS:
            raise fail(
                _("\u201cduration\u201d is far too long ({value} seconds, more than ten years)").format(
                    value=_show(duration)
                )
            )
        if "data" not in event:
            raise fail(_("it has no \u201cdata\u201d"))
        data = event["data"]
        if not isinstance(data, dict):
            raise fail(_("\u201cdata\u201d is {kind}, not an object").format(kind=_kind(data)))
        return micros, float(duration), data

    @staticmethod
    def _careful_window_data(bucket: _Bucket, number: int, data: dict[str, Any]) -> tuple[str, str | None]:
        problem: str | None = None
        app = data.get("app")
        if "app" not in data:
            problem = _("the window data has no \u201capp\u201d")
        elif not isinstance(app, str):
            problem = _("\u201capp\u201d is {kind}, not text").format(kind=_kind(app))
        if problem is not None:
            raise ImportFormatError(
                _(
                    "Bucket \u201c{bucket}\u201d, event {number}: {problem}. Nothing was imported; export the data "
                    "again from ActivityWatch, or fix or remove that event, and try again."
                ).format(bucket=bucket.label, number=number, problem=problem)
            )
        assert isinstance(app, str)
        title = data.get("title")
        return app, title if isinstance(title, str) else None

    # -- from buckets to devices ---------------------------------------------------------------------------

    def _assemble(self) -> AwExport:
        windows: dict[tuple[str, DeviceKind], list[_Bucket]] = {}
        awake: dict[str, list[_Bucket]] = {}
        unlocks: dict[tuple[str, DeviceKind], set[int]] = {}
        ignored: list[str] = []
        afk_buckets = 0
        unlock_buckets = 0
        for bucket in self.buckets:
            if bucket.mode == _WINDOW:
                assert isinstance(bucket.hostname, str)
                kind = DeviceKind.PHONE if bucket.is_android else DeviceKind.COMPUTER
                windows.setdefault((_clean(bucket.hostname, HOSTNAME_MAX_CHARS), kind), []).append(bucket)
            elif bucket.mode == _UNLOCK:
                # The same host and kind as the window buckets beside it, so an "-synced-from-<host>" copy (which
                # keeps its host's "hostname" and aw-android's id prefix and client) joins that host's own unlocks,
                # and a set counts an unlock both copies hold once.
                assert isinstance(bucket.hostname, str)
                kind = DeviceKind.PHONE if bucket.is_android else DeviceKind.COMPUTER
                unlocks.setdefault((_clean(bucket.hostname, HOSTNAME_MAX_CHARS), kind), set()).update(bucket.unlocks)
                unlock_buckets += 1
            elif bucket.mode == _AFK and not bucket.is_android:
                assert isinstance(bucket.hostname, str)
                awake.setdefault(_clean(bucket.hostname, HOSTNAME_MAX_CHARS), []).append(bucket)
            else:
                # Includes aw-android's screen on/off "afkstatus" bucket: ActivityWatch does not filter phone
                # time by it either (its phone queries have no AFK step), and its not-afk events last ~0 s.
                ignored.append(bucket.label)
        for hostname, afks in awake.items():
            if (hostname, DeviceKind.COMPUTER) in windows:
                afk_buckets += len(afks)
            else:
                ignored.extend(bucket.label for bucket in afks)
        hosts: list[HostActivity] = []
        for hostname, kind in sorted(windows.keys() | unlocks.keys()):
            stretches: list[_Stretch] = []
            # Bucket order decides ties between events that start in the same second; make it the file's ids.
            for bucket in sorted(windows.get((hostname, kind), ()), key=lambda b: (b.label, b.position)):
                stretches.extend(bucket.stretches)
            allowed: list[_Span] | None = None
            if kind is DeviceKind.COMPUTER and hostname in awake:
                allowed = _union([span for bucket in awake[hostname] for span in bucket.not_afk])
            activities = _normalise(stretches, allowed)
            moments = tuple(sorted(unlocks.get((hostname, kind), ())))
            if activities or moments:
                hosts.append(HostActivity(hostname, kind, activities, moments))
        window_buckets = sum(len(buckets) for buckets in windows.values())
        return AwExport(tuple(hosts), window_buckets, afk_buckets, tuple(sorted(ignored)), unlock_buckets)


def _union(spans: list[_Span]) -> list[_Span]:
    """Sorted, disjoint, non-touching spans covering exactly ``spans``."""
    spans.sort()
    merged: list[_Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _normalise(stretches: list[_Stretch], allowed: list[_Span] | None) -> tuple[WindowActivity, ...]:
    """Sort, clip overlaps (a later start is moved to where the previous ends) and keep only ``allowed`` time."""
    stretches.sort(key=itemgetter(0))
    out: list[WindowActivity] = []
    append = out.append
    cursor = -(1 << 62)
    j = 0
    count = len(allowed) if allowed is not None else 0
    for start, end, app, title in stretches:
        if start < cursor:
            start = cursor
        if end <= start:
            continue
        cursor = end
        if allowed is None:
            append(WindowActivity(start, end - start, app, title))
            continue
        # Both lists are sorted and disjoint, so one pointer walks the not-afk spans once for the whole host.
        while j < count and allowed[j][1] <= start:
            j += 1
        k = j
        while k < count:
            awake_start, awake_end = allowed[k]
            if awake_start >= end:
                break
            piece_start = max(start, awake_start)
            piece_end = min(end, awake_end)
            append(WindowActivity(piece_start, piece_end - piece_start, app, title))
            k += 1
    return tuple(out)
