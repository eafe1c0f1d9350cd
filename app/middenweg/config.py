"""The user's settings: a commented TOML file with a schema version, read into a frozen ``Settings`` value.

Every key is one entry in ``_KEYS``: its name, help, template comment, how it is checked in the file and how a
value typed on the command line is read. Reading never creates the file; a missing file means the defaults.
Writing goes through tomlkit so the user's comments and other keys survive, and always to a temporary file in
the same folder that then replaces the old one (mode 0600). This module must never overwrite or damage a
settings file it cannot fully understand: a file that does not parse, is not UTF-8, was made by a newer
Middenweg, or would not load after the change is left exactly as it was, and the user gets a sentence naming
the file, the line and what to do.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import re
import socket
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from middenweg.database_url import DatabaseUrlError, masked, normalise
from middenweg.domain import lengths
from middenweg.domain.age import AgeGroup
from middenweg.i18n import LANGUAGES, N_, _
from middenweg.timezone import SYSTEM, zone_or_none


def _dumps(table: dict[str, Any]) -> str:
    """TOML text through tomlkit, imported only when a file is written (it costs a long-running tracker ~4 MB)."""
    import tomlkit

    return tomlkit.dumps(table)


SCHEMA_VERSION = 1
_SCHEMA_KEY = "schema_version"
_FILE_MODE = 0o600
_DIR_MODE = 0o700

#: What a key holds in the file: TOML strings and integers are all the settings need so far.
TomlValue = str | int | list[str]


class SettingsError(Exception):
    """A settings file or value that cannot be used; ``str(e)`` is one sentence a person can act on.

    ``file`` is None only for mistakes that involve no file (asking for an unknown key); ``line`` is None when
    the problem is not on one line (or the line is not known).
    """

    def __init__(self, message: str, *, file: Path | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        if file is not None and line is not None:
            text = _("Settings file {file}, line {line}: {problem}").format(file=file, line=line, problem=message)
        elif file is not None:
            text = _("Settings file {file}: {problem}").format(file=file, problem=message)
        else:
            text = message
        super().__init__(text)


@dataclass(frozen=True, slots=True)
class Settings:
    """The settings in effect. ``age_group`` is None both before the question was asked and after "prefer not
    to say"; ``age_group_asked`` tells the two apart."""

    age_group: AgeGroup | None
    age_group_asked: bool
    time_zone: str
    language: str
    idle_after: int
    titles: str
    device_name: str
    exclude: tuple[str, ...] = ()
    quiet_hours: tuple[time, time] | None = None  # nudges wait until the end; None = no quiet hours
    weekly_summary: tuple[int, time] | None = (0, time(9, 0))  # weekday (0 = Monday) and local time; None = off
    phone_reminder: time | None = None  # a daily reminder to enter the phone's screen time; None = off
    sync_folder: Path | None = None  # a folder shared with other computers (Syncthing, Nextcloud...); None = off
    database_url: str | None = None  # a shared PostgreSQL database (postgresql+psycopg://...); None = the local file

    @property
    def folder_to_sync(self) -> Path | None:
        """The sync folder, unless a shared database is set: computers on one database already see each other, and
        publishing the server's devices into a folder would hand every computer's time around twice."""
        return self.sync_folder if self.database_url is None else None

    @classmethod
    def defaults(cls) -> Settings:
        """The settings of a missing or empty file on this computer."""
        return _settings_from_values({})


