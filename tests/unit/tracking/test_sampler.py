"""The sampler over a real database with a fake clock: what a person in front of the screen would see counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from fakes import FakeClock, ScriptedDesktop
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind
from middenweg.domain.weeks import IsoWeek, week_boundaries
from middenweg.privacy import TitlePolicy
from middenweg.rules import builtin_rules
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store
from middenweg.tracking.runner import StoreSink
from middenweg.tracking.sampler import Sampler, TrackState

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 11, 18, 20, 0, tzinfo=AMS).timestamp()
WHATSAPP = ("WhatsApp", "WhatsApp")
FACEBOOK = ("firefox", "(2) Facebook — Mozilla Firefox")
EDITOR = ("Code", "plan.md - notes - Visual Studio Code")


class Rig:
    def __init__(self, path: Path, start: float = START, **options: object) -> None:
        self.path = path
        self.store = Store.open(path)
        self.device = self.store.ensure_device(DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER))
        self.clock = FakeClock(start)
        self.desk = ScriptedDesktop(self.clock)
        self.paused_until = 0.0
        self.sampler = Sampler(
            self.desk, self.desk, self.desk_media(), builtin_rules(), StoreSink(self.store, self.device),
            paused=lambda wall: wall < self.paused_until, **options,  # type: ignore[arg-type]
        )  # fmt: skip
        self.states: list[TrackState] = []

    def desk_media(self) -> object:
        desk = self.desk

        class Media:
            name = "scripted"

            def playing(self) -> bool | None:
                return desk.playing

            def close(self) -> None:
                pass

        return Media()

    def run(self, seconds: int, window: tuple[str, str | None] | None, *, typing: bool = True) -> None:
        self.desk.window = window
        for _ in range(seconds):
            if typing:
                self.desk.input()
            self.states.append(self.sampler.tick(self.clock.now, self.clock.mono).state)
            self.clock.advance(1)

    def seconds(self, store: Store | None = None) -> dict[Category, int]:
        return (store or self.store).category_totals(0, 4_000_000_000)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    r = Rig(tmp_path / "m.sqlite3")
    yield r
    r.store.close()


def test_each_category_gets_the_seconds_it_was_in_front(rig: Rig) -> None:
    rig.run(60, WHATSAPP)
    rig.run(30, FACEBOOK)
    rig.run(30, EDITOR)
    rig.sampler.stop()
    assert rig.seconds() == {Category.MESSAGING: 60, Category.SOCIAL: 30, Category.OTHER: 29}


def test_time_away_from_the_keyboard_is_not_counted(rig: Rig) -> None:
    rig.run(100, FACEBOOK)  # scrolling
    rig.run(400, FACEBOOK, typing=False)  # walked away with Facebook open
    rig.run(20, FACEBOOK)  # back
    rig.sampler.stop()
    assert TrackState.AWAY in rig.states
    # 100 s before leaving (the last input was at the 100th tick, 99 s after the first) and 19 s after coming back.
    assert rig.seconds()[Category.SOCIAL] == 99 + 19


def test_a_playing_video_counts_without_input(rig: Rig) -> None:
    rig.desk.playing = True
    rig.run(10, ("Google-chrome", "Cat video - YouTube - Google Chrome"))
    rig.run(300, ("Google-chrome", "Cat video - YouTube - Google Chrome"), typing=False)
    rig.sampler.stop()
    assert rig.seconds()[Category.SOCIAL] == 309


def test_a_locked_screen_is_not_counted(rig: Rig) -> None:
    rig.run(30, WHATSAPP)
    rig.run(60, None)
    rig.run(10, WHATSAPP)
    rig.sampler.stop()
    assert rig.seconds()[Category.MESSAGING] == 29 + 9


def test_suspend_adds_nothing(rig: Rig) -> None:
    rig.run(20, WHATSAPP)
    rig.clock.now += 8 * 3600  # the lid was closed: the wall clock moved, the monotonic clock did not
    rig.run(20, WHATSAPP)
    rig.sampler.stop()
    assert rig.seconds()[Category.MESSAGING] == 19 + 19


@pytest.mark.parametrize("jump", [-3600, 86400, 5])
def test_clock_jumps_add_nothing_and_count_nothing_twice(rig: Rig, jump: int) -> None:
    rig.run(20, WHATSAPP)
    rig.clock.now += jump
    rig.run(20, FACEBOOK)
    rig.sampler.stop()
    seconds = rig.seconds()
    assert seconds[Category.MESSAGING] == 19
    if jump < 0:
        # After the clock went back an hour, nothing is recorded until it passes the last recorded moment again.
        assert seconds[Category.SOCIAL] == 0
    else:
        assert seconds[Category.SOCIAL] == 19


def test_a_dst_change_is_not_a_jump(tmp_path: Path) -> None:
    start = datetime(2026, 10, 25, 0, 30, tzinfo=UTC).timestamp()  # 02:30 CEST, half an hour before the change
    rig = Rig(tmp_path / "m.sqlite3", start=start)
    rig.run(3600, EDITOR)
    rig.sampler.stop()
    bounds = week_boundaries(IsoWeek(2026, 43), AMS)
    assert rig.store.category_totals(bounds[0], bounds[-1])[Category.OTHER] == 3599


def test_a_pause_records_nothing(rig: Rig) -> None:
    rig.run(10, WHATSAPP)
    rig.paused_until = rig.clock.now + 30
    rig.run(60, WHATSAPP)
    rig.sampler.stop()
    assert rig.seconds()[Category.MESSAGING] == 9 + 29
    assert TrackState.PAUSED in rig.states


def test_a_crash_loses_at_most_the_flush_interval(rig: Rig) -> None:
    rig.run(95, WHATSAPP)  # no stop(): the process is killed here
    survivor = Store.open(rig.path)
    counted = rig.seconds(survivor)[Category.MESSAGING]
    survivor.close()
    assert 95 - 1 - 10 <= counted <= 94


def test_titles_are_stored_only_as_the_policy_allows(tmp_path: Path) -> None:
    for policy, expected in [
        (TitlePolicy.SOCIAL_ONLY, {"WhatsApp": "WhatsApp", "Code": None, "keepassxc": None}),
        (TitlePolicy.ALL, {"WhatsApp": "WhatsApp", "Code": EDITOR[1], "keepassxc": None}),
        (TitlePolicy.NONE, {"WhatsApp": None, "Code": None, "keepassxc": None}),
    ]:
        rig = Rig(tmp_path / f"{policy.value}.sqlite3", policy=policy)
        rig.run(5, WHATSAPP)
        rig.run(5, EDITOR)
        rig.run(5, ("keepassxc", "bank.kdbx - KeePassXC"))
        rig.sampler.stop()
        titles = {e.app: e.title for e in rig.store.iter_events()}
        assert titles == expected, policy
        rig.store.close()


def test_titles_none_keeps_out_the_title_of_a_window_seen_before(rig: Rig) -> None:
    rig.sampler.set_privacy(TitlePolicy.ALL, rig.sampler.exclusions)
    rig.run(5, EDITOR)
    rig.run(5, WHATSAPP)
    rig.sampler.set_privacy(TitlePolicy.NONE, rig.sampler.exclusions)  # `config set titles none` while tracking
    rig.run(5, EDITOR)
    rig.sampler.stop()
    assert [(e.app, e.title) for e in rig.store.iter_events()] == [
        ("Code", EDITOR[1]),
        ("WhatsApp", "WhatsApp"),
        ("Code", None),
    ]


def test_hostile_titles_are_cleaned_before_storage(rig: Rig) -> None:
    rig.sampler.policy = TitlePolicy.ALL
    rig.run(3, ("Code", "evil\x00\x1b[31mtitle\u202e" + "x" * 5000))
    rig.run(3, ("Code", b"caf\xe9 \xff".decode("latin-1")))
    rig.sampler.stop()
    titles = [e.title for e in rig.store.iter_events()]
    assert titles[0] is not None and "\x00" not in titles[0] and "\x1b" not in titles[0] and "\u202e" not in titles[0]
    assert len(titles[0]) <= 1000


def test_user_exclusions_keep_titles_out(tmp_path: Path) -> None:
    from middenweg.privacy import DEFAULT_EXCLUSIONS, Exclusions

    exclusions = Exclusions.from_patterns((*DEFAULT_EXCLUSIONS, "title:*bank*"))
    rig = Rig(tmp_path / "m.sqlite3", policy=TitlePolicy.ALL, exclusions=exclusions)
    rig.run(5, ("firefox", "Mijn ING Bank — Mozilla Firefox"))
    rig.run(5, ("firefox", "Private Browsing — Mozilla Firefox"))
    rig.run(5, EDITOR)
    rig.sampler.stop()
    # Both firefox windows lost their titles, so they are one stretch of "firefox" followed by the editor.
    assert [(e.app, e.title, e.duration) for e in rig.store.iter_events()] == [
        ("firefox", None, 10),
        ("Code", EDITOR[1], 4),
    ]
