"""Time faults (issue 9, point 5): the tracker and the scheduler across DST changes, an 8-hour suspend, the clock set
back an hour or forward a day, and a new time zone while running.

Each test plays a scripted stretch of a day through the real Sampler, a real SQLite file and the real Scheduler with
its headless pacer, on a fake clock (``scripted.py``), and checks what a person would notice: the seconds stored
equal what the script did and never the jumped-over time, the weekly report puts them on the right local days, and
each reminder comes once, while it is still useful, also across a restart. Expected moments are written out in UTC
by hand, so zoneinfo's reading of a time that happens twice or never is checked, not assumed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from long_runs import LONG
from scripted import (
    AMS,
    BEFORE,
    CHECKIN,
    EDITOR,
    END,
    FACEBOOK,
    IDLE_AFTER,
    INSTAGRAM,
    ONLINE,
    PHONE,
    SIGNAL,
    START,
    WHATSAPP,
    WIKIPEDIA,
    WORK,
    WRITER,
    YOUTUBE,
    Action,
    Do,
    Jump,
    Restart,
    Rig,
    Step,
    assert_truthful,
    at,
    away,
    check_plan,
    locked,
    read,
    use,
)

from middenweg import timezone
from middenweg.bootstrap import Context
from middenweg.config import Settings
from middenweg.domain.categories import Category
from middenweg.domain.evenings import Evening, EveningKind
from middenweg.domain.events import UsageEvent
from middenweg.domain.weeks import IsoWeek
from middenweg.history import weekly_report
from middenweg.storage.evening_store import EveningStore

NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
THURSDAY = date(2026, 11, 19)
FRIDAY = date(2026, 11, 20)
HOUR = 3600

SLIP_TITLES = ("Your evening is still on", "A gentle reminder", "Offline for a little longer")
YOUTUBE_ROW = (YOUTUBE.app, YOUTUBE.title, YOUTUBE.category, "YouTube")


def is_slip(title: str) -> bool:
    return title in SLIP_TITLES or title.startswith("Still ")


def utc(year: int, month: int, day: int, hh: int, mm: int = 0, ss: int = 0) -> int:
    return int(datetime(year, month, day, hh, mm, ss, tzinfo=UTC).timestamp())


def board_games(rig: Rig, tz: str = "Europe/Amsterdam", **changes: object) -> Evening:
    """Thursdays 19:00–23:00, reminders 30 minutes before and at the start, an end note and a check-in at 09:00."""
    evening = Evening(
        0, "Board games", EveningKind.PHONE_FREE, time(19), time(23), THURSDAY, weekdays=(3,),
        time_zone=tz, friends=("Sanne",), remind_before=(30, 0),
    )  # fmt: skip
    return EveningStore(rig.store).add(replace(evening, **changes), now=0)  # type: ignore[arg-type]


MakeRig = Callable[..., Rig]
MoveTo = Callable[[ZoneInfo], None]


@pytest.fixture
def make_rig(tmp_path: Path) -> Iterator[MakeRig]:
    rigs: list[Rig] = []

    def make(start: int, tz: ZoneInfo = AMS, **options: Any) -> Rig:
        rig = Rig(tmp_path / f"rig{len(rigs)}.sqlite3", start, tz, **options)
        rigs.append(rig)
        return rig

    yield make
    for rig in rigs:
        rig.close()


# -- DST ------------------------------------------------------------------------------------------------------------

DST_NIGHTS = {
    # zone, the Saturday before the change, and the expected moments in UTC (hand-computed):
    # 22:30 and 23:00 Saturday (before, start), the end at 03:00 Sunday, the phone reminder at 02:15 and the
    # weekly summary (Sunday 02:30) -- a time that happens twice comes at its first instance and only then, a time
    # that does not exist comes an hour later on the clock.
    "Amsterdam spring": ("Europe/Amsterdam", date(2026, 3, 28), {
        BEFORE: utc(2026, 3, 28, 21, 30), START: utc(2026, 3, 28, 22), END: utc(2026, 3, 29, 1),
        PHONE: utc(2026, 3, 29, 1, 15), "summary": utc(2026, 3, 29, 1, 30),
    }),
    "Amsterdam autumn": ("Europe/Amsterdam", date(2026, 10, 24), {
        BEFORE: utc(2026, 10, 24, 20, 30), START: utc(2026, 10, 24, 21), END: utc(2026, 10, 25, 2),
        PHONE: utc(2026, 10, 25, 0, 15), "summary": utc(2026, 10, 25, 0, 30),
    }),
    "Sydney autumn": ("Australia/Sydney", date(2026, 4, 4), {
        BEFORE: utc(2026, 4, 4, 11, 30), START: utc(2026, 4, 4, 12), END: utc(2026, 4, 4, 17),
        PHONE: utc(2026, 4, 4, 15, 15), "summary": utc(2026, 4, 4, 15, 30),
    }),
}  # fmt: skip


@pytest.mark.parametrize("night", list(DST_NIGHTS))
def test_a_dst_night_counts_real_seconds_on_the_right_days_and_reminds_once(make_rig: MakeRig, night: str) -> None:
    name, saturday, expected = DST_NIGHTS[night]
    tz = ZoneInfo(name)
    sunday = saturday + timedelta(days=1)
    chosen = replace(Settings.defaults(), weekly_summary=(6, time(2, 30)), phone_reminder=time(2, 15))
    begin = at(saturday, 22, tz=tz)
    rig: Rig = make_rig(begin, tz, settings=chosen)
    board_games(rig, name, first_date=saturday, weekdays=(5,), start=time(23), end=time(3))
    last_week = IsoWeek.containing(saturday).previous()
    rig.preload([UsageEvent(at(last_week.monday, 20, tz=tz), 3 * HOUR, *YOUTUBE_ROW)])  # something to summarise
    plan: list[Action] = [
        use(40 * 60, EDITOR),
        read(90, EDITOR),
        use(50 * 60, WRITER),
        away(15 * 60, WRITER),
        use(70 * 60, FACEBOOK),  # across midnight
        use(2 * HOUR + 20 * 60, WHATSAPP),  # across the change
        away(10 * 60, WHATSAPP),
        locked(40 * 60),
        use(20 * 60, WIKIPEDIA),
    ]
    check_plan(plan)
    rig.play(plan)
    rig.until(at(sunday, 4, 30, tz=tz), locked(0))
    assert_truthful(rig, begin)
    summary = f"Your week {last_week.week} in short"
    shown = [(moment, note.title) for moment, note in rig.shown.notes if not is_slip(note.title)]
    assert shown == sorted(
        [
            (begin, PHONE),  # Saturday's, at once: 02:15 has passed that day
            *((moment, summary if key == "summary" else key) for key, moment in expected.items()),
        ]
    )


def test_the_night_the_clocks_go_back_counts_each_real_second_once(make_rig: MakeRig) -> None:
    """From 01:30 to 03:30 on the clock is three real hours when the clocks go back; all three are counted, once."""
    sunday = date(2026, 10, 25)
    begin = at(sunday, 1, 30)
    rig: Rig = make_rig(begin)
    rig.play([use(3 * HOUR, SIGNAL)])
    assert datetime.fromtimestamp(rig.now, AMS).strftime("%H:%M %Z") == "03:30 CET"
    assert_truthful(rig, begin)
    report = weekly_report(rig.store, IsoWeek.containing(sunday), AMS, None)
    assert report.days[6].seconds.messaging == 3 * HOUR - 1


# -- suspend --------------------------------------------------------------------------------------------------------


def test_an_8_hour_suspend_through_the_start_adds_nothing_and_starts_now_comes_late(make_rig: MakeRig) -> None:
    begin = at(THURSDAY, 11)
    rig: Rig = make_rig(begin)
    board_games(rig)
    rig.play([use(5 * 60, EDITOR), Jump(8 * HOUR), use(3 * 60, EDITOR), use(5 * 60, WHATSAPP), use(10 * 60, EDITOR)])
    # Resumed at 19:05:00: "starts now" is still useful for 15 minutes, the 18:30 reminder no longer is.
    assert rig.shown.titled(BEFORE, START, END) == [(at(THURSDAY, 19, 5), START)]
    # Chatting during the evening: one gentle nudge, at once.
    assert [moment for moment, note in rig.shown.notes if note.title in SLIP_TITLES] == [at(THURSDAY, 19, 8)]
    rig.until(at(THURSDAY, 23, 20), locked(0))
    assert rig.shown.titled(END) == [(at(THURSDAY, 23), END)]
    assert_truthful(rig, begin)
    assert rig.truth.day(THURSDAY) == {Category.MESSAGING: 300, Category.OTHER: 299 + 180 + 599, Category.SOCIAL: 0}


def test_an_8_hour_suspend_overnight_skips_the_end_note_and_asks_the_check_in_in_the_morning(make_rig: MakeRig) -> None:
    begin = at(THURSDAY, 22, 40)
    rig: Rig = make_rig(begin)
    board_games(rig)
    rig.play([use(10 * 60, INSTAGRAM), Jump(8 * HOUR), use(HOUR, EDITOR)])  # the lid closed 22:50, opened 06:50
    rig.until(at(FRIDAY, 9, 1), locked(0))
    assert rig.shown.titled(END, CHECKIN) == [(at(FRIDAY, 9), CHECKIN)]  # the end note is no use at 06:50
    assert_truthful(rig, begin)
    assert rig.truth.day(THURSDAY)[Category.SOCIAL] == 599 and rig.truth.day(FRIDAY)[Category.OTHER] == HOUR - 1


def test_a_suspend_while_idle_keeps_at_most_the_idle_seconds_before_it(make_rig: MakeRig) -> None:
    """Closing the lid a minute after the last input: that minute may count as reading (the tracker cannot tell
    reading from leaving), the eight hours never do, and nothing before the last input is taken back."""
    begin = at(THURSDAY, 14)
    rig: Rig = make_rig(begin)
    rig.play([use(600, EDITOR), read(60, EDITOR), Jump(8 * HOUR), locked(10 * 60)])
    rig.stop()
    assert rig.store.category_totals(begin, 2**40)[Category.OTHER] == 600 + 59


# -- the clock set back an hour -------------------------------------------------------------------------------------


def test_the_clock_set_back_an_hour_counts_nothing_twice_and_repeats_no_reminder(make_rig: MakeRig) -> None:
    begin = at(THURSDAY, 18)
    rig: Rig = make_rig(begin)
    board_games(rig)
    rig.play([use(70 * 60, EDITOR), Jump(-HOUR), use(2 * HOUR, WRITER)])  # at 19:10 the clock says 18:10 again
    assert rig.shown.titled(BEFORE, START) == [(at(THURSDAY, 18, 30), BEFORE), (at(THURSDAY, 19), START)]
    rig.until(at(THURSDAY, 23, 30), locked(0))
    assert rig.shown.titled(END) == [(at(THURSDAY, 23), END)]
    assert_truthful(rig, begin)
    # The re-lived hour (18:10–19:10 on the clock) is not recorded again: 70 minutes of the editor (its last second
    # ends at the jump), then Writer from 19:09:59 on the clock to 20:09:59.
    assert rig.truth.day(THURSDAY)[Category.OTHER] == 70 * 60 - 1 + HOUR


@pytest.mark.parametrize("meanwhile", ["away", "locked"])
def test_going_away_after_the_clock_went_back_takes_back_nothing_from_before_the_jump(
    make_rig: MakeRig, meanwhile: str
) -> None:
    """The person stops typing, the clock goes back an hour (NTP, a dual-boot clock), and they stay away: the time
    since their last input is taken back, never the hour recorded before the jump."""
    begin = at(THURSDAY, 14)
    rig: Rig = make_rig(begin)
    if meanwhile == "away":
        plan: list[Action] = [use(40 * 60, EDITOR), away(100, EDITOR), Jump(-HOUR), away(10 * 60, EDITOR)]
    else:
        plan = [use(40 * 60, EDITOR), locked(100), Jump(-HOUR), locked(10 * 60)]
    rig.play([*plan, use(2 * HOUR, WHATSAPP)])
    assert_truthful(rig, begin - HOUR)
    # 40 minutes of editing are kept; chat counts from where the clock had been (14:41:39) to the end (15:51:39).
    assert rig.truth.day(THURSDAY) == {Category.OTHER: 40 * 60 - 1, Category.MESSAGING: 70 * 60, Category.SOCIAL: 0}


def test_a_restart_after_the_clock_went_back_keeps_the_hour_recorded_before(make_rig: MakeRig) -> None:
    """The tracker is restarted (a login, an update) while the clock shows moments it already recorded: the new
    tracker records nothing until the clock passes them, and never replaces the recorded hour."""
    begin = at(THURSDAY, 14)
    rig: Rig = make_rig(begin)
    board_games(rig)
    rig.play([use(HOUR, EDITOR), Jump(-HOUR), use(10 * 60, FACEBOOK), Restart(), use(2 * HOUR, WHATSAPP)])
    assert_truthful(rig, begin - HOUR)
    assert rig.truth.day(THURSDAY)[Category.OTHER] == HOUR - 1
    assert rig.truth.day(THURSDAY)[Category.SOCIAL] == 0


# -- the clock set forward a day ------------------------------------------------------------------------------------


def test_the_clock_set_forward_a_day_adds_no_day_and_only_the_check_in_is_still_useful(make_rig: MakeRig) -> None:
    begin = at(THURSDAY, 17, 30)
    rig: Rig = make_rig(begin)
    board_games(rig)
    rig.play([use(30 * 60, YOUTUBE), Jump(24 * HOUR), use(30 * 60, EDITOR)])  # 18:00 Thursday becomes 18:00 Friday
    # Thursday's reminders are over; the check-in about Thursday is asked at once (it is useful until next week).
    assert rig.shown.titled(BEFORE, START, END, CHECKIN) == [(at(FRIDAY, 18), CHECKIN)]
    assert_truthful(rig, begin)
    assert rig.truth.day(THURSDAY) == {Category.SOCIAL: 30 * 60 - 1, Category.MESSAGING: 0, Category.OTHER: 0}
    assert rig.truth.day(FRIDAY) == {Category.SOCIAL: 0, Category.MESSAGING: 0, Category.OTHER: 30 * 60 - 1}


def test_a_restart_after_the_clock_went_forward_records_on(make_rig: MakeRig) -> None:
    begin = at(THURSDAY, 9)
    rig: Rig = make_rig(begin)
    rig.play([use(HOUR, EDITOR), Jump(24 * HOUR), Restart(), use(HOUR, SIGNAL)])
    assert_truthful(rig, begin)
    assert rig.truth.day(FRIDAY)[Category.MESSAGING] == HOUR - 1


# -- a new time zone while running ----------------------------------------------------------------------------------


@pytest.fixture
def system_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MoveTo]:
    """/etc/localtime as the app reads it (no TZ, time-zone "system"), pointed at a zone file the test chooses:
    what `timedatectl set-timezone` does while Middenweg runs."""
    link = tmp_path / "localtime"
    monkeypatch.setattr(timezone, "_LOCALTIME", link)
    zoneinfo_dir = Path("/usr/share/zoneinfo")

    def move_to(zone: ZoneInfo) -> None:
        link.unlink(missing_ok=True)
        link.symlink_to(zoneinfo_dir / str(zone.key))

    yield move_to


def test_after_moving_to_new_york_the_scheduler_and_reports_follow_the_new_zone(
    make_rig: MakeRig, system_zone: MoveTo, tmp_path: Path
) -> None:
    system_zone(AMS)
    ctx = Context.create({"MIDDENWEG_HOME": str(tmp_path / "home"), "LANGUAGE": "en"})
    assert ctx.tz.key == "Europe/Amsterdam"
    chosen = replace(Settings.defaults(), phone_reminder=time(21, 30))
    sunday, monday = date(2026, 11, 22), date(2026, 11, 23)
    begin = at(sunday, 8)
    rig: Rig = make_rig(begin, NEW_YORK, settings=chosen, zone=lambda: ctx.tz)
    board_games(rig)  # planned in Amsterdam: it stays at 19:00 Amsterdam time wherever the laptop goes
    rig.play([use(2 * HOUR, FACEBOOK)])
    system_zone(NEW_YORK)  # 10:00 in Amsterdam is 04:00 in New York
    assert ctx.tz.key == "America/New_York"
    rig.play([locked(HOUR), use(2 * HOUR, SIGNAL)])
    rig.until(at(monday, 9, 1, tz=NEW_YORK), locked(0))
    # The phone reminder comes at 21:30 New York time, once (not also at 21:30 Amsterdam); the summary of week 47
    # on Monday at 09:00 in New York, not at 09:00 in Amsterdam.
    assert rig.shown.titled(PHONE) == [(at(sunday, 21, 30, tz=NEW_YORK), PHONE)]
    assert rig.shown.starting("Your week") == [(at(monday, 9, tz=NEW_YORK), "Your week 47 in short")]
    assert rig.truth.day(sunday) == {Category.SOCIAL: 2 * HOUR - 1, Category.MESSAGING: 2 * HOUR - 1, Category.OTHER: 0}
    thursday = date(2026, 11, 26)  # the laptop stays closed until Thursday, 12:55 in New York
    rig.play([Jump(at(thursday, 12, 55, tz=NEW_YORK) - rig.now)])
    rig.until(at(thursday, 13, 1, tz=NEW_YORK), locked(0))
    assert rig.shown.titled(START) == [(at(thursday, 19), START)]  # 19:00 in Amsterdam, where it was planned
    assert at(thursday, 19) == at(thursday, 13, tz=NEW_YORK)
    assert_truthful(rig, begin)  # days cut at New York midnights: the Facebook morning is Sunday 02:00–04:00 there


def test_flying_east_and_back_shows_the_summary_and_each_day_s_phone_reminder_once(
    make_rig: MakeRig, system_zone: MoveTo, tmp_path: Path
) -> None:
    system_zone(AMS)
    ctx = Context.create({"MIDDENWEG_HOME": str(tmp_path / "home"), "LANGUAGE": "en"})
    chosen = replace(Settings.defaults(), phone_reminder=time(21, 30))
    sunday, monday = date(2026, 11, 22), date(2026, 11, 23)
    begin = at(sunday, 21)
    rig: Rig = make_rig(begin, AMS, settings=chosen, zone=lambda: ctx.tz)
    rig.preload([UsageEvent(at(date(2026, 11, 18), 20), HOUR, *YOUTUBE_ROW)])
    rig.play([use(40 * 60, WHATSAPP)])
    assert rig.shown.titled(PHONE) == [(at(sunday, 21, 30), PHONE)]
    system_zone(TOKYO)  # closed for the flight at 21:40; opened in Tokyo 11 hours later: Monday 16:40 there
    rig.play([Jump(11 * HOUR), use(HOUR, WHATSAPP)])
    landed = at(monday, 16, 40, tz=TOKYO)
    assert rig.shown.starting("Your week") == [(landed, "Your week 47 in short")]  # 09:00 in Tokyo has passed
    rig.until(at(monday, 21, 31, tz=TOKYO), locked(0))
    system_zone(AMS)  # the zone set back by hand: it is Monday 13:31 in Amsterdam, the same date
    rig.play([use(10 * 60, SIGNAL)])
    rig.until(at(monday, 21, 31), locked(0))
    assert rig.shown.titled(PHONE) == [(at(sunday, 21, 30), PHONE), (at(monday, 21, 30, tz=TOKYO), PHONE)]
    assert len(rig.shown.starting("Your week")) == 1  # back after 09:00 on Monday: week 47 was summarised
    assert_truthful(rig, begin)


# -- random jumps in a scripted evening -----------------------------------------------------------------------------

REMINDERS = {  # the Thursday evening's reminders: (due, still useful until) by title
    BEFORE: (at(THURSDAY, 18, 30), at(THURSDAY, 19)),
    START: (at(THURSDAY, 19), at(THURSDAY, 19, 15)),
    END: (at(THURSDAY, 23), at(THURSDAY, 23, 15)),
    CHECKIN: (at(FRIDAY, 9), at(date(2026, 11, 26), 19)),
}


@st.composite
def evenings_with_jumps(draw: st.DrawFn) -> list[Action]:
    """About six hours of a Thursday evening: use, reading, walking away, a locked screen, with clock jumps
    (suspends, the clock set back or forward) and restarts between the steps."""
    plan: list[Action] = []
    last: Step | None = None
    ahead = 0  # keep the clock before next Thursday's evening, so each title below is about this one
    paused = 0  # seconds of restart pauses since the last step (idle time runs on during them)
    for _ in range(draw(st.integers(3, 10))):
        window = draw(st.sampled_from((*ONLINE, *WORK)))
        kind = draw(st.sampled_from(["use", "use", "read", "away", "locked"]))
        seconds = draw(st.integers(5, 20 * 60))
        if kind == "read" and last is not None and last.window is not None and last.do is Do.USE:
            plan.append(read(min(seconds, IDLE_AFTER - 10 - paused), draw(st.sampled_from((window, last.window)))))
            plan.append(use(draw(st.integers(1, 600)), window))
        elif kind == "away" and last is not None and last.window is not None and last.do is Do.USE:
            plan.append(away(IDLE_AFTER + 1 + seconds, last.window))
        elif kind == "locked":
            plan.append(locked(seconds))
        else:
            plan.append(use(seconds, window))
        last, paused = plan[-1], 0  # type: ignore[assignment]
        between = draw(st.sampled_from(["nothing", "nothing", "suspend", "back", "forward", "restart"]))
        if between in ("suspend", "forward") and ahead < 4 * 24 * HOUR:
            seconds = draw(st.integers(3, 9 * HOUR if between == "suspend" else 26 * HOUR))
            ahead += seconds
            plan.append(Jump(seconds))
        elif between == "back":
            plan.append(Jump(-draw(st.integers(3, 2 * HOUR))))
        elif between == "restart":
            paused = draw(st.integers(1, 120))
            plan.append(Restart(paused))
    return plan


def play_an_evening_with_jumps(plan: list[Action]) -> None:
    check_plan(plan)
    begin = at(THURSDAY, 18)
    with tempfile.TemporaryDirectory() as folder:
        rig = Rig(Path(folder) / "m.sqlite3", begin, AMS)
        try:
            check_evening_with_jumps(rig, plan, begin)
        finally:
            rig.close()


def check_evening_with_jumps(rig: Rig, plan: list[Action], begin: int) -> None:
    board_games(rig)
    ticks: list[int] = []
    original = rig.truth.tick

    def watch(wall: int, mono: int, window: object) -> None:
        ticks.append(wall)
        original(wall, mono, window)  # type: ignore[arg-type]

    rig.truth.tick = watch  # type: ignore[method-assign]
    rig.play(plan)
    assert_truthful(rig, min(ticks, default=begin))
    # Each reminder comes at the first tick in its useful window, whatever order the clock showed them in; once.
    for title, (due, until) in REMINDERS.items():
        moments = [t for t in ticks if due <= t < until]
        assert rig.shown.titled(title) == ([(moments[0], title)] if moments else []), title


@settings(max_examples=20, deadline=None)
@given(plan=evenings_with_jumps())
def test_random_jumps_in_an_evening_never_add_time_and_show_each_useful_reminder_once(plan: list[Action]) -> None:
    play_an_evening_with_jumps(plan)


@pytest.mark.slow
@pytest.mark.skipif(not LONG, reason="the long run: MIDDENWEG_LONG=1")
@settings(max_examples=1000, deadline=None)
@given(plan=evenings_with_jumps())
def test_many_random_jumps_in_an_evening(plan: list[Action]) -> None:
    play_an_evening_with_jumps(plan)
