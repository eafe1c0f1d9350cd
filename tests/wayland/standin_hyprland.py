"""A stand-in for Hyprland's hyprctl socket, NOT Hyprland (which cannot run here: no GPU, no Debian 12 package).

It answers as Hyprland's ``src/debug/HyprCtl.cpp`` does (hyprwm/Hyprland): one request per connection, read in
1023-byte pieces; ``j/activewindow`` answered by ``activeWindowRequest``: ``{}`` when no window is mapped and focused,
else ``getWindowData`` in its JSON form (the format string below is that function's, with its trailing comma popped),
then the connection is closed. The socket is ``$XDG_RUNTIME_DIR/hypr/$SIGNATURE/.socket.sock`` (``hyprctl/main.cpp``,
``getRuntimeDir``), ``/tmp/hypr/$SIGNATURE/.socket.sock`` in older releases. The ``hypr`` fixture (conftest.py) makes
an instance per test.
"""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass, field
from pathlib import Path

from standins import StandInSocket

from middenweg.tracking.platforms.wlroots import CALL_TIMEOUT

# -- recorded answers ---------------------------------------------------------------------------------------------

# CHyprCtl::getWindowData, FORMAT_JSON (src/debug/HyprCtl.cpp), as std::format writes it: "{{" is "{".
_WINDOW_DATA = """{{
    "address": "0x{address:x}",
    "mapped": true,
    "hidden": false,
    "at": [10, 40],
    "size": [1260, 670],
    "workspace": {{
        "id": 1,
        "name": "1"
    }},
    "floating": false,
    "pseudo": false,
    "monitor": 0,
    "class": "{klass}",
    "title": "{title}",
    "initialClass": "{initial_class}",
    "initialTitle": "{initial_title}",
    "pid": {pid},
    "xwayland": {xwayland},
    "pinned": false,
    "fullscreen": 0,
    "fullscreenClient": 0,
    "grouped": [],
    "tags": [],
    "swallowing": "0x0",
    "focusHistoryID": 0
}},"""


_SHORT_ESCAPES = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(text: str) -> str:
    """Hyprland's escapeJSONStrings: quotes, backslashes and control characters escaped, everything else as is."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20:
            out.append(_SHORT_ESCAPES.get(char, f"\\u{ord(char):04x}"))
        else:
            out.append(char)
    return "".join(out)


def active_window_answer(
    klass: str, title: str, pid: int, *, xwayland: bool = False, initial_class: str | None = None
) -> bytes:
    """activeWindowRequest for a mapped window: getWindowData's JSON with its trailing comma popped."""
    data = _WINDOW_DATA.format(
        address=0x55D1C0A0B2C0,
        klass=_escape(klass),
        title=_escape(title),
        initial_class=_escape(klass if initial_class is None else initial_class),
        initial_title=_escape(title),
        pid=pid,
        xwayland="true" if xwayland else "false",
    )
    return data[:-1].encode()


NO_WINDOW = b"{}"  # activeWindowRequest when no window is mapped and focused


# -- the stand-in hyprctl socket ----------------------------------------------------------------------------------


class StandInHyprland(StandInSocket):
    """A stand-in for Hyprland's hyprctl socket, NOT Hyprland: each connection's request is recorded and answered
    with ``answer`` (bytes; None: close without a word; b"": keep the connection open and say nothing)."""

    def __init__(self, path: Path, answer: bytes | None) -> None:
        self.answer = answer
        self.requests: list[bytes] = []
        path.parent.mkdir(parents=True, exist_ok=True)
        super().__init__(path, backlog=10)  # "10 max queued", as Hyprland's

    def _talk(self, conn: socket.socket) -> None:
        request = b""
        while True:  # hyprCtlFDTick: read 1023 bytes at a time until a shorter read
            piece = conn.recv(1023)
            request += piece
            if len(piece) < 1023:
                break
        self.requests.append(request)
        if self.answer is None:
            return
        if not self.answer:
            self._stop.wait(2 * CALL_TIMEOUT + 0.5)
            return
        conn.sendall(self.answer)

    def stop(self) -> None:
        super().stop()
        with contextlib.suppress(OSError):
            self.path.unlink()


@dataclass
class Hypr:
    """A stand-in Hyprland instance: its signature, its runtime folder, and ``start(answer, old_place=False)``."""

    signature: str
    runtime: Path
    servers: list[StandInHyprland] = field(default_factory=list)

    @property
    def environ(self) -> dict[str, str]:
        return {"HYPRLAND_INSTANCE_SIGNATURE": self.signature, "XDG_RUNTIME_DIR": str(self.runtime)}

    def socket_path(self, old_place: bool = False) -> Path:
        base = Path("/tmp/hypr") if old_place else self.runtime / "hypr"
        return base / self.signature / ".socket.sock"

    def start(self, answer: bytes | None, *, old_place: bool = False) -> StandInHyprland:
        server = StandInHyprland(self.socket_path(old_place), answer)
        self.servers.append(server)
        return server
