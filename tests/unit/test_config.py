"""The settings file as a user meets it: defaults, `config set/get/list`, hand edits kept, refusals."""

from __future__ import annotations

import os
import socket
import stat
import tomllib
from datetime import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from middenweg.config import (
    CONFIG_KEYS,
    Settings,
    SettingsError,
    get_value,
    list_values,
    load_settings,
    load_settings_with_warnings,
    parse_duration,
    set_value,
    template_text,
    write_template,
)
from middenweg.domain.age import AgeGroup


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.toml"


def write(path: Path, text: str | bytes) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode() if isinstance(text, str) else text
    path.write_bytes(data)
    return data


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- defaults and reading


def test_a_missing_file_gives_the_defaults_and_is_not_created(settings_file: Path) -> None:
    loaded = load_settings(settings_file)

    assert loaded.age_group is None
    assert loaded.age_group_asked is False
    assert loaded.time_zone == "system"
    assert loaded.language == "system"
    assert loaded.idle_after == 180
    assert loaded.titles == "social-only"
    assert loaded.device_name == socket.gethostname()
    assert not settings_file.exists()
    assert not settings_file.parent.exists()


def test_an_empty_file_and_a_file_without_schema_version_are_version_one(settings_file: Path) -> None:
    write(settings_file, "")
    assert load_settings(settings_file) == Settings.defaults()

    write(settings_file, 'titles = "none"\n')
    assert load_settings(settings_file).titles == "none"


def test_a_hand_written_file_is_read(settings_file: Path) -> None:
    write(
        settings_file,
        "schema_version = 1\n"
        'age_group = "45-54"\n'
        'time_zone = "America/New_York"\n'
        'language = "nl"\n'
        "idle_after = 300\n"
        'titles = "none"\n'
        'device_name = "Werkplek"\n',
    )

    assert load_settings(settings_file) == Settings(
        age_group=AgeGroup.AGE_45_54,
        age_group_asked=True,
        time_zone="America/New_York",
        language="nl",
        idle_after=300,
        titles="none",
        device_name="Werkplek",
    )


def test_prefer_not_to_say_is_an_answer_and_absent_is_not(settings_file: Path) -> None:
    write(settings_file, 'age_group = "none"\n')
    said_none = load_settings(settings_file)
    assert (said_none.age_group, said_none.age_group_asked) == (None, True)
    assert get_value(said_none, "age-group") == "none"

    not_asked = Settings.defaults()
    assert (not_asked.age_group, not_asked.age_group_asked) == (None, False)
    assert get_value(not_asked, "age-group") == ""


def test_a_byte_order_mark_from_windows_notepad_is_accepted(settings_file: Path) -> None:
    write(settings_file, b'\xef\xbb\xbftitles = "none"\n')

    assert load_settings(settings_file).titles == "none"


# --- set / get / list


ROUND_TRIPS = [
    ("age-group", "under-16", "under-16"),
    ("age-group", "16-24", "16-24"),
    ("age-group", "65+", "65+"),
    ("age-group", "none", "none"),
    ("time-zone", "Europe/Amsterdam", "Europe/Amsterdam"),
    ("time-zone", "system", "system"),
    ("time-zone", "UTC", "UTC"),
    ("language", "nl", "nl"),
    ("language", "en", "en"),
    ("language", "system", "system"),
    ("idle-after", "240", "240"),
    ("idle-after", "3m", "180"),
    ("idle-after", "1m30s", "90"),
    ("titles", "none", "none"),
    ("titles", "all", "all"),
    ("device-name", "Zolderkamer laptop", "Zolderkamer laptop"),
    ("device-name", "Büro – Linux", "Büro – Linux"),
]


@pytest.mark.parametrize(("key", "typed", "shown"), ROUND_TRIPS)
def test_set_then_get_every_key(settings_file: Path, key: str, typed: str, shown: str) -> None:
    returned = set_value(settings_file, key, typed)

    assert get_value(returned, key) == shown
    assert get_value(load_settings(settings_file), key) == shown


def test_setting_one_key_leaves_the_others_alone(settings_file: Path) -> None:
    set_value(settings_file, "language", "nl")
    set_value(settings_file, "idle-after", "5m")
    final = set_value(settings_file, "age-group", "35-44")

    assert final.language == "nl"
    assert final.idle_after == 300
    assert final.age_group is AgeGroup.AGE_35_44
    assert final == load_settings(settings_file)


