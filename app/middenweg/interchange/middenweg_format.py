"""Middenweg's own export (CSV and JSON) and the reader for its JSON, so history can move between homes.

The JSON carries each device's stable uid, host key, name and kind (and a phone's screen unlocks, where it has any)
and every event with its category and label, so ``import middenweg`` into an empty home reproduces the same reports.
Pure: it writes to and reads from text and bytes handed in; it never opens the database.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from middenweg.domain import lengths
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.i18n import _
from middenweg.interchange.activitywatch import MAX_DURATION_SECONDS
from middenweg.interchange.errors import ImportFormatError
from middenweg.privacy import MAX_APP, MAX_TITLE, clean_text

FORMAT_NAME = "middenweg-export"
FORMAT_VERSION = 1
CSV_COLUMNS = (
    "device",
    "device_kind",
    "start_local",
    "end_local",
    "start_utc",
    "end_utc",
    "duration_seconds",
    "app",
    "title",
    "category",
    "label",
)


@dataclass(frozen=True, slots=True)
class ExportDevice:
    uid: str
    host_key: str
    name: str
    kind: DeviceKind


@dataclass(frozen=True, slots=True)
class ExportEvent:
    device_uid: str
    event: UsageEvent


@dataclass(frozen=True, slots=True)
class MiddenwegExport:
    devices: tuple[ExportDevice, ...]
    events: dict[str, list[UsageEvent]]  # by device uid, sorted by start
    unlocks: dict[str, tuple[int, ...]] = field(default_factory=dict)  # by device uid, sorted; only devices with any


def _iso(epoch: int, tz: ZoneInfo | None) -> str:
    try:
        moment = datetime.fromtimestamp(epoch, tz or UTC)
    except (ValueError, OverflowError, OSError):
        # A moment outside the years 1 to 9999 where it is shown (an imported file or a computer clock gone wild
        # put it in the database): the export must still be written, so write it in UTC with ISO 8601's expanded
        # year. Reading such a file back says which event it is.
        return _expanded_utc(epoch)
    return moment.isoformat().replace("+00:00", "Z") if tz is None else moment.isoformat()


def _expanded_utc(epoch: int) -> str:
    """``epoch`` as "+10000-01-01T00:00:00Z" (proleptic Gregorian, any year), from the days-to-civil algorithm in
    H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"."""
    days, seconds = divmod(epoch, 86_400)
    era, day_of_era = divmod(days + 719_468, 146_097)
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + 3 if shifted_month < 10 else shifted_month - 9
    year = year_of_era + era * 400 + (month <= 2)
    sign = "-" if year < 0 else "+"
    clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return f"{sign}{abs(year):04d}-{month:02d}-{day:02d}T{clock}Z"


def write_csv(out: IO[str], devices: Iterable[ExportDevice], events: Iterable[ExportEvent], tz: ZoneInfo) -> int:
    """One row per event; times as ISO 8601 in the user's zone and in UTC. Returns the number of rows."""
    by_uid = {d.uid: d for d in devices}
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for item in events:
        device = by_uid[item.device_uid]
        e = item.event
        writer.writerow(
            [
                device.name,
                device.kind.value,
                _iso(e.start, tz),
                _iso(e.end, tz),
                _iso(e.start, None),
                _iso(e.end, None),
                e.duration,
                e.app,
                "" if e.title is None else e.title,
                e.category.value,
                e.label,
            ]
        )
        count += 1
    return count


def write_json(
    out: IO[str],
    devices: Iterable[ExportDevice],
    events: Iterable[ExportEvent],
    tz: ZoneInfo,
    exported_at: int,
    unlocks: Mapping[str, Sequence[int]] | None = None,
) -> int:
    """The documented JSON export, streamed event by event so a year of history needs little memory.

    ``unlocks`` (UTC epoch seconds by device uid) go with their device as ``"unlocks"``, left out where there are none.
    """
    head = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": _iso(exported_at, None),
        "timezone": tz.key,
        "devices": [_device_json(d, (unlocks or {}).get(d.uid, ())) for d in devices],
    }
    text = json.dumps(head, ensure_ascii=False, indent=1)
    out.write(text[: text.rstrip().rfind("}")].rstrip() + ',\n "events": [')
    count = 0
    for item in events:
        e = item.event
        record = {
            "device": item.device_uid,
            "start_utc": _iso(e.start, None),
            "end_utc": _iso(e.end, None),
            "start_local": _iso(e.start, tz),
            "end_local": _iso(e.end, tz),
            "duration": e.duration,
            "app": e.app,
            "title": e.title,
            "category": e.category.value,
            "label": e.label,
        }
        out.write(("\n  " if count == 0 else ",\n  ") + json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n ]\n}\n")
    return count


def _device_json(device: ExportDevice, unlocks: Sequence[int]) -> dict[str, Any]:
    record: dict[str, Any] = {"uid": device.uid, "host_key": device.host_key, "name": device.name}
    record["kind"] = device.kind.value
    if unlocks:
        record["unlocks"] = [_iso(at, None) for at in sorted(unlocks)]
    return record


def _fail(source: str, where: str, problem: str) -> ImportFormatError:
    return ImportFormatError(
        _("{source} cannot be imported: {where}: {problem}. Nothing was imported.").format(
            source=source, where=where, problem=problem
        )
    )


def _epoch(value: Any, source: str, where: str) -> int:
    if not isinstance(value, str):
        raise _fail(source, where, _("the time is not text"))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(source, where, _("{value!r} is not a date and time").format(value=value)) from None
    if moment.tzinfo is None:
        raise _fail(source, where, _("{value!r} has no time zone").format(value=value))
    return int(moment.timestamp())


