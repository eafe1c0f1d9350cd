"""A shared PostgreSQL server as the database, in process: the same schema as the models, moments past 2038,
several computers writing at once, a server that restarts, and every fault said in plain words with the password
masked. (The storage tests in this folder run on the server too, through ``store``; the CLI homes are in
``test_postgres_homes.py``.)"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind, UsageEvent
from middenweg.storage import migrate
from middenweg.storage.errors import (
    NewerDatabaseError,
    NotMiddenwegDatabaseError,
    ServerAccessError,
    ServerUnavailableError,
    StorageError,
)
from middenweg.storage.models import Base
from middenweg.storage.records import DeviceSpec, ImportBatch
from middenweg.storage.store import Store
from middenweg.tracking.runner import StoreSink
from middenweg.tracking.sampler import SinkUnavailableError
from postgres import PostgresCluster, find_binaries, why_not

LAPTOP = DeviceSpec("laptop", "Laptop", DeviceKind.COMPUTER)
DESKTOP = DeviceSpec("desktop", "Desktop", DeviceKind.COMPUTER)


def chat(start: int, seconds: int, app: str = "WhatsApp") -> UsageEvent:
    return UsageEvent(start, seconds, app, f"{app} chat", Category.MESSAGING, app)


@pytest.fixture
def fresh(postgres_cluster: PostgresCluster) -> tuple[str, str, str, str]:
    """A new role and its new, empty database: (url, role, password, database)."""
    role, password, database = postgres_cluster.new_role_and_database()
    return postgres_cluster.url(role, password, database), role, password, database


@pytest.fixture
def server_store(fresh: tuple[str, str, str, str]) -> Iterator[Store]:
    store = Store.open_url(fresh[0])
    yield store
    store.close()


def test_the_migrations_make_exactly_the_models_on_postgresql(server_store: Store) -> None:
    with server_store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        epoch_columns = conn.execute(
            text(
                "SELECT table_name || '.' || column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND data_type = 'bigint' ORDER BY 1"
            )
        ).scalars()
        assert list(epoch_columns) == [
            "checkins.recorded_at", "delivered.at", "evenings.created_at", "evenings.removed_at", "events.start",
            "goals.updated_at", "import_spans.end", "import_spans.start", "unlocks.at",
        ]  # fmt: skip
    assert migrate.current_revision(server_store.engine) == migrate.HEAD


def test_moments_after_2038_are_stored_and_counted(server_store: Store) -> None:
    later = 2**31 + 3600  # February 2038: past what a 32-bit INTEGER holds
    (outcome,) = server_store.import_batches([ImportBatch(LAPTOP, [chat(later, 1000)], [later + 5])])
    assert outcome.added_seconds == 1000 and outcome.added_unlocks == 1
    assert server_store.category_totals(later - 900, later + 2000) == {
        Category.SOCIAL: 0, Category.MESSAGING: 1000, Category.OTHER: 0,
    }  # fmt: skip
    assert server_store.extent() == (later, later + 1000)
    assert server_store.unlock_times() == {outcome.device.id: [later + 5]}


def test_two_computers_writing_at_once_each_keep_every_second(fresh: tuple[str, str, str, str]) -> None:
    """Both store the same new app names at the same moments (the unique names clash) and their own events."""
    url = fresh[0]
    stores = [Store.open_url(url), Store.open_url(url)]
    devices = [stores[0].ensure_device(LAPTOP), stores[1].ensure_device(DESKTOP)]
    barrier = threading.Barrier(2)
    problems: list[BaseException] = []

    def write(index: int) -> None:
        try:
            for round_ in range(15):
                barrier.wait(timeout=30)
                apps = [f"app-{round_}-{n}" for n in range(3)]
                base = 1_800_000_000 + round_ * 3600
                stores[index].add_events(devices[index], [chat(base + n * 600, 300, app) for n, app in enumerate(apps)])
        except BaseException as exc:  # reported below, in the test's thread
            problems.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    try:
        assert problems == []
        totals = stores[0].category_totals(1_800_000_000, 1_800_000_000 + 16 * 3600)
        assert totals[Category.MESSAGING] == 2 * 15 * 3 * 300
        assert len({e.app for e in stores[1].iter_events()}) == 45  # each name stored once, shared by both
    finally:
        for store in stores:
            store.close()


def test_a_window_another_computer_forgot_is_stored_again(fresh: tuple[str, str, str, str]) -> None:
    url = fresh[0]
    laptop_store, other = Store.open_url(url), Store.open_url(url)
    try:
        laptop = laptop_store.ensure_device(LAPTOP)
        laptop_store.add_events(laptop, [chat(1_800_000_000, 60)])  # its lookups now remember WhatsApp's window
        other.forget_all()  # ... which another computer deletes
        laptop_store.add_events(laptop, [chat(1_800_001_000, 60)])
        assert [e.start for e in other.iter_events()] == [1_800_001_000]
    finally:
        laptop_store.close()
        other.close()


def test_two_computers_starting_on_an_empty_database_migrate_it_once(fresh: tuple[str, str, str, str]) -> None:
    url = fresh[0]
    opened: list[Store] = []
    problems: list[BaseException] = []

    def start() -> None:
        try:
            opened.append(Store.open_url(url))
        except BaseException as exc:
            problems.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert problems == [] and len(opened) == 3
    assert all(migrate.current_revision(store.engine) == migrate.HEAD for store in opened)
    for store in opened:
        store.close()


def test_a_restarted_server_is_used_again_without_a_word(
    postgres_cluster: PostgresCluster, server_store: Store
) -> None:
    device = server_store.ensure_device(LAPTOP)
    database = server_store.engine.url.database
    # What a server restart does to the tray app's pooled connections: the server ends them.
    postgres_cluster.admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
    )
    server_store.add_events(device, [chat(1_800_000_000, 60)])
    assert server_store.event_count() == 1


def test_a_server_that_goes_down_loses_nothing_and_is_written_again_when_it_is_back() -> None:
    """The tracker's sink against a server that shuts down and comes back: the flushes in between fail in plain words
    (the sampler keeps that time in memory), and the first flush afterwards stores it all."""
    reason, bindir = why_not(), find_binaries()
    if reason is not None or bindir is None:
        pytest.skip(reason or "no PostgreSQL server binaries")
    own = PostgresCluster(bindir)  # a server of its own, to shut down
    try:
        role, password, database = own.new_role_and_database()
        store = Store.open_url(own.url(role, password, database))
        sink = StoreSink(store, store.ensure_device(LAPTOP))
        sink.replace_recent(1_800_000_000, [chat(1_800_000_000, 60)])
        own.halt()
        with pytest.raises(SinkUnavailableError, match="cannot be reached") as caught:
            sink.replace_recent(1_800_000_000, [chat(1_800_000_000, 120)])
        assert password not in str(caught.value)
        own.start()
        sink.replace_recent(1_800_000_000, [chat(1_800_000_000, 180), chat(1_800_000_200, 20)])
        assert [(e.start, e.duration) for e in store.iter_events()] == [(1_800_000_000, 180), (1_800_000_200, 20)]
        store.close()
    finally:
        own.stop()


# -- faults, in plain words ------------------------------------------------------------------------------------------


def assert_plain(error: StorageError, *needles: str, secret: str) -> None:
    message = str(error)
    assert secret not in message, message
    for needle in needles:
        assert needle in message, message


def test_a_wrong_password_is_refused_in_plain_words(
    postgres_cluster: PostgresCluster, fresh: tuple[str, str, str, str]
) -> None:
    _url, role, _password, database = fresh
    wrong = "not-the-password-4711"
    with pytest.raises(ServerAccessError) as caught:
        Store.open_url(postgres_cluster.url(role, wrong, database))
    assert_plain(caught.value, "refused the user name or password", f"user {role}", "database-url", secret=wrong)


def test_a_missing_database_says_which_and_how_to_make_it(
    postgres_cluster: PostgresCluster, fresh: tuple[str, str, str, str]
) -> None:
    _url, role, password, _database = fresh
    with pytest.raises(ServerAccessError) as caught:
        Store.open_url(postgres_cluster.url(role, password, "no_such_db"))
    assert_plain(caught.value, "There is no database no_such_db", f"createdb -O {role} no_such_db", secret=password)


def test_an_unreachable_server_says_so(postgres_cluster: PostgresCluster) -> None:
    url = f"postgresql+psycopg://someone:s3cret-pw@/middenweg?host={postgres_cluster.root}/nowhere"
    with pytest.raises(ServerUnavailableError) as caught:
        Store.open_url(url)
    assert_plain(caught.value, "cannot be reached", "No such file or directory", secret="s3cret-pw")


def test_a_user_without_rights_on_the_database_is_told_what_to_change(
    postgres_cluster: PostgresCluster, fresh: tuple[str, str, str, str]
) -> None:
    _url, _role, _password, database = fresh
    guest, guest_password, _ = postgres_cluster.new_role_and_database()
    with pytest.raises(ServerAccessError) as caught:
        Store.open_url(postgres_cluster.url(guest, guest_password, database))  # may connect, may not create tables
    assert_plain(caught.value, f"does not let {guest} use the database {database}", "owner", secret=guest_password)


def test_a_database_from_a_newer_middenweg_is_refused_and_left_alone(
    fresh: tuple[str, str, str, str],
) -> None:
    url, _role, password, _database = fresh
    Store.open_url(url).close()
    store = Store.open_url(url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(NewerDatabaseError) as caught:
        Store.open_url(url)
    assert_plain(caught.value, "newer version of Middenweg", "schema 9999", "***", secret=password)
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        assert conn.execute(b"SELECT version_num FROM alembic_version").fetchall() == [("9999",)]


def test_another_programs_database_is_refused(fresh: tuple[str, str, str, str]) -> None:
    url, _role, password, _database = fresh
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(b"CREATE TABLE recipes (name text)")
    with pytest.raises(NotMiddenwegDatabaseError, match="no Middenweg schema version") as caught:
        Store.open_url(url)
    assert_plain(caught.value, secret=password)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        assert conn.execute(b"SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (1,)
