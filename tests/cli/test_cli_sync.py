"""Two Middenweg homes (as on two computers) sharing one sync folder, through the real command line: each report
shows the combined week to the second, with each device's share; bad files in the folder are reported in plain words
and never change what was read before."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from aw_fixture import write_export
from test_cli_devices import write_phone_export
from test_cli_history import failed, ok, report

from clirunner import CliRunner


def homes(tmp_path: Path) -> tuple[CliRunner, CliRunner, Path]:
    folder = tmp_path / "Sync" / "middenweg"
    laptop, desktop = CliRunner(tmp_path / "laptop"), CliRunner(tmp_path / "desktop")
    for home, name in ((laptop, "Laptop"), (desktop, "Desktop")):
        ok(home("config", "set", "sync-folder", str(folder)))
        ok(home("config", "set", "device-name", name))
    computer, phone = tmp_path / "computer.json", tmp_path / "phone.json"
    write_export(computer)
    write_phone_export(phone)
    ok(laptop("import", "activitywatch", str(computer)))  # a work computer's history, imported on the laptop
    ok(desktop("import", "activitywatch", str(phone)))  # the phone's, imported on the desktop
    return laptop, desktop, folder


def test_each_home_reports_the_combined_week_with_each_devices_share(tmp_path: Path) -> None:
    laptop, desktop, _folder = homes(tmp_path)
    assert "Shared 1 file of this computer." in ok(laptop("sync")).out  # October, the month it holds
    report(desktop)  # a report shares and reads too
    ok(laptop("sync"))
    combined_laptop, combined_desktop = report(laptop), report(desktop)
    assert combined_laptop == combined_desktop  # totals, days, devices and the comparison's scope
    for category in ("social", "messaging", "other"):
        assert combined_laptop["totals"][category] == sum(d["totals"][category] for d in combined_laptop["devices"])
    assert {d["name"] for d in combined_laptop["devices"]} == {"werkplek", "pixel_7a"}
    assert combined_laptop["comparison_scope"] == "with-phone"
    # Again and again: nothing doubles.
    for _ in range(2):
        ok(laptop("sync"))
        ok(desktop("sync"))
    assert report(laptop) == report(desktop) == combined_laptop
    as_json = json.loads(ok(desktop("sync", "--json")).out)
    assert as_json == {"written": [], "read": [], "problems": []}


def test_a_newer_file_and_a_conflicted_copy_are_reported_in_plain_words(tmp_path: Path) -> None:
    laptop, desktop, folder = homes(tmp_path)
    report(laptop), report(desktop), report(laptop)
    before = report(desktop)
    [month] = [p for p in folder.rglob("2026-10.json.gz") if b"werkplek" in gzip.decompress(p.read_bytes())]
    data = json.loads(gzip.decompress(month.read_bytes()))
    packed = gzip.compress(json.dumps(data).encode())
    (month.parent / "2026-10 (conflicted copy 2026-10-30).json.gz").write_bytes(packed)
    data["version"] = 2
    month.write_bytes(gzip.compress(json.dumps(data).encode()))
    result = desktop("report", "--week", "2026-W43", "--json")
    assert result.code == 0 and "Traceback" not in result.err
    assert "conflicted copy made by the sync tool" in result.err and "newer Middenweg" in result.err
    assert json.loads(result.out) == before
    dutch = desktop("sync", LANGUAGE="nl")
    assert "kopie met een conflict" in dutch.err and "nieuwere versie van Middenweg" in dutch.err
    assert "Traceback" not in dutch.err


def test_sync_without_a_folder_says_how_to_set_one(cli: CliRunner) -> None:
    failed(cli("sync"), "middenweg config set sync-folder")
    ok(cli("config", "set", "sync-folder", "off"))
    failed(cli("config", "set", "sync-folder", "relative/folder"), "whole path")
