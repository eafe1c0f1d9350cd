"""Bringing a database to the schema this version of Middenweg expects, through Alembic only.

Alembic itself is imported only when an upgrade is due: checking the version is one small query, so opening an
up-to-date database stays fast.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, func, inspect, select, text

from middenweg.i18n import _
from middenweg.storage.errors import NewerDatabaseError, NotMiddenwegDatabaseError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: Every revision this version knows, oldest first; the last is the head. A test checks this against Alembic.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004")
HEAD = KNOWN_REVISIONS[-1]
#: The PostgreSQL advisory lock key that lets one computer at a time migrate a shared database ("MWEG").
_MIGRATION_LOCK = 0x4D574547


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return _revision(conn)


def _revision(conn: Connection) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    revision: str | None = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()
    return revision


def upgrade(engine: Engine, where: str) -> None:
    """Upgrade to HEAD; refuse a database from a newer Middenweg or one that is not ours.

    On a shared server two computers may start at once: the second waits for the first's migration (an advisory
    lock held until the transaction ends), then finds the schema at HEAD. All of it is one transaction, so a
    migration that fails half-way leaves the database as it was.
    """
    if current_revision(engine) == HEAD:
        return
    with engine.connect() as conn:
        server = conn.dialect.name == "postgresql"
        if server:
            # Not the SERIALIZABLE of everyday writes: its snapshot would be taken before the wait for the lock,
            # and miss the tables the other computer made meanwhile.
            conn.execution_options(isolation_level="READ COMMITTED")
        with conn.begin():
            if server:
                conn.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
            _check_and_upgrade(conn, where)


def _check_and_upgrade(conn: Connection, where: str) -> None:
    revision = _revision(conn)
    if revision == HEAD:
        return
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerDatabaseError(
            _(
                "The database {where} was made by a newer version of Middenweg (schema {revision}). Update "
                "Middenweg to use it; this version has not changed it."
            ).format(where=where, revision=revision)
        )
    if revision is None and inspect(conn).get_table_names():
        raise NotMiddenwegDatabaseError(
            _("{where} holds tables but no Middenweg schema version. It has not been changed.").format(where=where)
        )
    _alembic_upgrade(conn, HEAD)


def run_alembic_upgrade(engine: Engine, target: str) -> None:
    with engine.begin() as conn:
        _alembic_upgrade(conn, target)


def _alembic_upgrade(conn: Connection, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    command.upgrade(config, target)