def test_get_accepts_the_spelling_of_the_file_too() -> None:
    assert get_value(Settings.defaults(), "idle_after") == "180"


def test_get_of_an_unknown_key_lists_the_valid_keys() -> None:
    with pytest.raises(SettingsError) as caught:
        get_value(Settings.defaults(), "colour")

    message = str(caught.value)
    assert '"colour"' in message
    for key in CONFIG_KEYS:
        assert key in message


def test_list_shows_every_key_in_order_with_its_value_and_help(settings_file: Path) -> None:
    loaded = set_value(settings_file, "titles", "none")

    rows = list_values(loaded)

    assert [row[0] for row in rows] == list(CONFIG_KEYS)
    assert {row[0]: row[1] for row in rows}["titles"] == "none"
    for key, value, help_text in rows:
        assert value == get_value(loaded, key)
        assert help_text and "\n" not in help_text


def test_config_keys_are_the_documented_ones_in_kebab_case() -> None:
    assert CONFIG_KEYS == (
        "age-group",
        "time-zone",
        "language",
        "idle-after",
        "titles",
        "exclude",
        "device-name",
        "quiet-hours",
        "weekly-summary",
        "phone-reminder",
        "sync-folder",
        "database-url",
    )


@pytest.mark.parametrize(
    ("typed", "stored", "value"),
    [
        ("22:00-7:00", "22:00-07:00", (time(22, 0), time(7, 0))),
        (" 13:30-14:15 ", "13:30-14:15", (time(13, 30), time(14, 15))),
        ("OFF", "off", None),
    ],
)
def test_quiet_hours_are_a_local_time_span_or_off(settings_file: Path, typed: str, stored: str, value: object) -> None:
    assert set_value(settings_file, "quiet-hours", typed).quiet_hours == value
    assert tomllib.loads(settings_file.read_text())["quiet_hours"] == stored


@pytest.mark.parametrize("typed", ["22:00", "22:00-22:00", "25:00-07:00", "evening", "22-07"])
def test_impossible_quiet_hours_are_refused_and_nothing_is_written(settings_file: Path, typed: str) -> None:
    with pytest.raises(SettingsError, match="22:00-07:00"):
        set_value(settings_file, "quiet-hours", typed)
    assert not settings_file.exists()


def test_the_weekly_summary_defaults_to_monday_morning_and_can_move_or_stop(settings_file: Path) -> None:
    assert load_settings(settings_file).weekly_summary == (0, time(9, 0))
    assert set_value(settings_file, "weekly-summary", "Sunday  20:30").weekly_summary == (6, time(20, 30))
    assert set_value(settings_file, "weekly-summary", "off").weekly_summary is None
    with pytest.raises(SettingsError, match="mon 09:00"):
        set_value(settings_file, "weekly-summary", "someday 09:00")
    assert load_settings(settings_file).weekly_summary is None


# --- writing: template, comments, mode, atomicity


def test_the_first_set_writes_the_commented_template(settings_file: Path) -> None:
    set_value(settings_file, "titles", "none")

    text = settings_file.read_text()
    comment_lines = [line for line in template_text().splitlines() if line.startswith("#")]
    assert [line for line in text.splitlines() if line.startswith("#")] == comment_lines
    assert tomllib.loads(text)["titles"] == "none"


def test_the_template_documents_every_key_and_loads_as_the_defaults(settings_file: Path) -> None:
    write_template(settings_file)

    text = settings_file.read_text()
    for key in CONFIG_KEYS:
        assert key.replace("-", "_") in text
    assert tomllib.loads(text)["schema_version"] == 1
    assert load_settings_with_warnings(settings_file) == (Settings.defaults(), [])
    assert mode(settings_file) == 0o600


def test_write_template_never_overwrites(settings_file: Path) -> None:
    original = write(settings_file, '# mine\ntitles = "none"\n')

    write_template(settings_file)

    assert settings_file.read_bytes() == original
    assert sorted(p.name for p in settings_file.parent.iterdir()) == ["settings.toml"]


