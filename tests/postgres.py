"""A throwaway PostgreSQL server for the tests, and the ``store`` fixture on SQLite and on PostgreSQL.

``PostgresCluster`` runs Debian's ``postgresql`` binaries (``initdb``, ``pg_ctl``) on a data folder in a fresh temporary
folder: as the ``postgres`` user when the tests run as root (the server refuses to run as root), else as the user
running the tests. It listens on a Unix socket in that folder only (``listen_addresses=''``): no TCP port, as the
project promises. Every login needs a password (scram-sha-256), so a wrong password is refused as on a real server.
Durability is switched off (fsync, full page writes): a crash loses nothing a test needs.

Each test module gets a copy of one migrated template (CREATE DATABASE ... TEMPLATE: a database at HEAD without
running Alembic again), emptied before each test with TRUNCATE ... RESTART IDENTITY (ids start at 1 again, as in a new
database); that costs ~40 ms a test where a new database costs ~200 ms. ``new_role_and_database`` gives an empty
database of a new role, which Middenweg itself migrates (the tests of homes on a server).

Import the fixtures into a ``conftest.py`` (``database``, ``postgres_cluster``, ``postgres_module_database``, ``store``)
to run that folder's ``store`` tests on both backends; without the binaries (or psycopg) the PostgreSQL half is skipped,
saying why. However many conftests import them, the session has one server.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from middenweg.storage.store import Store

#: Overrides where the server binaries are (a folder holding initdb, pg_ctl and postgres).
BIN_ENV = "MIDDENWEG_TEST_PG_BIN"
SERVER_USER = "postgres"
TEMPLATE = "middenweg_template"
#: The role that owns the template and every copy of it (the tables belong to whoever made them).
OWNER = "middenweg"


def find_binaries() -> Path | None:
    """The folder with initdb and pg_ctl: $MIDDENWEG_TEST_PG_BIN, Debian's newest, or the PATH."""
    chosen = os.environ.get(BIN_ENV)
    candidates = [Path(chosen)] if chosen else []
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    candidates += [Path(p) for p in found]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    return next((c for c in candidates if (c / "initdb").is_file() and (c / "pg_ctl").is_file()), None)


