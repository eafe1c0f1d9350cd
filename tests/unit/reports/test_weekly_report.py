"""The weekly report's numbers: per day, totals, change against last week, top apps, JSON shape."""

from __future__ import annotations

import json

from middenweg.domain.age import AgeGroup
from middenweg.domain.categories import Category
from middenweg.domain.weeks import IsoWeek
from middenweg.reference.compare import compare
from middenweg.reports.weekly import build_weekly_report, percent_change
from middenweg.storage.records import DayUsage as Row

ROWS = [
    Row(0, Category.SOCIAL, "YouTube", 3600),
    Row(0, Category.SOCIAL, "Facebook", 600),
    Row(2, Category.SOCIAL, "YouTube", 1800),
    Row(2, Category.MESSAGING, "WhatsApp", 900),
    Row(6, Category.OTHER, "Code", 7200),
]


def test_days_totals_and_top_apps() -> None:
    report = build_weekly_report(
        IsoWeek(2026, 47), "Europe/Amsterdam", ROWS, {Category.SOCIAL: 3000}, compare(AgeGroup.AGE_25_34)
    )
    assert next(d.date.isoformat() for d in report.days) == "2026-11-16"
    assert report.days[0].seconds.social == 4200
    assert report.days[2].seconds.messaging == 900
    assert report.days[6].seconds.other == 7200
    assert (report.totals.social, report.totals.messaging, report.totals.other) == (6000, 900, 7200)
    assert report.totals.online == 6900
    assert [(a.label, a.seconds) for a in report.top_apps if a.category is Category.SOCIAL] == [
        ("YouTube", 5400),
        ("Facebook", 600),
    ]
    change = report.change_percent
    assert change["social"] == 100.0
    assert change["messaging"] is None  # nothing last week: no percentage to invent
    assert change["total"] == round((14100 - 3000) * 100 / 3000, 1)


def test_json_has_the_documented_shape() -> None:
    report = build_weekly_report(IsoWeek(2026, 44), "Europe/Amsterdam", [], {}, compare(None))
    data = json.loads(json.dumps(report.to_json()))
    assert data["week"] == "2026-W44" and data["timezone"] == "Europe/Amsterdam"
    assert [d["date"] for d in data["days"]] == [
        f"2026-{d}" for d in ("10-26", "10-27", "10-28", "10-29", "10-30", "10-31", "11-01")
    ]
    assert data["days"][0]["seconds"] == {"social": 0, "messaging": 0, "other": 0}
    assert data["totals"] == data["previous_week_totals"] == {"social": 0, "messaging": 0, "other": 0}
    assert data["change_percent"] == {"social": None, "messaging": None, "other": None, "total": None}
    assert data["top_apps"] == []
    assert set(data["reference"]) == {"age_group", "primary", "secondary", "caveat"}


def test_percent_change() -> None:
    assert percent_change(150, 100) == 50.0
    assert percent_change(0, 100) == -100.0
    assert percent_change(5, 0) is None