class _InvalidValueError(Exception):
    """A value that a key does not accept; ``hint`` is an optional extra sentence (a suggestion)."""

    def __init__(self, hint: str = "") -> None:
        super().__init__(hint)
        self.hint = hint


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _show_toml(value: object) -> str:
    """A value read from the file, written back the way it looks in TOML (for messages)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, int | float):
        try:
            return str(value)
        except ValueError:  # a hexadecimal number too long for Python to write in decimal (int_max_str_digits)
            return _("a number with more than {digits} digits").format(digits=sys.get_int_max_str_digits())
    if isinstance(value, dict):
        return _("a table")
    if isinstance(value, list):
        return _("a list")
    return _("a date or time")


@dataclass(frozen=True, slots=True)
class _Key:
    """One setting. Subclasses say which values it takes; the base maps it onto the ``Settings`` field of the
    same name."""

    name: str
    help: str  # N_-marked, translated where shown
    doc: str  # English comment lines for the template (the file is for people who read English or the docs)

    @property
    def cli(self) -> str:
        return self.name.replace("_", "-")

    def allowed(self, cli: bool) -> str:
        """What the key accepts, translated: "one of ...", ending without a full stop."""
        raise NotImplementedError

    def check(self, value: object) -> TomlValue:
        """A value read from the file, validated; raises ``_InvalidValueError``."""
        raise NotImplementedError

    def parse(self, text: str) -> TomlValue:
        """A value typed on the command line, validated and converted to what the file holds."""
        return self.check(text.strip())

    def default(self) -> TomlValue | None:
        """The value when the key is absent; None when absence means something of its own."""
        raise NotImplementedError

    def template_line(self) -> str:
        """The line written into a new file: the default, or an example commented out."""
        value = self.default()
        if value is None:
            raise NotImplementedError
        return _dumps({self.name: value}).rstrip("\n")

    def fields(self, value: TomlValue | None) -> dict[str, Any]:
        return {self.name: self.default() if value is None else value}

    def show(self, settings: Settings) -> str:
        return str(getattr(settings, self.name))

    def redact(self, value: object) -> object:
        """``value`` as messages may show it (a password masked); most keys hold nothing secret."""
        return value


@dataclass(frozen=True, slots=True)
class _ChoiceKey(_Key):
    choices: tuple[str, ...]
    default_choice: str

    def allowed(self, cli: bool) -> str:
        return _("one of {choices}").format(choices=", ".join(_quoted(choice) for choice in self.choices))

    def check(self, value: object) -> TomlValue:
        if not isinstance(value, str) or value not in self.choices:
            raise _InvalidValueError
        return value

    def parse(self, text: str) -> TomlValue:
        return self.check(text.strip().lower())

    def default(self) -> TomlValue | None:
        return self.default_choice


_AGE_NOT_SAID = "none"


@dataclass(frozen=True, slots=True)
class _AgeGroupKey(_ChoiceKey):
    """Absent means "not asked yet" (Middenweg will ask); "none" means the user prefers not to say."""

    def allowed(self, cli: bool) -> str:
        return _('one of {choices}, or "none" (prefer not to say)').format(
            choices=", ".join(_quoted(choice) for choice in self.choices if choice != _AGE_NOT_SAID)
        )

    def default(self) -> TomlValue | None:
        return None

    def template_line(self) -> str:
        return "# " + _dumps({self.name: _AGE_NOT_SAID}).rstrip("\n")

    def fields(self, value: TomlValue | None) -> dict[str, Any]:
        if value is None:
            return {"age_group": None, "age_group_asked": False}
        return {
            "age_group": None if value == _AGE_NOT_SAID else AgeGroup(str(value)),
            "age_group_asked": True,
        }

    def show(self, settings: Settings) -> str:
        if not settings.age_group_asked:
            return ""
        return _AGE_NOT_SAID if settings.age_group is None else settings.age_group.value


@dataclass(frozen=True, slots=True)
class _TimeZoneKey(_Key):
    def allowed(self, cli: bool) -> str:
        return _('"system" or an IANA time zone name such as "Europe/Amsterdam"')

    def check(self, value: object) -> TomlValue:
        if not isinstance(value, str):
            raise _InvalidValueError
        if value == SYSTEM or zone_or_none(value) is not None:
            return value
        raise _InvalidValueError(_suggest_zone(value))

    def default(self) -> TomlValue | None:
        return SYSTEM


def _suggest_zone(wrong: str) -> str:
    """ "Did you mean ...?" for a zone typed as "Amsterdam" or "europe/amsterdam"; empty when nothing fits."""
    import zoneinfo  # only on this error path: listing every zone reads the whole time zone database

    zones = sorted(zoneinfo.available_timezones())
    lowered = wrong.strip().lower().replace(" ", "_")
    exact = [zone for zone in zones if zone.lower() == lowered or zone.lower().rsplit("/", 1)[-1] == lowered]
    matches = exact or difflib.get_close_matches(wrong, zones, n=3, cutoff=0.75)
    if not matches:
        return ""
    return _("Did you mean {names}?").format(names=", ".join(_quoted(match) for match in matches[:3]))


# "1h", "3m", "90s", "1m30s", "1m 30s"; a plain number is seconds and handled before this.
_DURATION = re.compile(r"^(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m)?\s*(?:(?P<s>\d+)\s*s)?$", re.ASCII)
# Longer text is no duration anyone means, and int() refuses very long digit strings anyway.
_MAX_DURATION_TEXT = 24


def parse_duration(text: str) -> int | None:
    """Seconds in "180", "90s", "3m", "1m30s" or "1h"; None when the text is not such a duration."""
    cleaned = text.strip().lower()
    if len(cleaned) > _MAX_DURATION_TEXT:
        return None
    if cleaned.isascii() and cleaned.isdigit():
        return int(cleaned)
    match = _DURATION.match(cleaned)
    if not cleaned or match is None:
        return None
    hours, minutes, seconds = (int(match[unit] or 0) for unit in ("h", "m", "s"))
    return hours * 3600 + minutes * 60 + seconds


@dataclass(frozen=True, slots=True)
class _SecondsKey(_Key):
    minimum: int
    maximum: int
    default_seconds: int

    def allowed(self, cli: bool) -> str:
        if cli:
            return _('a number of seconds from {minimum} to {maximum}, or a duration such as "3m" or "1m30s"').format(
                minimum=self.minimum, maximum=self.maximum
            )
        return _("a whole number of seconds from {minimum} to {maximum}").format(
            minimum=self.minimum, maximum=self.maximum
        )

    def check(self, value: object) -> TomlValue:
        # bool is an int in Python, but `idle_after = true` is a mistake, not one second.
        if isinstance(value, bool) or not isinstance(value, int):
            raise _InvalidValueError
        if not self.minimum <= value <= self.maximum:
            raise _InvalidValueError
        return value

    def parse(self, text: str) -> TomlValue:
        seconds = parse_duration(text)
        if seconds is None:
            raise _InvalidValueError
        if not self.minimum <= seconds <= self.maximum:
            raise _InvalidValueError(_("That is {seconds} seconds.").format(seconds=seconds))
        return seconds

    def default(self) -> TomlValue | None:
        return self.default_seconds


_MAX_PATTERNS = 100


@dataclass(frozen=True, slots=True)
class _PatternListKey(_Key):
    """Extra privacy exclusions: "app:PATTERN" or "title:PATTERN" globs (the built-in ones always apply)."""

    def allowed(self, cli: bool) -> str:
        if cli:
            return _('patterns such as "app:signal" or "title:*bank*", separated by commas ("" for none)')
        return _('a list of patterns such as ["app:signal", "title:*bank*"]')

    def check(self, value: object) -> TomlValue:
        if not isinstance(value, list) or len(value) > _MAX_PATTERNS:
            raise _InvalidValueError
        patterns: list[str] = []
        for item in value:
            if not isinstance(item, str):
                raise _InvalidValueError
            kind, sep, glob = item.partition(":")
            if not sep or kind not in ("app", "title") or not glob.strip() or not item.isprintable():
                raise _InvalidValueError(_("{pattern} is not app:… or title:….").format(pattern=_quoted(item)))
            patterns.append(f"{kind}:{glob.strip()}")
        return patterns

    def parse(self, text: str) -> TomlValue:
        return self.check([part.strip() for part in text.split(",") if part.strip()])

    def default(self) -> TomlValue | None:
        return []

    def template_line(self) -> str:
        return "# " + _dumps({self.name: ["app:signal", "title:*bank*"]}).rstrip("\n")

    def fields(self, value: TomlValue | None) -> dict[str, Any]:
        return {self.name: tuple(value) if isinstance(value, list) else ()}

    def show(self, settings: Settings) -> str:
        return ", ".join(settings.exclude)


_MAX_NAME = lengths.GIVEN_DEVICE_NAME


@dataclass(frozen=True, slots=True)
class _DeviceNameKey(_Key):
    """A display name; absent means the host name, looked up when the settings are read (never at import)."""

    def allowed(self, cli: bool) -> str:
        return _("a name of 1 to {maximum} characters on one line").format(maximum=_MAX_NAME)

    def check(self, value: object) -> TomlValue:
        if not isinstance(value, str):
            raise _InvalidValueError
        if not value.strip() or len(value) > _MAX_NAME or not value.isprintable():
            raise _InvalidValueError
        return value

    def default(self) -> TomlValue | None:
        return None

    def template_line(self) -> str:
        return "# " + _dumps({self.name: "Living room laptop"}).rstrip("\n")

    def fields(self, value: TomlValue | None) -> dict[str, Any]:
        return {self.name: _host_name() if value is None else value}


@dataclass(frozen=True, slots=True)
class _SyncFolderKey(_Key):
    """A folder another program keeps in step between computers, or "off"; a path starting with ~ is the home's."""

    def allowed(self, cli: bool) -> str:
        return _('a folder (an absolute path, or one starting with ~), or "off"')

    def check(self, value: object) -> TomlValue:
        if not isinstance(value, str) or not value.strip() or not value.isprintable():
            raise _InvalidValueError
        text = value.strip()
        if text == _OFF:
            return text
        if not Path(text).expanduser().is_absolute():
            raise _InvalidValueError(_("Give the whole path, e.g. ~/Sync/middenweg."))
        return text

    def default(self) -> TomlValue | None:
        return None

    def template_line(self) -> str:
        return "# " + _dumps({self.name: "~/Sync/middenweg"}).rstrip("\n")

    def fields(self, value: TomlValue | None) -> dict[str, Any]:
        off = value is None or value == _OFF
        return {self.name: None if off else Path(str(value)).expanduser()}

    def show(self, settings: Settings) -> str:
        folder = settings.sync_folder
        return _OFF if folder is None else str(folder)


