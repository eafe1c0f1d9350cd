"""pytest plugin (``-p block_qt``): make PySide6 unimportable, as on a machine where it is not installed.

The core must work without Qt (DESIGN.md: only gui/ imports PySide6); this proves it at run time, beside the
import-linter contract that proves it statically.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from types import ModuleType

BLOCKED = ("PySide6", "shiboken6")


class _BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> None:
        if fullname.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {fullname!r} (blocked by block_qt)", name=fullname)
        return


def pytest_configure() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED:
            del sys.modules[name]
    sys.meta_path.insert(0, _BlockQt())
