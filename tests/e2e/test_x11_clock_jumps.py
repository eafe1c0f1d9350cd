"""The real X11 probe on Xvfb with an injected clock: suspend and clock jumps add nothing, DST is not a jump."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import Desktop
from fakes import FakeClock
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind
from middenweg.rules import builtin_rules
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store
from middenweg.tracking.platforms.x11 import create_x11
from middenweg.tracking.runner import StoreSink
from middenweg.tracking.sampler import Sampler

pytestmark = [pytest.mark.x11]

START = 1_792_886_400.0  # 2026-10-25 00:00 UTC: the night the clocks go back in Europe


@pytest.fixture
def rig(desktop: Desktop, tmp_path: Path) -> Iterator[tuple[Sampler, FakeClock, Store, Desktop]]:
    store = Store.open(tmp_path / "m.sqlite3")
    device = store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
    probe = create_x11(desktop.display)
    clock = FakeClock(START)
    sampler = Sampler(probe, probe, None, builtin_rules(), StoreSink(store, device), idle_after=600)
    yield sampler, clock, store, desktop
    probe.close()
    store.close()


def ticks(sampler: Sampler, clock: FakeClock, seconds: int) -> None:
    for _ in range(seconds):
        sampler.tick(clock.time(), clock.monotonic())
        clock.advance(1)


def totals(store: Store) -> dict[Category, int]:
    return store.category_totals(0, 2_000_000_000)


def test_suspend_and_jumps_add_nothing_to_what_the_real_probe_saw(
    rig: tuple[Sampler, FakeClock, Store, Desktop],
) -> None:
    sampler, clock, store, desktop = rig
    chat = desktop.open_window("Signal", ("signal", "Signal"))
    desktop.activate(chat)
    ticks(sampler, clock, 30)
    clock.now += 8 * 3600  # suspended overnight: wall time moved, monotonic did not
    ticks(sampler, clock, 30)
    clock.now += 86400  # the clock was set a day ahead
    clock.mono += 1
    ticks(sampler, clock, 30)
    clock.now -= 3600  # and an hour back
    clock.mono += 1
    ticks(sampler, clock, 30)
    sampler.stop()
    # Three stretches of 30 ticks count 29 s each; after the clock went back nothing before the last recorded
    # moment is counted again, so the last stretch adds nothing.
    assert totals(store)[Category.MESSAGING] == 3 * 29


def test_the_dst_change_is_not_a_jump(rig: tuple[Sampler, FakeClock, Store, Desktop]) -> None:
    sampler, clock, store, desktop = rig
    editor = desktop.open_window("notes.md - Visual Studio Code", ("code", "Code"))
    desktop.activate(editor)
    clock.now = START + 3600 - 10  # ten seconds before 03:00 CEST becomes 02:00 CET (01:00 UTC)
    ticks(sampler, clock, 20)
    sampler.stop()
    assert totals(store)[Category.OTHER] == 19
