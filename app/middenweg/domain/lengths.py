"""The most characters each stored text may have: the one place the schema and every check take their lengths from.

SQLite ignores the length of a VARCHAR column and PostgreSQL enforces it, so a value only SQLite accepts would make
the same history fail on a shared server. Text a person types is checked against these numbers where it is typed
(and refused with a message that names the limit); text a window or a file supplies is shortened with ``shorten``
before it is stored, so every engine stores exactly the same thing. Lengths count characters (code points), as
PostgreSQL does. Standard library only; changing a number here needs a migration.
"""

from __future__ import annotations

from typing import Final

#: A device's stable id: a UUID written out (``uuid4()``).
DEVICE_UID: Final = 36
#: How an import finds a device again: a host name, or one with a prefix such as "android:" or "sync:".
DEVICE_HOST_KEY: Final = 300
DEVICE_NAME: Final = 200
#: A name a person gives this computer (the ``device-name`` setting): shorter than the column, so that it fits on a
#: line of a report; imports may bring names up to ``DEVICE_NAME``.
GIVEN_DEVICE_NAME: Final = 64
DEVICE_KIND: Final = 16
APP_NAME: Final = 200
#: The name a window is listed under in "top apps and sites" (from a rule, or the app name).
LABEL: Final = 200
CATEGORY: Final = 16
EVENING_TITLE: Final = 200
EVENING_KIND: Final = 16
#: An IANA time zone name; the longest in use today ("America/Argentina/ComodRivadavia") has 32.
TIME_ZONE: Final = 64
CHECKIN_RESULT: Final = 8
GOAL_NAME: Final = 32
META_KEY: Final = 64
#: What a shown reminder or nudge is remembered by (an evening, a date, a period).
DELIVERED_KEY: Final = 120

ELLIPSIS: Final = "\u2026"


def shorten(text: str, limit: int) -> str:
    """``text`` when it has at most ``limit`` characters, else its start ending in "…", exactly ``limit`` long or
    less (spaces before the "…" are dropped). The same text always gives the same result."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS
