"""Middenweg's own export (CSV and JSON) and the reader for its JSON, so history can move between homes.

The JSON carries each device's stable uid, host key, name and kind (and a phone's screen unlocks, where it has any)
and every event with its category and label, so ``import middenweg`` into an empty home reproduces the same reports.
Pure: it writes to and reads from text and bytes handed in; it never opens the database.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.i18n import _
from middenweg.interchange.errors import ImportFormatError

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
    moment = datetime.fromtimestamp(epoch, tz or UTC)
    return moment.isoformat().replace("+00:00", "Z") if tz is None else moment.isoformat()


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


def parse_middenweg_export(raw: bytes, source: str) -> MiddenwegExport:
    """Read a JSON export; any problem raises ImportFormatError naming the place, and nothing is returned."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _fail(source, _("byte {offset}").format(offset=exc.start), _("the file is not UTF-8 text")) from None
    except json.JSONDecodeError as exc:
        raise _fail(
            source, _("line {line}, column {column}").format(line=exc.lineno, column=exc.colno), exc.msg
        ) from None
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
        uid, host_key, name = item.get("uid"), item.get("host_key"), item.get("name")
        if not all(isinstance(v, str) and v for v in (uid, host_key, name)):
            raise _fail(source, where, _('"uid", "host_key" and "name" must be non-empty text'))
        devices.append(ExportDevice(str(uid), str(host_key), str(name), kind))
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
        device = item.get("device")
        if device not in known:
            raise _fail(source, where, _("it names a device that is not in the file"))
        start = _epoch(item.get("start_utc"), source, where)
        end = _epoch(item.get("end_utc"), source, where)
        if end <= start:
            raise _fail(source, where, _("it ends before it starts"))
        app, title, label = item.get("app"), item.get("title"), item.get("label")
        if not isinstance(app, str) or not app or not isinstance(label, str) or not label:
            raise _fail(source, where, _('"app" and "label" must be non-empty text'))
        if title is not None and not isinstance(title, str):
            raise _fail(source, where, _('"title" must be text or null'))
        try:
            category = Category(str(item.get("category")))
        except ValueError:
            raise _fail(source, where, _('"category" must be social, messaging or other')) from None
        events[str(device)].append(UsageEvent(start, end - start, app, title, category, label))
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
