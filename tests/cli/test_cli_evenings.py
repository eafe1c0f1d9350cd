"""Planning phone-free evenings from the command line: add, list, skip, move, check in, export, bad input."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from clirunner import CliRunner, Result

AMS = ZoneInfo("Europe/Amsterdam")


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


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
        (("--weekly", "thu", "--from", "19:00", "--to", "23:00", "--remind", "soon"), "before the start"),
    ]:
        result = cli("evenings", "add", *args)
        assert result.code in (1, 2) and needle in result.err and "Traceback" not in result.err, (args, result.err)
    assert listed(cli) == []
