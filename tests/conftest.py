"""Shared fixtures: a private Middenweg home per test, a real SQLite store, and the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from middenweg import i18n
from middenweg.storage.store import Store

REPO = Path(__file__).resolve().parent.parent
pytest_plugins = ["desktop"]


@pytest.fixture(autouse=True)
def _english_and_isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Each test starts in English with its own MIDDENWEG_HOME, whatever the machine's locale."""
    monkeypatch.setenv("MIDDENWEG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    i18n.activate("en")
    yield
    i18n.activate("en")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "db" / "middenweg.sqlite3")
    yield s
    s.close()


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[CliRunner]:
    yield CliRunner(tmp_path / "home")


class CliRunner:
    """Runs the real ``python -m middenweg`` with its own home, the way a person or script would."""

    def __init__(self, home: Path) -> None:
        self.home = home

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MIDDENWEG_", "PYTEST_"))}
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
