"""The time zone days are cut in: TZ in every form people and systems write, and the same answer as libc."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from middenweg.timezone import TimeZoneError, resolve_time_zone, system_time_zone, zone_name

# A winter and a summer instant, so a zone with the right offset only half the year is caught.
INSTANTS = (datetime(2024, 1, 15, 12, tzinfo=UTC), datetime(2024, 7, 15, 12, tzinfo=UTC))


def offsets(tz: ZoneInfo) -> list[float]:
    return [instant.astimezone(tz).utcoffset().total_seconds() for instant in INSTANTS]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("tz", "key"),
    [
        ("Europe/Amsterdam", "Europe/Amsterdam"),
        (":Europe/Amsterdam", "Europe/Amsterdam"),
        ("UTC", "UTC"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("/usr/share/zoneinfo/Europe/Amsterdam", "Europe/Amsterdam"),
        (":/usr/share/zoneinfo/Asia/Kolkata", "Asia/Kolkata"),
        ("/usr/share/zoneinfo/posix/Europe/Brussels", "Europe/Brussels"),
        ("/var/db/timezone/zoneinfo/Asia/Tokyo", "Asia/Tokyo"),  # macOS
        ("", "UTC"),  # glibc: an empty TZ means UTC
        ("Mars/Olympus_Mons", "UTC"),  # glibc: an unknown zone is UTC
        ("UTC0", "UTC"),
        ("GMT0", "GMT0"),  # an IANA name before it is a POSIX rule
        ("<+03>-3", "Etc/GMT-3"),
        ("EST5", "Etc/GMT+5"),
        ("EST5EDT", "EST5EDT"),
    ],
)
def test_tz_in_every_form(tz: str, key: str) -> None:
    assert zone_name(system_time_zone({"TZ": tz})) == key


def test_tz_pointing_at_a_link_to_a_zone_file(tmp_path: Path) -> None:
    link = tmp_path / "my-zone"
    link.symlink_to("/usr/share/zoneinfo/Pacific/Auckland")

    assert zone_name(system_time_zone({"TZ": f":{link}"})) == "Pacific/Auckland"


@pytest.mark.parametrize("tz", ["CET-1CEST,M3.5.0,M10.5.0/3", "CET-1CEST", "IST-5:30", "XYZ-15", "/no/such/file"])
def test_tz_without_an_iana_name_falls_back_to_the_system_files(tz: str) -> None:
    assert system_time_zone({"TZ": tz}) == system_time_zone({})


def test_without_tz_the_system_zone_is_a_named_zone() -> None:
    zone = system_time_zone({})

    assert isinstance(zone, ZoneInfo)
    assert zone_name(zone)


def test_the_default_environment_is_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Africa/Nairobi")

    assert zone_name(system_time_zone()) == "Africa/Nairobi"


@given(st.text(max_size=40))
def test_system_time_zone_never_raises(tz: str) -> None:
    assert isinstance(system_time_zone({"TZ": tz}), ZoneInfo)


_LIBC_AGREES = [
    None,
    "",
    "Europe/Amsterdam",
    ":Europe/Amsterdam",
    "America/New_York",
    "/usr/share/zoneinfo/Australia/Sydney",
    "Mars/Olympus_Mons",
    "UTC0",
    "<+03>-3",
    "EST5",
    "EST5EDT",
]

_LIBC_PROBE = """
import json, os, sys, time
out = []
for tz in json.loads(sys.argv[1]):
    if tz is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = tz
    time.tzset()
    out.append([time.localtime(t).tm_gmtoff for t in json.loads(sys.argv[2])])
print(json.dumps(out))
"""


@pytest.mark.skipif(not hasattr(os, "uname") or sys.platform == "darwin", reason="needs glibc's tzset")
def test_the_zone_has_the_same_offsets_as_the_c_library() -> None:
    # What every other program on the computer shows is the reference; we must cut days at the same hour.
    stamps = [int(instant.timestamp()) for instant in INSTANTS]
    result = subprocess.run(
        [sys.executable, "-c", _LIBC_PROBE, json.dumps(_LIBC_AGREES), json.dumps(stamps)],
        capture_output=True,
        text=True,
        check=True,
        env={key: value for key, value in os.environ.items() if key != "TZ"},
    )
    libc = json.loads(result.stdout)

    ours = [offsets(system_time_zone({} if tz is None else {"TZ": tz})) for tz in _LIBC_AGREES]

    assert ours == [[float(seconds) for seconds in row] for row in libc]


def test_resolve_follows_the_system_or_takes_the_name() -> None:
    assert zone_name(resolve_time_zone("system", {"TZ": "Asia/Tokyo"})) == "Asia/Tokyo"
    assert zone_name(resolve_time_zone("Europe/Amsterdam", {"TZ": "Asia/Tokyo"})) == "Europe/Amsterdam"


def test_resolve_amsterdam_has_summer_time() -> None:
    assert offsets(resolve_time_zone("Europe/Amsterdam")) == [3600.0, 7200.0]


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "../etc/passwd", "/etc/localtime", "Europe"])
def test_resolve_an_unknown_name_says_what_to_use(name: str) -> None:
    with pytest.raises(TimeZoneError, match='"system" or an IANA time zone name'):
        resolve_time_zone(name)


def test_zone_name_of_a_zone_read_from_a_file_without_a_name() -> None:
    with (resources.files("tzdata.zoneinfo") / "UTC").open("rb") as handle:
        zone = ZoneInfo.from_file(handle)

    assert zone_name(zone) == "UTC"
    assert timedelta(0) == datetime(2024, 1, 1, tzinfo=zone).utcoffset()