def test_set_keeps_every_comment_and_unknown_key_byte_for_byte(settings_file: Path) -> None:
    original = (
        "# My settings -- do not lose this line\n"
        "schema_version = 1\n"
        "\n"
        "# three minutes felt too short\n"
        "idle_after = 240   # was 180\n"
        'language = "en"\n'
        "\n"
        "# a key from a plugin I tried\n"
        'favourite_colour = "green"\n'
        "\n"
        "[plugin]\n"
        "# plugin settings\n"
        "level = 3\n"
    )
    write(settings_file, original)

    set_value(settings_file, "idle-after", "10m")
    set_value(settings_file, "language", "nl")
    set_value(settings_file, "titles", "none")  # absent before: must land before [plugin]

    text = settings_file.read_text()
    assert [line for line in text.splitlines() if "#" in line] == [
        "# My settings -- do not lose this line",
        "# three minutes felt too short",
        "idle_after = 600   # was 180",
        "# a key from a plugin I tried",
        "# plugin settings",
    ]
    data = tomllib.loads(text)
    assert data == {
        "schema_version": 1,
        "idle_after": 600,
        "language": "nl",
        "favourite_colour": "green",
        "titles": "none",
        "plugin": {"level": 3},
    }


def test_a_key_missing_from_the_template_goes_under_its_explanation(settings_file: Path) -> None:
    write_template(settings_file)

    set_value(settings_file, "age-group", "25-34")

    lines = settings_file.read_text().splitlines()
    example = lines.index('# age_group = "none"')
    assert lines[example + 1] == 'age_group = "25-34"'


def test_an_example_line_inside_a_multiline_string_is_not_mistaken_for_the_template(
    settings_file: Path,
) -> None:
    write(settings_file, 'notes = """\n# age_group = "none"\n"""\n')

    set_value(settings_file, "age-group", "16-24")

    data = tomllib.loads(settings_file.read_text())
    assert data == {"notes": '# age_group = "none"\n', "age_group": "16-24"}


def test_set_writes_mode_0600_and_leaves_no_temporary_files(settings_file: Path) -> None:
    write(settings_file, 'titles = "all"\n')
    settings_file.chmod(0o644)

    set_value(settings_file, "titles", "none")

    assert mode(settings_file) == 0o600
    assert sorted(p.name for p in settings_file.parent.iterdir()) == ["settings.toml"]


