"""Running an installed Middenweg (a wheel in a fresh virtual environment, a PyInstaller build) the way a person
would: its own program, its own home, none of this checkout on the import path.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop import Desktop, stop_process, wait_until

REPO = Path(__file__).resolve().parents[2]
AW_EXPORT = REPO / "tests" / "unit" / "interchange" / "data" / "python_server_export.json"
#: The ISO week of AW_EXPORT's events (2026-03-10).
AW_WEEK = "2026-W11"
#: What Qt prints when an icon (SVG, through the imageformats/iconengines plugins) could not be loaded.
NO_ICON = "No Icon set"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """This environment without anything that would put the checkout or the test run into the program."""
    dropped = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in dropped and not k.startswith(("MIDDENWEG_", "PYTEST_", "DBUS_SESSION"))
    }
    env.update(MIDDENWEG_HOME=str(home), LANGUAGE="en", TZ="Europe/Amsterdam", PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


@dataclass
class Ran:
    code: int
    out: str
    err: str


def run(argv: list[str], env: dict[str, str], cwd: Path, timeout: float = 120) -> Ran:
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout, check=False)
    return Ran(done.returncode, done.stdout, done.stderr)


def probe_json(program: list[str], env: dict[str, str], cwd: Path) -> dict[str, Any]:
    """``probe --json``: exit 0 (a probe answered) or 3 (none could, e.g. no display), and JSON either way."""
    done = run([*program, "probe", "--json"], env, cwd)
    assert done.code in (0, 3), done.err
    data = json.loads(done.out)
    assert isinstance(data, dict) and "attempts" in data, data
    return data


def window_class(desktop: Desktop, window_id: int) -> tuple[str, str]:
    from Xlib import display as xdisplay

    conn = xdisplay.Display(desktop.display)
    try:
        wm_class = conn.create_resource_object("window", window_id).get_wm_class()
    finally:
        conn.close()
    assert wm_class is not None
    return wm_class[0], wm_class[1]


@dataclass
class TrayRun:
    log: str
    dashboard_class: tuple[str, str]


def run_tray(program: list[str], args: list[str], desktop: Desktop, env: dict[str, str], log: Path) -> TrayRun:
    """Start the tray app (``program`` + ``args``) on ``desktop``, wait for the tray icon and the dashboard (opened by
    ``args`` or by a second launch of ``program dashboard``), read the dashboard's WM_CLASS, and quit with SIGTERM,
    which must end the app with exit code 0."""
    env = {**env, **desktop.env()}
    process = subprocess.Popen(
        [*program, *args],
        env=env,
        cwd=log.parent,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until(lambda: "running in the system tray" in log.read_text(), "the tray icon", timeout=60)
        if "demo" not in args:
            second = run([*program, "dashboard"], env, log.parent)
            assert second.code == 0 and "already running" in second.out, second
        found = wait_until(
            lambda: desktop.xdotool("search", "--onlyvisible", "--name", "Your week").split(), "the dashboard", 60
        )
        dashboard_class = window_class(desktop, int(found[0]))
    finally:
        stop_process(process, sig=signal.SIGTERM, timeout=15)
    text = log.read_text()
    assert process.returncode == 0, text
    return TrayRun(text, dashboard_class)
