"""The unit tests that ask for ``store`` (the weekly report by device, goals' progress, phone entries) run on SQLite
and on a throwaway PostgreSQL server alike (see ``tests/postgres.py``): once per backend."""

from __future__ import annotations

from postgres import database, postgres_cluster, postgres_module_database, store

__all__ = ["database", "postgres_cluster", "postgres_module_database", "store"]
