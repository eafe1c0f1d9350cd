"""Storage errors: each says which file, what is wrong, and that nothing was changed."""

from __future__ import annotations


class StorageError(Exception):
    """A database problem a person can act on. ``str(error)`` is the message to show."""


class DatabaseLockedError(StorageError):
    """Another program holds the database and did not let go in time."""


class NotMiddenwegDatabaseError(StorageError):
    """The file exists but is not a Middenweg database (or not a database at all)."""


class DamagedDatabaseError(NotMiddenwegDatabaseError):
    """The file is Middenweg's database but cannot be read as one (garbage, cut off, malformed): it is kept aside,
    never deleted, and a new database is started (see ``bootstrap.Context.store``)."""


class NewerDatabaseError(StorageError):
    """The database was made by a newer Middenweg; this version must not touch it."""


class DatabaseUnreadableError(StorageError):
    """The file cannot be opened or read (permissions, damage)."""


class ServerUnavailableError(StorageError):
    """A shared database server cannot be reached now (down, unreachable, starting up); trying later may work."""


class ServerAccessError(StorageError):
    """A shared database server answers but will not let Middenweg in or work (password, missing database, rights):
    the settings or the server must change first."""
