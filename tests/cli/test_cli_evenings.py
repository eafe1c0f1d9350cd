"""Planning phone-free evenings from the command line: add, list, skip, move, check in, export, bad input."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from clirunner import CliRunner, Result
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store

AMS = ZoneInfo("Europe/Amsterdam")
#: Windows the built-in rules put in these categories (the CLI re-categorises history when the rules change).
WINDOWS = {
    Category.SOCIAL: ("firefox", "(3) Facebook — Mozilla Firefox", "Facebook"),
    Category.MESSAGING: ("WhatsApp", "WhatsApp", "WhatsApp"),
    Category.OTHER: ("Code", "weeks.py - middenweg - Visual Studio Code", "Code"),
}


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


def record(cli: CliRunner, day: date, *events: tuple[str, int, Category]) -> None:
    """Put (local HH:MM on ``day``, seconds, category) into the test home's database, as the tracker would."""
    store = Store.open(cli.home / "data" / "middenweg.sqlite3")
    try:
        device = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
        usage = []
        for clock, seconds, category in events:
            app, title, label = WINDOWS[category]
            start = int(datetime.combine(day, time.fromisoformat(clock), tzinfo=AMS).timestamp())
            usage.append(UsageEvent(start, seconds, app, title, category, label))
        store.add_events(device, usage)
    finally:
        store.close()


def stored_slips(cli: CliRunner) -> dict[str, int]:
    with closing(sqlite3.connect(cli.home / "data" / "middenweg.sqlite3")) as db:
        return dict(db.execute("SELECT date, slipped_seconds FROM checkins").fetchall())


def listed(cli: CliRunner) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(ok(cli("evenings", "list", "--json")).out)  # type: ignore[no-any-return]


def test_plan_a_weekly_evening_with_friends_and_see_the_next_one(cli: CliRunner) -> None:
    out = ok(cli("evenings", "add", "--weekly", "thu", "--from", "19:00", "--to", "23:00", "--title", "Board games",
                 "--friends", "Sanne, Joris", "--remind", "1d,30m,0m", "--starting", "2030-01-01")).out  # fmt: skip
    assert "Evening 1 planned: Board games, every Thu, 19:00–23:00." in out
    assert "Next: 2030-01-03T19:00+01:00." in out
    [evening] = listed(cli)
    assert evening["friends"] == ["Sanne", "Joris"] and evening["remind_before_minutes"] == [1440, 30, 0]
    assert evening["next"]["start"] == "2030-01-03T19:00+01:00" and evening["next"]["end"] == "2030-01-03T23:00+01:00"


def test_skip_and_move_one_evening_of_the_series(cli: CliRunner) -> None:
    ok(cli("evenings", "add", "--weekly", "thu,sat", "--from", "20:00", "--to", "00:30", "--starting", "2030-01-01"))
    ok(cli("evenings", "skip", "1", "--date", "2030-01-03"))
    assert listed(cli)[0]["next"]["start"] == "2030-01-05T20:00+01:00"
    ok(cli("evenings", "move", "1", "--date", "2030-01-05", "--to-date", "2030-01-04", "--from", "18:00"))
    nxt = listed(cli)[0]["next"]
    assert (nxt["start"], nxt["end"], nxt["moved"]) == ("2030-01-04T18:00+01:00", "2030-01-05T00:30+01:00", True)
    wrong = cli("evenings", "skip", "1", "--date", "2030-01-07")  # a Monday: not an evening of this series
    assert wrong.code == 1 and "does not take place on 2030-01-07" in wrong.err


def test_a_one_off_evening_and_an_ics_calendar(cli: CliRunner, tmp_path: Path) -> None:
    ok(cli("evenings", "add", "--on", "2030-12-05", "--from", "19:00", "--to", "23:30", "--kind", "screen-free"))
    [evening] = listed(cli)
    assert evening["once_on"] == "2030-12-05" and evening["title"] == "Screen-free evening"
    calendar = tmp_path / "evenings.ics"
    ok(cli("evenings", "export", "--ics", str(calendar)))
    text = calendar.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and "DTSTART;TZID=Europe/Amsterdam:20301205T190000" in text


def test_check_in_for_the_last_evening(cli: CliRunner) -> None:
    two_days_ago = (datetime.now(AMS) - timedelta(days=2)).date()
    ok(cli("evenings", "add", "--on", two_days_ago.isoformat(), "--from", "19:00", "--to", "23:00"))
    out = ok(cli("evenings", "checkin", "kept")).out
    assert f"Well done: evening 1 of {two_days_ago.isoformat()} is marked as kept." in out
    none_yet = cli("evenings", "checkin", "99", "kept")
    assert none_yet.code == 1 and "no recent evening" in none_yet.err


