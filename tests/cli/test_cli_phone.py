"""`middenweg phone`: a day's phone time by hand, corrected, listed, removed, refused clearly when impossible, and
counted in the report (where the comparison then says it counts computer and phone together)."""

from __future__ import annotations

import json

from test_cli_history import failed, ok, report

from clirunner import CliRunner


def test_add_correct_list_and_remove_a_day(cli: CliRunner) -> None:
    out = ok(cli("phone", "add", "--date", "2026-10-20", "--total", "3h10m", "--social", "1h05m", "--messaging", "40m"))
    assert "3 h 10 min in all, of which social 1 h 5 min and messaging 40 min" in out.out
    data = report(cli, "2026-W43")
    assert data["totals"] == {"social": 3900, "messaging": 2400, "other": 5100}
    assert [d["kind"] for d in data["devices"]] == ["phone"] and data["comparison_scope"] == "phone"
    assert "social and messaging apps on your phone;" in ok(cli("report", "--week", "2026-W43")).out

    ok(cli("phone", "add", "--date", "2026-10-20", "--total", "2h", "--social", "30m"))  # a correction
    listed = json.loads(ok(cli("phone", "list", "--days", "400", "--json")).out)
    assert listed == {"days": [{"date": "2026-10-20", "total": 7200, "social": 1800, "messaging": 0, "other": 5400}]}
    assert report(cli, "2026-W43")["totals"] == {"social": 1800, "messaging": 0, "other": 5400}
    ok(cli("phone", "remove", "--date", "2026-10-20"))
    assert report(cli, "2026-W43")["totals"] == {"social": 0, "messaging": 0, "other": 0}
    failed(cli("phone", "remove", "--date", "2026-10-20"), "There is no phone time entered for 2026-10-20")


def test_impossible_entries_are_refused_and_change_nothing(cli: CliRunner) -> None:
    ok(cli("phone", "add", "--date", "2026-10-20", "--total", "1h"))
    failed(cli("phone", "add", "--date", "2026-10-20", "--total", "1h", "--social", "2h"), "more than the total (1 h)")
    failed(cli("phone", "add", "--date", "2026-03-29", "--total", "24h"), "2026-03-29 has 23 hours")
    failed(cli("phone", "add", "--date", "2099-01-01", "--total", "1h"), "has not happened yet")
    failed(cli("phone", "add", "--total", "45"), "'45' is not a duration")
    failed(cli("phone", "add", "--date", "20-10-2026", "--total", "1h"), "is not a date")
    assert report(cli, "2026-W43")["totals"]["other"] == 3600  # the first entry is as it was
    dutch = ok(cli("phone", "add", "--date", "2026-10-21", "--total", "1h", LANGUAGE="nl")).out
    assert "1 u in totaal" in dutch
