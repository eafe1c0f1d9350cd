"""Files Middenweg writes for the desktop to read (the autostart entry, the application menu entry, its icons and
metainfo): mode 0644, whole or not at all.

A temporary file beside the target is renamed over it only when everything was written and synced, so a full disk
or a crash leaves the old file as it was and no half file. Nothing private may go through here (exports, the pause
and the like go through `middenweg.private_files`, mode 0600); this module never decides where a file goes and
raises OSError for its callers to turn into their own error.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

__all__ = ["write_public"]


def write_public(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (its folders are made when missing), mode 0644; raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temp name must not end in .desktop, .plist, .xml or .png: the desktop scans these folders for those.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes 0600; desktop entries and icons are conventionally 0644, and nothing secret is in them.
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