def test_bad_evenings_are_refused_clearly(cli: CliRunner) -> None:
    for args, needle in [
        (("--weekly", "funday", "--from", "19:00", "--to", "23:00"), "not a weekday"),
        (("--weekly", "thu", "--from", "7pm", "--to", "23:00"), "not a time of day"),
        (("--weekly", "thu", "--from", "19:00", "--to", "19:00"), "same time"),
        (("--weekly", "thu", "--from", "19:00", "--to", "23:00", "--every", "0"), "week"),
        (("--weekly", "thu", "--from", "19:00", "--to", "23:00", "--every", "40000"), "not every 40000 weeks"),
        (("--weekly", "thu", "--from", "19:00", "--to", "23:00", "--remind", "soon"), "before the start"),
    ]:
        result = cli("evenings", "add", *args)
        assert result.code in (1, 2) and needle in result.err and "Traceback" not in result.err, (args, result.err)
    assert listed(cli) == []


def test_a_check_in_says_how_much_use_was_recorded_during_the_evening(cli: CliRunner) -> None:
    today = datetime.now(AMS).date()
    phone_free, screen_free, quiet = (today - timedelta(days=n) for n in (2, 3, 4))
    ok(cli("evenings", "add", "--on", phone_free.isoformat(), "--from", "19:00", "--to", "23:00"))
    ok(cli("evenings", "add", "--on", screen_free.isoformat(), "--from", "19:00", "--to", "23:00",
           "--kind", "screen-free"))  # fmt: skip
    ok(cli("evenings", "add", "--on", quiet.isoformat(), "--from", "19:00", "--to", "23:00"))
    for day in (phone_free, screen_free):
        record(
            cli,
            day,
            ("18:50", 1200, Category.SOCIAL),  # 10 of these 20 minutes are before the evening starts
            ("21:00", 900, Category.MESSAGING),
            ("21:30", 1800, Category.OTHER),  # a film, or work: a slip only on a screen-free evening
            ("23:00", 600, Category.SOCIAL),  # after the end
        )
    record(cli, quiet, ("18:00", 3600, Category.SOCIAL), ("22:59", 30, Category.MESSAGING))

    out = ok(cli("evenings", "checkin", "1", "partly")).out
    assert f"Evening 1 of {phone_free.isoformat()} is marked as partly kept." in out
    assert "Middenweg recorded 25 min of social and messaging apps during it." in out
    out = ok(cli("evenings", "checkin", "2", "not")).out
    assert "Middenweg recorded 55 min of use during it." in out
    out = ok(cli("evenings", "checkin", "3", "kept")).out
    assert out.splitlines() == [f"Well done: evening 3 of {quiet.isoformat()} is marked as kept."]  # 30 s: no slip
    assert stored_slips(cli) == {phone_free.isoformat(): 1500, screen_free.isoformat(): 3300, quiet.isoformat(): 30}


def test_a_title_longer_than_an_evening_may_have_is_refused_in_english_and_dutch(cli: CliRunner) -> None:
    """The shared PostgreSQL database keeps at most 200 characters of a title (SQLite would keep any): say so."""
    plan = ("evenings", "add", "--weekly", "thu", "--from", "19:00", "--to", "23:00", "--title")
    english = cli(*plan, "x" * 300)
    assert english.code == 1 and "Traceback" not in english.err
    assert "The title has 300 characters; an evening's title may have at most 200. Choose a shorter one." in english.err
    dutch = cli(*plan, "x" * 201, LANGUAGE="nl")
    assert dutch.code == 1 and "Traceback" not in dutch.err
    assert "De naam heeft 201 tekens; de naam van een avond mag er hoogstens 200 hebben." in dutch.err
    assert listed(cli) == []
    ok(cli(*plan, "  " + "é" * 200 + "  "))
    assert [evening["title"] for evening in listed(cli)] == ["é" * 200]


def test_control_characters_in_a_title_or_friends_never_reach_the_list_or_a_notification(cli: CliRunner) -> None:
    ok(cli("evenings", "add", "--weekly", "fri", "--from", "20:00", "--to", "23:00",
           "--title", "Board\x1b[2J games\r\n", "--friends", "Sanne,\x07, Jo\x01ris\u202e"))  # fmt: skip
    (evening,) = listed(cli)
    assert evening["title"] == "Board [2J games"
    assert evening["friends"] == ["Sanne", "Jo ris"]