_LOCAL = "local"


@dataclass(frozen=True, slots=True)
class _DatabaseUrlKey(_Key):
    """ "local" (the SQLite file in the data folder) or a shared PostgreSQL database's URL, which may hold a
    password: it is shown masked everywhere (``show``, ``redact``), and kept only in this 0600 file."""

    def allowed(self, cli: bool) -> str:
        return _(
            '"local" (the database file on this computer), or the URL of a PostgreSQL database such as '
            '"postgresql+psycopg://USER:PASSWORD@HOST/DATABASE"'
        )

    def check(self, value: object) -> TomlValue:
        if not isinstance(value, str):
            raise _InvalidValueError
        text = value.strip()
        if text.lower() == _LOCAL:
            return _LOCAL
        try:
            normalise(text)
        except DatabaseUrlError as error:
            raise _InvalidValueError(str(error)) from None
        return text

    def default(self) -> TomlValue | None:
        return None

    def template_line(self) -> str:
        return "# " + _dumps({self.name: "postgresql+psycopg://middenweg:PASSWORD@db.example.org/middenweg"}).rstrip(
            "\n"
        )

    def fields(self, value: TomlValue | None) -> dict[str, Any]:
        local = value is None or value == _LOCAL
        return {self.name: None if local else normalise(str(value))}

    def show(self, settings: Settings) -> str:
        url = settings.database_url
        return _LOCAL if url is None else masked(url)

    def redact(self, value: object) -> object:
        return masked(value) if isinstance(value, str) else value


