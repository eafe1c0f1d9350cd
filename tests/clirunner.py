"""Running the real ``python -m middenweg`` with its own home, as a person or script would (CLI and e2e tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    code: int
    out: str
    err: str


class CliRunner:
    """Runs the real ``python -m middenweg`` with its own home, the way a person or script would."""

    def __init__(self, home: Path) -> None:
        self.home = home

    def env(self, **extra: str) -> dict[str, str]:
        # QT_QPA_PLATFORM=offscreen is set for the in-process widget tests; a real process must find the real display.
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("MIDDENWEG_", "PYTEST_")) and k != "QT_QPA_PLATFORM"
        }
        env.update(MIDDENWEG_HOME=str(self.home), LANGUAGE="en", TZ="Europe/Amsterdam")
        env["PYTHONPATH"] = str(REPO / "app") + os.pathsep + env.get("PYTHONPATH", "")
        env.update(extra)
        return env

    def __call__(self, *args: str, stdin: str | None = None, **env: str) -> Result:
        proc = subprocess.run(
            [sys.executable, "-m", "middenweg", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env(**env),
            timeout=120,
            check=False,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)
