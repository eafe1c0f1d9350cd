"""The long-running processes keep PySide6's source reads and OpenSSL out of memory, and lose nothing by it.

Each check runs in a fresh interpreter: what is measured is process-wide import state.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"


def run_python(code: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(APP), "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def held_source_files_after_qt(lean: bool) -> int:
    out = run_python(
        f"""
        import linecache
        from middenweg.startup_memory import lean_long_running_process
        if {lean}:
            lean_long_running_process()
        import PySide6.QtCore
        import sqlalchemy  # a large library imported after Qt, as the tray app's storage layer is
        print(sum(1 for entry in linecache.cache.values() if len(entry) > 1))
        """
    )
    return int(out)


@pytest.mark.gui
def test_source_text_read_by_pysides_import_hook_is_not_kept() -> None:
    assert held_source_files_after_qt(lean=False) > 50  # the hook really reads them (PYSIDE-2029)
    assert held_source_files_after_qt(lean=True) == 0


def test_tracebacks_and_source_lookup_still_work() -> None:
    out = run_python(
        """
        import inspect, traceback
        from middenweg.startup_memory import lean_long_running_process
        lean_long_running_process()
        import middenweg.domain.weeks as weeks
        print(inspect.getsource(weeks.IsoWeek.parse).splitlines()[0].strip())
        try:
            weeks.IsoWeek.parse("not a week")
        except Exception:
            print("raise" in traceback.format_exc())
        """
    )
    first_line, traceback_has_source = out.split("\n")[:2]
    assert first_line == "@classmethod"
    assert traceback_has_source == "True"


def test_openssl_stays_unloaded_while_hashing_and_asyncio_work() -> None:
    out = run_python(
        """
        import sys
        from middenweg.startup_memory import lean_long_running_process
        lean_long_running_process()
        import sqlalchemy, hashlib, asyncio
        print(hashlib.sha256(b"middenweg").hexdigest())
        print(asyncio.run(asyncio.sleep(0, result="ran")))
        print("_hashlib" in sys.modules, "_ssl" in sys.modules)
        maps = open("/proc/self/maps").read()
        print("libcrypto" in maps)
        import ssl  # still importable by anything that really needs it
        print(ssl.OPENSSL_VERSION.startswith("OpenSSL"))
        """
    )
    digest, ran, loaded, mapped, ssl_works = out.split("\n")[:5]
    assert digest == "0609f16c706444aadcd2f0f4035420892f81da7951b3ce85c94086136807c595"  # sha256sum's answer
    assert ran == "ran"
    assert loaded == "False False"
    assert mapped == "False"
    assert ssl_works == "True"


def test_nothing_changes_when_asyncio_was_already_imported() -> None:
    out = run_python(
        """
        import asyncio, sys
        from middenweg.startup_memory import lean_long_running_process
        lean_long_running_process()
        print(asyncio.base_events.ssl is not None)
        """
    )
    assert out.strip() == "True"
