"""Where the D-Bus session bus is: one answer for every part that talks to it (media players, notifications).

Standard library only; it reads the environment and looks for a socket file, nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def session_bus_address(environ: Mapping[str, str] | None = None) -> str | None:
    """DBUS_SESSION_BUS_ADDRESS, else libdbus's own fallback: the per-user bus that systemd (and dbus-user-session)
    puts in XDG_RUNTIME_DIR; None when there is neither."""
    env = os.environ if environ is None else environ
    address = env.get("DBUS_SESSION_BUS_ADDRESS", "")
    if address:
        return address
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if runtime and (Path(runtime) / "bus").exists():
        return f"unix:path={Path(runtime) / 'bus'}"
    return None
