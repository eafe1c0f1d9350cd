"""Opening a database safely: SQLite set-up (WAL, 0600 files, busy timeout) and the checks that keep a foreign,
damaged, locked or newer database from being touched.

The only module with SQLite-specific statements; every other query in the package is portable SQLAlchemy.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError

from middenweg.i18n import _
from middenweg.storage.errors import (
    DamagedDatabaseError,
    DatabaseLockedError,
    DatabaseUnreadableError,
    NotMiddenwegDatabaseError,
    StorageError,
)

#: PRAGMA application_id of a Middenweg SQLite file ("MWEG"), so other tools can tell what it is.
APPLICATION_ID = 0x4D574547
_SQLITE_MAGIC = b"SQLite format 3\x00"


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Autocommit at the driver level; SQLAlchemy issues BEGIN itself (see _on_begin), so transactions are real.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


#: Execution options of a transaction that will write (``engine.execution_options(**WRITE_TRANSACTION).begin()``).
WRITE_TRANSACTION: dict[str, Any] = {"middenweg_write": True}


def _on_begin(connection: Any) -> None:
    # Readers: a deferred BEGIN with WAL gives a consistent snapshot for the whole transaction (no partial weeks
    # while the tracker writes) and never waits. Writers: BEGIN IMMEDIATE takes the write lock at once, waiting up
    # to the busy timeout for another writer; a deferred transaction that read first cannot upgrade its snapshot
    # after another process committed, and SQLite then says "database is locked" at once, without waiting (#9).
    write = connection.get_execution_options().get("middenweg_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _check_sqlite_file(path: Path) -> bool:
    """True if the file exists and has content. Raises for files that are not SQLite at all."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise DatabaseUnreadableError(
            _("The database {path} cannot be read: {problem}. Nothing was changed.").format(
                path=path, problem=exc.strerror or exc
            )
        ) from exc
    if not header:
        return False
    if header != _SQLITE_MAGIC:
        raise DamagedDatabaseError(
            _(
                "{path} is not a Middenweg database (it is not an SQLite file). It has not been changed; "
                "move it aside to start a new database, or point MIDDENWEG_HOME elsewhere."
            ).format(path=path)
        )
    return True


