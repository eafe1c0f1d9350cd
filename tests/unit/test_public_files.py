"""Files for the desktop to read (autostart and menu entries, icons): 0644 whatever the umask, whole or not at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from middenweg.public_files import write_public


def test_the_file_and_its_missing_folders_are_made_readable_by_the_desktop(tmp_path: Path) -> None:
    target = tmp_path / "applications" / "nl.middenweg.Middenweg.desktop"
    old_umask = os.umask(0o077)
    try:
        write_public(target, b"[Desktop Entry]\n")
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == b"[Desktop Entry]\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert os.listdir(target.parent) == [target.name]  # the temporary file was renamed, not left beside it


def test_a_place_it_cannot_write_raises_oserror_and_leaves_nothing_behind(tmp_path: Path) -> None:
    taken = tmp_path / "middenweg.desktop"
    taken.mkdir()  # a folder where the file should go: fails as root too
    with pytest.raises(OSError):
        write_public(taken, b"[Desktop Entry]\n")
    assert os.listdir(tmp_path) == [taken.name]
