"""Reports per device: a computer and a phone imported from ActivityWatch, each with its own days and totals, the
whole being their sum, and the age-group comparison saying that it counts both."""

from __future__ import annotations

import json
from pathlib import Path

from aw_fixture import expected_seconds, write_export
from test_cli_history import W43, ok, per_day, report

from clirunner import CliRunner

#: aw-android's window bucket for Tuesday 20 October 2026 (UTC): WhatsApp 20 min, Instagram 10 min, the launcher 1 min.
PHONE_EVENTS = [
    ("2026-10-20T17:00:00Z", 1200.0, "WhatsApp", "com.whatsapp"),
    ("2026-10-20T17:20:00Z", 600.0, "Instagram", "com.instagram.android"),
    ("2026-10-20T17:30:00Z", 60.0, "Pixel Launcher", "com.google.android.apps.nexuslauncher"),
]


def write_phone_export(path: Path) -> None:
    events = [
        {"id": i, "timestamp": ts, "duration": seconds, "data": {"app": app, "package": package, "classname": ""}}
        for i, (ts, seconds, app, package) in enumerate(PHONE_EVENTS, 1)
    ]
    bucket = {
        "id": "aw-watcher-android-test", "type": "currentwindow", "client": "aw-android", "hostname": "pixel_7a",
        "created": "2026-01-01T00:00:00Z", "data": {}, "events": events,
    }  # fmt: skip
    path.write_text(json.dumps({"buckets": {"aw-watcher-android-test": bucket}}), encoding="utf-8")


def test_the_report_has_each_device_and_the_whole_is_their_sum(cli: CliRunner, tmp_path: Path) -> None:
    computer, phone = tmp_path / "computer.json", tmp_path / "phone.json"
    write_export(computer)
    write_phone_export(phone)
    ok(cli("import", "activitywatch", str(computer)))
    assert "pixel_7a (phone)" in ok(cli("import", "activitywatch", str(phone))).out

    data = report(cli)
    by_kind = {device["kind"]: device for device in data["devices"]}
    assert set(by_kind) == {"computer", "phone"} and by_kind["computer"]["name"] == "werkplek"
    assert per_day(by_kind["computer"]) == expected_seconds(W43)  # the computer alone, as before
    assert by_kind["phone"]["totals"] == {"social": 600, "messaging": 1200, "other": 60}
    assert per_day(by_kind["phone"])["2026-10-20"] == {"social": 600, "messaging": 1200, "other": 60}
    for category in ("social", "messaging", "other"):
        assert data["totals"][category] == sum(device["totals"][category] for device in data["devices"])
        for day in data["days"]:
            parts = [per_day(device)[day["date"]][category] for device in data["devices"]]
            assert day["seconds"][category] == sum(parts)
    assert data["comparison_scope"] == "with-phone"
    text = ok(cli("report", "--week", "2026-W43")).out
    assert "social and messaging apps on your computer and phone together" in text
    dutch = ok(cli("report", "--week", "2026-W43", LANGUAGE="nl")).out
    assert "sociale media en berichtenapps op je computer en telefoon samen" in dutch


def test_a_computer_alone_is_this_computer_and_a_week_without_time_has_no_devices(
    cli: CliRunner, tmp_path: Path
) -> None:
    computer = tmp_path / "computer.json"
    write_export(computer)
    ok(cli("import", "activitywatch", str(computer)))
    data = report(cli)
    assert [device["kind"] for device in data["devices"]] == ["computer"]
    assert data["comparison_scope"] == "this-computer"
    assert "apps on this computer;" in ok(cli("report", "--week", "2026-W43")).out
    empty = report(cli, "2026-W30")
    assert empty["devices"] == [] and empty["comparison_scope"] == "this-computer"


def test_an_export_with_every_kind_of_device_reproduces_every_report_in_an_empty_home(
    cli: CliRunner, tmp_path: Path
) -> None:
    computer, phone = tmp_path / "computer.json", tmp_path / "phone.json"
    write_export(computer)
    write_phone_export(phone)
    ok(cli("import", "activitywatch", str(computer)))
    ok(cli("import", "activitywatch", str(phone)))
    ok(cli("phone", "add", "--date", "2026-10-22", "--total", "2h", "--social", "45m", "--messaging", "15m"))
    dump, table = tmp_path / "history.json", tmp_path / "history.csv"
    ok(cli("export", "--format", "json", "--output", str(dump)))
    ok(cli("export", "--format", "csv", "--output", str(table)))
    kinds = {line.split(",")[1] for line in table.read_text(encoding="utf-8").splitlines()[1:]}
    assert kinds == {"computer", "phone"}  # every CSV row names its device and kind

    other = CliRunner(tmp_path / "other-home")
    ok(other("import", "middenweg", str(dump)))
    for week in ("2026-W43", "2026-W44"):
        mine, theirs = report(cli, week), report(other, week)
        assert theirs == mine  # totals, days, devices (same uids and names) and the comparison's scope
    assert len(report(other)["devices"]) == 3 and report(other)["comparison_scope"] == "with-phone"
    # The hand-entered phone is the same device there: correcting a day replaces it instead of adding a second phone.
    ok(other("phone", "add", "--date", "2026-10-22", "--total", "1h"))
    assert [d["totals"]["other"] for d in report(other)["devices"] if d["name"] == "Phone (entered by hand)"] == [3600]
