"""Storing phone-free evenings, their one-off changes and check-ins. Domain values in and out, never rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, time
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from middenweg.domain.evenings import Evening, EveningChange, EveningKind
from middenweg.storage import schema
from middenweg.storage.store import Store, _new_id

_evenings = schema.evenings
_changes = schema.evening_changes
_checkins = schema.checkins
CHECKIN_RESULTS = ("kept", "partly", "not")


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _mask(weekdays: Sequence[int]) -> int:
    return sum(1 << day for day in set(weekdays))


def _weekdays(mask: int) -> tuple[int, ...]:
    return tuple(day for day in range(7) if mask & (1 << day))


def _evening(row: Any) -> Evening:
    return Evening(
        id=row.id,
        title=row.title,
        kind=EveningKind(row.kind),
        start=_time(row.start_minute),
        end=_time(row.end_minute),
        first_date=row.first_date,
        weekdays=_weekdays(row.weekdays),
        every=row.every,
        time_zone=row.time_zone,
        friends=tuple(row.friends),
        remind_before=tuple(row.remind_before),
        end_note=bool(row.end_note),
        checkin=bool(row.checkin),
    )


def _columns(evening: Evening) -> dict[str, Any]:
    return {
        "title": evening.title,
        "kind": evening.kind.value,
        "start_minute": _minutes(evening.start),
        "end_minute": _minutes(evening.end),
        "first_date": evening.first_date,
        "weekdays": _mask(evening.weekdays),
        "every": evening.every,
        "time_zone": evening.time_zone,
        "friends": list(evening.friends),
        "remind_before": list(evening.remind_before),
        "end_note": evening.end_note,
        "checkin": evening.checkin,
    }


def _change(row: Any) -> EveningChange:
    return EveningChange(
        row.evening_id,
        row.date,
        row.new_date,
        None if row.new_start_minute is None else _time(row.new_start_minute),
        None if row.new_end_minute is None else _time(row.new_end_minute),
    )


class EveningStore:
    """Evenings in the same database (and transactions) as the history of a ``Store``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, evening: Evening, now: int) -> Evening:
        """Store a new evening (its ``id`` is ignored) and return it with its id."""
        new_id: int = self.store._write(
            lambda conn: _new_id(conn.execute(insert(_evenings).values(**_columns(evening), created_at=now)))
        )
        return self.get(new_id) or evening

    def update(self, evening: Evening, keep_changes: Callable[[EveningChange], bool]) -> bool:
        """Change an evening in place, in one transaction: its id stays, and with it the check-ins, the calendar
        file's UID (a calendar app updates the event instead of adding a second one) and the reminders already
        delivered. Skips and moves for which ``keep_changes`` is False are dropped. False when there is no such
        evening (removed meanwhile)."""

        def work(conn: Connection) -> bool:
            found = conn.execute(
                update(_evenings)
                .where(_evenings.c.id == evening.id, _evenings.c.removed_at.is_(None))
                .values(**_columns(evening))
            ).rowcount
            if not found:
                return False
            for row in conn.execute(select(_changes).where(_changes.c.evening_id == evening.id)).all():
                if not keep_changes(_change(row)):
                    conn.execute(
                        delete(_changes).where(
                            (_changes.c.evening_id == row.evening_id) & (_changes.c.date == row.date)
                        )
                    )
            return True

        updated: bool = self.store._write(work)
        return updated

    def get(self, evening_id: int) -> Evening | None:
        row = self.store._read(
            lambda conn: conn.execute(
                select(_evenings).where(_evenings.c.id == evening_id, _evenings.c.removed_at.is_(None))
            ).one_or_none()
        )
        return None if row is None else _evening(row)

    def all(self) -> list[Evening]:
        rows = self.store._read(
            lambda conn: conn.execute(
                select(_evenings).where(_evenings.c.removed_at.is_(None)).order_by(_evenings.c.id)
            ).all()
        )
        return [_evening(row) for row in rows]

    def remove(self, evening_id: int, now: int) -> bool:
        """Stop an evening; its past check-ins stay. False when there was no such evening."""
        count: int = self.store._write(
            lambda conn: (
                conn.execute(
                    update(_evenings)
                    .where(_evenings.c.id == evening_id, _evenings.c.removed_at.is_(None))
                    .values(removed_at=now)
                ).rowcount
            )
        )
        return count > 0

    def changes(self) -> list[EveningChange]:
        rows = self.store._read(lambda conn: conn.execute(select(_changes)).all())
        return [_change(row) for row in rows]

    def set_change(self, change: EveningChange) -> None:
        """Skip or move one occurrence (replacing an earlier change of the same date)."""

        def work(conn: Connection) -> None:
            key = (_changes.c.evening_id == change.evening_id) & (_changes.c.date == change.date)
            conn.execute(delete(_changes).where(key))
            conn.execute(
                insert(_changes).values(
                    evening_id=change.evening_id,
                    date=change.date,
                    new_date=change.new_date,
                    new_start_minute=None if change.new_start is None else _minutes(change.new_start),
                    new_end_minute=None if change.new_end is None else _minutes(change.new_end),
                )
            )

        self.store._write(work)

    def check_in(self, evening_id: int, day: date, result: str, slipped_seconds: int, now: int) -> None:
        if result not in CHECKIN_RESULTS:
            raise ValueError(result)

        def work(conn: Connection) -> None:
            key = (_checkins.c.evening_id == evening_id) & (_checkins.c.date == day)
            conn.execute(delete(_checkins).where(key))
            conn.execute(
                insert(_checkins).values(
                    evening_id=evening_id, date=day, result=result, slipped_seconds=slipped_seconds, recorded_at=now
                )
            )

        self.store._write(work)

    def checkins(self) -> dict[tuple[int, date], str]:
        rows = self.store._read(lambda conn: conn.execute(select(_checkins)).all())
        return {(row.evening_id, row.date): row.result for row in rows}
