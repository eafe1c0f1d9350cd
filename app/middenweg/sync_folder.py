"""Several computers, one picture, through a folder that Syncthing, Nextcloud or Dropbox keeps in step.

Each computer (a "home") writes only its own files, under ``<folder>/<home uid>/``: one Middenweg JSON export per UTC
month, gzipped (``2026-12.json.gz``), holding the devices it owns (this computer, a phone entered by hand, what it
imported), each written atomically and only when that month changed. Gzip because a month with titles is ~6 MB of
JSON and ~0.5 MB packed, and the current month goes over the network again at every sync that changed it. It reads
the other homes' files read-only and puts their devices' history in place of what it had for that month: replaced,
never merged, so a file read twice counts once. A sync tool's conflicted copy, a file from a newer Middenweg, a
damaged or older (stale) file, and a file that went missing are reported in plain words and skipped; the history
already read stays as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from middenweg.domain import lengths
from middenweg.domain.events import UsageEvent
from middenweg.i18n import _
from middenweg.interchange.errors import ImportFormatError
from middenweg.interchange.middenweg_format import ExportDevice, ExportEvent, parse_middenweg_export, write_json
from middenweg.private_files import write_private
from middenweg.storage.records import DeviceRecord, SyncedPart
from middenweg.storage.store import Store

#: Seconds between two syncs of a running tracker or tray app (a report syncs each time it is asked for).
SYNC_EVERY = 300.0
#: Meta keys: which home a device came from, what was published, what was read.
_ORIGIN = "sync:origin:"
_PUBLISHED = "sync:published:"
_READ = "sync:read:"
_MONTH_FILE = re.compile(r"^(\d{4})-(\d{2})\.json\.gz$")
_SUFFIX = ".json.gz"
#: The most a month file may hold once unpacked (a year of one person's windows is ~80 MB): no gzip bomb fills memory.
_MOST_UNPACKED = 256 * 1024 * 1024
#: Names sync tools give a second version of a file when two computers changed it at once (Syncthing, Nextcloud,
#: Dropbox, ownCloud, Seafile).
_CONFLICT = re.compile(r"sync-conflict|conflicted copy|conflict", re.IGNORECASE)
#: Files a sync tool writes while a transfer is under way: not ours to report.
_IN_TRANSFER = re.compile(r"^(\.syncthing\..*\.tmp|~.*|.*\.part|.*\.tmp)$")


@dataclass
class SyncResult:
    """What one sync did: files written, months read (as "home name: 2026-12"), and problems in plain words."""

    written: list[str] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def month_bounds(start: int, end: int) -> list[tuple[str, int, int]]:
    """The UTC months touching [start, end): ("2026-12", first second, first second of the next month)."""
    moment = datetime.fromtimestamp(start, UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = []
    while int(moment.timestamp()) < end:
        following = (
            moment.replace(year=moment.year + 1, month=1)
            if moment.month == 12
            else moment.replace(month=moment.month + 1)
        )
        months.append((moment.strftime("%Y-%m"), int(moment.timestamp()), int(following.timestamp())))
        moment = following
    return months


def _month_range(name: str) -> tuple[int, int]:
    year, month = (int(part) for part in name.split("-"))
    first = datetime(year, month, 1, tzinfo=UTC)
    following = datetime(year + 1, 1, 1, tzinfo=UTC) if month == 12 else datetime(year, month + 1, 1, tzinfo=UTC)
    return int(first.timestamp()), int(following.timestamp())


def own_devices(store: Store) -> list[DeviceRecord]:
    """The devices this home owns: every device that did not come from another home's files."""
    origins = store.meta_items(_ORIGIN)
    return [d for d in store.devices() if f"{_ORIGIN}{d.uid}" not in origins]


def sync(store: Store, folder: Path, *, home: DeviceRecord, tz: ZoneInfo, now: int) -> SyncResult:
    """Publish this home's changed months, then read the other homes' changed files."""
    result = SyncResult()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        result.problems.append(
            _("The sync folder {folder} cannot be used ({problem}); nothing was shared.").format(
                folder=folder, problem=error.strerror or error
            )
        )
        return result
    publish(store, folder, home=home, tz=tz, now=now, result=result)
    read_others(store, folder, home=home, result=result)
    return result


def publish(store: Store, folder: Path, *, home: DeviceRecord, tz: ZoneInfo, now: int, result: SyncResult) -> None:
    mine = own_devices(store)
    extent = store.extent()
    if not mine or extent is None:
        return
    target = folder / home.uid
    ids = [d.id for d in mine]
    for name, start, end in month_bounds(*extent):
        fingerprint = f"{store.month_fingerprint(ids, start, end)}:{','.join(d.name for d in mine)}"
        path = target / f"{name}{_SUFFIX}"
        if store.get_meta(f"{_PUBLISHED}{name}") == fingerprint and path.exists():
            continue
        if fingerprint.startswith("0:0:0:0:0:") and not path.exists():
            store.set_meta(f"{_PUBLISHED}{name}", fingerprint)
            continue
        data = _month_json(store, mine, start, end, tz, now)
        try:
            target.mkdir(parents=True, exist_ok=True)
            write_private(path, gzip.compress(data, compresslevel=6, mtime=0))
        except OSError as error:
            result.problems.append(
                _("{path} could not be written ({problem}); this computer's time is shared at the next sync.").format(
                    path=path, problem=error.strerror or error
                )
            )
            return
        store.set_meta(f"{_PUBLISHED}{name}", fingerprint)
        result.written.append(str(path))


