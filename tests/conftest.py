from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from psycopg import pq

from facilities.actors import SYSTEM_USERNAME
from facilities.models import User
from geography.models import Country, District, State
from geography.seeding import seed_reference_data

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _database_fixture(request: pytest.FixtureRequest) -> str | None:
    """The database fixture a test uses, whether it asks by fixture name or by marker."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if names & TRANSACTIONAL_FIXTURES or (marker and marker.kwargs.get("transaction")):
        return "transactional_db"
    if "db" in names or marker:
        return "db"
    return None


def _set_replication_role(role: str) -> None:
    """Set `session_replication_role` on every PostgreSQL connection. In `replica`,
    ordinary triggers (the append-only ones of compliance.append_only) do not fire."""
    for conn in connections.all():
        # Opens the connection if the test closed it: the flush will use this one.
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute(f"SET session_replication_role = {role}")


@pytest.fixture(autouse=True)
def _reference_geography(request: pytest.FixtureRequest) -> Iterator[None]:
    """Make sure the reference data the migration seeded is there for every database test.

    Transactional and browser tests end with a flush, which empties every table, including
    the seeded geography and the system user; re-seed them when a test finds them gone, so that
    no test depends on the order tests run in.

    That flush TRUNCATEs the history tables, checks and seals, which the append-only triggers
    refuse. This fixture is set up after the database fixture, so its teardown runs just
    before pytest-django's flush: it switches the connection to `session_replication_role =
    replica` (the test database user is a superuser), in which those triggers do not fire.
    `pytest_runtest_teardown` below switches it back once the flush is done.
    """
    fixture = _database_fixture(request)
    if fixture is None:
        yield
        return
    request.getfixturevalue(fixture)
    if not Country.objects.exists():
        with transaction.atomic():
            seed_reference_data(Country, State, District)
            # The other row a data migration seeded: the actor of scheduled work.
            User.objects.get_or_create(
                username=SYSTEM_USERNAME,
                defaults={
                    "email": "system@hims.invalid",
                    "first_name": "System",
                    "password": make_password(None),
                },
            )
    yield
    if fixture == "transactional_db":
        _set_replication_role("replica")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """After every fixture is torn down (the flush included), no connection stays in replica
    mode. Django closes connections after a transactional test anyway; this makes it explicit.
    """
    try:
        return (yield)
    finally:
        for conn in connections.all(initialized_only=True):
            raw = conn.connection
            # The raw connection: pytest-django blocks the wrapper outside a database test.
            if (
                conn.vendor == "postgresql"
                and raw is not None
                and not raw.closed
                and raw.info.transaction_status == pq.TransactionStatus.IDLE
            ):
                raw.execute("RESET session_replication_role")


@pytest.fixture
def append_only_bypassed() -> Callable[[], AbstractContextManager[None]]:
    """A context manager in which the append-only triggers do not fire on the test
    connection, as a superuser could: for tests that tamper with the audit trail on purpose."""

    @contextmanager
    def bypassed() -> Iterator[None]:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")

    return bypassed
