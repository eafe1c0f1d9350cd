"""The database-url setting: a PostgreSQL URL given the psycopg driver, or "local"; its password is never shown."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from middenweg.config import SettingsError, get_value, list_values, load_settings, set_value
from middenweg.database_url import DatabaseUrlError, address, masked, normalise

SECRET = "s3cr3t-Pa55"


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.toml"


@pytest.mark.parametrize(
    ("typed", "opened"),
    [
        ("postgresql+psycopg://mw:pw@db.example.org/middenweg", "postgresql+psycopg://mw:pw@db.example.org/middenweg"),
        (
            "postgresql://mw:pw@db.example.org:5433/middenweg",
            "postgresql+psycopg://mw:pw@db.example.org:5433/middenweg",
        ),
        ("POSTGRES://mw@/middenweg?host=/run/postgresql", "postgresql+psycopg://mw@/middenweg?host=/run/postgresql"),
    ],
)
def test_a_postgresql_url_is_opened_through_psycopg(settings_file: Path, typed: str, opened: str) -> None:
    assert set_value(settings_file, "database-url", typed).database_url == opened
    assert tomllib.loads(settings_file.read_text())["database_url"] == typed
    assert load_settings(settings_file).database_url == opened


def test_unset_and_local_both_mean_the_file_on_this_computer(settings_file: Path) -> None:
    assert load_settings(settings_file).database_url is None
    assert get_value(load_settings(settings_file), "database-url") == "local"
    set_value(settings_file, "database-url", "postgresql://mw@db/middenweg")
    assert set_value(settings_file, "database-url", " Local ").database_url is None
    assert tomllib.loads(settings_file.read_text())["database_url"] == "local"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        (f"mysql://mw:{SECRET}@db/middenweg", "Only a PostgreSQL server can be shared"),
        ("sqlite:////home/me/middenweg.sqlite3", "Only a PostgreSQL server can be shared"),
        (f"postgresql+psycopg2://mw:{SECRET}@db/middenweg", "through psycopg"),
        (f"postgresql://mw:{SECRET}@db", "Name the database"),
        (f"postgresql://mw:{SECRET}@db/a/b", "Name the database"),
        (f"postgresql://mw:{SECRET} @db/middenweg", "without spaces"),
        (f"postgresql://mw:{SECRET}@db:pg/middenweg", "port after the host must be a number"),
        (f"mw:{SECRET}@db/middenweg", "postgresql+psycopg://USER:PASSWORD@HOST/DATABASE"),
    ],
)
def test_a_wrong_url_is_refused_without_showing_its_password(settings_file: Path, typed: str, says: str) -> None:
    with pytest.raises(SettingsError) as caught:
        set_value(settings_file, "database-url", typed)
    assert says in str(caught.value) and SECRET not in str(caught.value)
    assert not settings_file.exists()


def test_a_wrong_url_in_the_file_is_reported_without_its_password(settings_file: Path) -> None:
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text(f'database_url = "mysql://mw:{SECRET}@db/middenweg"\n')
    with pytest.raises(SettingsError) as caught:
        load_settings(settings_file)
    assert "database_url = " in str(caught.value) and "***" in str(caught.value)
    assert SECRET not in str(caught.value) and caught.value.line == 1


def test_get_list_and_set_show_the_url_with_its_password_masked(settings_file: Path) -> None:
    settings = set_value(settings_file, "database-url", f"postgresql://mw:{SECRET}@db.example.org/middenweg")
    assert get_value(settings, "database-url") == "postgresql+psycopg://mw:***@db.example.org/middenweg"
    assert SECRET not in repr(list_values(settings))


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://mw:{SECRET}@db/middenweg",
        f"postgresql+psycopg://mw@db/middenweg?sslmode=require&password={SECRET}",
        f"postgresql+psycopg://mw:{SECRET}@/middenweg?host=/tmp&sslpassword={SECRET}",
        f"postgresql://mw:p@ss/{SECRET}@db/middenweg",  # not escaped: still nothing of it shows
        f"mw:{SECRET}?x@db",
    ],
)
def test_no_password_survives_masking(url: str) -> None:
    assert SECRET not in masked(url) and "***" in masked(url)


def test_messages_name_the_server_database_and_user() -> None:
    assert address(normalise("postgresql://mw:pw@db.example.org:5433/middenweg")) == (
        address("postgresql+psycopg://mw:***@db.example.org:5433/middenweg")
    )
    place = address("postgresql+psycopg://mw:***@/middenweg?host=/run/postgresql")
    assert (place.server, place.database, place.user) == ("/run/postgresql", "middenweg", "mw")
    assert address("postgresql+psycopg:///middenweg").server == "this computer"
    with pytest.raises(DatabaseUrlError):
        normalise("")
