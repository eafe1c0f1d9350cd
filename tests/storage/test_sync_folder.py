"""Two computers ("homes"), each with its own SQLite file, sharing one sync folder as Syncthing would keep it: each
sees the combined week to the second, with each device's share; reading twice counts once; the faults a sync tool
brings (conflicted copies, old versions, files from a newer Middenweg, damaged or missing files) are reported and
never touch what was read before."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from middenweg import phone_entries, sync_folder
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.domain.weeks import IsoWeek
from middenweg.history import weekly_report
from middenweg.storage.records import DeviceRecord, DeviceSpec
from middenweg.storage.store import Store
from middenweg.sync_folder import SyncResult, sync

AMS = ZoneInfo("Europe/Amsterdam")
WEEK = IsoWeek(2026, 48)  # Monday 23 to Sunday 29 November 2026
NOW = int(datetime(2026, 11, 30, 12, 0, tzinfo=AMS).timestamp())


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=AMS).timestamp())


def event(start: str, seconds: int, category: Category, label: str) -> UsageEvent:
    return UsageEvent(at(start), seconds, label, None, category, label)


@dataclass
class Home:
    store: Store
    device: DeviceRecord

    def sync(self, folder: Path, now: int = NOW) -> SyncResult:
        return sync(self.store, folder, home=self.device, tz=AMS, now=now)

    def totals(self) -> dict[str, int]:
        report = weekly_report(self.store, WEEK, AMS, None)
        return {c.value: report.totals.get(c) for c in Category}

    def shares(self) -> dict[str, dict[str, int]]:
        report = weekly_report(self.store, WEEK, AMS, None)
        return {d.name: {c.value: d.totals.get(c) for c in Category} for d in report.devices}


def make_home(tmp_path: Path, name: str, host: str) -> Iterator[Home]:
    store = Store.open(tmp_path / name / "middenweg.sqlite3")
    yield Home(store, store.ensure_device(DeviceSpec(host, name, DeviceKind.COMPUTER)))
    store.close()


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Home]:
    yield from make_home(tmp_path, "Laptop", "same-host")  # the same host name on both: only uids tell them apart


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Home]:
    yield from make_home(tmp_path, "Desktop", "same-host")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "Sync" / "middenweg"


@pytest.fixture
def used(laptop: Home, desktop: Home) -> None:
    laptop.store.add_events(
        laptop.device,
        [
            event("2026-11-23T20:00:00", 3601, Category.SOCIAL, "YouTube"),
            event("2026-11-24T21:00:00", 1234, Category.MESSAGING, "WhatsApp"),
        ],
    )
    desktop.store.add_events(
        desktop.device,
        [
            event("2026-11-25T09:00:00", 7200, Category.OTHER, "Code"),
            event("2026-11-25T12:00:00", 905, Category.SOCIAL, "Reddit"),
        ],
    )


def both_ways(laptop: Home, desktop: Home, folder: Path) -> None:
    for home in (laptop, desktop, laptop):
        assert home.sync(folder).problems == []


@pytest.mark.usefixtures("used")
def test_each_home_sees_the_combined_week_to_the_second_with_each_devices_share(
    laptop: Home, desktop: Home, folder: Path
) -> None:
    both_ways(laptop, desktop, folder)
    combined = {"social": 3601 + 905, "messaging": 1234, "other": 7200}
    assert laptop.totals() == desktop.totals() == combined
    shares = {
        "Laptop": {"social": 3601, "messaging": 1234, "other": 0},
        "Desktop": {"social": 905, "messaging": 0, "other": 7200},
    }
    assert laptop.shares() == desktop.shares() == shares
    # Each home wrote only its own folder, one file per month.
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.json.gz")) == sorted(
        [f"{laptop.device.uid}/2026-11.json.gz", f"{desktop.device.uid}/2026-11.json.gz"]
    )


@pytest.mark.usefixtures("used")
def test_reading_again_counts_once_and_new_time_replaces_the_old_copy(
    laptop: Home, desktop: Home, folder: Path
) -> None:
    both_ways(laptop, desktop, folder)
    assert desktop.sync(folder).written == []  # nothing changed: nothing written
    assert laptop.sync(folder).read == []  # and nothing read again
    before = laptop.totals()
    desktop.store.add_events(desktop.device, [event("2026-11-26T10:00:00", 600, Category.MESSAGING, "Slack")])
    assert len(desktop.sync(folder).written) == 1
    assert laptop.sync(folder).read == ["Desktop: 2026-11"]
    assert laptop.totals() == before | {"messaging": before["messaging"] + 600}
    laptop.sync(folder)
    assert laptop.totals() == before | {"messaging": before["messaging"] + 600}  # not doubled


@pytest.mark.usefixtures("used")
def test_forgotten_time_goes_on_the_other_computer_too(laptop: Home, desktop: Home, folder: Path) -> None:
    both_ways(laptop, desktop, folder)
    desktop.store.forget(at("2026-11-25T00:00:00"), at("2026-11-26T00:00:00"))
    desktop.sync(folder)
    laptop.sync(folder)
    assert laptop.totals() == {"social": 3601, "messaging": 1234, "other": 0}


def test_time_across_a_month_boundary_is_kept_exactly(laptop: Home, desktop: Home, folder: Path) -> None:
    # 30 November 23:30 to 1 December 01:30 in Amsterdam: UTC 22:30 to 00:30, across the UTC month end.
    desktop.store.add_events(desktop.device, [event("2026-11-30T23:30:00", 7200, Category.SOCIAL, "YouTube")])
    desktop.sync(folder)
    laptop.sync(folder)
    names = sorted(p.name for p in (folder / desktop.device.uid).iterdir())
    assert names == ["2026-11.json.gz", "2026-12.json.gz"]
    mine = list(desktop.store.iter_events())
    theirs = list(laptop.store.iter_events())
    assert [(e.start, e.duration) for e in theirs] == [(e.start, e.duration) for e in mine]
    assert [(e.start, e.duration) for e in theirs] == [(at("2026-11-30T23:30:00"), 7200)]  # a piece a month, joined


def test_a_phone_entered_by_hand_on_each_computer_stays_two_phones(laptop: Home, desktop: Home, folder: Path) -> None:
    day = datetime(2026, 11, 24).date()
    phone_entries.save(laptop.store, phone_entries.PhoneDay(day, 3600, 600, 0), AMS)
    phone_entries.save(desktop.store, phone_entries.PhoneDay(day, 1800, 0, 300), AMS)
    both_ways(laptop, desktop, folder)
    phones = [d for d in laptop.store.devices() if d.kind is DeviceKind.PHONE]
    assert len(phones) == 2  # the same host key ("by hand") on both, but two devices: never merged
    assert laptop.totals() == desktop.totals() == {"social": 600, "messaging": 300, "other": 3000 + 1500}


def read_month(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    return data


def write_month(path: Path, data: dict[str, Any]) -> None:
    path.write_bytes(gzip.compress(json.dumps(data).encode()))


# -- faults --------------------------------------------------------------------------------------------------------


@pytest.fixture
def shared(used: None, laptop: Home, desktop: Home, folder: Path) -> Path:
    """The desktop's month file, once both homes are in step."""
    both_ways(laptop, desktop, folder)
    return folder / desktop.device.uid / "2026-11.json.gz"


