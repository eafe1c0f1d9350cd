"""The storage tests run on SQLite and on a throwaway PostgreSQL server alike (see ``tests/postgres.py``): every test
that asks for ``store`` or ``database`` runs once per backend."""

from __future__ import annotations

from postgres import database, postgres_cluster, postgres_module_database, store

__all__ = ["database", "postgres_cluster", "postgres_module_database", "store"]
