"""Files Middenweg writes for the person (exports, calendars, the pause): readable by them alone, whole or not at all.

A temporary file beside the target (mode 0600 from its creation, never wider for a moment) is renamed over the
target only when everything was written, so a full disk or a crash leaves the old file as it was and no half file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def replaced_privately(path: Path, *, binary: bool = False, suffix: str = ".part") -> Iterator[IO[Any]]:
    """Open a private temporary file to write ``path``'s new content; it replaces ``path`` when the block ends
    without an exception, and is removed otherwise (the exception goes on)."""
    tmp = path.with_name(path.name + suffix)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        if binary:
            with open(fd, "wb") as out:
                yield out
        else:
            with open(fd, "w", encoding="utf-8", newline="") as text:
                yield text
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through `replaced_privately`."""
    with replaced_privately(path, binary=True) as out:
        out.write(data)
