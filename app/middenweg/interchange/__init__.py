"""Files exchanged with other programs and other Middenweg homes: ActivityWatch exports, Middenweg's own export.

Pure: bytes and text in, frozen dataclasses out (and back). Nothing here touches the database, the GUI or the
network; callers do the storing.
"""

from middenweg.interchange.errors import Error, ImportFormatError

__all__ = ["Error", "ImportFormatError"]