def _month_json(store: Store, mine: Sequence[DeviceRecord], start: int, end: int, tz: ZoneInfo, now: int) -> bytes:
    uids = {d.uid for d in mine}
    events = (
        ExportEvent(e.device_uid, UsageEvent(e.start, e.duration, e.app, e.title, e.category, e.label))
        for e in store.iter_events(start, end)
        if e.device_uid in uids
    )
    by_id = {d.id: d.uid for d in mine}
    unlocks = {by_id[i]: moments for i, moments in store.unlock_times(start, end).items() if i in by_id}
    out = io.StringIO()
    devices = [ExportDevice(d.uid, d.host_key, d.name, d.kind) for d in mine]
    write_json(out, devices, events, tz, now, unlocks)
    return out.getvalue().encode("utf-8")


def read_others(store: Store, folder: Path, *, home: DeviceRecord, result: SyncResult) -> None:
    try:
        # A home's folder is named by its uid; a longer name is no home's (and would not fit its meta key).
        homes = sorted(
            p
            for p in folder.iterdir()
            if p.is_dir() and p.name != home.uid and not p.name.startswith(".") and len(p.name) <= lengths.DEVICE_UID
        )
    except OSError as error:
        result.problems.append(
            _("The sync folder {folder} cannot be read ({problem}).").format(folder=folder, problem=error.strerror)
        )
        return
    mine = {d.uid for d in own_devices(store)}
    seen_read = store.meta_items(_READ)
    present: set[str] = set()
    for other in homes:
        try:
            names = sorted(p.name for p in other.iterdir() if p.is_file())
        except OSError as error:
            result.problems.append(
                _("{folder} cannot be read ({problem}).").format(folder=other, problem=error.strerror)
            )
            continue
        for name in names:
            path = other / name
            if _IN_TRANSFER.match(name):
                continue
            if not _MONTH_FILE.match(name):
                if _CONFLICT.search(name):
                    result.problems.append(
                        _(
                            "{path} is a conflicted copy made by the sync tool; it was skipped. Delete it once the "
                            "computers are in step again."
                        ).format(path=path)
                    )
                continue
            month = name.removesuffix(_SUFFIX)
            key = f"{_READ}{other.name}:{month}"
            present.add(key)
            _read_month(store, path, key, month, other.name, mine, seen_read.get(key), result)
    for key in sorted(set(seen_read) - present):
        _home, month = key.removeprefix(_READ).rsplit(":", 1)
        result.problems.append(
            _(
                "A file read before is missing from the sync folder ({file}); the time it held is kept as it was."
            ).format(file=f"{_home}/{month}{_SUFFIX}")
        )


def _read_month(
    store: Store,
    path: Path,
    key: str,
    month: str,
    other_home: str,
    mine: set[str],
    before: str | None,
    result: SyncResult,
) -> None:
    try:
        raw = path.read_bytes()
    except OSError as error:
        result.problems.append(_("{path} cannot be read ({problem}).").format(path=path, problem=error.strerror))
        return
    digest = hashlib.sha256(raw).hexdigest()
    last_digest, _sep, last_written = (before or "").partition(" ")
    if digest == last_digest:
        return
    try:
        raw = _unpacked(raw, path)
        data = parse_middenweg_export(raw, str(path))
        written = _exported_at(raw)
    except ImportFormatError as error:
        result.problems.append(
            _("{problem} The time read from it before is kept.").format(problem=error) if before else str(error)
        )
        return
    if last_written and written < int(last_written):
        result.problems.append(
            _(
                "{path} is older than the copy read before (the sync tool brought back an old version); it was skipped."
            ).format(path=path)
        )
        return
    start, end = _month_range(month)
    parts = []
    for device in data.devices:
        if device.uid in mine:
            result.problems.append(
                _("{path} holds a device of this computer ({name}); that part was skipped.").format(
                    path=path, name=device.name
                )
            )
            continue
        outside = [e for e in data.events[device.uid] if not start <= e.start < end]
        if outside:
            result.problems.append(_("{path} holds time outside its month; it was skipped.").format(path=path))
            return
        parts.append(
            SyncedPart(
                device.uid, device.name, device.kind, start, end, data.events[device.uid],
                data.unlocks.get(device.uid, ()),
            )
        )  # fmt: skip
    store.replace_synced(parts)
    for part in parts:
        store.set_meta(f"{_ORIGIN}{part.uid}", other_home)
    store.set_meta(key, f"{digest} {written}")
    names = ", ".join(sorted({p.name for p in parts})) or other_home
    result.read.append(f"{names}: {month}")


def _unpacked(packed: bytes, path: Path) -> bytes:
    """The JSON inside a month file; ImportFormatError for a file that is not whole gzip or unpacks too large."""
    unpack = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip
    try:
        raw = unpack.decompress(packed, _MOST_UNPACKED)
    except zlib.error as error:
        raise ImportFormatError(
            _("{path} is not a month file of Middenweg (not gzip: {problem}).").format(path=path, problem=error)
        ) from None
    if unpack.unconsumed_tail:
        raise ImportFormatError(
            _("{path} unpacks to more than {limit} MB, more than a month can hold; it was not read.").format(
                path=path, limit=_MOST_UNPACKED // (1024 * 1024)
            )
        )
    if not unpack.eof:
        raise ImportFormatError(_("{path} is cut short (the sync tool may still be copying it).").format(path=path))
    return raw


def _exported_at(raw: bytes) -> int:
    """When the file was written (its "exported_at"); 0 when it does not say."""
    try:
        value = json.loads(raw.decode("utf-8")).get("exported_at")
        return int(datetime.fromisoformat(value).timestamp()) if isinstance(value, str) else 0
    except (ValueError, AttributeError):
        return 0
