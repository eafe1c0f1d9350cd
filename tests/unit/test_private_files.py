"""Exports and the pause file: readable by the owner alone, and a failed write leaves the old file as it was."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from middenweg.private_files import replaced_privately, write_private


def test_a_written_file_is_the_owners_alone(tmp_path: Path) -> None:
    target = tmp_path / "evenings.ics"
    write_private(target, b"BEGIN:VCALENDAR\r\n")
    assert target.read_bytes() == b"BEGIN:VCALENDAR\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["evenings.ics"]


def test_a_failure_halfway_keeps_the_old_file_and_leaves_no_part_behind(tmp_path: Path) -> None:
    target = tmp_path / "week.csv"
    target.write_text("old,complete\n", encoding="utf-8")
    with pytest.raises(RuntimeError), replaced_privately(target) as out:
        out.write("new,half")
        raise RuntimeError("the disk is full")
    assert target.read_text(encoding="utf-8") == "old,complete\n"
    assert [p.name for p in tmp_path.iterdir()] == ["week.csv"]


def test_a_folder_it_cannot_write_raises_oserror_for_the_caller_to_explain(tmp_path: Path) -> None:
    missing = tmp_path / "no such folder" / "week.csv"
    with pytest.raises(OSError), replaced_privately(missing) as out:
        out.write("x")