_OFF = "off"
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$", re.ASCII)
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _hhmm(text: str) -> time | None:
    match = _HHMM.match(text.strip())
    return None if match is None else time(int(match[1]), int(match[2]))


@dataclass(frozen=True, slots=True)
class _QuietHoursKey(_Key):
    """ "22:00-07:00" (may pass midnight) or "off"."""

    def allowed(self, cli: bool) -> str:
        return _('a time span such as "22:00-07:00", or "off"')

    def check(self, value: object) -> TomlValue:
        if not isinstance(value, str):
            raise _InvalidValueError
        text = value.strip().lower()
        if text == _OFF:
            return _OFF
        start, sep, end = text.partition("-")
        first, last = _hhmm(start), _hhmm(end)
        if not sep or first is None or last is None or first == last:
            raise _InvalidValueError
        return f"{first:%H:%M}-{last:%H:%M}"

    def default(self) -> TomlValue | None:
        return _OFF

    def fields(self, value: TomlValue | None) -> dict[str, Any]:
        text = str(value or _OFF)
        if text == _OFF:
            return {self.name: None}
        start, _sep, end = text.partition("-")
        return {self.name: (_hhmm(start), _hhmm(end))}

    def show(self, settings: Settings) -> str:
        span = settings.quiet_hours
        return _OFF if span is None else f"{span[0]:%H:%M}-{span[1]:%H:%M}"


@dataclass(frozen=True, slots=True)
class _PhoneReminderKey(_Key):
    """ "21:30" (a local time each day) or "off"."""

    def allowed(self, cli: bool) -> str:
        return _('a time such as "21:30", or "off"')

    def check(self, value: object) -> TomlValue:
        if not isinstance(value, str):
            raise _InvalidValueError
        text = value.strip().lower()
        if text == _OFF:
            return _OFF
        moment = _hhmm(text)
        if moment is None:
            raise _InvalidValueError
        return f"{moment:%H:%M}"

    def default(self) -> TomlValue | None:
        return _OFF

    def fields(self, value: TomlValue | None) -> dict[str, Any]:
        text = str(value or _OFF)
        return {self.name: None if text == _OFF else _hhmm(text)}

    def show(self, settings: Settings) -> str:
        return _OFF if settings.phone_reminder is None else f"{settings.phone_reminder:%H:%M}"