def _text(value: Any, limit: int) -> str | None:
    """``value`` as it may be stored (as the tracker stores what it sees), or None when it is no text at all."""
    return clean_text(value, limit) if isinstance(value, str) else None


def _long_number(text: str, source: str) -> ImportFormatError:
    # Python converts integers of at most sys.get_int_max_str_digits() digits; JSON itself has no such limit.
    digits = sys.get_int_max_str_digits()
    found = re.search(rf"\d{{{digits + 1},}}", text) if digits else None
    at = found.start() if found is not None else 0
    where = _("line {line}, column {column}").format(
        line=text.count("\n", 0, at) + 1, column=at - text.rfind("\n", 0, at)
    )
    return _fail(source, where, _("a number with more than {digits} digits").format(digits=digits))


def parse_middenweg_export(raw: bytes, source: str) -> MiddenwegExport:
    """Read a JSON export; any problem raises ImportFormatError naming the place, and nothing is returned.

    Texts are cleaned as the tracker cleans what it sees (privacy.clean_text): a hand-made file cannot put control
    characters, bidi overrides or unpaired surrogates into the database.
    """
    try:
        text = raw.decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError as exc:
        raise _fail(source, _("byte {offset}").format(offset=exc.start), _("the file is not UTF-8 text")) from None
    except json.JSONDecodeError as exc:
        raise _fail(
            source, _("line {line}, column {column}").format(line=exc.lineno, column=exc.colno), exc.msg
        ) from None
    except ValueError:
        raise _long_number(text, source) from None
    except RecursionError:
        raise _fail(source, _("the top level"), _("its JSON is nested far too deeply")) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise _fail(source, _("the top level"), _("this is not a Middenweg export"))
    version = data.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise _fail(source, _("the top level"), _("it was made by a newer Middenweg (format {v})").format(v=version))
    raw_devices = data.get("devices")
    if not isinstance(raw_devices, list):
        raise _fail(source, '"devices"', _("it is not a list"))
    devices: list[ExportDevice] = []
    unlocks: dict[str, tuple[int, ...]] = {}
    for index, item in enumerate(raw_devices):
        where = _("device {n}").format(n=index + 1)
        if not isinstance(item, dict):
            raise _fail(source, where, _("it is not an object"))
        try:
            kind = DeviceKind(str(item.get("kind")))
        except ValueError:
            raise _fail(source, where, _('"kind" must be "computer" or "phone"')) from None
        uid = _text(item.get("uid"), lengths.DEVICE_HOST_KEY)
        host_key = _text(item.get("host_key"), lengths.DEVICE_HOST_KEY)
        name = _text(item.get("name"), lengths.DEVICE_NAME)
        if not uid or not host_key or not name:
            raise _fail(source, where, _('"uid", "host_key" and "name" must be non-empty text'))
        if len(uid) > lengths.DEVICE_UID:
            # A uid names the device in every home; a shortened one could name another device, so it is refused.
            raise _fail(
                source,
                where,
                _('"uid" has {count} characters; a device\'s uid has at most {limit}').format(
                    count=len(uid), limit=lengths.DEVICE_UID
                ),
            )
        devices.append(ExportDevice(uid, host_key, name, kind))
        raw_unlocks = item.get("unlocks", [])
        if not isinstance(raw_unlocks, list):
            raise _fail(source, where, _('"unlocks" must be a list of times'))
        if raw_unlocks:
            unlocks[str(uid)] = tuple(sorted({_epoch(at, source, where) for at in raw_unlocks}))
    known = {d.uid for d in devices}
    raw_events = data.get("events")
    if not isinstance(raw_events, list):
        raise _fail(source, '"events"', _("it is not a list"))
    events: dict[str, list[UsageEvent]] = {uid: [] for uid in known}
    for index, item in enumerate(raw_events):
        where = _("event {n}").format(n=index + 1)
        if not isinstance(item, dict):
            raise _fail(source, where, _("it is not an object"))
        device = _text(item.get("device"), lengths.DEVICE_HOST_KEY)
        if device not in known:
            raise _fail(source, where, _("it names a device that is not in the file"))
        start = _epoch(item.get("start_utc"), source, where)
        end = _epoch(item.get("end_utc"), source, where)
        if end <= start:
            raise _fail(source, where, _("it ends before it starts"))
        if end - start > MAX_DURATION_SECONDS:
            # Storage cuts events at local midnights: an event of centuries would take all memory (#9).
            raise _fail(source, where, _("it lasts more than ten years"))
        app, label = item.get("app"), item.get("label")
        if not isinstance(app, str) or not isinstance(label, str):
            raise _fail(source, where, _('"app" and "label" must be non-empty text'))
        # A name that is empty once cleaned is what the tracker calls "unknown"; such events can be in a database
        # (imported from ActivityWatch), and what Middenweg exported must import again.
        app = _text(app, MAX_APP) or "unknown"
        label = _text(label, lengths.LABEL) or lengths.shorten(app, lengths.LABEL)
        title = item.get("title")
        if title is not None and not isinstance(title, str):
            raise _fail(source, where, _('"title" must be text or null'))
        title = _text(title, MAX_TITLE)
        try:
            category = Category(str(item.get("category")))
        except ValueError:
            raise _fail(source, where, _('"category" must be social, messaging or other')) from None
        events[device].append(UsageEvent(start, end - start, app, title, category, label))
    for uid, items in events.items():
        items.sort(key=lambda e: e.start)
        for before, after in itertools.pairwise(items):
            if after.start < before.end:
                raise _fail(
                    source,
                    _("device {uid}").format(uid=uid),
                    _("two events overlap at {moment}").format(moment=_iso(after.start, None)),
                )
    return MiddenwegExport(tuple(devices), events, unlocks)
