"""Which time zone days and weeks are cut in: the user's setting, or the computer's own zone.

``system_time_zone`` finds the zone the way the C library does (``TZ``, then ``/etc/localtime``, then
``/etc/timezone``, then UTC) but always ends with a named IANA zone, because reports and ``.ics`` files need
the name and not just today's offset. It must never raise and never guess from the current UTC offset alone:
a wrong guess would cut every day at the wrong hour for half of the year. POSIX rule strings with daylight
saving time (``TZ=CET-1CEST,M3.5.0,M10.5.0/3``) have no IANA name, so for those the system zone files are used
instead; a POSIX string without daylight saving time (``TZ=UTC0``, ``TZ=<+03>-3``) becomes the matching fixed
``Etc/GMT`` zone. On Windows, where none of these files exist, the result is UTC unless ``TZ`` names a zone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

from middenweg.i18n import _

SYSTEM = "system"

_LOCALTIME = Path("/etc/localtime")
_TIMEZONE_FILE = Path("/etc/timezone")
_ZONEINFO_MARK = "zoneinfo/"

# A POSIX TZ rule: a standard-time name (three or more letters, or anything in angle brackets) followed by an
# offset. An IANA name never looks like this: it has no digit right after its leading letters.
_POSIX_RULE = re.compile(r"^(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)[+-]?\d")
# The same without a daylight-saving part: a fixed offset in hours (POSIX counts hours west of Greenwich).
_POSIX_FIXED = re.compile(r"^(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)(?P<sign>[+-]?)(?P<hours>\d{1,2})(?::0{1,2}){0,2}$")


class TimeZoneError(Exception):
    """A time zone name that this computer does not know; the message says what to use instead."""


def zone_or_none(key: str) -> ZoneInfo | None:
    """The zone called ``key``, or None when there is no such zone (never raises, whatever the text)."""
    if not key or key != key.strip():
        return None
    try:
        return ZoneInfo(key)
    # ValueError: not a normalised relative key, a NUL byte, or a file that is not TZif; OSError: a folder or
    # an unreadable file; KeyError: ZoneInfoNotFoundError.
    except (ValueError, OSError, KeyError):
        return None


def _key_from_path(path: str) -> str | None:
    """The IANA key in /usr/share/zoneinfo/Europe/Amsterdam or (macOS) /var/db/timezone/zoneinfo/Europe/..."""
    index = path.rfind(_ZONEINFO_MARK)
    if index < 0:
        return None
    key = path[index + len(_ZONEINFO_MARK) :]
    # "posix/" holds the same data as the top level; "right/" (leap seconds) is a different clock, kept as is.
    return key.removeprefix("posix/") or None


def _zone_from_path(path: str) -> ZoneInfo | None:
    key = _key_from_path(path)
    if key is None:
        try:
            key = _key_from_path(os.path.realpath(path))
        except (OSError, ValueError):
            return None
    return zone_or_none(key) if key else None


def _zone_from_localtime() -> ZoneInfo | None:
    try:
        target = _LOCALTIME.readlink()
    except (OSError, ValueError):
        # Not a symbolic link (a copied file, as in many containers) or missing.
        return None
    return _zone_from_path(str(_LOCALTIME.parent / target))


def _zone_from_timezone_file() -> ZoneInfo | None:
    try:
        text = _TIMEZONE_FILE.read_text(encoding="utf-8", errors="replace")
    except (OSError, ValueError):
        return None
    lines = text.strip().splitlines()
    return zone_or_none(lines[0].strip()) if lines else None


def _zone_from_system_files() -> ZoneInfo:
    return _zone_from_localtime() or _zone_from_timezone_file() or ZoneInfo("UTC")


def _zone_from_posix_fixed(rule: str) -> ZoneInfo | None:
    match = _POSIX_FIXED.match(rule)
    if match is None:
        return None
    hours = int(match["hours"])
    if hours == 0:
        return ZoneInfo("UTC")
    # Etc/GMT+N uses the POSIX sign: N hours west of Greenwich. tzdata has Etc/GMT-14 .. Etc/GMT+12.
    sign = "-" if match["sign"] == "-" else "+"
    if (sign == "+" and hours > 12) or (sign == "-" and hours > 14):
        return None
    return zone_or_none(f"Etc/GMT{sign}{hours}")


def system_time_zone(environ: Mapping[str, str] | None = None) -> ZoneInfo:
    """The computer's time zone as a named zone; UTC when nothing better can be found. Never raises."""
    env = os.environ if environ is None else environ
    tz = env.get("TZ")
    if tz is None:
        return _zone_from_system_files()
    if tz == "":
        # glibc and the BSD libc read an empty TZ as UTC; follow them so we agree with `date` and the clock.
        return ZoneInfo("UTC")
    value = tz.removeprefix(":")
    if value.startswith("/"):
        return _zone_from_path(value) or _zone_from_system_files()
    zone = zone_or_none(value)
    if zone is not None:
        return zone
    if _POSIX_RULE.match(value):
        return _zone_from_posix_fixed(value) or _zone_from_system_files()
    # An unknown name: the C library then uses UTC, and so does every other program the user runs.
    return ZoneInfo("UTC")


def resolve_time_zone(setting: str, environ: Mapping[str, str] | None = None) -> ZoneInfo:
    """The zone for the ``time_zone`` setting: "system" follows the computer, anything else is an IANA name.

    Raises ``TimeZoneError`` for a name this computer does not know (settings are checked when they are read,
    so this only happens when the time zone database changed since).
    """
    if setting == SYSTEM:
        return system_time_zone(environ)
    zone = zone_or_none(setting)
    if zone is None:
        raise TimeZoneError(
            _(
                'The time zone "{name}" is not known on this computer. Use "system" or an IANA time zone '
                'name such as "Europe/Amsterdam" (middenweg config set time-zone NAME).'
            ).format(name=setting)
        )
    return zone


def zone_name(tz: ZoneInfo) -> str:
    """The zone's IANA name, as shown to people and written into exported files."""
    return tz.key or "UTC"