@dataclass(frozen=True, slots=True)
class _WeeklySummaryKey(_Key):
    """ "mon 09:00" (a weekday and a local time) or "off"."""

    def allowed(self, cli: bool) -> str:
        return _('a weekday and a time such as "mon 09:00" (mon … sun), or "off"')

    def check(self, value: object) -> TomlValue:
        if not isinstance(value, str):
            raise _InvalidValueError
        text = " ".join(value.strip().lower().split())
        if text == _OFF:
            return _OFF
        day, _sep, clock = text.partition(" ")
        moment = _hhmm(clock)
        if moment is None or not any(day in (short, full) for short, full in zip(_DAY_NAMES, _FULL_DAYS, strict=True)):
            raise _InvalidValueError
        return f"{day[:3]} {moment:%H:%M}"

    def default(self) -> TomlValue | None:
        return "mon 09:00"

    def fields(self, value: TomlValue | None) -> dict[str, Any]:
        text = str(value or self.default())
        if text == _OFF:
            return {self.name: None}
        day, _sep, clock = text.partition(" ")
        return {self.name: (_DAY_NAMES.index(day), _hhmm(clock))}

    def show(self, settings: Settings) -> str:
        when = settings.weekly_summary
        return _OFF if when is None else f"{_DAY_NAMES[when[0]]} {when[1]:%H:%M}"


def _host_name() -> str:
    try:
        name = socket.gethostname().strip()
    except OSError:
        name = ""
    return name[:_MAX_NAME] if name and name.isprintable() else "computer"


# The settings in display order. Adding a setting: a field on Settings and one entry here.
_KEYS: tuple[_Key, ...] = (
    _AgeGroupKey(
        name="age_group",
        help=N_("Your age group, to compare your time with published averages for people your age."),
        doc=(
            "Your age group. Middenweg uses it only to show what published studies say about\n"
            'people your age. One of: "under-16", "16-24", "25-34", "35-44", "45-54",\n'
            '"55-64", "65+", or "none" (prefer not to say). While this line is absent,\n'
            "Middenweg asks once."
        ),
        choices=(*(group.value for group in AgeGroup), _AGE_NOT_SAID),
        default_choice=_AGE_NOT_SAID,
    ),
    _TimeZoneKey(
        name="time_zone",
        help=N_('The time zone days and weeks are counted in; "system" follows the computer.'),
        doc=(
            'The time zone that days and weeks are counted in: "system" follows this\n'
            'computer, or an IANA name such as "Europe/Amsterdam".'
        ),
    ),
    _ChoiceKey(
        name="language",
        help=N_('The language of the app; "system" follows the computer.'),
        doc=(
            'The language of menus, messages and reports: "system" follows this computer,\n'
            + ", ".join(f'"{code}" ({native})' for code, native in LANGUAGES.items())
            + "."
        ),
        choices=(SYSTEM, *LANGUAGES),
        default_choice=SYSTEM,
    ),
    _SecondsKey(
        name="idle_after",
        help=N_("Seconds without keyboard or mouse input after which you count as away."),
        doc=(
            "After how many seconds without keyboard or mouse input you count as away\n"
            "(30 to 3600). Time away is not counted. `middenweg config set idle-after 3m`\n"
            "also understands durations such as 3m or 1m30s."
        ),
        minimum=30,
        maximum=3600,
        default_seconds=180,
    ),
    _ChoiceKey(
        name="titles",
        help=N_('Which window titles are stored: "social-only" (social and messaging windows), "all" or "none".'),
        doc=(
            "Which window titles are stored. Titles are always used, in memory, to recognise\n"
            'a social site in a browser tab. "social-only" stores them only for social and\n'
            'messaging windows (which chat or site took the time); "all" stores every title;\n'
            '"none" keeps titles out of the database entirely (only the app is stored).\n'
            "Password managers and private browser windows never have their titles stored."
        ),
        choices=("social-only", "all", "none"),
        default_choice="social-only",
    ),
    _PatternListKey(
        name="exclude",
        help=N_("Windows whose titles are never stored, besides password managers and private windows."),
        doc=(
            "Windows whose titles are never stored (only the app is), besides the built-in\n"
            'password managers and private browser windows: "app:PATTERN" matches the app,\n'
            '"title:PATTERN" the window title; * and ? are wildcards, case does not matter.'
        ),
    ),
    _DeviceNameKey(
        name="device_name",
        help=N_("The name this computer has in reports; the host name unless you set one."),
        doc="The name this computer has in reports. While this line is absent, the host name.",
    ),
    _QuietHoursKey(
        name="quiet_hours",
        help=N_('Hours in which goal and slip nudges wait, e.g. "22:00-07:00"; evening reminders still come.'),
        doc=(
            'Hours in which Middenweg holds back its nudges, e.g. "22:00-07:00" (local time;\n'
            'it may pass midnight), or "off". The reminders of your evenings still come:\n'
            "you asked for those."
        ),
    ),
    _WeeklySummaryKey(
        name="weekly_summary",
        help=N_('When the summary of last week is shown, e.g. "mon 09:00", or "off".'),
        doc='When the summary of last week is shown: a weekday and a local time, e.g.\n"mon 09:00", or "off".',
    ),
    _PhoneReminderKey(
        name="phone_reminder",
        help=N_('A daily reminder to enter your phone\'s screen time, e.g. "21:30", or "off".'),
        doc=(
            'A reminder each day at this local time, e.g. "21:30", to enter the phone\'s own\n'
            'screen-time numbers (only on a day without an entry yet), or "off".'
        ),
    ),
    _SyncFolderKey(
        name="sync_folder",
        help=N_('A folder that Syncthing, Nextcloud or Dropbox shares with your other computers, or "off".'),
        doc=(
            "A folder that a sync tool (Syncthing, Nextcloud, Dropbox) keeps in step between\n"
            "your computers. Each computer writes its own time there and reads the others', so\n"
            'every report shows your whole week. "off" (or no line) shares nothing.'
        ),
    ),
    _DatabaseUrlKey(
        name="database_url",
        help=N_('Where history is kept: "local" (this computer) or a shared PostgreSQL database\'s URL.'),
        doc=(
            'Where history is kept: "local" (or no line) is the database file on this\n'
            "computer. To share one history between your computers, the URL of a PostgreSQL\n"
            "database they all reach, e.g.\n"
            '"postgresql+psycopg://middenweg:PASSWORD@db.example.org/middenweg". Nothing\n'
            "leaves this computer unless you set one; this file is readable by you alone."
        ),
    ),
)
_BY_NAME: dict[str, _Key] = {key.name: key for key in _KEYS}

