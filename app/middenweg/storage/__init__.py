"""Storage: events, devices, apps, titles and the import ledger in SQLite (WAL) or any SQLAlchemy URL.

The schema is made and changed only by the Alembic migrations shipped in ``storage/migrations``. ORM rows and
Sessions never leave this package: callers get domain values and small frozen records.
"""