def _create_private_file(path: Path) -> None:
    """Create an empty database file readable by the user alone (SQLite gives -wal/-shm the same mode)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def _inspect_readonly(path: Path, busy_timeout: float) -> tuple[int, set[str]]:
    """The application id and table names, read without changing a byte of the file."""
    uri = f"file:{path}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout)
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc
    finally:
        conn.close()
    return app_id, tables


def _claim_new_file(path: Path, busy_timeout: float) -> None:
    """Mark an empty file as ours and switch it to WAL (readers never wait for the tracker's writes)."""
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc


def open_sqlite(path: Path, *, busy_timeout: float = 5.0) -> Engine:
    """An engine on a Middenweg SQLite file, made if missing. Raises StorageError subclasses, never overwrites."""
    existed = _check_sqlite_file(path)
    if existed:
        app_id, tables = _inspect_readonly(path, busy_timeout)
        if app_id != APPLICATION_ID and tables:
            raise NotMiddenwegDatabaseError(
                _(
                    "{path} is an SQLite database of another program, not a Middenweg database. "
                    "It has not been changed."
                ).format(path=path)
            )
        if not tables:
            _claim_new_file(path, busy_timeout)
    else:
        _create_private_file(path)
        _claim_new_file(path, busy_timeout)
    with contextlib.suppress(OSError):  # a read-only mount: opening will tell whether we can go on
        os.chmod(path, 0o600)
    engine = create_engine(sqlite_url(path), connect_args={"timeout": busy_timeout})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def translate_error(exc: Exception, path: Path | str) -> StorageError:
    """Turn a driver error into a message a person can act on."""
    text_ = str(getattr(exc, "orig", exc)).lower()
    folder = None if "://" in str(path) else Path(path).parent  # a file, not another database's URL
    if "locked" in text_ or "busy" in text_:
        return DatabaseLockedError(
            _(
                "The database {path} is locked by another program. Close other Middenweg windows or tools that "
                "use it and try again. Nothing was changed."
            ).format(path=path)
        )
    if "not a database" in text_ or "malformed" in text_ or "corrupt" in text_:
        return DamagedDatabaseError(
            _(
                "The database {path} is damaged or not a database. It has not been changed; keep a copy and move "
                "it aside to start a new one."
            ).format(path=path)
        )
    if folder is not None and _read_only_folder(folder):
        return data_folder_error(folder, None)
    if "readonly" in text_ or "read-only" in text_:
        return DatabaseUnreadableError(
            _("The database {path} is read-only here, so Middenweg cannot write to it. Nothing was changed.").format(
                path=path
            )
        )
    if "full" in text_ or (folder is not None and _disk_full(folder)):
        return StorageError(
            _("The disk that holds {path} is full. Free some space; nothing already stored was lost.").format(path=path)
        )
    if "unable to open" in text_ or "disk i/o" in text_ or "permission" in text_:
        return DatabaseUnreadableError(
            _("The database {path} cannot be opened: {problem}. Nothing was changed.").format(
                path=path, problem=getattr(exc, "orig", exc)
            )
        )
    return StorageError(
        _("The database {path} could not be used: {problem}").format(path=path, problem=getattr(exc, "orig", exc))
    )


def _read_only_folder(folder: Path) -> bool:
    """Whether ``folder`` is on a file system mounted read-only (where root, too, cannot write)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # gone, or Windows (no statvfs)
        return False


def _disk_full(folder: Path) -> bool:
    """Whether the disk that holds ``folder`` has no block left (SQLite often says only "disk I/O error" then)."""
    try:
        return os.statvfs(folder).f_bavail == 0
    except (OSError, AttributeError):  # gone, or Windows (no statvfs)
        return False


def data_folder_error(folder: Path, exc: OSError | None) -> StorageError:
    """The data folder itself cannot be used (a read-only mount, a full disk, no permission): a sentence saying so.
    A folder named by ``exc`` (the settings or log folder, when that is the one) is named instead."""
    if exc is not None and isinstance(exc.filename, str) and os.path.isdir(exc.filename):
        folder = Path(exc.filename)
    if (exc is not None and exc.errno in (errno.ENOSPC, errno.EDQUOT)) or _disk_full(folder):
        return StorageError(
            _(
                "The disk that holds {folder} is full, so Middenweg cannot write there. Free some space; nothing "
                "already stored was lost."
            ).format(folder=folder)
        )
    if (exc is not None and exc.errno == errno.EROFS) or _read_only_folder(folder):
        return DatabaseUnreadableError(
            _(
                "The folder {folder} is read-only, so Middenweg cannot write there. Make it writable again, or "
                "set MIDDENWEG_HOME to another folder; nothing was changed."
            ).format(folder=folder)
        )
    return DatabaseUnreadableError(
        _("The folder {folder} cannot be used: {problem}. Nothing was changed.").format(
            folder=folder, problem=(exc.strerror or exc) if exc is not None else "?"
        )
    )


#: The files SQLite keeps beside a database; they move with it, so a new database never meets an old journal.
_COMPANIONS = ("-wal", "-shm", "-journal")


def move_aside(path: Path, stamp: str) -> Path:
    """Rename the damaged database at ``path`` (and its journal files) to ``<name>.damaged-<stamp>`` (with ``-2``,
    ``-3``... if that name is taken). Never deletes or overwrites a file; returns the new name. Raises OSError."""
    for attempt in itertools.count(1):
        target = path.with_name(f"{path.name}.damaged-{stamp}" + (f"-{attempt}" if attempt > 1 else ""))
        if any(Path(f"{target}{suffix}").exists() for suffix in _COMPANIONS):
            continue
        try:
            _rename_no_replace(path, target)
        except FileExistsError:
            continue
        break
    for suffix in _COMPANIONS:
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            _rename_no_replace(companion, Path(f"{target}{suffix}"))
    return target


def _rename_no_replace(source: Path, target: Path) -> None:
    """Rename without ever replacing ``target``: a hard link fails if it exists (FileExistsError)."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename (only one Middenweg runs here now)
        if target.exists():
            raise FileExistsError(target) from None
        os.rename(source, target)
        return
    os.unlink(source)


def open_url(url: str) -> Engine:
    """An engine for another SQLAlchemy URL (a later issue adds PostgreSQL set-up here)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DatabaseError as exc:
        engine.dispose()
        raise translate_error(exc, url) from exc
    return engine


def scrub_after_delete(engine: Engine) -> None:
    """Make deleted history unrecoverable from the file: rewrite it without free pages and empty the WAL.

    Without this, titles of forgotten windows would linger in free pages and WAL frames until overwritten.
    """
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()  # VACUUM must run outside a transaction: bypass SQLAlchemy's BEGIN
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()
