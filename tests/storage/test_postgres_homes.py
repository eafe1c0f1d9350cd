"""Several computers on one PostgreSQL server, through the real CLI (``database-url``): each home sees the combined
week to the second with each device's share; history moves from SQLite to the server and back without loss; a server
that cannot be used is said in plain words, never shows the password, and leaves the local database as it was."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from cli.aw_fixture import expected_seconds, write_export
from clirunner import CliRunner, Result
from middenweg.storage.records import DeviceRecord
from postgres import PostgresCluster

W43 = ["2026-10-19", "2026-10-20", "2026-10-21", "2026-10-22", "2026-10-23", "2026-10-24", "2026-10-25"]
WEEKS = ("2026-W43", "2026-W44")


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return result


def failed(result: Result, *needles: str) -> Result:
    assert result.code == 1, (result.code, result.err)
    assert "Traceback" not in result.err + result.out
    for needle in needles:
        assert needle in result.err, result.err
    return result


def report(cli: CliRunner, week: str = "2026-W43") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(cli("report", "--week", week, "--json")).out)
    return data


def per_day(data: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {day["date"]: day["seconds"] for day in data["days"]}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_phone_export(path: Path) -> None:
    """aw-android on Tuesday 20 October 2026 (UTC): WhatsApp 20 min, Instagram 10 min, the launcher 1 min, and
    three unlocks (the last one already Wednesday in Amsterdam)."""
    window = [
        ("2026-10-20T17:00:00Z", 1200.0, "WhatsApp"),
        ("2026-10-20T17:20:00Z", 600.0, "Instagram"),
        ("2026-10-20T17:30:00Z", 60.0, "Pixel Launcher"),
    ]
    unlocks = ["2026-10-20T16:59:58Z", "2026-10-20T17:19:59.600Z", "2026-10-20T22:05:00Z"]

    def bucket(kind: str, events: list[dict[str, Any]]) -> dict[str, Any]:
        return {"id": f"aw-watcher-android-{kind}", "type": kind, "client": "aw-android", "hostname": "pixel_7a",
                "created": "2026-01-01T00:00:00Z", "data": {}, "events": events}  # fmt: skip

    windows = [
        {"id": i, "timestamp": ts, "duration": seconds, "data": {"app": app, "package": app, "classname": ""}}
        for i, (ts, seconds, app) in enumerate(window, 1)
    ]
    moments = [{"id": i, "timestamp": ts, "duration": 0.0, "data": {}} for i, ts in enumerate(unlocks, 1)]
    buckets = {
        "aw-watcher-android-test": bucket("currentwindow", windows),
        "aw-watcher-android-unlock": bucket("os.lockscreen.unlocks", moments),
    }
    path.write_text(json.dumps({"buckets": buckets}), encoding="utf-8")


@pytest.fixture
def server_url(postgres_cluster: PostgresCluster) -> str:
    """A new role with a password and its own empty database, as a person would ask an administrator for."""
    role, password, database = postgres_cluster.new_role_and_database()
    return postgres_cluster.url(role, password, database)


def home(tmp_path: Path, name: str, url: str | None = None) -> CliRunner:
    cli = CliRunner(tmp_path / name)
    if url is not None:
        ok(cli("config", "set", "database-url", url))
    return cli


def password_of(url: str) -> str:
    return url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]


def events_of(dump: Path) -> list[Any]:
    data = json.loads(dump.read_text(encoding="utf-8"))
    return sorted(json.dumps(device, sort_keys=True) for device in data["devices"])


def test_two_homes_on_one_server_each_see_the_combined_week_with_each_devices_share(
    tmp_path: Path, server_url: str
) -> None:
    laptop, phone_home = home(tmp_path, "laptop", server_url), home(tmp_path, "zolder", server_url)
    ok(laptop("config", "set", "device-name", "Werkplek"))
    ok(phone_home("config", "set", "device-name", "Zolder"))
    computer_export, phone_export = tmp_path / "computer.json", tmp_path / "phone.json"
    write_export(computer_export)
    write_phone_export(phone_export)
    ok(laptop("import", "activitywatch", str(computer_export)))
    assert "pixel_7a (phone)" in ok(phone_home("import", "activitywatch", str(phone_export))).out

    mine, theirs = report(laptop), report(phone_home)
    assert mine == theirs
    by_kind = {device["kind"]: device for device in mine["devices"]}
    assert per_day(by_kind["computer"]) == expected_seconds(W43)  # the laptop's share, to the second
    assert by_kind["phone"]["totals"] == {"social": 600, "messaging": 1200, "other": 60}
    assert by_kind["phone"]["unlocks"] == [0, 2, 1, 0, 0, 0, 0]
    for day in mine["days"]:
        for category in ("social", "messaging", "other"):
            assert day["seconds"][category] == sum(per_day(d)[day["date"]][category] for d in mine["devices"])
    assert mine["comparison_scope"] == "with-phone"
    for cli in (laptop, phone_home):  # the server holds it all: no local database was made
        assert not (cli.home / "data" / "middenweg.sqlite3").exists()


def test_the_url_is_checked_and_its_password_never_shown(tmp_path: Path, server_url: str) -> None:
    cli = home(tmp_path, "home")
    secret = password_of(server_url)
    said = ok(cli("config", "set", "database-url", server_url)).out
    shown = ok(cli("config", "get", "database-url")).out.strip()
    assert shown == server_url.replace(f":{secret}@", ":***@") and f"database-url = {shown}" in said
    listed = ok(cli("config", "list")).out + ok(cli("config", "list", "--json")).out
    assert "***" in listed and secret not in said + shown + listed
    assert secret in (cli.home / "config" / "settings.toml").read_text()  # kept in the 0600 file, for connecting
    refused = failed(cli("config", "set", "database-url", "mysql://me:hunter2-secret@db.example.org/middenweg"))
    assert "Only a PostgreSQL server can be shared" in refused.err and "hunter2-secret" not in refused.err
    assert ok(cli("config", "set", "database-url", "local")).out.strip() == "database-url = local"


def test_history_moves_from_sqlite_to_the_server_and_back_without_loss(tmp_path: Path, server_url: str) -> None:
    local = home(tmp_path, "local")
    computer_export, phone_export = tmp_path / "computer.json", tmp_path / "phone.json"
    write_export(computer_export)
    write_phone_export(phone_export)
    ok(local("import", "activitywatch", str(computer_export)))
    ok(local("import", "activitywatch", str(phone_export)))
    to_server, from_server = tmp_path / "to-server.json", tmp_path / "from-server.json"
    ok(local("export", "--format", "json", "--output", str(to_server)))
    reports = [report(local, week) for week in WEEKS]

    shared = home(tmp_path, "shared", server_url)
    ok(shared("import", "middenweg", str(to_server)))
    assert [report(shared, week) for week in WEEKS] == reports
    ok(shared("export", "--format", "json", "--output", str(from_server)))
    assert events_of(from_server) == events_of(to_server)  # every device, event, title and unlock, as it was

    back = home(tmp_path, "back")
    ok(back("import", "middenweg", str(from_server)))
    assert [report(back, week) for week in WEEKS] == reports


def test_a_server_that_cannot_be_used_is_said_plainly_and_the_local_database_is_untouched(
    tmp_path: Path, postgres_cluster: PostgresCluster, server_url: str
) -> None:
    cli = home(tmp_path, "home")
    computer_export = tmp_path / "computer.json"
    write_export(computer_export)
    ok(cli("import", "activitywatch", str(computer_export)))
    before = report(cli)
    database = cli.home / "data" / "middenweg.sqlite3"
    local_files = {path.name: digest(path) for path in database.parent.iterdir()}
    role, password, name = postgres_cluster.new_role_and_database()

    unreachable = f"postgresql+psycopg://{role}:{password}@/{name}?host={postgres_cluster.root}/gone"
    ok(cli("config", "set", "database-url", unreachable))
    said = failed(cli("report", "--json"), "cannot be reached", "Check that it is running")
    assert said.code == 1 and password not in said.err + said.out and said.out == ""

    ok(cli("config", "set", "database-url", postgres_cluster.url(role, "wrong-password-1234", name)))
    said = failed(cli("import", "activitywatch", str(computer_export)), "refused the user name or password", role)
    assert "wrong-password-1234" not in said.err

    ok(cli("config", "set", "database-url", postgres_cluster.url(role, password, "no_such_database")))
    failed(cli("report"), "There is no database no_such_database")

    assert {path.name: digest(path) for path in database.parent.iterdir()} == local_files
    ok(cli("config", "set", "database-url", "local"))
    assert report(cli) == before


def test_two_computers_with_the_same_host_name_stay_two_devices_on_one_server(tmp_path: Path, server_url: str) -> None:
    from middenweg.bootstrap import Context

    def this_computer(cli: CliRunner) -> DeviceRecord:
        ctx = Context.create({"MIDDENWEG_HOME": str(cli.home), "TZ": "Europe/Amsterdam"})
        try:
            return ctx.local_device()
        finally:
            ctx.close()

    # Both run on this machine, so both have its host name (two "ubuntu" laptops at home).
    alone = home(tmp_path, "alone")
    before = this_computer(alone)  # on its own database first, then moved to the server
    ok(alone("config", "set", "database-url", server_url))
    other = home(tmp_path, "other", server_url)
    first, second = this_computer(alone), this_computer(other)
    assert first.uid == before.uid  # the same device as on its own database: its history can follow
    assert second.uid != first.uid and second.host_key != first.host_key
    assert (this_computer(alone), this_computer(other)) == (first, second)  # found again after a restart
    assert (other.home / "data" / "this-computer").stat().st_mode & 0o777 == 0o600


def test_with_a_shared_database_the_sync_folder_is_not_used_and_sync_says_why(tmp_path: Path, server_url: str) -> None:
    cli = home(tmp_path, "home", server_url)
    folder = tmp_path / "Sync"
    ok(cli("config", "set", "sync-folder", str(folder)))
    export = tmp_path / "computer.json"
    write_export(export)
    ok(cli("import", "activitywatch", str(export)))
    report(cli)  # a report syncs first when only a folder is set
    assert not folder.exists()  # the server's devices are not handed around a second time
    said = failed(cli("sync"), "A shared database is set, so the sync folder is not used")
    assert "config set database-url local" in said.err
