"""Shared fixtures: a private Middenweg home per test, a real SQLite store, and the real CLI in a subprocess."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clirunner import CliRunner
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


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[CliRunner]:
    yield CliRunner(tmp_path / "home")
