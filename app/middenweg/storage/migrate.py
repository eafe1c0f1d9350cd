"""Bringing a database to the schema this version of Middenweg expects, through Alembic only.

Alembic itself is imported only when an upgrade is due: checking the version is one small query, so opening an
up-to-date database stays fast.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text

from middenweg.i18n import _
from middenweg.storage.errors import NewerDatabaseError, NotMiddenwegDatabaseError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: Every revision this version knows, oldest first; the last is the head. A test checks this against Alembic.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004")
HEAD = KNOWN_REVISIONS[-1]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()


def upgrade(engine: Engine, where: str) -> None:
    """Upgrade to HEAD; refuse a database from a newer Middenweg or one that is not ours."""
    revision = current_revision(engine)
    if revision == HEAD:
        return
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerDatabaseError(
            _(
                "The database {where} was made by a newer version of Middenweg (schema {revision}). Update "
                "Middenweg to use it; this version has not changed it."
            ).format(where=where, revision=revision)
        )
    if revision is None:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        if tables:
            raise NotMiddenwegDatabaseError(
                _("{where} holds tables but no Middenweg schema version. It has not been changed.").format(where=where)
            )
    run_alembic_upgrade(engine, HEAD)


def run_alembic_upgrade(engine: Engine, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, target)
