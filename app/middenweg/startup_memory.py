"""Two things the long-running processes (tray app, headless tracker) load but never use, kept out of memory.

- **Source text kept by PySide6's import hook.** Once PySide6 is imported, it reads the source of every module
  imported after it (``inspect.getsource``, looking for the word "PySide6"; PYSIDE-2029), and ``linecache`` keeps
  that text for the life of the process: about 15 MB for the storage layer at start-up and 20 MB more when
  matplotlib loads for the first chart. Freeing it afterwards gives little back (the text is interleaved with the
  modules' own objects), so it is never stored. Tracebacks still show source lines: ``linecache`` reads the file
  again when asked.
- **OpenSSL.** SQLAlchemy imports asyncio, which imports ``ssl`` when it can, and ``hashlib`` prefers OpenSSL's
  hash functions: together 6 MB for a program that makes no network connections and hashes a few short strings.
  Both modules are built to work without OpenSSL (Python builds without it exist: asyncio then has no TLS, hashlib
  uses Python's own SHA-2), so they are imported while it is unavailable; ``ssl`` itself stays importable.

Measured on the tray app before its dashboard was opened: 112 MB → 91 MB resident (``benchmarks/app.py``).
"""

from __future__ import annotations

import importlib
import linecache
import sys
from typing import Any


class _LazyEntriesOnly(dict[str, Any]):
    """A ``linecache.cache`` that keeps lazy entries (a loader, no text) and forgets the source text it is given."""

    def __setitem__(self, filename: str, entry: Any) -> None:
        if isinstance(entry, tuple) and len(entry) == 1:  # lazycache(): updatecache() reads it right back
            super().__setitem__(filename, entry)


def keep_no_source_text() -> None:
    """Read source text on demand, never hold it (for this whole process)."""
    if not isinstance(linecache.cache, _LazyEntriesOnly):
        lazy = {name: entry for name, entry in linecache.cache.items() if len(entry) == 1}
        linecache.cache = _LazyEntriesOnly(lazy)


def _import_without(module: str, optional: str) -> None:
    """Import ``module`` while its optional dependency ``optional`` is unavailable, unless either is loaded."""
    if module in sys.modules or optional in sys.modules:
        return
    sys.modules[optional] = None  # type: ignore[assignment]  # makes `import optional` raise ImportError
    try:
        importlib.import_module(module)
    finally:
        del sys.modules[optional]


def without_openssl() -> None:
    """asyncio without TLS, hashlib with Python's own hash functions: OpenSSL stays unloaded."""
    _import_without("asyncio", "ssl")
    _import_without("hashlib", "_hashlib")


def lean_long_running_process() -> None:
    """Call first thing in a process that will run all day (before Qt, SQLAlchemy or asyncio are imported)."""
    keep_no_source_text()
    without_openssl()
