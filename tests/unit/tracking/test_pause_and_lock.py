"""Pausing (remembered across restarts, seen by another process) and one tracker per data folder."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from middenweg.instance import AlreadyRunningError, InstanceLock
from middenweg.tracking.pause import FOREVER, PauseFile, pause_until

AMS = ZoneInfo("Europe/Amsterdam")
EVENING = datetime(2026, 11, 18, 21, 40, tzinfo=AMS).timestamp()


def test_pause_lengths() -> None:
    assert pause_until("15m", EVENING, AMS) == EVENING + 900
    assert pause_until("1h", EVENING, AMS) == EVENING + 3600
    assert pause_until(None, EVENING, AMS) == FOREVER
    tomorrow = datetime.fromtimestamp(pause_until("tomorrow", EVENING, AMS), AMS)
    assert (tomorrow.date().isoformat(), tomorrow.hour) == ("2026-11-19", 6)
    for bad in ("soon", "-5m", "0h", "99999h", ""):
        with pytest.raises(ValueError):
            pause_until(bad, EVENING, AMS)


def test_a_pause_survives_a_restart_and_is_seen_by_a_running_tracker(tmp_path: Path) -> None:
    tracker_view = PauseFile(tmp_path / "pause.json")
    assert not tracker_view.active(EVENING)
    PauseFile(tmp_path / "pause.json").set(EVENING + 900)  # `middenweg pause 15m` in another process
    assert tracker_view.active(EVENING + 10)
    assert not tracker_view.active(EVENING + 901)
    PauseFile(tmp_path / "pause.json").set(FOREVER)
    assert PauseFile(tmp_path / "pause.json").until() == math.inf  # a fresh process sees it too
    PauseFile(tmp_path / "pause.json").clear()
    assert not tracker_view.active(EVENING)


def test_a_damaged_pause_file_keeps_tracking_paused(tmp_path: Path) -> None:
    (tmp_path / "pause.json").write_text("{not json", encoding="utf-8")
    assert PauseFile(tmp_path / "pause.json").active(EVENING)


def test_only_one_tracker_per_data_folder_and_a_dead_one_does_not_block(tmp_path: Path) -> None:
    lock_path = tmp_path / "tracker.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\n"
         "from middenweg.instance import InstanceLock\n"
         f"lock = InstanceLock(__import__('pathlib').Path({str(lock_path)!r}), 'middenweg track --headless')\n"
         "lock.acquire()\n"
         "print('locked', flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[3] / "app")},
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunningError, match=rf"process {holder.pid}, middenweg track --headless"):
            InstanceLock(lock_path, "tray").acquire()
    finally:
        holder.kill()  # like kill -9: the lock goes with the process
        holder.wait()
    with InstanceLock(lock_path, "tray"):
        pass
