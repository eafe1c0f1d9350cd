"""The weekly report and the 12-week totals for chosen devices only (the dashboard's device filter), over a real
SQLite file: a laptop and a phone, in week 47 of 2026 and the week before."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from middenweg.domain.age import AgeGroup
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, Scope, UsageEvent
from middenweg.domain.weeks import IsoWeek
from middenweg.history import weekly_report, weekly_totals
from middenweg.reports.weekly import CategorySeconds
from middenweg.storage.records import DeviceRecord, DeviceSpec
from middenweg.storage.store import Store

AMS = ZoneInfo("Europe/Amsterdam")
W47 = IsoWeek(2026, 47)  # Monday 16 to Sunday 22 November


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=AMS).timestamp())


def event(start: str, seconds: int, category: Category, label: str) -> UsageEvent:
    return UsageEvent(at(start), seconds, label, None, category, label)


@pytest.fixture
def devices(store: Store) -> tuple[DeviceRecord, DeviceRecord]:
    laptop = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    phone = store.ensure_device(DeviceSpec("android:pixel_7a", "pixel_7a", DeviceKind.PHONE))
    store.add_events(
        laptop,
        [
            event("2026-11-16T20:00:00", 5400, Category.SOCIAL, "YouTube"),
            event("2026-11-18T21:00:00", 1800, Category.MESSAGING, "WhatsApp"),
            event("2026-11-19T10:00:00", 3600, Category.OTHER, "Code"),
            event("2026-11-12T20:00:00", 3600, Category.SOCIAL, "Facebook"),  # the week before
        ],
    )
    store.add_events(
        phone,
        [
            event("2026-11-16T08:00:00", 1200, Category.SOCIAL, "Instagram"),
            event("2026-11-18T08:00:00", 2400, Category.MESSAGING, "WhatsApp"),
            event("2026-11-11T08:00:00", 600, Category.MESSAGING, "Signal"),  # the week before
        ],
    )
    return laptop, phone


def test_a_report_for_one_device_holds_that_device_alone(
    store: Store, devices: tuple[DeviceRecord, DeviceRecord]
) -> None:
    laptop, phone = devices
    report = weekly_report(store, W47, AMS, AgeGroup.AGE_25_34, device_ids=[phone.id])
    assert report.totals == CategorySeconds(social=1200, messaging=2400, other=0)
    assert [day.seconds.online for day in report.days] == [1200, 0, 2400, 0, 0, 0, 0]
    assert report.previous_week_totals == CategorySeconds(messaging=600)
    assert [(app.label, app.seconds) for app in report.top_apps] == [("Instagram", 1200), ("WhatsApp", 2400)]
    assert [(d.uid, d.name, d.kind) for d in report.devices] == [(phone.uid, "pixel_7a", DeviceKind.PHONE)]
    assert report.scope is Scope.PHONE

    computer = weekly_report(store, W47, AMS, AgeGroup.AGE_25_34, device_ids=[laptop.id])
    assert computer.totals == CategorySeconds(social=5400, messaging=1800, other=3600)
    assert computer.previous_week_totals == CategorySeconds(social=3600)
    assert [d.uid for d in computer.devices] == [laptop.uid]
    assert computer.scope is Scope.THIS_COMPUTER


def test_without_device_ids_the_report_is_the_sum_of_every_device(
    store: Store, devices: tuple[DeviceRecord, DeviceRecord]
) -> None:
    laptop, phone = devices
    whole = weekly_report(store, W47, AMS, AgeGroup.AGE_25_34)
    both = weekly_report(store, W47, AMS, AgeGroup.AGE_25_34, device_ids=[laptop.id, phone.id])
    assert whole == both
    assert whole.totals == CategorySeconds(social=6600, messaging=4200, other=3600)
    assert whole.previous_week_totals == CategorySeconds(social=3600, messaging=600)
    assert whole.scope is Scope.WITH_PHONE
    assert {d.uid for d in whole.devices} == {laptop.uid, phone.uid}


def test_a_device_without_time_that_week_gives_an_empty_report(
    store: Store, devices: tuple[DeviceRecord, DeviceRecord]
) -> None:
    tablet = store.ensure_device(DeviceSpec("tablet", "Tablet", DeviceKind.COMPUTER))
    report = weekly_report(store, W47, AMS, None, device_ids=[tablet.id])
    assert report.totals == CategorySeconds() and report.devices == () and report.top_apps == ()


def test_weekly_totals_for_one_device(store: Store, devices: tuple[DeviceRecord, DeviceRecord]) -> None:
    laptop, phone = devices
    on_phone = weekly_totals(store, W47, 3, AMS, device_ids=[phone.id])
    assert [week for week, _totals in on_phone] == [IsoWeek(2026, 45), IsoWeek(2026, 46), W47]
    assert [totals for _week, totals in on_phone] == [
        {"social": 0, "messaging": 0, "other": 0},
        {"social": 0, "messaging": 600, "other": 0},
        {"social": 1200, "messaging": 2400, "other": 0},
    ]
    on_laptop = weekly_totals(store, W47, 3, AMS, device_ids=[laptop.id])
    whole = weekly_totals(store, W47, 3, AMS)
    for (week, phone_totals), (_, laptop_totals), (_, all_totals) in zip(on_phone, on_laptop, whole, strict=True):
        assert {k: phone_totals[k] + laptop_totals[k] for k in all_totals} == all_totals, week
