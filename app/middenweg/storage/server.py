"""A shared PostgreSQL server as the database (issue 10): opening it, and its problems as sentences a person can act on.

Several computers write to one server at once, so the engine is set up for that: writes run SERIALIZABLE (the server
then behaves as if they came one after another, as SQLite's single writer does; ``Store`` retries a transaction the
server cancelled for that), reads see one snapshot (REPEATABLE READ, chosen by ``Store``), a dead pooled connection is
replaced before use, and connecting gives up after ``CONNECT_TIMEOUT`` seconds instead of hanging the tray app.

The only module that knows PostgreSQL's messages. It never touches a local file, and never shows a password: every URL
in a message is masked (``database_url.masked``).
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, create_engine, literal, make_url, select
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from middenweg.database_url import address, masked
from middenweg.i18n import _
from middenweg.storage.errors import ServerAccessError, ServerUnavailableError, StorageError

#: Seconds to wait for a server before saying it cannot be reached.
CONNECT_TIMEOUT = 10
#: SQLSTATEs of a transaction the server cancelled because another one got in its way: running it again is right.
RETRY_STATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected

# Pieces of libpq's and the server's English messages, lower case (a server set to another language is reported
# with its own words, through the last sentence of ``server_error``).
_REFUSED = re.compile(r"authentication failed|no password supplied|role \"[^\"]*\" does not exist")
_NO_DATABASE = re.compile(r"database \"[^\"]*\" does not exist")
_NOT_ALLOWED = ("no pg_hba.conf entry", "permission denied", "must be owner")
_UNREACHABLE = (
    "connection refused", "no such file or directory", "could not connect", "failed to resolve host",
    "could not translate host name", "timeout expired", "name or service not known", "network is unreachable",
    "no route to host", "server closed the connection", "terminating connection", "connection is bad",
    "connection is closed", "the database system is", "too many clients", "consuming input failed",
    "ssl connection has been closed", "connection to server", "server conn crashed", "connection timed out",
)  # fmt: skip


def open_server(url: str) -> Engine:
    """An engine on the PostgreSQL database at ``url`` (``postgresql+psycopg://...``), checked by connecting once.

    Raises ``StorageError`` subclasses with the password masked; changes nothing, here or on the server.
    """
    where = masked(url)
    try:
        parsed = make_url(url)
        connect_args: dict[str, object] = {"application_name": "middenweg"}
        if "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = CONNECT_TIMEOUT
        engine = create_engine(
            parsed, isolation_level="SERIALIZABLE", pool_pre_ping=True, pool_size=2, connect_args=connect_args
        )
    except (NoSuchModuleError, ImportError) as exc:
        raise StorageError(
            _(
                "Middenweg needs the psycopg package to use a PostgreSQL database: install it with "
                'pip install "middenweg[postgresql]". Nothing was changed.'
            )
        ) from exc
    except (ArgumentError, ValueError):
        # Not chained, and its words not shown: a URL parser's message may quote the URL, password and all.
        raise ServerAccessError(
            _(
                "The database URL {where} cannot be read. Write it as "
                "postgresql+psycopg://USER:PASSWORD@HOST/DATABASE; nothing was changed."
            ).format(where=where)
        ) from None
    try:
        with engine.connect() as conn:
            conn.execute(select(literal(1)))
    except DBAPIError as exc:
        engine.dispose()
        raise server_error(exc, where) from exc
    return engine


def _reason(exc: BaseException) -> str:
    """The part of a driver's message that says what went wrong: its first line, after libpq's "... failed: "."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    first = text.splitlines()[0] if text else ""
    reason = first.rpartition("failed: ")[2] if "failed: " in first else first
    return reason.removeprefix("FATAL:").strip() or first


def server_error(exc: BaseException, where: str) -> StorageError:
    """A driver error of the server at ``where`` (a masked URL) as one sentence; nothing in it holds a password."""
    reason = _reason(exc)
    said = str(getattr(exc, "orig", None) or exc).lower()
    place = address(where)
    if _REFUSED.search(said):
        return ServerAccessError(
            _(
                "The PostgreSQL server {server} refused the user name or password in database-url (user {user}). "
                "Check them and set the URL again with `middenweg config set database-url URL`; nothing was changed."
            ).format(server=place.server, user=place.user or "?")
        )
    if _NO_DATABASE.search(said):
        return ServerAccessError(
            _(
                "There is no database {database} on the PostgreSQL server {server}. Create it first (for example "
                "`createdb -O {user} {database}` on the server); nothing was changed."
            ).format(database=place.database, server=place.server, user=place.user or "USER")
        )
    if any(part in said for part in _NOT_ALLOWED):
        return ServerAccessError(
            _(
                "The PostgreSQL server {server} does not let {user} use the database {database} ({problem}). Make "
                "{user} the owner of the database, or ask the server's administrator; nothing was changed."
            ).format(server=place.server, user=place.user or "?", database=place.database, problem=reason)
        )
    if getattr(getattr(exc, "orig", None), "sqlstate", None) in RETRY_STATES:
        return StorageError(
            _(
                "The PostgreSQL server {server} was busy with another computer's changes to the same data; "
                "nothing was changed. Try again."
            ).format(server=place.server)
        )
    if (isinstance(exc, DBAPIError) and exc.connection_invalidated) or any(part in said for part in _UNREACHABLE):
        return ServerUnavailableError(
            _(
                "The PostgreSQL server {server} cannot be reached ({problem}). Check that it is running and that "
                "database-url names it; nothing was changed."
            ).format(server=place.server, problem=reason)
        )
    return StorageError(
        _("The PostgreSQL database {where} could not be used: {problem}").format(where=where, problem=reason)
    )
