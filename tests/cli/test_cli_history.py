"""The CLI as a person or script uses it: import, report, export, forget, config, and bad input of every kind."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from aw_fixture import expected_seconds, write_export

from clirunner import CliRunner, Result

W43 = ["2026-10-19", "2026-10-20", "2026-10-21", "2026-10-22", "2026-10-23", "2026-10-24", "2026-10-25"]


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return result


def failed(result: Result, *needles: str) -> Result:
    assert result.code != 0
    assert "Traceback" not in result.err + result.out
    for needle in needles:
        assert needle in result.err, result.err
    return result


def report(cli: CliRunner, week: str = "2026-W43") -> dict:  # type: ignore[type-arg]
    return json.loads(ok(cli("report", "--week", week, "--json")).out)  # type: ignore[no-any-return]


def per_day(data: dict) -> dict[str, dict[str, int]]:  # type: ignore[type-arg]
    return {d["date"]: d["seconds"] for d in data["days"]}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_version_and_an_empty_first_start(cli: CliRunner) -> None:
    assert ok(cli("--version")).out.startswith("middenweg ")
    out = ok(cli("report")).out
    assert "Week " in out and "Nothing recorded this week yet." in out
    assert "no age group" in out.lower()
    # Without a desktop session the tray app cannot start: it says so and what to use instead.
    headless = failed(cli(DISPLAY="", WAYLAND_DISPLAY="", QT_QPA_PLATFORM=""), "desktop session", "--headless")
    assert headless.code == 1


def test_an_activitywatch_import_gives_the_hand_counted_seconds_in_a_dst_week(cli: CliRunner, tmp_path: Path) -> None:
    export = tmp_path / "aw-buckets-export.json"
    write_export(export)
    out = ok(cli("import", "activitywatch", str(export))).out
    assert "werkplek (computer)" in out
    data = report(cli)
    assert data["timezone"] == "Europe/Amsterdam"
    assert per_day(data) == expected_seconds(W43)
    for category in ("social", "messaging", "other"):
        assert data["totals"][category] == sum(d[category] for d in expected_seconds(W43).values())
    assert {a["app"] for a in data["top_apps"]} >= {"Facebook", "YouTube", "X", "WhatsApp", "Telegram"}
    # Signal ran from 23:59 on Sunday into Monday: that minute belongs to the next week.
    next_week = report(cli, "2026-W44")
    assert next_week["days"][0]["seconds"]["messaging"] == 180
    assert next_week["previous_week_totals"] == data["totals"]


def test_afk_time_is_left_out_as_activitywatch_does(cli: CliRunner, tmp_path: Path) -> None:
    with_afk, without = tmp_path / "a.json", tmp_path / "b.json"
    write_export(with_afk)
    write_export(without, with_afk=False)
    ok(cli("import", "activitywatch", str(with_afk)))
    counted = per_day(report(cli))["2026-10-21"]["messaging"]
    assert counted == expected_seconds(W43)["2026-10-21"]["messaging"] == 900 - 450
    assert expected_seconds(W43, with_afk=False)["2026-10-21"]["messaging"] == 900


def test_importing_twice_changes_nothing(cli: CliRunner, tmp_path: Path) -> None:
    export = tmp_path / "aw.json"
    write_export(export)
    ok(cli("import", "activitywatch", str(export)))
    first = report(cli)
    again = ok(cli("import", "activitywatch", str(export))).out
    assert "already recorded" in again
    assert report(cli) == first


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b'{"buckets": {"aw-watcher-window_x": {"type": "currentwindow", "hostname": "x", "events": [', "line"),
        (b"\xff\xfe not utf-8", "UTF-8"),
        (b'{"rows": []}', "buckets"),
        (
            b'{"buckets": {"w": {"id": "w", "type": "currentwindow", "hostname": "x", "client": "c", "events": '
            b'[{"timestamp": "yesterday", "duration": 3, "data": {"app": "a", "title": "t"}}]}}}',
            "yesterday",
        ),
    ],
)
def test_a_damaged_export_changes_nothing_and_says_why(
    cli: CliRunner, tmp_path: Path, content: bytes, needle: str
) -> None:
    good = tmp_path / "aw.json"
    write_export(good)
    ok(cli("import", "activitywatch", str(good)))
    before = report(cli)
    bad = tmp_path / "damaged.json"
    bad.write_bytes(content)
    failed(cli("import", "activitywatch", str(bad)), "damaged.json", needle)
    assert report(cli) == before


def test_a_missing_import_file_is_a_clear_error(cli: CliRunner, tmp_path: Path) -> None:
    failed(cli("import", "activitywatch", str(tmp_path / "nope.json")), "nope.json")


def test_json_export_reimported_into_an_empty_home_reproduces_the_reports(cli: CliRunner, tmp_path: Path) -> None:
    export = tmp_path / "aw.json"
    write_export(export)
    ok(cli("import", "activitywatch", str(export)))
    ok(cli("config", "set", "age-group", "45-54"))
    dump = tmp_path / "history.json"
    ok(cli("export", "--format", "json", "--output", str(dump)))
    other = CliRunner(tmp_path / "other-home")
    ok(other("config", "set", "age-group", "45-54"))
    ok(other("import", "middenweg", str(dump)))
    for week in ("2026-W43", "2026-W44"):
        assert report(other, week) == report(cli, week)
    # and importing the same export again adds nothing
    ok(other("import", "middenweg", str(dump)))
    assert report(other) == report(cli)


def test_csv_export_has_local_and_utc_times(cli: CliRunner, tmp_path: Path) -> None:
    export = tmp_path / "aw.json"
    write_export(export)
    ok(cli("import", "activitywatch", str(export)))
    out = ok(cli("export", "--format", "csv", "--from", "2026-10-19", "--to", "2026-10-19")).out
    lines = out.strip().splitlines()
    assert lines[0].startswith("device,device_kind,start_local,end_local,start_utc,end_utc,duration_seconds")
    assert any("2026-10-19T20:00:00+02:00" in line and "2026-10-19T18:00:00Z" in line for line in lines[1:])
    assert all("2026-10-21" not in line for line in lines[1:])


def test_forget_asks_first_and_deletes_only_that_day(cli: CliRunner, tmp_path: Path) -> None:
    export = tmp_path / "aw.json"
    write_export(export)
    ok(cli("import", "activitywatch", str(export)))
    failed(cli("forget", "--day", "2026-10-21"), "--yes")
    assert per_day(report(cli))["2026-10-21"]["other"] == 3600
    ok(cli("forget", "--day", "2026-10-21", "--yes"))
    days = per_day(report(cli))
    assert days["2026-10-21"] == {"social": 0, "messaging": 0, "other": 0}
    assert days["2026-10-19"] == expected_seconds(W43)["2026-10-19"]
    ok(cli("forget", "--all", "--yes"))
    assert report(cli)["totals"] == {"social": 0, "messaging": 0, "other": 0}


def test_config_set_get_list_and_prefer_not_to_say(cli: CliRunner) -> None:
    assert ok(cli("config", "set", "age-group", "25-34")).out.strip().endswith("25-34")
    assert ok(cli("config", "get", "age-group")).out.strip() == "25-34"
    assert report(cli)["reference"]["age_group"] == "25-34"
    ok(cli("config", "set", "age-group", "none"))
    assert report(cli)["reference"]["age_group"] is None
    listed = json.loads(ok(cli("config", "list", "--json")).out)
    assert set(listed) >= {"age-group", "time-zone", "language", "idle-after", "titles", "device-name"}
    ok(cli("config", "set", "time-zone", "America/New_York"))
    assert report(cli)["timezone"] == "America/New_York"


def test_bad_values_and_arguments_are_refused_clearly(cli: CliRunner) -> None:
    failed(cli("config", "set", "age-group", "42"), "age")
    failed(cli("config", "set", "time-zone", "Mars/Olympus"), "Mars/Olympus")
    assert failed(cli("report", "--week", "2026-W99"), "2026-W99").code == 2
    assert failed(cli("export", "--from", "20-11-2026"), "YYYY-MM-DD").code == 2
    assert failed(cli("frobnicate"), "invalid choice").code == 2


def test_a_broken_settings_file_is_named_and_never_overwritten(cli: CliRunner) -> None:
    ok(cli("config", "set", "age-group", "25-34"))
    settings = cli.home / "config" / "settings.toml"
    settings.write_text(settings.read_text() + "\nlanguage = = 'nl'\n", encoding="utf-8")
    before = digest(settings)
    result = failed(cli("report"), str(settings), "line")
    assert "language" not in result.out
    failed(cli("config", "set", "age-group", "16-24"), str(settings))
    assert digest(settings) == before


def test_a_file_that_is_not_a_database_is_kept_aside_and_a_new_one_started(cli: CliRunner) -> None:
    db = cli.home / "data" / "middenweg.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"not a database at all" * 50)
    before = digest(db)
    result = cli("report")  # the rule for a damaged database (issue 9): kept whole under a new name, never deleted
    assert result.code == 0, result.err
    [kept] = db.parent.glob("middenweg.sqlite3.damaged-*")
    assert digest(kept) == before and str(kept) in result.err


def test_a_bad_rule_is_reported_with_its_line_and_the_rest_keep_working(cli: CliRunner, tmp_path: Path) -> None:
    rules = cli.home / "config" / "rules.toml"
    rules.parent.mkdir(parents=True)
    rules.write_text(
        'schema_version = 1\n\n[[rule]]\napp = "Code"\ncategory = "social"\n\n'
        '[[rule]]\ntitle_regex = "([unclosed"\ncategory = "social"\n',
        encoding="utf-8",
    )
    export = tmp_path / "aw.json"
    write_export(export)
    result = ok(cli("import", "activitywatch", str(export)))
    assert "line 7" in result.err or "line 8" in result.err
    days = per_day(report(cli))
    assert days["2026-10-21"]["social"] == 3600  # "Code is social for me" took effect
    assert days["2026-10-21"]["other"] == 0
    assert failed(cli("rules", "check"), "rules.toml", "line 8").code == 1


def test_the_report_speaks_dutch(cli: CliRunner, tmp_path: Path) -> None:
    out = ok(cli("report", LANGUAGE="nl")).out
    assert "Sociaal" in out and "Berichten" in out
    ok(cli("config", "set", "language", "en"))
    assert "Social" in ok(cli("report", LANGUAGE="nl")).out
