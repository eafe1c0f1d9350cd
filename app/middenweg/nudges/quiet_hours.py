"""Quiet hours: a local time span (it may pass midnight) in which goal and slip nudges wait."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def in_quiet_hours(now: int, tz: ZoneInfo, span: tuple[time, time] | None) -> bool:
    if span is None:
        return False
    start, end = span
    local = datetime.fromtimestamp(now, tz).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_hours_end(now: int, tz: ZoneInfo, span: tuple[time, time] | None) -> int | None:
    """When the quiet hours that hold ``now`` end (UTC epoch), or None outside them."""
    if span is None or not in_quiet_hours(now, tz, span):
        return None
    local = datetime.fromtimestamp(now, tz)
    day = local.date() if local.time() < span[1] else local.date() + timedelta(days=1)
    # A wall time that does not exist (DST gap) is resolved forward by fold=0 arithmetic; good enough for "later".
    return int(datetime.combine(day, span[1], tzinfo=tz).timestamp())