#: The keys as the command line spells them, in display order.
CONFIG_KEYS: tuple[str, ...] = tuple(key.cli for key in _KEYS)


def _settings_from_values(values: dict[str, TomlValue]) -> Settings:
    fields: dict[str, Any] = {}
    for key in _KEYS:
        fields.update(key.fields(values.get(key.name)))
    return Settings(**fields)


def _key_for(name: str, file: Path | None) -> _Key:
    key = _BY_NAME.get(name.strip().replace("-", "_"))
    if key is None:
        raise SettingsError(
            _('There is no setting called "{name}". The settings are: {keys}.').format(
                name=name, keys=", ".join(CONFIG_KEYS)
            ),
            file=file,
        )
    return key


# --- reading ---


_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def _line_of(text: str, name: str) -> int | None:
    """The first line that sets or opens ``name`` at the top of the file (``name =``, ``"name" =``,
    ``name.x =``, ``[name]``)."""
    escaped = re.escape(name)
    pattern = re.compile(
        rf"^\s*(?:(?:{escaped}|\"{escaped}\"|'{escaped}')\s*[=.]|\[\s*(?:{escaped}|\"{escaped}\"|'{escaped}')\s*[\].])"
    )
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


_FIX_LINE = N_("Fix the line or remove it; the file has not been changed.")


def _decode(data: bytes, path: Path) -> str:
    try:
        # utf-8-sig: Notepad and friends put a byte-order mark in front, which TOML itself does not allow.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SettingsError(
            _(
                "The file is not UTF-8 text (byte 0x{byte:02x}). Save it as UTF-8, or remove the line; "
                "the file has not been changed."
            ).format(byte=data[error.start]),
            file=path,
            line=line,
        ) from error


