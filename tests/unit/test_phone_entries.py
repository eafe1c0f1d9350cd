"""Phone time entered by hand: stored as a phone device's history, corrected by entering the day again, removed,
checked against the length of the day (DST), never re-categorised by the rules, and counted in the weekly report."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from middenweg import phone_entries
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, Scope, UsageEvent
from middenweg.domain.weeks import IsoWeek
from middenweg.history import weekly_report
from middenweg.phone_entries import PhoneDay, PhoneEntryError
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store

AMS = ZoneInfo("Europe/Amsterdam")
FRIDAY = date(2026, 11, 20)


def test_a_day_is_stored_corrected_and_removed(store: Store) -> None:
    phone_entries.save(store, PhoneDay(FRIDAY, 3 * 3600 + 600, 3900, 2400), AMS)
    assert phone_entries.entries(store, [FRIDAY], AMS) == [PhoneDay(FRIDAY, 11400, 3900, 2400)]
    phone_entries.save(store, PhoneDay(FRIDAY, 3600, 600), AMS)  # entered again: replaces, never adds
    assert phone_entries.entries(store, [FRIDAY], AMS) == [PhoneDay(FRIDAY, 3600, 600, 0)]
    [device] = [d for d in store.devices() if d.kind is DeviceKind.PHONE]
    assert device.name == "Phone (entered by hand)"
    assert phone_entries.remove(store, FRIDAY, AMS)
    assert phone_entries.entries(store, [FRIDAY], AMS) == []
    assert not phone_entries.remove(store, FRIDAY, AMS)


def test_a_day_has_its_own_length_and_parts_cannot_exceed_the_total(store: Store) -> None:
    autumn = date(2026, 10, 25)  # 25 hours in Amsterdam
    phone_entries.save(store, PhoneDay(autumn, 25 * 3600), AMS)
    assert phone_entries.entries(store, [autumn], AMS)[0].total == 25 * 3600
    with pytest.raises(PhoneEntryError, match="has 23 hours"):
        phone_entries.save(store, PhoneDay(date(2026, 3, 29), 24 * 3600), AMS)
    with pytest.raises(PhoneEntryError, match="more than the total"):
        phone_entries.save(store, PhoneDay(FRIDAY, 3600, 3000, 1200), AMS)
    assert phone_entries.entries(store, [date(2026, 3, 29)], AMS) == []  # nothing half-stored
    assert phone_entries.entries(store, [FRIDAY], AMS) == []


def test_other_devices_on_the_same_day_are_never_touched(store: Store) -> None:
    laptop = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    noon = 1795172400  # 2026-11-20 12:00 Amsterdam
    store.add_events(laptop, [UsageEvent(noon, 600, "firefox", None, Category.SOCIAL, "Facebook")])
    phone_entries.save(store, PhoneDay(FRIDAY, 7200, 3600, 1800), AMS)
    phone_entries.remove(store, FRIDAY, AMS)
    assert [e.app for e in store.iter_events()] == ["firefox"]


def test_the_report_counts_the_phone_and_the_rules_leave_it_alone(store: Store) -> None:
    laptop = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    store.add_events(laptop, [UsageEvent(1795172400, 600, "firefox", None, Category.SOCIAL, "Facebook")])
    phone_entries.save(store, PhoneDay(FRIDAY, 7200, 3600, 1800), AMS)
    assert store.recategorise(lambda app, title: (Category.MESSAGING, app)) == 1  # only the laptop's window
    report = weekly_report(store, IsoWeek.containing(FRIDAY), AMS, None)
    assert report.totals.social == 3600 and report.totals.messaging == 600 + 1800 and report.totals.other == 1800
    assert report.scope is Scope.WITH_PHONE
    phone = next(d for d in report.devices if d.kind is DeviceKind.PHONE)
    assert phone.totals.online == 5400 and phone.days[4].seconds.total == 7200
    assert {app.label for app in report.top_apps} >= {"Social apps on the phone", "Messaging apps on the phone"}
