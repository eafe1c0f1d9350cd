"""Storage errors: each says which file, what is wrong, and that nothing was changed."""

from __future__ import annotations


class StorageError(Exception):
    """A database problem a person can act on. ``str(error)`` is the message to show."""


class DatabaseLockedError(StorageError):
    """Another program holds the database and did not let go in time."""


class NotMiddenwegDatabaseError(StorageError):
    """The file exists but is not a Middenweg database (or not a database at all)."""


class NewerDatabaseError(StorageError):
    """The database was made by a newer Middenweg; this version must not touch it."""


class DatabaseUnreadableError(StorageError):
    """The file cannot be opened or read (permissions, damage)."""