def _read_text(path: Path) -> str | None:
    """The file's text; None when there is no file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SettingsError(
            _("The file cannot be read ({reason}). Check that it is a file you may read.").format(
                reason=error.strerror or error
            ),
            file=path,
        ) from error
    return _decode(data, path)


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problem = str(error)
        match = _TOML_POSITION.search(problem)
        if match is None:
            # "(at end of document)": something opened earlier is never closed.
            advice = _("Look for a quote or bracket that is opened but never closed; the file has not been changed.")
            raise SettingsError(f"{problem}. {advice}", file=path) from error
        raise SettingsError(f"{problem}. {_(_FIX_LINE)}", file=path, line=int(match[1])) from error
    except ValueError:
        # Python converts integers of at most sys.get_int_max_str_digits() digits; TOML itself sets no limit.
        digits = sys.get_int_max_str_digits()
        found = re.search(rf"(?:[0-9A-Fa-f]_?){{{digits + 1},}}", text) if digits else None
        raise SettingsError(
            _("A number has more than {digits} digits; no setting takes such a number. {fix}").format(
                digits=digits, fix=_(_FIX_LINE)
            ),
            file=path,
            line=text.count("\n", 0, found.start()) + 1 if found is not None else None,
        ) from None
    except RecursionError:
        raise SettingsError(
            _(
                "Lists or tables are nested far too deeply; no setting is written so. Remove them; the file has not "
                "been changed."
            ),
            file=path,
        ) from None


def _check_schema(data: dict[str, Any], text: str, path: Path) -> None:
    if _SCHEMA_KEY not in data:
        return  # files written by hand before the first change: version 1
    version = data[_SCHEMA_KEY]
    line = _line_of(text, _SCHEMA_KEY)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise SettingsError(
            _("schema_version = {value} is not allowed; it must be {version}. {fix}").format(
                value=_show_toml(version), version=SCHEMA_VERSION, fix=_(_FIX_LINE)
            ),
            file=path,
            line=line,
        )
    if version > SCHEMA_VERSION:
        raise SettingsError(
            _(
                "This file was made by a newer Middenweg (schema version {found}; this version reads "
                "version {known}). Update Middenweg, or move the file away to start with the defaults; the "
                "file has not been changed."
            ).format(found=_show_toml(version), known=SCHEMA_VERSION),
            file=path,
            line=line,
        )


def _settings_from_text(text: str, path: Path) -> tuple[Settings, list[str]]:
    data = _parse_toml(text, path)
    _check_schema(data, text, path)
    values: dict[str, TomlValue] = {}
    warnings: list[str] = []
    for name, value in data.items():
        if name == _SCHEMA_KEY:
            continue
        key = _BY_NAME.get(name)
        line = _line_of(text, name)
        if key is None:
            where = _("Settings file {file}, line {line}").format(file=path, line=line) if line else str(path)
            warnings.append(
                _('{where}: "{name}" is not a Middenweg setting and is ignored. The settings are: {keys}.').format(
                    where=where, name=name, keys=", ".join(key.name for key in _KEYS)
                )
            )
            continue
        try:
            values[name] = key.check(value)
        except _InvalidValueError as invalid:
            problem = _("{name} = {value} is not allowed; {name} must be {allowed}.").format(
                name=name, value=_show_toml(key.redact(value)), allowed=key.allowed(cli=False)
            )
            hint = f" {invalid.hint}" if invalid.hint else ""
            raise SettingsError(f"{problem}{hint} {_(_FIX_LINE)}", file=path, line=line) from None
    return _settings_from_values(values), warnings


def load_settings_with_warnings(path: Path) -> tuple[Settings, list[str]]:
    """The settings in ``path`` and a sentence for each key that was ignored (unknown keys).

    A missing file gives the defaults and is not created. Raises ``SettingsError`` for a file that cannot be
    read, is not UTF-8, does not parse, holds a wrong value or was made by a newer Middenweg.
    """
    text = _read_text(path)
    if text is None:
        return Settings.defaults(), []
    return _settings_from_text(text, path)


def load_settings(path: Path) -> Settings:
    """The settings in ``path`` (see ``load_settings_with_warnings``; the warnings are dropped)."""
    return load_settings_with_warnings(path)[0]


# --- showing ---


def get_value(settings: Settings, key: str) -> str:
    """The value of ``key`` (kebab-case, as on the command line) as text; "" for an age group not asked."""
    return _key_for(key, None).show(settings)


def list_values(settings: Settings) -> list[tuple[str, str, str]]:
    """Every setting in display order: (key, value as text, one line of help in the active language)."""
    return [(key.cli, key.show(settings), _(key.help)) for key in _KEYS]


# --- writing ---


def template_text() -> str:
    """The text of a new settings file: every key explained in an English comment, defaults filled in."""
    parts = [
        "# Middenweg settings.\n"
        "#\n"
        "# Edit this file by hand, or with `middenweg config set KEY VALUE` (which keeps\n"
        "# your comments). Lines starting with # are comments. Remove a setting's line\n"
        "# to go back to its default. Middenweg reads this file again when it changes.\n"
        "\n"
        "# The layout version of this file. Leave it as it is.\n"
        f"{_SCHEMA_KEY} = {SCHEMA_VERSION}\n"
    ]
    for key in _KEYS:
        comment = "".join(f"# {line}\n" for line in key.doc.splitlines())
        parts.append(f"\n{comment}{key.template_line()}\n")
    return "".join(parts)


def _real_target(path: Path) -> Path:
    # A settings file that is a symbolic link (dotfile managers do this) is edited where it really lives, so
    # that the link survives.
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _write_atomically(path: Path, text: str, *, overwrite: bool) -> bool:
    """Write ``text`` to ``path`` through a temporary file in the same folder (mode 0600).

    Returns False, writing nothing, when ``overwrite`` is off and the file exists.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True, mode=_DIR_MODE)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(_FILE_MODE)
        if overwrite:
            Path(temporary).replace(path)
        else:
            try:
                # link() fails when the name exists, so a file made in the meantime is never replaced.
                os.link(temporary, path)
            except FileExistsError:
                return False
            except OSError:
                # Some file systems have no hard links; a tiny race with another writer is the price there.
                if path.exists():
                    return False
                Path(temporary).replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            Path(temporary).unlink()
    _sync_folder(folder)
    return True


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself survive a power cut; not possible (nor needed) on Windows.
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_template(path: Path) -> None:
    """Create the commented default file at ``path`` (0600); an existing file is left as it is."""
    _write_atomically(_real_target(path), template_text(), overwrite=False)


