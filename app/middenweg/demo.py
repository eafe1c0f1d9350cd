"""The demo home: a complete, throw-away Middenweg home filled with weeks of realistic synthetic usage.

``middenweg demo`` opens the app on such a home so a person can see the dashboard, charts and comparisons before
any history of their own exists. The history comes from ``middenweg.synthetic`` (seeded, so the same seed, ``now``
and time zone give the same weeks), is categorised by the built-in rules and stored titles the way the default
settings would, and ends at ``now``. This module must never write outside the root it is given, never read or
touch the user's real settings or database (it ignores ``MIDDENWEG_HOME`` and the platform folders), and never
fill a folder that already holds something.
"""

from __future__ import annotations

import random
import socket
import tempfile
from collections.abc import Iterator
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

from middenweg.bootstrap import RULES_FINGERPRINT_KEY
from middenweg.config import set_value
from middenweg.domain.age import AgeGroup
from middenweg.domain.categories import Category
from middenweg.domain.evenings import Evening, EveningKind
from middenweg.domain.events import DeviceKind, WindowActivity
from middenweg.domain.goals import Goal, GoalName
from middenweg.domain.weeks import IsoWeek, local_date
from middenweg.evenings.recurrence import occurrences
from middenweg.history import classify_all, slipped_seconds
from middenweg.i18n import _
from middenweg.paths import Paths
from middenweg.phone_entries import PhoneDay
from middenweg.phone_entries import save as save_phone_day
from middenweg.privacy import DEFAULT_EXCLUSIONS, Exclusions, TitlePolicy
from middenweg.rules import builtin_rules
from middenweg.storage.evening_store import EveningStore
from middenweg.storage.goal_store import GoalStore
from middenweg.storage.records import DeviceSpec
from middenweg.storage.store import Store
from middenweg.synthetic import Day, Mode, generate_days

DEVICE_NAME = "Demo laptop"
AGE_GROUP = AgeGroup.AGE_25_34
#: The week this many weeks before the current one is calmer: most evenings away from the screen, less social
#: media at work, so the weekly chart has a dip to show.
CALM_WEEKS_AGO = 3
#: In the calm week: the share of leisure sittings that still happen, and the share of social visits during work
#: sittings that are skipped.
_CALM_LEISURE_KEPT = 0.35
_CALM_SOCIAL_SKIPPED = 0.6
#: How the demo's earliest evenings went, in turn.
DEMO_RESULTS = ("kept", "partly")


class DemoError(Exception):
    """A demo home that cannot be made; ``str(e)`` says where and what to do."""


def demo_root() -> Path:
    """A fresh, empty folder in the system's temporary folder for a demo home (the caller removes it)."""
    return Path(tempfile.mkdtemp(prefix="middenweg-demo-"))


def demo_paths(root: Path) -> Paths:
    """The settings, data and logs folders of a demo home under ``root``: the layout of ``MIDDENWEG_HOME``."""
    root = root.expanduser().absolute()
    return Paths(root / "config", root / "data", root / "logs")


def make_demo_home(
    root: Path,
    *,
    weeks: int = 6,
    now: float,
    tz: ZoneInfo,
    seed: int = 11,
    host_key: str | None = None,
) -> Path:
    """Create a Middenweg home under ``root`` holding ``weeks`` ISO weeks of usage up to ``now``; return ``root``.

    The last week is the current one, filled only up to ``now``. Settings: age group 25-34, the device name
    "Demo laptop" and the time zone ``tz``. The device's host key is this computer's host name unless ``host_key``
    is given, so a tracker started on the demo home (``Context.local_device``) adds to the demo laptop rather than
    making a second device. ``root`` must be missing or empty; raises ``DemoError`` otherwise (and for a
    folder that cannot be made). The settings' ``SettingsError`` and storage's ``StorageError`` pass through.
    """
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, not {weeks}")
    root = root.expanduser().absolute()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise DemoError(
            _("{folder} is not an empty folder, so Middenweg did not put a demo there. Choose a new folder.").format(
                folder=root
            )
        )
    paths = demo_paths(root)
    try:
        paths.ensure()
    except OSError as error:
        raise DemoError(
            _("Middenweg could not make a demo in {folder}: {problem}. Choose a folder you can write to.").format(
                folder=root, problem=error.strerror or error
            )
        ) from error
    set_value(paths.settings_file, "age-group", AGE_GROUP.value)
    set_value(paths.settings_file, "device-name", DEVICE_NAME)
    if tz.key:
        set_value(paths.settings_file, "time-zone", tz.key)

    ruleset = builtin_rules()
    activities = tuple(demo_activities(weeks=weeks, now=now, tz=tz, seed=seed))
    # Titles as the default settings keep them ("social-only", built-in exclusions): what a new user would have.
    events = classify_all(ruleset, activities, TitlePolicy.SOCIAL_ONLY, Exclusions.from_patterns(DEFAULT_EXCLUSIONS))
    store = Store.open(paths.database_file)
    try:
        host = host_key or socket.gethostname() or "demo-laptop"
        device = store.ensure_device(DeviceSpec(host, DEVICE_NAME, DeviceKind.COMPUTER))
        store.add_events(device, events)
        # The history already follows the built-in rules: opening the home need not categorise it again.
        store.set_meta(RULES_FINGERPRINT_KEY, ruleset.fingerprint)
        _enter_demo_phone_time(store, weeks=weeks, now=int(now), tz=tz, seed=seed)
        _plan_demo_evenings(store, weeks=weeks, now=int(now), tz=tz)
    finally:
        store.close()
    return root