def test_a_conflicted_copy_is_reported_and_never_read(laptop: Home, shared: Path) -> None:
    before = laptop.totals()
    data = read_month(shared)
    data["events"] = data["events"] * 2
    conflicts = ("2026-11.sync-conflict-20261130-120000-ABCDEFG.json.gz", "2026-11 (conflicted copy 1).json.gz")
    for name in conflicts:
        write_month(shared.parent / name, data)
    problems = laptop.sync(shared.parent.parent).problems
    assert len(problems) == 2 and all("conflicted copy" in p and "skipped" in p for p in problems)
    assert laptop.totals() == before


def test_a_file_from_a_newer_middenweg_is_skipped_and_what_was_read_stays(laptop: Home, shared: Path) -> None:
    before = laptop.totals()
    data = read_month(shared)
    data["version"] = 99
    data["events"] = []
    write_month(shared, data)
    [problem] = laptop.sync(shared.parent.parent).problems
    assert "newer Middenweg" in problem and "kept" in problem
    assert laptop.totals() == before


def test_a_damaged_file_is_skipped_and_what_was_read_stays(laptop: Home, shared: Path) -> None:
    before = laptop.totals()
    shared.write_bytes(shared.read_bytes()[:200])
    [problem] = laptop.sync(shared.parent.parent).problems
    assert shared.name in problem and "kept" in problem
    assert laptop.totals() == before


def test_an_old_version_brought_back_by_the_sync_tool_is_skipped(laptop: Home, desktop: Home, shared: Path) -> None:
    old = shared.read_bytes()
    desktop.store.add_events(desktop.device, [event("2026-11-27T10:00:00", 60, Category.SOCIAL, "X")])
    desktop.sync(shared.parent.parent, now=NOW + 60)
    laptop.sync(shared.parent.parent)
    newer = laptop.totals()
    shared.write_bytes(old)  # the sync tool restores the version from before
    [problem] = laptop.sync(shared.parent.parent).problems
    assert "older than the copy read before" in problem
    assert laptop.totals() == newer


def test_a_file_that_went_missing_is_reported_and_its_time_kept(laptop: Home, shared: Path) -> None:
    before = laptop.totals()
    shared.unlink()
    [problem] = laptop.sync(shared.parent.parent).problems
    assert "missing" in problem and "2026-11.json.gz" in problem
    assert laptop.totals() == before


def test_a_file_claiming_this_computers_device_cannot_change_it(laptop: Home, desktop: Home, shared: Path) -> None:
    mine = laptop.shares()["Laptop"]
    data = read_month(shared)
    data["devices"].append({"uid": laptop.device.uid, "host_key": "x", "name": "Laptop", "kind": "computer"})
    write_month(shared, data)
    [problem] = laptop.sync(shared.parent.parent).problems
    assert "a device of this computer" in problem
    assert laptop.shares()["Laptop"] == mine


def test_a_folder_that_cannot_be_used_is_reported(laptop: Home, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    [problem] = laptop.sync(blocker).problems
    assert str(blocker) in problem and "nothing was shared" in problem


def test_a_file_that_is_not_gzip_is_skipped_and_what_was_read_stays(laptop: Home, shared: Path) -> None:
    before = laptop.totals()
    shared.write_bytes(gzip.decompress(shared.read_bytes()))  # plain JSON under the packed name
    [problem] = laptop.sync(shared.parent.parent).problems
    assert "not gzip" in problem and "kept" in problem
    assert laptop.totals() == before


def test_a_file_that_unpacks_too_large_is_never_unpacked_whole(
    laptop: Home, shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = laptop.totals()
    monkeypatch.setattr(sync_folder, "_MOST_UNPACKED", 1000)  # instead of making a 256 MB gzip bomb here
    data = read_month(shared)
    data["events"] = data["events"] * 3
    write_month(shared, data)
    [problem] = laptop.sync(shared.parent.parent).problems
    assert "unpacks to more than" in problem and "kept" in problem
    assert laptop.totals() == before
