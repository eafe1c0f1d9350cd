"""What the stand-ins of these tests share: the Unix socket the stand-in compositors serve (sway's IPC, hyprctl, a
Wayland display), and the factory a fixture hands to its tests to start stand-ins that all stop at teardown.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar


class _Stoppable(Protocol):
    def stop(self) -> None: ...


S = TypeVar("S", bound=_Stoppable)


def each_stopped(start: Callable[..., S]) -> Iterator[Callable[..., S]]:
    """For a fixture to ``yield from``: a factory that calls ``start(number, ...)`` (0, 1, ... in the order the test
    starts them, for a folder or socket of their own) and stops what it started at teardown, in the same order."""
    started: list[S] = []

    def factory(*args: Any, **kwargs: Any) -> S:
        standin = start(len(started), *args, **kwargs)
        started.append(standin)
        return standin

    yield factory
    for standin in started:
        standin.stop()


class StandInSocket:
    """Listen at ``path`` and hand each connection to ``_talk`` on a daemon thread, one at a time; the connection is
    closed when ``_talk`` returns. ``stop()`` sets ``_stop``: a ``_talk`` that waits watches it, and ``_received``
    gives what the client sends until then.

    Serving starts in ``__init__``, so a subclass sets what ``_talk`` reads before it calls ``super().__init__``.
    """

    def __init__(self, path: Path, *, backlog: int) -> None:
        self.path = path
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(str(path))
        self._server.listen(backlog)
        self._server.settimeout(0.05)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            with conn:
                self._talk(conn)

    def _talk(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def _received(self, conn: socket.socket) -> Iterator[bytes]:
        """What the client sends on ``conn``, piece by piece, until it closes or breaks the connection or ``stop()``
        is called (``conn`` waits at most 0.05 s at a time, so a stop is seen soon)."""
        conn.settimeout(0.05)
        while not self._stop.is_set():
            try:
                chunk = conn.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            if not chunk:
                return
            yield chunk

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._server.close()
