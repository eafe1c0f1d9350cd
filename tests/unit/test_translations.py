"""Every user-visible string has a Dutch translation, and the shipped .mo is the compiled nl.po."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from middenweg import i18n

ROOT = Path(__file__).resolve().parents[2]


def _catalog_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("catalog", ROOT / "resources" / "i18n" / "catalog.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalog"] = module
    spec.loader.exec_module(module)
    return module


def test_the_dutch_catalogue_is_complete_and_compiled() -> None:
    problems = _catalog_tool().problems()
    assert problems == [], "\n".join(problems[:40])


def test_dutch_is_spoken_when_asked() -> None:
    i18n.activate("nl")
    assert i18n._("Social") == "Sociaal"
    assert i18n.active_language() == "nl"
    i18n.activate("en")
    assert i18n._("Social") == "Social"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "nl_NL.UTF-8"}, "nl"),
        ({"LANG": "nl_BE.UTF-8"}, "nl"),
        ({"LANGUAGE": "fr:nl", "LANG": "fr_FR.UTF-8"}, "nl"),
        ({"LC_ALL": "C"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_system_locale_picks_the_language(environ: dict[str, str], expected: str) -> None:
    assert i18n.system_language(environ) == expected
    assert i18n.resolve_language("system", environ) == expected
    assert i18n.resolve_language("en", environ) == "en"
