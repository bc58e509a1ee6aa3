import pytest
from django.db import transaction

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


@pytest.fixture(autouse=True)
def _reference_geography(request: pytest.FixtureRequest) -> None:
    """Make sure the reference data the migration seeded is there for every database test.

    Transactional and browser tests end with a flush, which empties every table, including
    the seeded geography; re-seed when a test finds it gone, so that no test depends on the
    order tests run in.
    """
    fixture = _database_fixture(request)
    if fixture is None:
        return
    request.getfixturevalue(fixture)
    if not Country.objects.exists():
        with transaction.atomic():
            seed_reference_data(Country, State, District)
