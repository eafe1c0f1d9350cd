"""Handing a request to an already running Middenweg, before anything heavy is loaded.

Only QtCore and QtNetwork are imported here (no widgets, no database), so `middenweg dashboard` with the app already
running costs a fraction of a second. The channel is a per-user local socket (a Unix socket or named pipe), never
a TCP port.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtNetwork import QLocalSocket


def server_name(data_dir: Path) -> str:
    """A per-user, per-data-folder local socket name."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    user = os.environ.get("USER") or os.environ.get("USERNAME") or str(os.getuid() if hasattr(os, "getuid") else "")
    return f"middenweg-{user}-{digest}"


def ask_running_instance(name: str, message: str, timeout_ms: int = 1500) -> bool:
    """True when a running Middenweg took ``message`` (e.g. "dashboard 2026-W44")."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(message.encode("utf-8") + b"\n")
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    answered = socket.waitForReadyRead(timeout_ms) and bytes(socket.readAll().data()).startswith(b"ok")
    socket.disconnectFromServer()
    return answered
