"""Faults for the reliability tests (issue 9): a small tmpfs that fills up, a read-only bind mount, and the real
tracker process on a real X server, started, killed with SIGKILL or stopped like a logout.

Mounting needs root (root ignores file modes, so a read-only *mount* is the only way to make a folder read-only for
it); ``require_root`` skips with the reason otherwise. Every mount made here is undone on exit, lazily if a process
still holds it, so a failing test never leaves a mount behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import tracker_process
from clirunner import CliRunner
from desktop import Desktop


def require_root() -> None:
    """Skip unless this test may mount file systems (root, with mount and umount installed)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs or a read-only bind mount needs root (root ignores file modes otherwise)")
    for program in ("mount", "umount"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed (apt-get install mount)")


def _run(*argv: str) -> None:
    done = subprocess.run(list(argv), capture_output=True, text=True, check=False, timeout=30)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")


def _unmount(where: Path) -> None:
    try:
        _run("umount", str(where))
    except RuntimeError:
        _run("umount", "-l", str(where))  # something still holds it: detach now, free when let go


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` (e.g. "4m") mounted at ``where`` (made if missing) for the duration of the block."""
    require_root()
    where.mkdir(parents=True, exist_ok=True)
    _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where))
    try:
        yield where
    finally:
        _unmount(where)


class ReadOnlySwitch:
    """``folder`` bind-mounted on itself, so it can be made read-only and writable again while programs use it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def read_only(self) -> None:
        _run("mount", "-o", "remount,ro,bind", str(self.folder))

    def writable(self) -> None:
        _run("mount", "-o", "remount,rw,bind", str(self.folder))


@contextlib.contextmanager
def bind_mount(folder: Path, *, read_only: bool = True) -> Iterator[ReadOnlySwitch]:
    """``folder`` as a bind mount of itself, read-only from the start unless ``read_only`` is False."""
    require_root()
    _run("mount", "--bind", str(folder), str(folder))
    switch = ReadOnlySwitch(folder)
    try:
        if read_only:
            switch.read_only()
        yield switch
    finally:
        _unmount(folder)


def fill(folder: Path) -> Path:
    """Write zeros into ``folder/filler`` until the disk is full; returns the file (delete it to free the space)."""
    filler = folder / "filler"
    block = b"\0" * 65536
    with filler.open("wb", buffering=0) as out:
        while True:
            try:
                out.write(block)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
    with contextlib.suppress(OSError), filler.open("ab", buffering=0) as out:
        while out.write(b"\0"):  # the last bytes of a partial block
            pass
    return filler


def tree_digest(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: what "no existing data was overwritten" is checked against."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _die_with_parent() -> None:
    """In the child before exec: SIGKILL when the test process dies, so no tracker outlives a failed test run."""
    import ctypes

    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


class Tracker(tracker_process.Tracker):
    """``middenweg track --headless`` as a real process on ``desktop`` (its bus too), dying with the test process.
    Nobody types during these tests: an hour before "away" keeps the window counted all the time. ``stop`` is a
    logout (SIGTERM)."""

    def __init__(
        self,
        cli: CliRunner,
        desktop: Desktop,
        *,
        flush_interval: float = 1.0,
        interval: float = 1.0,
        log: Path | None = None,
        wait: bool = True,
    ) -> None:
        bus = {k: v for k, v in desktop.env().items() if k.startswith("DBUS")}
        super().__init__(
            cli,
            cli.env(DISPLAY=desktop.display, **bus),
            *("--flush-interval", str(flush_interval), "--idle-after", "3600"),
            interval=interval,
            log=log,
            wait=wait,
            preexec_fn=_die_with_parent,
        )

    def stop(self, sig: int = signal.SIGTERM) -> int:
        return super().stop(sig)