def _enter_demo_phone_time(store: Store, *, weeks: int, now: int, tz: ZoneInfo, seed: int) -> None:
    """A phone's screen time entered by hand for every day before today (today is not over yet), calmer in the calm
    week like the laptop: so the week chart shows the phone's part and the dashboard has a device to choose."""
    current = IsoWeek.containing(local_date(now, tz))
    calm = set(current.shifted(-CALM_WEEKS_AGO).days()) if weeks > CALM_WEEKS_AGO else set()
    rng = random.Random(f"{seed}-phone")
    today = local_date(now, tz)
    for week in range(weeks - 1, -1, -1):
        for day in current.shifted(-week).days():
            if day >= today:
                return
            quiet = day in calm
            social = rng.randint(5, 15) * 60 if quiet else rng.randint(25, 65) * 60
            messaging = rng.randint(15, 45) * 60
            total = social + messaging + rng.randint(30, 90) * 60
            save_phone_day(store, PhoneDay(day, total, social, messaging), tz)


def _plan_demo_evenings(store: Store, *, weeks: int, now: int, tz: ZoneInfo) -> None:
    """A weekly phone-free evening with friends, answered in the mornings after, and two goals: so the Evenings and
    Goals sections have a history and a streak to show. Every past evening is answered (no check-in waits)."""
    evenings, first = EveningStore(store), IsoWeek.containing(local_date(now, tz)).shifted(1 - weeks).monday
    added = evenings.add(
        Evening(0, _("Board games"), EveningKind.PHONE_FREE, time(19), time(23), first, weekdays=(3,),
                time_zone=tz.key or "UTC", friends=("Sanne", "Joris"), remind_before=(30, 0)),
        now=now,
    )  # fmt: skip
    past = [o for o in occurrences(added, [], now - weeks * 7 * 86400, now) if o.end <= now]
    for index, occurrence in enumerate(past):
        from_end = len(past) - 1 - index  # the last three kept (a streak of three), one not kept before them
        result = "kept" if from_end < 3 else "not" if from_end == 3 else DEMO_RESULTS[from_end % 2]
        slipped = slipped_seconds(store.category_totals, added, occurrence)
        evenings.check_in(added.id, occurrence.date, result, slipped, now=occurrence.end + 10 * 3600)
    GoalStore(store).set([Goal(GoalName.WEEKLY_TOTAL, 7 * 3600), Goal(GoalName.EVENINGS_PER_WEEK, 1)], (), now)


def demo_activities(*, weeks: int, now: float, tz: ZoneInfo, seed: int) -> Iterator[WindowActivity]:
    """The demo's window activity: ``weeks`` ISO weeks ending with the one holding ``now``, cut off at ``now``."""
    current = IsoWeek.containing(local_date(int(now), tz))
    first = current.shifted(1 - weeks).monday
    calm = current.shifted(-CALM_WEEKS_AGO)
    calm_days = set(calm.days()) if weeks > CALM_WEEKS_AGO else set()
    # A stream of its own, so the calm week never changes what the synthetic generator draws.
    rng = random.Random(f"{seed}-demo")
    end = int(now)
    for day in generate_days(first, local_date(end, tz), seed=seed, tz=tz):
        for activity in _calmer(day, rng) if day.date in calm_days else _all(day):
            if activity.start >= end:
                return
            if activity.end > end:
                yield WindowActivity(activity.start, end - activity.start, activity.app, activity.title)
                return
            yield activity


def _all(day: Day) -> Iterator[WindowActivity]:
    for session in day.sessions:
        yield from session.activities


def _calmer(day: Day, rng: random.Random) -> Iterator[WindowActivity]:
    """A calmer ``day``: most leisure sittings left out, and many social visits at work skipped (time away)."""
    for session in day.sessions:
        if session.mode is Mode.LEISURE:
            if rng.random() < _CALM_LEISURE_KEPT:
                yield from session.activities
            continue
        for activity, (category, _label) in zip(session.activities, session.truth, strict=True):
            if category is Category.SOCIAL and rng.random() < _CALM_SOCIAL_SKIPPED:
                continue
            yield activity
