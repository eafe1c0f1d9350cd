"""Handing a request to an already running Middenweg, before anything heavy is loaded.

Only QtCore and QtNetwork are imported here (no widgets, no database), so `middenweg dashboard` with the app already
running costs a fraction of a second. The channel is a per-user local socket (a Unix socket or named pipe), never
a TCP port. Only the same user may use it (#9): the socket is made readable by its user alone
(QLocalServer.UserAccessOption), it lives in the user's own runtime folder where there is one, so that no other
account can take its name first, and on Linux both ends check who the other is (SO_PEERCRED) before a word is said.
"""

from __future__ import annotations

import hashlib
import os
import socket as sockets
import stat
import struct
import sys
from pathlib import Path

from PySide6.QtNetwork import QLocalSocket

#: A Unix socket path must fit in sockaddr_un (108 bytes on Linux, 104 on macOS).
_MAX_SOCKET_PATH = 100


def server_name(data_dir: Path) -> str:
    """A per-user, per-data-folder local socket: a path in $XDG_RUNTIME_DIR when that folder is this user's alone,
    else a name Qt puts in the temporary folder."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime) and _private_folder(runtime):
        path = os.path.join(runtime, f"middenweg-{digest}")
        if len(os.fsencode(path)) <= _MAX_SOCKET_PATH:
            return path
    user = os.environ.get("USER") or os.environ.get("USERNAME") or str(os.getuid() if hasattr(os, "getuid") else "")
    return f"middenweg-{user}-{digest}"


def _private_folder(folder: str) -> bool:
    """Whether ``folder`` is a folder of this user that no one else may write to (nor read)."""
    if not hasattr(os, "getuid"):
        return False
    try:
        info = os.stat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def same_user(socket: QLocalSocket) -> bool:
    """Whether the process at the other end of the connected ``socket`` runs as this user.

    Linux tells (SO_PEERCRED); elsewhere True, and the socket's own access rights are the guard.
    """
    if not sys.platform.startswith("linux"):
        return True
    descriptor = int(socket.socketDescriptor())
    if descriptor < 0:
        return False
    try:
        with sockets.socket(fileno=os.dup(descriptor)) as peer:
            credentials = peer.getsockopt(sockets.SOL_SOCKET, sockets.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return False
    uid: int = struct.unpack("3i", credentials)[1]  # struct ucred: pid, uid, gid
    return uid == os.getuid()


def ask_running_instance(name: str, message: str, timeout_ms: int = 1500) -> bool:
    """True when a running Middenweg of this user took ``message`` (e.g. "dashboard 2026-W44")."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    if not same_user(socket):
        # Another account listens under this name: it gets no request and has no say over whether we start.
        socket.abort()
        return False
    socket.write(message.encode("utf-8") + b"\n")
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    answered = socket.waitForReadyRead(timeout_ms) and bytes(socket.readAll().data()).startswith(b"ok")
    socket.disconnectFromServer()
    return answered
