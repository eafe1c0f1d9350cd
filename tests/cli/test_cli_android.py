"""An ActivityWatch for Android export through the command line, as a person would bring in their phone.

The export (tests/unit/interchange/data/android_export.json) has the buckets aw-android writes: the app bucket
(``currentwindow``, app names and packages), the unlock bucket (``os.lockscreen.unlocks``) and the screen on/off
bucket. It is written from aw-android's source, not recorded from a phone: there is no Android device here.
Tuesday 10 March 2026, UTC: WhatsApp 18:00:00-18:01:06, Instagram 18:01:06-18:06:06, the launcher 18:10:00-18:10:12,
unlocks at 17:59:58 and 18:10:00 (Amsterdam is UTC+1 then, so all of it is on the Tuesday there too).
"""

from __future__ import annotations

from pathlib import Path

from test_cli_history import failed, ok, per_day, report

from clirunner import CliRunner

EXPORT = Path(__file__).parents[1] / "unit" / "interchange" / "data" / "android_export.json"
WEEK = "2026-W11"
TUESDAY = "2026-03-10"


def phone_of(data: dict) -> dict:  # type: ignore[type-arg]
    (phone,) = [device for device in data["devices"] if device["kind"] == "phone"]
    return phone  # type: ignore[no-any-return]


def test_the_phones_day_has_its_apps_in_their_categories_and_its_unlocks(cli: CliRunner) -> None:
    out = ok(cli("import", "activitywatch", str(EXPORT))).out
    assert "pixel_7a (phone): added 6 min" in out and "2 unlocks" in out
    data = report(cli, WEEK)
    phone = phone_of(data)
    assert phone["name"] == "pixel_7a"
    assert per_day(phone)[TUESDAY] == {"social": 300, "messaging": 66, "other": 12}
    assert phone["unlocks"] == [0, 2, 0, 0, 0, 0, 0]
    assert data["totals"] == phone["totals"]  # the only device
    assert data["comparison_scope"] == "phone"
    top = [(a["app"], a["category"], a["seconds"]) for a in data["top_apps"]]
    assert top == [("Instagram", "social", 300), ("WhatsApp", "messaging", 66), ("Pixel Launcher", "other", 12)]


def test_importing_it_twice_counts_it_once(cli: CliRunner) -> None:
    ok(cli("import", "activitywatch", str(EXPORT)))
    first = report(cli, WEEK)
    again = ok(cli("import", "activitywatch", str(EXPORT))).out
    assert "added 0 min; skipped 6 min already recorded" in again and "unlock" not in again
    assert report(cli, WEEK) == first


def test_a_damaged_copy_imports_nothing_and_says_why(cli: CliRunner, tmp_path: Path) -> None:
    ok(cli("import", "activitywatch", str(EXPORT)))
    before = report(cli, WEEK)
    damaged = tmp_path / "phone-damaged.json"
    text = EXPORT.read_text(encoding="utf-8")
    damaged.write_text(text[: len(text) // 2], encoding="utf-8")  # cut off half-way, as by a failed download
    failed(cli("import", "activitywatch", str(damaged)), "phone-damaged.json", "seems cut off")
    assert report(cli, WEEK) == before
    fresh = CliRunner(tmp_path / "fresh-home")
    failed(fresh("import", "activitywatch", str(damaged)), "phone-damaged.json")
    assert report(fresh, WEEK)["devices"] == []


def test_the_report_says_it_is_the_phone_in_english_and_dutch(cli: CliRunner) -> None:
    ok(cli("import", "activitywatch", str(EXPORT)))
    assert "on your phone" in ok(cli("report", "--week", WEEK)).out
    assert "op je telefoon" in ok(cli("report", "--week", WEEK, LANGUAGE="nl")).out