def _version(bindir: str) -> tuple[int, ...]:
    """(15,) for /usr/lib/postgresql/15/bin, (9, 6) for .../9.6/bin; () for a name that is no version."""
    parts = Path(bindir).parent.name.split(".")
    return tuple(int(part) for part in parts) if all(part.isdigit() for part in parts) else ()


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def why_not() -> str | None:
    """Why no test server can run here, or None when one can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return 'psycopg is not installed (pip install "psycopg[binary]")'
    if find_binaries() is None:
        return f"no PostgreSQL server binaries (apt-get install postgresql, or set {BIN_ENV})"
    if _as_root():
        try:
            import pwd

            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root and there is no {SERVER_USER!r} user to run the server as"
    return None


class PostgresCluster:
    """One running server in a temporary folder; ``stop`` ends it and removes the folder."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="mw-pg-"))  # short: a socket path has at most 107 bytes
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.password = secrets.token_hex(12)
        self.owner_password = secrets.token_hex(12)
        self._names = itertools.count(1)
        self._as_server_user = _as_root()
        if self._as_server_user:
            shutil.chown(self.root, SERVER_USER, SERVER_USER)
        self.root.chmod(0o755)  # root (the tests) reaches the socket; the data folder itself stays 0700
        pwfile = self.root / "superuser-password"
        pwfile.write_text(self.password + "\n")
        if self._as_server_user:
            shutil.chown(pwfile, SERVER_USER, SERVER_USER)
        try:
            self._run(
                "initdb", "-D", str(self.data), "-U", SERVER_USER, f"--pwfile={pwfile}", "--auth=scram-sha-256",
                "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
            )  # fmt: skip
            pwfile.unlink()
            self.start()
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def start(self) -> None:
        """Start the server (again), listening on the socket only."""
        options = (
            f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-o", options, "start")

    def halt(self) -> None:
        """Shut the server down as a reboot would (its clients' connections end); ``start`` brings it back."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def _run(self, program: str, *args: str) -> None:
        extra: dict[str, Any] = {}
        if self._as_server_user:
            extra = {"user": SERVER_USER, "group": SERVER_USER, "extra_groups": []}
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "TZ": "UTC"}
        done = subprocess.run(
            [str(self.bindir / program), *args], cwd=self.root, env=env, capture_output=True, text=True,
            timeout=120, check=False, **extra,
        )  # fmt: skip
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stdout}{done.stderr}{tail}")

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    # -- talking to it ------------------------------------------------------------------------------------------

    def url(self, user: str, password: str, database: str) -> str:
        """The URL a person would put in ``database-url``: a Unix socket given as ``host``, no TCP."""
        return f"postgresql+psycopg://{user}:{password}@/{database}?host={self.socket_dir}"

    def admin(self, sql: str, *more: str) -> None:
        """Run statements as the superuser, outside a transaction (CREATE DATABASE cannot run in one)."""
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir), user=SERVER_USER, password=self.password, dbname="postgres", autocommit=True
        ) as conn:
            for statement in (sql, *more):
                conn.execute(statement.encode())

    def fresh_name(self, prefix: str) -> str:
        return f"{prefix}_{next(self._names)}"

    def new_role_and_database(self) -> tuple[str, str, str]:
        """A new login role with a password, owning a new, empty database: (role, password, database)."""
        role, password = self.fresh_name("home"), secrets.token_hex(8)
        database = f"{role}_db"
        self.admin(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'", f"CREATE DATABASE {database} OWNER {role}")
        return role, password, database

    def prepare_template(self) -> None:
        """The template every test database copies: empty, at Middenweg's HEAD schema, owned by ``OWNER``."""
        self.admin(
            f"CREATE ROLE {OWNER} LOGIN PASSWORD '{self.owner_password}'", f"CREATE DATABASE {TEMPLATE} OWNER {OWNER}"
        )
        Store.open_url(self.url(OWNER, self.owner_password, TEMPLATE)).close()
        self.admin(f"ALTER DATABASE {TEMPLATE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")

    def migrated_database(self) -> str:
        """A new database at HEAD (a copy of the template); returns its URL."""
        name = self.fresh_name("test")
        self.admin(f"CREATE DATABASE {name} OWNER {OWNER} TEMPLATE {TEMPLATE}")
        return self.url(OWNER, self.owner_password, name)

    def empty(self, url: str) -> None:
        """Delete every row of a migrated database and restart its ids, as the owner (the schema stays at HEAD)."""
        import psycopg

        from middenweg.storage import schema

        tables = ", ".join(table.name for table in schema.metadata.sorted_tables)
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE".encode())

    def drop(self, url: str) -> None:
        """Remove the database of ``url`` (its last connections are ended first)."""
        name = urlsplit(url).path.removeprefix("/")
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


#: The one server of this test session, shared by every conftest that imports the fixtures (each import is a fixture
#: definition of its own, and would otherwise start a server of its own).
_session: dict[str, PostgresCluster] = {}


@pytest.fixture(scope="session")
def postgres_cluster(request: pytest.FixtureRequest) -> PostgresCluster:
    """A running throwaway server for the whole session (skipped, with the reason, where none can run)."""
    reason = why_not()
    if reason is not None:
        pytest.skip(reason)
    if "cluster" not in _session:
        bindir = find_binaries()
        assert bindir is not None
        cluster = PostgresCluster(bindir)
        try:
            cluster.prepare_template()
        except BaseException:
            cluster.stop()
            raise
        _session["cluster"] = cluster
        request.config.add_cleanup(_stop_session)
    return _session["cluster"]


def _stop_session() -> None:
    """Stop the session's server (pytest calls this when the session ends) and remove its folder."""
    cluster = _session.pop("cluster", None)
    if cluster is not None:
        cluster.stop()


@pytest.fixture(scope="module")
def postgres_module_database(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """The URL of this test module's database at HEAD (``database`` empties it before each test)."""
    url = postgres_cluster.migrated_database()
    yield url
    postgres_cluster.drop(url)


@dataclass
class Database:
    """Where a test's store lives: ``open()`` opens it (again: a reopen is a restart of the app)."""

    kind: str  # "sqlite" or "postgresql"
    open: Callable[[], Store]


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database on each backend in turn."""
    if request.param == "sqlite":
        path = tmp_path / "db" / "middenweg.sqlite3"
        yield Database("sqlite", lambda: Store.open(path))
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    url: str = request.getfixturevalue("postgres_module_database")
    cluster.empty(url)
    yield Database("postgresql", lambda: Store.open_url(url))


@pytest.fixture
def store(database: Database) -> Iterator[Store]:
    """An empty store, on SQLite and on PostgreSQL (overrides the SQLite-only fixture of tests/conftest.py)."""
    s = database.open()
    yield s
    s.close()


def sqlite_only(database: Database, why: str) -> None:
    """Skip the PostgreSQL run of a test that is about the SQLite file itself."""
    if database.kind != "sqlite":
        pytest.skip(f"SQLite only: {why}")
