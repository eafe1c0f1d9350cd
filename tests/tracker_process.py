"""The real ``middenweg track --headless`` process of the end-to-end tests (X11 and Wayland alike), and the seconds
it stored, per category, read back through the CLI.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Self

from clirunner import CliRunner
from desktop import DesktopError, stop_process, wait_until

#: What the headless tracker prints once it ticks (the "Stop with Ctrl+C" line), in English (CliRunner sets it).
READY = "Ctrl+C"


class Tracker:
    """``middenweg track --headless --interval INTERVAL [args]`` with ``env``; its stdout and stderr go to one log
    file (``tracker.log`` beside the CLI's home unless ``log`` is given). With ``wait`` the constructor returns once
    the tracker says it runs; as a context manager it is killed at the end, so a failing test never leaves one."""

    def __init__(
        self,
        cli: CliRunner,
        env: dict[str, str],
        *args: str,
        interval: float = 0.5,
        log: Path | None = None,
        wait: bool = True,
        preexec_fn: Callable[[], None] | None = None,
    ) -> None:
        self.log = log or cli.home.parent / "tracker.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log_handle = self.log.open("w")
        self.spawned = time.time()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "middenweg", "track", "--headless", "--interval", str(interval), *args],
            env=env,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=preexec_fn,
        )
        self.ready_at: float | None = None
        if wait:
            try:
                self.wait_ready()
            except BaseException:
                self.kill()
                raise

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        stop_process(self.process, sig=signal.SIGKILL)
        self._log_handle.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def is_ready(self) -> bool:
        """True once the tracker said it keeps track (remembering when this test first saw it)."""
        if self.ready_at is None and READY in self.output():
            self.ready_at = time.time()
        return self.ready_at is not None

    def wait_ready(self, timeout: float = 30) -> float:
        def ready_or_dead() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"the tracker exited ({self.process.returncode}):\n{self.output()}")
            return self.is_ready()

        try:
            wait_until(ready_or_dead, "the tracker to start", timeout=timeout)
        except DesktopError as exc:
            raise DesktopError(f"{exc} Its output so far:\n{self.output()}") from None
        assert self.ready_at is not None
        return self.ready_at

    def kill(self) -> float:
        """SIGKILL (kill -9) now; returns the moment it was sent."""
        moment = time.time()
        stop_process(self.process, sig=signal.SIGKILL)
        self._log_handle.close()
        return moment

    def stop(self, sig: int = signal.SIGINT) -> int:
        """Stop it with ``sig`` (Ctrl+C by default; SIGTERM is a logout): a last write, then exit; its exit code."""
        stop_process(self.process, sig=sig, timeout=15)
        self._log_handle.close()
        return self.process.returncode


def seconds_by_category(cli: CliRunner) -> dict[str, int]:
    """The seconds stored per category (social, messaging, other), read back through ``middenweg export``."""
    result = cli("export", "--format", "json")
    assert result.code == 0, result.err
    totals = {"social": 0, "messaging": 0, "other": 0}
    for event in json.loads(result.out)["events"]:
        totals[event["category"]] += event["duration"]
    return totals
