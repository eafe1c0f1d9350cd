"""The repository: every read and write of history goes through ``Store``.

Writes split events at quarter-hour UTC boundaries (see ``models``) and resolve apps, titles and windows through
in-memory lookups, so an import is one executemany per batch. Reads aggregate in SQL: a week is one range scan.
Never returns ORM rows; never runs SQLite-only SQL (that lives in ``engine``).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Exists,
    Table,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError

from middenweg.database_url import masked
from middenweg.domain.categories import Category
from middenweg.domain.events import HAND_ENTERED_PREFIX, DeviceKind, UsageEvent
from middenweg.domain.intervals import Span, subtract, union
from middenweg.i18n import _
from middenweg.storage import schema
from middenweg.storage.engine import WRITE_TRANSACTION, open_sqlite, open_url, scrub_after_delete, translate_error
from middenweg.storage.errors import StorageError
from middenweg.storage.migrate import upgrade
from middenweg.storage.records import (
    DayUsage,
    DeviceRecord,
    DeviceSpec,
    ImportBatch,
    ImportOutcome,
    StoredEvent,
    SyncedPart,
    WeekUsage,
    WindowUsage,
)
from middenweg.storage.schema import QUARTER
from middenweg.storage.server import RETRY_STATES, open_server, server_error

#: (app, title or None) -> (category, label): how re-categorisation asks the current rules.
Categorise = Callable[[str, str | None], tuple[Category, str]]

_events = schema.events
_windows = schema.windows
_apps = schema.apps
_titles = schema.titles
_devices = schema.devices
_spans = schema.import_spans
_unlocks = schema.unlocks
_meta = schema.meta
#: Where an event ends, typed as epoch seconds: SQLAlchemy types ``start + duration`` as the SMALLINT duration, and
#: PostgreSQL would then cast a moment compared with it to SMALLINT, which overflows.
_event_end = type_coerce(_events.c.start + _events.c.duration, schema.EPOCH)


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


_WindowKey = tuple[int, int | None, str, str]

#: How often a write is tried. A transaction that clashed with another writer (another computer on a shared server
#: storing the same app name first, the CLI forgetting a window the tracker's lookups remembered) is run once more
#: with fresh lookups; one a server cancelled as a serialization failure or deadlock, up to this many times.
_WRITE_ATTEMPTS = 4


def _day_rows(sums: dict[tuple[int, str, str], int]) -> list[DayUsage]:
    return [DayUsage(day, Category(cat), label, seconds) for (day, cat, label), seconds in sums.items() if seconds > 0]


def split_at_quarters(start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, duration) pieces of [start, end) that never cross a multiple of QUARTER."""
    cursor = start
    while cursor < end:
        boundary = (cursor // QUARTER + 1) * QUARTER
        piece_end = min(end, boundary)
        yield cursor, piece_end - cursor
        cursor = piece_end


class _Lookups:
    """Name -> id maps for apps, titles and windows, loaded once per Store and extended as rows are added."""

    def __init__(self, conn: Connection) -> None:
        self.apps: dict[str, int] = {row.name: row.id for row in conn.execute(select(_apps.c.id, _apps.c.name))}
        self.titles: dict[str, int] = {row.text: row.id for row in conn.execute(select(_titles.c.id, _titles.c.text))}
        self.windows: dict[_WindowKey, int] = {
            (row.app_id, row.title_id, row.category, row.label): row.id
            for row in conn.execute(
                select(
                    _windows.c.id,
                    _windows.c.app_id,
                    _windows.c.title_id,
                    _windows.c.category,
                    _windows.c.label,
                )
            )
        }
        self.by_event: dict[tuple[str, str | None, str, str], int] = {}

    def window_id(self, conn: Connection, event: UsageEvent, title: str | None) -> int:
        key = (event.app, title, event.category.value, event.label)
        found = self.by_event.get(key)
        if found is not None:
            return found
        app_id = self.apps.get(event.app)
        if app_id is None:
            app_id = _new_id(conn.execute(insert(_apps).values(name=event.app)))
            self.apps[event.app] = app_id
        title_id: int | None = None
        if title is not None:
            title_id = self.titles.get(title)
            if title_id is None:
                title_id = _new_id(conn.execute(insert(_titles).values(text=title)))
                self.titles[title] = title_id
        wkey: _WindowKey = (app_id, title_id, event.category.value, event.label)
        window = self.windows.get(wkey)
        if window is None:
            window = _new_id(
                conn.execute(
                    insert(_windows).values(
                        app_id=app_id, title_id=title_id, category=event.category.value, label=event.label
                    )
                )
            )
            self.windows[wkey] = window
        self.by_event[key] = window
        return window


class Store:
    """History in one database. Not thread-safe: one Store per thread (the GUI uses the main thread)."""

    def __init__(self, engine: Engine, where: str) -> None:
        self._engine = engine
        self.where = where
        self._lookups: _Lookups | None = None
        shared = engine.dialect.name != "sqlite"
        # A read is one snapshot: SQLite's deferred BEGIN gives that; a server needs REPEATABLE READ for it.
        self._reader = engine.execution_options(isolation_level="REPEATABLE READ") if shared else engine
        self._translate: Callable[[Exception, str], StorageError] = (
            server_error if engine.dialect.name == "postgresql" else translate_error
        )

    @classmethod
    def open(cls, path: Path, *, busy_timeout: float = 5.0) -> Store:
        """Open (or create) the SQLite database at ``path`` and bring its schema up to date.

        ``busy_timeout`` is how long to wait for another program's lock before saying the database is locked.
        """
        engine = open_sqlite(path, busy_timeout=busy_timeout)
        try:
            upgrade(engine, str(path))
        except StorageError:
            engine.dispose()
            raise
        except DBAPIError as exc:
            engine.dispose()
            raise translate_error(exc, path) from exc
        return cls(engine, str(path))

    @classmethod
    def open_url(cls, url: str) -> Store:
        """Open the shared PostgreSQL database at ``url`` (``postgresql+psycopg://...``; or another SQLAlchemy URL)
        and bring its schema up to date. Messages name it with the password masked; no local file is touched."""
        where = masked(url)
        engine = open_server(url) if url.startswith("postgresql") else open_url(url)
        try:
            upgrade(engine, where)
        except StorageError:
            engine.dispose()
            raise
        except DBAPIError as exc:
            engine.dispose()
            translate = server_error if engine.dialect.name == "postgresql" else translate_error
            raise translate(exc, where) from exc
        return cls(engine, where)

    def close(self) -> None:
        self._engine.dispose()

    @property
    def engine(self) -> Engine:
        return self._engine

    # -- transactions ---------------------------------------------------------------------------------------------

    def _write(self, work: Callable[[Connection], Any]) -> Any:
        """Run ``work`` in one transaction; on any failure nothing is kept and the lookups are reloaded.

        ``work`` may run again from the start after a clash with another writer (see ``_WRITE_ATTEMPTS``), so it
        must depend on nothing but its connection and values it was given.
        """
        for attempt in range(1, _WRITE_ATTEMPTS + 1):
            try:
                with self._engine.execution_options(**WRITE_TRANSACTION).begin() as conn:
                    if self._lookups is None:
                        self._lookups = _Lookups(conn)
                    return work(conn)
            except IntegrityError as exc:
                self._lookups = None
                if attempt == 1:
                    continue
                raise StorageError(
                    _("Middenweg refused to store overlapping time twice in {where}; nothing was changed.").format(
                        where=self.where
                    )
                ) from exc
            except DBAPIError as exc:
                self._lookups = None
                if attempt < _WRITE_ATTEMPTS and getattr(exc.orig, "sqlstate", None) in RETRY_STATES:
                    time.sleep(0.02 * attempt)  # let the other writer finish
                    continue
                raise self._translate(exc, self.where) from exc
            except BaseException:
                self._lookups = None
                raise
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _read(self, work: Callable[[Connection], Any]) -> Any:
        """Run ``work`` on one snapshot (one transaction), so a report never mixes two states of the data."""
        try:
            with self._reader.connect() as conn, conn.begin():
                return work(conn)
        except DBAPIError as exc:
            raise self._translate(exc, self.where) from exc

    # -- meta -----------------------------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        result: str | None = self._read(
            lambda conn: conn.execute(select(_meta.c.value).where(_meta.c.key == key)).scalar_one_or_none()
        )
        return result

    def set_meta(self, key: str, value: str) -> None:
        def work(conn: Connection) -> None:
            if conn.execute(update(_meta).where(_meta.c.key == key).values(value=value)).rowcount == 0:
                conn.execute(insert(_meta).values(key=key, value=value))

        self._write(work)

    def meta_items(self, prefix: str) -> dict[str, str]:
        """Every meta entry whose key starts with ``prefix``."""
        rows = self._read(lambda conn: conn.execute(select(_meta.c.key, _meta.c.value)).all())
        return {str(row.key): str(row.value) for row in rows if str(row.key).startswith(prefix)}

    # -- a sync folder's copies ---------------------------------------------------------------------------------

    def replace_synced(self, parts: Sequence[SyncedPart]) -> None:
        """In ONE transaction: each part's device (found by its uid only, made under a host key of its own so it
        never merges with a device of this computer) gets exactly the part's events and unlocks in [start, end);
        what it had there before is replaced, never added to, so a file read twice counts once."""

        def work(conn: Connection) -> None:
            for part in parts:
                row = conn.execute(select(_devices).where(_devices.c.uid == part.uid)).one_or_none()
                if row is None:
                    spec = DeviceSpec(f"sync:{part.uid}", part.name, part.kind, uid=part.uid)
                    device = self._ensure_device(conn, spec)
                else:
                    device = self._device_record(row)
                    if device.name != part.name:
                        conn.execute(update(_devices).where(_devices.c.id == device.id).values(name=part.name))
                conn.execute(
                    delete(_events).where(
                        _events.c.device_id == device.id, _events.c.start >= part.start, _events.c.start < part.end
                    )
                )
                conn.execute(
                    delete(_unlocks).where(
                        _unlocks.c.device_id == device.id, _unlocks.c.at >= part.start, _unlocks.c.at < part.end
                    )
                )
                self._insert_events(conn, device, part.events, keep_titles=True)
                self._insert_unlocks(conn, device, part.unlocks)
            self._drop_orphans(conn)

        self._write(work)
        self._lookups = None

    def month_fingerprint(self, device_ids: Sequence[int], start: int, end: int) -> str:
        """A cheap summary of these devices' events and unlocks in [start, end): it changes when they do."""

        def work(conn: Connection) -> str:
            events = conn.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum(_events.c.start), 0),
                    func.coalesce(func.sum(_events.c.duration * (_events.c.window_id + 1)), 0),
                ).where(_events.c.device_id.in_(device_ids), _events.c.start >= start, _events.c.start < end)
            ).one()
            unlocks = conn.execute(
                select(func.count(), func.coalesce(func.sum(_unlocks.c.at), 0)).where(
                    _unlocks.c.device_id.in_(device_ids), _unlocks.c.at >= start, _unlocks.c.at < end
                )
            ).one()
            return f"{events[0]}:{events[1]}:{events[2]}:{unlocks[0]}:{unlocks[1]}"

        result: str = self._read(work)
        return result

    # -- devices --------------------------------------------------------------------------------------------------

    @staticmethod
    def _device_record(row: Any) -> DeviceRecord:
        return DeviceRecord(row.id, row.uid, row.host_key, row.name, DeviceKind(row.kind))

    def _ensure_device(self, conn: Connection, spec: DeviceSpec) -> DeviceRecord:
        row = conn.execute(select(_devices).where(_devices.c.host_key == spec.host_key)).one_or_none()
        if row is None and spec.uid is not None:
            row = conn.execute(select(_devices).where(_devices.c.uid == spec.uid)).one_or_none()
        if row is not None:
            return self._device_record(row)
        uid = spec.uid or str(uuid.uuid4())
        new_id = _new_id(
            conn.execute(insert(_devices).values(uid=uid, host_key=spec.host_key, name=spec.name, kind=spec.kind.value))
        )
        return DeviceRecord(new_id, uid, spec.host_key, spec.name, spec.kind)

    def ensure_device(self, spec: DeviceSpec) -> DeviceRecord:
        """The device with this host key, made if new (with a fresh stable uid)."""
        record: DeviceRecord = self._write(lambda conn: self._ensure_device(conn, spec))
        return record

    def claim_computer(self, host: str, name: str, uid: str | None) -> DeviceRecord:
        """This computer's device on a database other computers share: the one with ``uid`` (the uid it remembers),
        else a new one. Two computers may have the same host name, so a host name already taken by another device
        gets the uid as a suffix instead of being matched: one computer's time is never written into another's.
        """

        def work(conn: Connection) -> DeviceRecord:
            if uid is not None:
                row = conn.execute(select(_devices).where(_devices.c.uid == uid)).one_or_none()
                if row is not None:
                    return self._device_record(row)
            new_uid = uid or str(uuid.uuid4())
            taken = conn.execute(select(_devices.c.id).where(_devices.c.host_key == host)).first() is not None
            key = f"{host} ({new_uid[:8]})" if taken else host
            spec = DeviceSpec(key, name, DeviceKind.COMPUTER, new_uid)
            return self._ensure_device(conn, spec)

        record: DeviceRecord = self._write(work)
        return record

    def rename_device(self, uid: str, name: str) -> None:
        self._write(lambda conn: conn.execute(update(_devices).where(_devices.c.uid == uid).values(name=name)))

    def devices(self) -> list[DeviceRecord]:
        rows = self._read(lambda conn: conn.execute(select(_devices).order_by(_devices.c.id)).all())
        return [self._device_record(row) for row in rows]

    def devices_with_history(self) -> list[DeviceRecord]:
        """The devices that have any time or unlock stored: the ones a person can usefully pick in a filter."""

        def used(table: Table) -> Exists:
            return exists().where(table.c.device_id == _devices.c.id)

        query = select(_devices).where(or_(used(_events), used(_unlocks))).order_by(_devices.c.id)
        rows = self._read(lambda conn: conn.execute(query).all())
        return [self._device_record(row) for row in rows]

    # -- writing --------------------------------------------------------------------------------------------------

    def _insert_events(
        self, conn: Connection, device: DeviceRecord, events: Iterable[UsageEvent], keep_titles: bool
    ) -> tuple[int, int]:
        lookups = self._lookups
        assert lookups is not None
        rows: list[dict[str, int]] = []
        seconds = 0
        for event in events:
            window = lookups.window_id(conn, event, event.title if keep_titles else None)
            for start, duration in split_at_quarters(event.start, event.end):
                rows.append({"start": start, "device_id": device.id, "duration": duration, "window_id": window})
            seconds += event.duration
        if rows:
            conn.execute(insert(_events), rows)
        return len(rows), seconds

    def add_events(self, device: DeviceRecord, events: Iterable[UsageEvent], *, keep_titles: bool = True) -> int:
        """Store events of one device that do not overlap each other or stored ones; returns rows written."""
        chosen = list(events)  # a write may run twice (see _write): a generator would be empty the second time
        written: tuple[int, int] = self._write(lambda conn: self._insert_events(conn, device, chosen, keep_titles))
        return written[0]

    def replace_recent(self, device: DeviceRecord, since: int, events: Sequence[UsageEvent]) -> None:
        """The tracker's flush, in one transaction: this device's events from ``since`` on become ``events``.

        The tracker rewrites its recent, not yet final events (the open one grows; going away trims them), so a
        kill -9 loses at most the time since the last flush and never leaves half a write.
        """

        def work(conn: Connection) -> None:
            conn.execute(delete(_events).where(_events.c.device_id == device.id, _events.c.start >= since))
            self._insert_events(conn, device, events, keep_titles=True)

        self._write(work)

    def replace_between(self, device: DeviceRecord, start: int, end: int, events: Sequence[UsageEvent]) -> None:
        """In one transaction: this device's events starting in [start, end) become ``events`` (a day of time
        entered by hand, corrected or removed with an empty list). Other devices are never touched."""

        def work(conn: Connection) -> None:
            conn.execute(
                delete(_events).where(_events.c.device_id == device.id, _events.c.start >= start, _events.c.start < end)
            )
            self._insert_events(conn, device, events, keep_titles=True)
            self._drop_orphans(conn)

        self._write(work)
        self._lookups = None

    def import_batches(
        self,
        batches: Sequence[ImportBatch],
        *,
        keep_titles: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[ImportOutcome]:
        """Import devices' events and unlocks in ONE transaction, never counting a period or an unlock twice.

        Time already recorded for a device (stored events, or a period an earlier import covered according to the
        ledger) is cut out of the new events; then the new events' whole period joins the ledger. Unlocks are
        moments, not periods: one already stored for the device is simply not stored again.
        """

        def work(conn: Connection) -> list[ImportOutcome]:
            outcomes = []
            total = len(batches)
            for index, batch in enumerate(batches):
                device = self._ensure_device(conn, batch.device)
                outcome = self._import_one(conn, device, batch.events, keep_titles)
                added_unlocks = self._insert_unlocks(conn, device, batch.unlocks)
                outcomes.append(replace(outcome, added_unlocks=added_unlocks))
                if progress is not None:
                    progress(index + 1, total)
            return outcomes

        result: list[ImportOutcome] = self._write(work)
        return result

    def _import_one(
        self, conn: Connection, device: DeviceRecord, events: Sequence[UsageEvent], keep_titles: bool
    ) -> ImportOutcome:
        if not events:
            return ImportOutcome(device, 0, 0, 0)
        first = min(e.start for e in events)
        last = max(e.end for e in events)
        covered = [
            Span(row.start, row.end)
            for row in conn.execute(
                select(_spans.c.start, _spans.c.end).where(
                    _spans.c.device_id == device.id, _spans.c.end > first, _spans.c.start < last
                )
            )
        ]
        covered += [
            Span(row.start, row.start + row.duration)
            for row in conn.execute(
                select(_events.c.start, _events.c.duration).where(
                    _events.c.start >= first - QUARTER,
                    _events.c.start < last,
                    _events.c.device_id == device.id,
                )
            )
        ]
        holes = union(covered)
        fresh: list[UsageEvent] = []
        skipped = 0
        for event in events:
            if not holes:
                fresh.append(event)
                continue
            pieces = subtract(Span(event.start, event.end), holes)
            kept = sum(p.length for p in pieces)
            skipped += event.duration - kept
            fresh.extend(
                UsageEvent(p.start, p.length, event.app, event.title, event.category, event.label) for p in pieces
            )
        rows, seconds = self._insert_events(conn, device, fresh, keep_titles)
        self._add_ledger_span(conn, device, Span(first, last))
        return ImportOutcome(device, rows, seconds, skipped)

    @staticmethod
    def _insert_unlocks(conn: Connection, device: DeviceRecord, unlocks: Sequence[int]) -> int:
        """Store the unlocks the device does not have yet; returns how many that were.

        Reading the stored ones first (instead of an INSERT ... ON CONFLICT DO NOTHING, which SQLAlchemy only
        offers per dialect) keeps this portable SQL and makes the count exact; the primary key still guarantees
        that an unlock is never stored twice.
        """
        wanted = set(unlocks)
        if not wanted:
            return 0
        stored = set(
            conn.execute(
                select(_unlocks.c.at).where(
                    _unlocks.c.device_id == device.id, _unlocks.c.at >= min(wanted), _unlocks.c.at <= max(wanted)
                )
            ).scalars()
        )
        new = sorted(wanted - stored)
        if new:
            conn.execute(insert(_unlocks), [{"device_id": device.id, "at": at} for at in new])
        return len(new)

    def _add_ledger_span(self, conn: Connection, device: DeviceRecord, span: Span) -> None:
        """Keep the ledger small: merge the new span with every span it touches."""
        touching = conn.execute(
            select(_spans.c.id, _spans.c.start, _spans.c.end).where(
                _spans.c.device_id == device.id, _spans.c.end >= span.start, _spans.c.start <= span.end
            )
        ).all()
        merged = union([span, *(Span(row.start, row.end) for row in touching)])
        if touching:
            conn.execute(delete(_spans).where(_spans.c.id.in_([row.id for row in touching])))
        conn.execute(insert(_spans), [{"device_id": device.id, "start": s.start, "end": s.end} for s in merged])

    # -- reading --------------------------------------------------------------------------------------------------

    def day_usage(self, bounds: Sequence[int], device_ids: Sequence[int] | None = None) -> list[DayUsage]:
        """Seconds per (day, category, label) for consecutive days [bounds[i], bounds[i+1]), in one snapshot."""
        rows: list[DayUsage] = self._read(lambda conn: self._day_usage(conn, bounds, device_ids, by_label=True))
        return rows

    def day_totals(self, bounds: Sequence[int], device_ids: Sequence[int] | None = None) -> list[DayUsage]:
        """Seconds per (day, category) only (``label`` is ""): cheaper, for many days at once (a year view)."""
        rows: list[DayUsage] = self._read(lambda conn: self._day_usage(conn, bounds, device_ids, by_label=False))
        return rows

    def category_totals(self, start: int, end: int, device_ids: Sequence[int] | None = None) -> dict[Category, int]:
        """Seconds per category in [start, end)."""
        rows: list[DayUsage] = self._read(lambda conn: self._day_usage(conn, [start, end], device_ids, by_label=False))
        return self._totals(rows)

    def week_usage(
        self, bounds: Sequence[int], before: tuple[int, int], device_ids: Sequence[int] | None = None
    ) -> WeekUsage:
        """A week's day usage (all devices, and each device on its own), each device's unlocks per day, and the
        totals of another period, read from ONE snapshot: no half-written state, and the devices always add up to
        the whole."""

        def work(conn: Connection) -> WeekUsage:
            # One pass over the week, by device and label: the whole week and each device are sums of it.
            sums = self._usage_sums(conn, bounds, device_ids, by_label=True, by_device=True)
            days: dict[tuple[int, str, str], int] = {}
            devices: dict[int, dict[tuple[int, str, str], int]] = {}
            for (device, day, category, label), seconds in sums.items():
                days[day, category, label] = days.get((day, category, label), 0) + seconds
                mine = devices.setdefault(device, {})
                mine[day, category, ""] = mine.get((day, category, ""), 0) + seconds
            totals = self._totals(self._day_usage(conn, list(before), device_ids, by_label=False))
            per_device = {device: _day_rows(devices[device]) for device in sorted(devices)}
            per_device = {device: rows for device, rows in per_device.items() if rows}
            return WeekUsage(_day_rows(days), totals, per_device, self._unlock_counts(conn, bounds, device_ids))

        result: WeekUsage = self._read(work)
        return result

    @staticmethod
    def _unlock_counts(
        conn: Connection, bounds: Sequence[int], device_ids: Sequence[int] | None
    ) -> dict[int, list[int]]:
        """Unlocks per device id and day [bounds[i], bounds[i+1]); only devices with any unlock in the period."""
        slots = len(bounds) - 1
        inner = bounds[1:-1]
        slot: Any = (
            case(*((_unlocks.c.at < b, i) for i, b in enumerate(inner)), else_=slots - 1) if inner else literal(0)
        )
        group: list[Any] = [literal_column("1")] if inner else []
        group.append(_unlocks.c.device_id)
        where = [_unlocks.c.at >= bounds[0], _unlocks.c.at < bounds[-1]]
        if device_ids is not None:
            where.append(_unlocks.c.device_id.in_(device_ids))
        stmt = (
            select(slot.label("day"), _unlocks.c.device_id, func.count().label("unlocks"))
            .where(*where)
            .group_by(*group)
        )
        counts: dict[int, list[int]] = {}
        for row in conn.execute(stmt):
            counts.setdefault(int(row.device_id), [0] * slots)[int(row.day)] += int(row.unlocks)
        return {device: counts[device] for device in sorted(counts)}

    @staticmethod
    def _totals(rows: list[DayUsage]) -> dict[Category, int]:
        totals = dict.fromkeys(Category, 0)
        for usage in rows:
            totals[usage.category] += usage.seconds
        return totals

    def _day_usage(
        self, conn: Connection, bounds: Sequence[int], device_ids: Sequence[int] | None, *, by_label: bool
    ) -> list[DayUsage]:
        sums = self._usage_sums(conn, bounds, device_ids, by_label=by_label, by_device=False)
        return _day_rows({(day, category, label): seconds for (_d, day, category, label), seconds in sums.items()})

    def _usage_sums(
        self,
        conn: Connection,
        bounds: Sequence[int],
        device_ids: Sequence[int] | None,
        *,
        by_label: bool,
        by_device: bool,
    ) -> dict[tuple[int, int, str, str], int]:
        """Seconds per (device id or 0, day, category, label or "") in the days [bounds[i], bounds[i+1])."""
        slots = len(bounds) - 1
        inner = bounds[1:-1]
        # Bounds are bound parameters, so one compiled statement serves every week; GROUP BY 1 (the slot's
        # position in the select list) keeps the grouping portable without repeating the parameters.
        slot: Any = (
            case(*((_events.c.start < b, i) for i, b in enumerate(inner)), else_=slots - 1) if inner else literal(0)
        )
        columns: list[Any] = [slot.label("day"), _windows.c.category]
        group: list[Any] = [literal_column("1")] if inner else []
        group.append(_windows.c.category)
        if by_label:
            columns.append(_windows.c.label)
            group.append(_windows.c.label)
        if by_device:
            columns.append(_events.c.device_id)
            group.append(_events.c.device_id)
        columns.append(func.sum(_events.c.duration).label("seconds"))
        where = [_events.c.start >= bounds[0], _events.c.start < bounds[-1]]
        if device_ids is not None:
            where.append(_events.c.device_id.in_(device_ids))
        stmt = (
            select(*columns)
            .select_from(_events.join(_windows, _events.c.window_id == _windows.c.id))
            .where(*where)
            .group_by(*group)
        )
        sums: dict[tuple[int, int, str, str], int] = {}
        for row in conn.execute(stmt):
            key = (int(row.device_id) if by_device else 0, int(row.day), row.category, row.label if by_label else "")
            sums[key] = int(row.seconds)
        if any(b % QUARTER for b in bounds):
            self._fix_crossings(conn, bounds, device_ids, sums, by_label=by_label, by_device=by_device)
        return sums

    def _fix_crossings(
        self,
        conn: Connection,
        bounds: Sequence[int],
        device_ids: Sequence[int] | None,
        sums: dict[tuple[int, int, str, str], int],
        *,
        by_label: bool,
        by_device: bool,
    ) -> None:
        """Exactness for zones whose midnight is not on the quarter grid (historical offsets only).

        The main query counts an event wholly on the day it starts; move the part after each boundary it crosses.
        """
        crossing = or_(*(and_(_events.c.start >= b - QUARTER, _events.c.start < b, _event_end > b) for b in bounds))
        where = [crossing]
        if device_ids is not None:
            where.append(_events.c.device_id.in_(device_ids))
        stmt = (
            select(_events.c.start, _events.c.duration, _events.c.device_id, _windows.c.category, _windows.c.label)
            .select_from(_events.join(_windows, _events.c.window_id == _windows.c.id))
            .where(*where)
        )
        days = len(bounds) - 1
        for row in conn.execute(stmt):
            start, end = row.start, row.start + row.duration
            label = row.label if by_label else ""
            device = int(row.device_id) if by_device else 0
            for d in range(days):
                lo, hi = bounds[d], bounds[d + 1]
                key = (device, d, row.category, label)
                if lo <= start < hi:  # counted wholly here by the main query
                    sums[key] = sums.get(key, 0) - row.duration
                overlap = min(end, hi) - max(start, lo)
                if overlap > 0:
                    sums[key] = sums.get(key, 0) + overlap

    def unlock_times(self, start: int | None = None, end: int | None = None) -> dict[int, list[int]]:
        """Every unlock in [start, end) (None: open), sorted, by device id: what an export carries."""
        query = select(_unlocks.c.device_id, _unlocks.c.at).order_by(_unlocks.c.device_id, _unlocks.c.at)
        if start is not None:
            query = query.where(_unlocks.c.at >= start)
        if end is not None:
            query = query.where(_unlocks.c.at < end)
        found: dict[int, list[int]] = {}
        for row in self._read(lambda conn: conn.execute(query).all()):
            found.setdefault(int(row.device_id), []).append(int(row.at))
        return found

    def window_usage(self, start: int, end: int) -> list[WindowUsage]:
        """Seconds per stored window in [start, end), most used first (for previewing a new rule)."""
        stmt = (
            select(
                _apps.c.name.label("app"),
                _titles.c.text.label("title"),
                _windows.c.category,
                _windows.c.label,
                func.sum(_events.c.duration).label("seconds"),
            )
            .select_from(
                _events.join(_windows, _events.c.window_id == _windows.c.id)
                .join(_apps, _windows.c.app_id == _apps.c.id)
                .outerjoin(_titles, _windows.c.title_id == _titles.c.id)
            )
            .where(_events.c.start >= start, _events.c.start < end)
            .group_by(_windows.c.id, _apps.c.name, _titles.c.text, _windows.c.category, _windows.c.label)
            .order_by(func.sum(_events.c.duration).desc())
        )
        rows = self._read(lambda conn: conn.execute(stmt).all())
        return [WindowUsage(r.app, r.title, Category(r.category), r.label, int(r.seconds)) for r in rows]

    def extent(self) -> tuple[int, int] | None:
        """The first start and last end of all events, or None when there are none."""
        row = self._read(lambda conn: conn.execute(select(func.min(_events.c.start), func.max(_event_end))).one())
        return None if row[0] is None else (int(row[0]), int(row[1]))

    def recorded_until(self, device: DeviceRecord) -> int | None:
        """The end of ``device``'s newest event, or None when it has none.

        A tracker starts recording after this, so a clock that is behind at start never rewrites stored history.
        Events never cross a quarter, so only rows starting within a quarter of the newest start can end last.
        """

        def work(conn: Connection) -> int | None:
            newest = conn.execute(
                select(_events.c.start)
                .where(_events.c.device_id == device.id)
                .order_by(_events.c.start.desc())
                .limit(1)
            ).scalar_one_or_none()
            if newest is None:
                return None
            end = conn.execute(
                select(func.max(_event_end)).where(
                    _events.c.device_id == device.id, _events.c.start >= newest - QUARTER
                )
            ).scalar_one()
            return int(end)

        result: int | None = self._read(work)
        return result

    def event_count(self) -> int:
        return int(self._read(lambda conn: conn.execute(select(func.count()).select_from(_events)).scalar_one()))

    def iter_events(self, start: int | None = None, end: int | None = None) -> Iterator[StoredEvent]:
        """Events in [start, end) by start time; contiguous pieces of one window on one device are joined."""
        where = []
        if start is not None:
            where.append(_events.c.start >= start)
        if end is not None:
            where.append(_events.c.start < end)
        stmt = (
            select(
                _events.c.start,
                _events.c.duration,
                _events.c.window_id,
                _devices.c.uid,
                _apps.c.name.label("app"),
                _titles.c.text.label("title"),
                _windows.c.category,
                _windows.c.label,
            )
            .select_from(
                _events.join(_windows, _events.c.window_id == _windows.c.id)
                .join(_apps, _windows.c.app_id == _apps.c.id)
                .outerjoin(_titles, _windows.c.title_id == _titles.c.id)
                .join(_devices, _events.c.device_id == _devices.c.id)
            )
            .where(*where)
            .order_by(_events.c.start, _events.c.device_id)
        )
        try:
            with self._reader.connect() as conn, conn.begin():
                open_by_device: dict[str, tuple[Any, int]] = {}
                for row in conn.execute(stmt).yield_per(5000):
                    held = open_by_device.get(row.uid)
                    if held is not None:
                        first, held_end = held
                        if first.window_id == row.window_id and held_end == row.start:
                            open_by_device[row.uid] = (first, row.start + row.duration)
                            continue
                        yield self._stored(first, held_end)
                    open_by_device[row.uid] = (row, row.start + row.duration)
                for first, held_end in sorted(open_by_device.values(), key=lambda item: item[0].start):
                    yield self._stored(first, held_end)
        except DBAPIError as exc:
            raise self._translate(exc, self.where) from exc

    @staticmethod
    def _stored(row: Any, end: int) -> StoredEvent:
        return StoredEvent(row.start, end - row.start, row.uid, row.app, row.title, Category(row.category), row.label)

    # -- forgetting -----------------------------------------------------------------------------------------------

    def forget(self, start: int, end: int) -> int:
        """Delete every device's history (events and unlocks) in [start, end) exactly, and the titles nothing
        refers to any more; returns how many event rows were removed."""

        def work(conn: Connection) -> int:
            # Pieces that stick out of the period keep their parts outside it (only happens off the quarter grid).
            period = Span(start, end)
            stick_out = conn.execute(
                select(_events).where(
                    _events.c.start >= start - QUARTER,
                    _events.c.start < end,
                    or_(_events.c.start < start, _event_end > end),
                )
            ).all()
            for row in stick_out:
                conn.execute(delete(_events).where(_events.c.start == row.start, _events.c.device_id == row.device_id))
                for part in subtract(Span(row.start, row.start + row.duration), [period]):
                    conn.execute(
                        insert(_events).values(
                            start=part.start,
                            device_id=row.device_id,
                            duration=part.length,
                            window_id=row.window_id,
                        )
                    )
            removed = conn.execute(delete(_events).where(_events.c.start >= start, _events.c.start < end)).rowcount
            conn.execute(delete(_unlocks).where(_unlocks.c.at >= start, _unlocks.c.at < end))
            self._drop_orphans(conn)
            return int(removed)

        result: int = self._write(work)
        self._lookups = None
        self._scrub()
        return result

    def _scrub(self) -> None:
        try:
            scrub_after_delete(self._engine)
        except DBAPIError as exc:
            raise self._translate(exc, self.where) from exc

    def forget_all(self) -> int:
        """Delete all history (events and unlocks), the import ledger and every stored app and title; devices and
        settings stay."""

        def work(conn: Connection) -> int:
            removed = conn.execute(delete(_events)).rowcount
            conn.execute(delete(_unlocks))
            conn.execute(delete(_spans))
            self._drop_orphans(conn)
            return int(removed)

        result: int = self._write(work)
        self._lookups = None
        self._scrub()
        return result

    @staticmethod
    def _drop_orphans(conn: Connection) -> None:
        conn.execute(delete(_windows).where(_windows.c.id.not_in(select(_events.c.window_id).distinct())))
        conn.execute(
            delete(_titles).where(
                _titles.c.id.not_in(select(_windows.c.title_id).where(_windows.c.title_id.is_not(None)))
            )
        )
        conn.execute(delete(_apps).where(_apps.c.id.not_in(select(_windows.c.app_id))))

    # -- re-categorising ------------------------------------------------------------------------------------------

    def recategorise(self, categorise: Categorise) -> int:
        """Apply the current rules to all stored history; returns how many windows changed.

        A window whose title was kept out changes only when the rules decide by app alone (not "other"); time
        entered by hand (apps named ``HAND_ENTERED_PREFIX...``) is never re-categorised.
        """

        def work(conn: Connection) -> int:
            rows = conn.execute(
                select(_windows.c.id, _windows.c.category, _windows.c.label, _apps.c.name, _titles.c.text).select_from(
                    _windows.join(_apps, _windows.c.app_id == _apps.c.id).outerjoin(
                        _titles, _windows.c.title_id == _titles.c.id
                    )
                )
            ).all()
            changed = 0
            for row in rows:
                if row.name.startswith(HAND_ENTERED_PREFIX):
                    continue  # time entered by hand says its own category
                category, label = categorise(row.name, row.text)
                if row.text is None and category is Category.OTHER:
                    continue
                if (category.value, label) != (row.category, row.label):
                    conn.execute(
                        update(_windows).where(_windows.c.id == row.id).values(category=category.value, label=label)
                    )
                    changed += 1
            return changed

        result: int = self._write(work)
        self._lookups = None
        return result
