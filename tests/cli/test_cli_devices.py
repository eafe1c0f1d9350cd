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


#: aw-android's unlock bucket: three unlocks that evening (the last one Amsterdam's Wednesday already).
UNLOCKS = ["2026-10-20T16:59:58Z", "2026-10-20T17:19:59.600Z", "2026-10-20T22:05:00Z"]


def write_phone_export(path: Path) -> None:
    events = [
        {"id": i, "timestamp": ts, "duration": seconds, "data": {"app": app, "package": package, "classname": ""}}
        for i, (ts, seconds, app, package) in enumerate(PHONE_EVENTS, 1)
    ]
    bucket = {
        "id": "aw-watcher-android-test", "type": "currentwindow", "client": "aw-android", "hostname": "pixel_7a",
        "created": "2026-01-01T00:00:00Z", "data": {}, "events": events,
    }  # fmt: skip
    unlocks = {
        "id": "aw-watcher-android-unlock", "type": "os.lockscreen.unlocks", "client": "aw-android",
        "hostname": "pixel_7a", "created": "2026-01-01T00:00:00Z", "data": {},
        "events": [{"id": i, "timestamp": ts, "duration": 0.0, "data": {}} for i, ts in enumerate(UNLOCKS, 1)],
    }  # fmt: skip
    buckets = {"aw-watcher-android-test": bucket, "aw-watcher-android-unlock": unlocks}
    path.write_text(json.dumps({"buckets": buckets}), encoding="utf-8")


def test_the_report_has_each_device_and_the_whole_is_their_sum(cli: CliRunner, tmp_path: Path) -> None:
    computer, phone = tmp_path / "computer.json", tmp_path / "phone.json"
    write_export(computer)
    write_phone_export(phone)
    ok(cli("import", "activitywatch", str(computer)))
    imported = ok(cli("import", "activitywatch", str(phone))).out
    assert "pixel_7a (phone)" in imported and "3 unlocks" in imported

    data = report(cli)
    by_kind = {device["kind"]: device for device in data["devices"]}
    assert set(by_kind) == {"computer", "phone"} and by_kind["computer"]["name"] == "werkplek"
    assert per_day(by_kind["computer"]) == expected_seconds(W43)  # the computer alone, as before
    assert by_kind["phone"]["totals"] == {"social": 600, "messaging": 1200, "other": 60}
    assert per_day(by_kind["phone"])["2026-10-20"] == {"social": 600, "messaging": 1200, "other": 60}
    assert by_kind["phone"]["unlocks"] == [0, 2, 1, 0, 0, 0, 0]  # per local day, Monday first
    assert "unlocks" not in by_kind["computer"]
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
        assert theirs == mine  # totals, days, devices (same uids, names and unlocks) and the comparison's scope
    assert [d.get("unlocks") for d in report(other)["devices"] if d["kind"] == "phone" and "unlocks" in d] == [
        [0, 2, 1, 0, 0, 0, 0]
    ]
    ok(other("import", "middenweg", str(dump)))  # the same file again adds nothing, unlocks included
    assert report(other) == report(cli)
    assert len(report(other)["devices"]) == 3 and report(other)["comparison_scope"] == "with-phone"
    # The hand-entered phone is the same device there: correcting a day replaces it instead of adding a second phone.
    ok(other("phone", "add", "--date", "2026-10-22", "--total", "1h"))
    assert [d["totals"]["other"] for d in report(other)["devices"] if d["name"] == "Phone (entered by hand)"] == [3600]


def test_a_middenweg_export_with_damaged_unlocks_imports_nothing(cli: CliRunner, tmp_path: Path) -> None:
    phone = tmp_path / "phone.json"
    write_phone_export(phone)
    ok(cli("import", "activitywatch", str(phone)))
    dump = tmp_path / "history.json"
    ok(cli("export", "--format", "json", "--output", str(dump)))
    data = json.loads(dump.read_text(encoding="utf-8"))
    data["devices"][0]["unlocks"].append("yesterday")
    dump.write_text(json.dumps(data), encoding="utf-8")
    other = CliRunner(tmp_path / "other-home")
    result = other("import", "middenweg", str(dump))
    assert result.code != 0 and "'yesterday' is not a date and time" in result.err and "device 1" in result.err
    assert "Traceback" not in result.err
    assert report(other)["devices"] == []


def test_a_device_name_that_is_too_long_is_refused_in_english_and_dutch(cli: CliRunner) -> None:
    english = cli("config", "set", "device-name", "Living room laptop " * 16)
    assert english.code == 1 and "Traceback" not in english.err
    assert "it must be a name of 1 to 64 characters on one line. The file has not been changed." in english.err
    dutch = cli("config", "set", "device-name", "x" * 65, LANGUAGE="nl")
    assert dutch.code == 1 and "Traceback" not in dutch.err
    assert "een naam van 1 tot 64 tekens op één regel" in dutch.err
    assert ok(cli("config", "get", "device-name")).out.strip() != "x" * 65
    ok(cli("config", "set", "device-name", "x" * 64))
    assert ok(cli("config", "get", "device-name")).out.strip() == "x" * 64


def test_a_new_name_for_this_computer_shows_in_the_next_report(cli: CliRunner) -> None:
    from middenweg.bootstrap import Context
    from middenweg.domain.categories import Category
    from middenweg.domain.events import UsageEvent

    ctx = Context.create({"MIDDENWEG_HOME": str(cli.home), "TZ": "Europe/Amsterdam"})
    try:  # what the tracker stores on this computer: Tuesday 20 October 2026, 10:00 UTC
        ctx.store().add_events(
            ctx.local_device(), [UsageEvent(1792490400, 600, "WhatsApp", None, Category.MESSAGING, "WhatsApp")]
        )
    finally:
        ctx.close()
    ok(cli("config", "set", "device-name", "Zolder"))
    assert [device["name"] for device in report(cli)["devices"]] == ["Zolder"]
