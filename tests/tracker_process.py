"""The real ``middenweg track --headless`` process of the end-to-end tests (X11 and Wayland alike), and the seconds
it stored, per category, read back through the CLI.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys

from clirunner import CliRunner
from desktop import stop_process, wait_until


class Tracker:
    """``middenweg track --headless --interval 0.5 [args]`` with ``env``, its output in ``tracker.log`` beside the
    CLI's home; the constructor returns once the tracker says it runs (it tells how to stop it with Ctrl+C)."""

    def __init__(self, cli: CliRunner, env: dict[str, str], *args: str) -> None:
        self.log = cli.home.parent / "tracker.log"
        self.log_handle = self.log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "middenweg", "track", "--headless", "--interval", "0.5", *args],
            env=env,
            stdout=self.log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(lambda: "Ctrl+C" in self.log.read_text(), "the tracker to start", timeout=20)

    def stop(self, sig: int = signal.SIGINT) -> int:
        """Stop it with ``sig`` (Ctrl+C by default); its exit code."""
        stop_process(self.process, sig=sig, timeout=10)
        self.log_handle.close()
        return self.process.returncode


def seconds_by_category(cli: CliRunner) -> dict[str, int]:
    """The seconds stored per category (social, messaging, other), read back through ``middenweg export``."""
    result = cli("export", "--format", "json")
    assert result.code == 0, result.err
    totals = {"social": 0, "messaging": 0, "other": 0}
    for event in json.loads(result.out)["events"]:
        totals[event["category"]] += event["duration"]
    return totals