def test_set_creates_a_private_folder_when_there_is_none(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config" / "settings.toml"

    set_value(path, "language", "nl")

    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


def test_set_replaces_the_file_instead_of_writing_into_it(settings_file: Path) -> None:
    # A reader that opened the old file keeps seeing the whole old file: the new text arrives by rename.
    write(settings_file, 'titles = "all"\n')
    with settings_file.open("rb") as reader:
        set_value(settings_file, "titles", "none")
        assert reader.read() == b'titles = "all"\n'
    assert tomllib.loads(settings_file.read_text())["titles"] == "none"


@pytest.mark.skipif(os.name != "posix", reason="symbolic links need privileges on Windows")
def test_a_symlinked_settings_file_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "middenweg.toml"
    write(real, 'titles = "all"\n')
    link = tmp_path / "config" / "settings.toml"
    link.parent.mkdir()
    link.symlink_to(real)

    set_value(link, "titles", "none")

    assert link.is_symlink()
    assert tomllib.loads(real.read_text())["titles"] == "none"


# --- mistakes: nothing is ever overwritten


def test_bad_toml_names_the_file_and_line_and_changes_nothing(settings_file: Path) -> None:
    original = write(settings_file, '# mine\ntitles = "all"\nidle_after = = 3\nlanguage = "nl"\n')

    with pytest.raises(SettingsError) as on_load:
        load_settings(settings_file)
    with pytest.raises(SettingsError) as on_set:
        set_value(settings_file, "language", "en")

    for caught in (on_load, on_set):
        assert caught.value.line == 3
        assert caught.value.file == settings_file
        assert str(caught.value).startswith(f"Settings file {settings_file}, line 3: ")
        assert "has not been changed" in str(caught.value)
    assert settings_file.read_bytes() == original
    assert sorted(p.name for p in settings_file.parent.iterdir()) == ["settings.toml"]


def test_an_unclosed_string_at_the_end_is_explained(settings_file: Path) -> None:
    original = write(settings_file, 'device_name = "Laptop\n')

    with pytest.raises(SettingsError) as caught:
        set_value(settings_file, "titles", "none")

    assert str(settings_file) in str(caught.value)
    assert settings_file.read_bytes() == original


BAD_FILE_VALUES = [
    ("age_group", '"30"'),
    ("age_group", "25"),
    ("age_group", '"Under-16"'),
    ("time_zone", '"Mars/Olympus_Mons"'),
    ("time_zone", '"/etc/localtime"'),
    ("time_zone", "1"),
    ("language", '"fr"'),
    ("language", "true"),
    ("idle_after", "29"),
    ("idle_after", "3601"),
    ("idle_after", '"3m"'),
    ("idle_after", "true"),
    ("idle_after", "180.0"),
    ("titles", '"hide"'),
    ("device_name", '""'),
    ("device_name", '"two\\nlines"'),
    ("device_name", "[1, 2]"),
]


@pytest.mark.parametrize(("name", "value"), BAD_FILE_VALUES)
def test_a_wrong_value_in_the_file_names_key_line_value_and_what_is_allowed(
    settings_file: Path, name: str, value: str
) -> None:
    original = write(settings_file, f'schema_version = 1\n# note\n\n{name} = {value}\ntitles_extra = "x"\n')

    with pytest.raises(SettingsError) as caught:
        load_settings(settings_file)

    message = str(caught.value)
    assert caught.value.line == 4
    assert f"line 4: {name} = " in message
    assert "must be" in message
    assert settings_file.read_bytes() == original


@pytest.mark.parametrize(
    ("key", "typed", "allowed"),
    [
        ("age-group", "30", '"25-34"'),
        ("age-group", "", '"none"'),
        ("time-zone", "Mars/Olympus_Mons", '"Europe/Amsterdam"'),
        ("language", "fr", '"nl"'),
        ("idle-after", "abc", '"1m30s"'),
        ("idle-after", "10", "30 to 3600"),
        ("titles", "hide", '"none"'),
        ("device-name", "   ", "1 to 64 characters"),
        ("device-name", "x" * 65, "1 to 64 characters"),
    ],
)
def test_a_wrong_value_on_the_command_line_says_what_is_allowed_and_changes_nothing(
    settings_file: Path, key: str, typed: str, allowed: str
) -> None:
    original = write(settings_file, '# mine\ntitles = "all"\n')

    with pytest.raises(SettingsError) as caught:
        set_value(settings_file, key, typed)

    assert allowed in str(caught.value)
    assert key in str(caught.value)
    assert settings_file.read_bytes() == original


def test_a_wrong_value_on_the_command_line_does_not_create_the_file(settings_file: Path) -> None:
    with pytest.raises(SettingsError):
        set_value(settings_file, "titles", "hide")

    assert not settings_file.exists()


def test_a_misspelt_time_zone_gets_a_suggestion(settings_file: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        set_value(settings_file, "time-zone", "Amsterdam")

    assert 'Did you mean "Europe/Amsterdam"?' in str(caught.value)


def test_setting_an_unknown_key_lists_the_valid_ones(settings_file: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        set_value(settings_file, "colour", "green")

    assert "age-group, time-zone, language, idle-after, titles, exclude, device-name" in str(caught.value)
    assert not settings_file.exists()


def test_an_unknown_key_is_a_warning_with_its_line(settings_file: Path) -> None:
    write(settings_file, 'schema_version = 1\ntitles = "none"\nidle_afer = 60\n')

    loaded, warnings = load_settings_with_warnings(settings_file)

    assert loaded.titles == "none"
    assert loaded.idle_after == 180
    assert len(warnings) == 1
    assert "line 3" in warnings[0]
    assert '"idle_afer"' in warnings[0]
    assert load_settings(settings_file) == loaded


def test_a_file_from_a_newer_middenweg_is_refused_and_kept(settings_file: Path) -> None:
    original = write(settings_file, 'schema_version = 2\ntitles = "none"\nnew_thing = "yes"\n')

    with pytest.raises(SettingsError, match="newer Middenweg") as on_load:
        load_settings(settings_file)
    with pytest.raises(SettingsError, match="newer Middenweg"):
        set_value(settings_file, "titles", "all")

    assert on_load.value.line == 1
    assert settings_file.read_bytes() == original


@pytest.mark.parametrize("value", ["0", '"1"', "true", "1.0"])
def test_a_nonsense_schema_version_is_refused(settings_file: Path, value: str) -> None:
    write(settings_file, f"schema_version = {value}\n")

    with pytest.raises(SettingsError, match="schema_version"):
        load_settings(settings_file)


def test_a_file_that_is_not_utf8_is_refused_and_kept(settings_file: Path) -> None:
    original = write(settings_file, b'titles = "all"\ndevice_name = "Caf\xe9"\n')

    with pytest.raises(SettingsError, match="UTF-8") as caught:
        load_settings(settings_file)
    with pytest.raises(SettingsError, match="UTF-8"):
        set_value(settings_file, "titles", "none")

    assert caught.value.line == 2
    assert settings_file.read_bytes() == original


def test_a_bad_value_can_be_fixed_with_set(settings_file: Path) -> None:
    write(settings_file, '# keep me\ntime_zone = "Mars/Olympus_Mons"\n')

    fixed = set_value(settings_file, "time-zone", "Europe/Amsterdam")

    assert fixed.time_zone == "Europe/Amsterdam"
    assert settings_file.read_text() == '# keep me\ntime_zone = "Europe/Amsterdam"\n'


def test_set_refuses_while_another_key_is_wrong_and_points_at_it(settings_file: Path) -> None:
    # The new line would go under the example on line 1; the message must still say where titles is now.
    original = write(settings_file, '# language = "en"\n\ntitles = "hide"\n')

    with pytest.raises(SettingsError) as caught:
        set_value(settings_file, "language", "nl")

    assert caught.value.line == 3
    assert "titles" in str(caught.value)
    assert settings_file.read_bytes() == original


def test_a_settings_path_that_is_a_folder_is_reported(settings_file: Path) -> None:
    settings_file.mkdir(parents=True)

    with pytest.raises(SettingsError) as caught:
        load_settings(settings_file)

    assert str(settings_file) in str(caught.value)


# --- idle-after durations


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [("90", 90), ("90s", 90), ("3m", 180), ("1m30s", 90), ("1m 30s", 90), (" 2M ", 120), ("1h", 3600)],
)
def test_idle_after_understands_durations(settings_file: Path, typed: str, seconds: int) -> None:
    assert set_value(settings_file, "idle-after", typed).idle_after == seconds
    assert tomllib.loads(settings_file.read_text())["idle_after"] == seconds


@pytest.mark.parametrize("typed", ["abc", "", "1m30", "-60", "3 minutes", "1.5m", "m", "٣٠", "9" * 5000])
def test_idle_after_refuses_what_is_no_duration(settings_file: Path, typed: str) -> None:
    assert parse_duration(typed) is None
    with pytest.raises(SettingsError, match="idle-after"):
        set_value(settings_file, "idle-after", typed)


@pytest.mark.parametrize("typed", ["29", "10s", "0", "61m", "2h"])
def test_idle_after_refuses_durations_out_of_range(settings_file: Path, typed: str) -> None:
    with pytest.raises(SettingsError, match="30 to 3600"):
        set_value(settings_file, "idle-after", typed)
    assert not settings_file.exists()


_PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_PROPERTY
@given(typed=st.text(max_size=12))
def test_whatever_is_typed_for_idle_after_the_file_stays_loadable(settings_file: Path, typed: str) -> None:
    write(settings_file, "# mine\n")
    try:
        stored = set_value(settings_file, "idle-after", typed).idle_after
    except SettingsError:
        assert settings_file.read_text() == "# mine\n"
    else:
        assert 30 <= stored <= 3600
        assert load_settings(settings_file).idle_after == stored


@_PROPERTY
@given(name=st.text(min_size=1, max_size=64).filter(lambda s: s.strip() and s.isprintable()))
def test_any_printable_device_name_round_trips(settings_file: Path, name: str) -> None:
    write(settings_file, "# mine\n")

    set_value(settings_file, "device-name", name)

    assert get_value(load_settings(settings_file), "device-name") == name.strip()


def test_exclusions_from_the_command_line_and_the_file(settings_file: Path) -> None:
    assert load_settings(settings_file).exclude == ()
    loaded = set_value(settings_file, "exclude", "app:signal, title:*Bank*")
    assert loaded.exclude == ("app:signal", "title:*Bank*")
    assert get_value(loaded, "exclude") == "app:signal, title:*Bank*"
    assert 'exclude = ["app:signal", "title:*Bank*"]' in settings_file.read_text(encoding="utf-8")
    assert set_value(settings_file, "exclude", "").exclude == ()
    before = settings_file.read_bytes()
    with pytest.raises(SettingsError, match="app:"):
        set_value(settings_file, "exclude", "signal")
    assert settings_file.read_bytes() == before
    write(settings_file, 'exclude = "app:signal"\n')
    with pytest.raises(SettingsError, match="line 1"):
        load_settings(settings_file)