def _insert_after_example(text: str, name: str, line: str) -> str | None:
    """``text`` with ``line`` placed right under the commented example ``# name = ...`` of the template, so
    the value sits under its explanation; None when there is no such example before the first table."""
    example = re.compile(rf"^#\s*{re.escape(name)}\s*=")
    lines = text.splitlines(keepends=True)
    for index, current in enumerate(lines):
        if current.lstrip().startswith("["):
            return None
        if example.match(current):
            ending = "" if current.endswith("\n") else "\n"
            return "".join([*lines[: index + 1], ending, line, "\n", *lines[index + 1 :]])
    return None


def _candidates(text: str, name: str, value: TomlValue, path: Path) -> Iterator[str]:
    """Ways to write ``text`` with ``name`` set to ``value``, best first (the caller checks each one)."""
    import tomlkit
    import tomlkit.exceptions

    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as error:
        raise SettingsError(f"{error}. {_(_FIX_LINE)}", file=path, line=getattr(error, "line", None)) from error
    if name in document:
        # tomlkit replaces the value in place and keeps the comment at the end of the line.
        document[name] = value
        yield document.as_string()
        return
    placed = _insert_after_example(text, name, _dumps({name: value}).rstrip("\n"))
    if placed is not None:
        yield placed
    # tomlkit puts a new top-level key before the first table, where TOML needs it.
    document.add(name, value)
    yield document.as_string()


def _loads_or_none(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _edited(text: str, name: str, value: TomlValue, path: Path) -> str:
    """``text`` with ``name`` set to ``value`` and nothing else changed in what the file means."""
    before = _parse_toml(text, path)
    expected = {**before, name: value}
    for candidate in _candidates(text, name, value, path):
        # The proof that the edit did exactly what was asked: tomllib (the reader) sees one key changed.
        if _loads_or_none(candidate) == expected:
            return candidate
    raise SettingsError(
        _(
            "Middenweg could not change {name} in this file without disturbing the rest. Edit it by hand: "
            "{line}. The file has not been changed."
        ).format(name=name, line=_dumps({name: _BY_NAME[name].redact(value)}).rstrip("\n")),
        file=path,
        line=_line_of(text, name),
    )


def set_value(path: Path, key: str, value: str) -> Settings:
    """Set ``key`` (kebab-case) to ``value`` (as typed on the command line) in the file at ``path``.

    Creates the commented template first when there is no file. Comments and other keys are kept. Raises
    ``SettingsError`` (and leaves the file exactly as it was) for an unknown key, a value the key does not
    take, or a file that cannot be read, does not parse, was made by a newer Middenweg or would still not
    load.
    """
    target = _real_target(path)
    setting = _key_for(key, path)
    try:
        parsed = setting.parse(value)
    except _InvalidValueError as invalid:
        hint = f" {invalid.hint}" if invalid.hint else ""
        raise SettingsError(
            _("{key} cannot be {value}: it must be {allowed}.").format(
                key=setting.cli, value=_quoted(str(setting.redact(value))), allowed=setting.allowed(cli=True)
            )
            + hint
            + " "
            + _("The file has not been changed."),
            file=path,
        ) from None
    text = _read_text(target)
    if text is None:
        text = template_text()
    new_text = _edited(text, setting.name, parsed, path)
    try:
        settings, _warnings = _settings_from_text(new_text, path)
    except SettingsError:
        # Another key is wrong or the file is from a newer version (a wrong value may be the very thing being
        # fixed, so only the result is judged). Report it with its line in the file as it is now.
        _settings_from_text(text, path)
        raise
    try:
        _write_atomically(target, new_text, overwrite=True)
    except OSError as error:  # a full disk or a read-only folder (#9): the old file is still whole
        raise SettingsError(
            _(
                "The change could not be saved ({reason}). Free some space or make the folder writable; the file "
                "has not been changed."
            ).format(reason=error.strerror or error),
            file=path,
        ) from error
    return settings
