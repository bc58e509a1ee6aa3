"""`field__any=[...]` (compliance.lookups): the same rows as `__in`, one parameter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facilities.models import Facility, FacilityLicense
from tests.factories import FacilityFactory, FacilityLicenseFactory


@pytest.mark.django_db
def test_any_selects_the_rows_in_the_list_with_one_parameter():
    first, second, third = FacilityFactory.create_batch(3)
    for facility in (first, second, third):
        FacilityLicenseFactory(facility=facility)
    wanted = [first.pk, third.pk]

    with CaptureQueriesContext(connection) as queries:
        by_id = set(Facility.objects.filter(id__any=wanted).values_list("pk", flat=True))
        by_facility = set(
            FacilityLicense.objects.filter(facility_id__any=wanted).values_list(
                "facility_id", flat=True
            )
        )

    assert by_id == by_facility == set(wanted)
    assert set(Facility.objects.filter(id__in=wanted).values_list("pk", flat=True)) == by_id
    assert not Facility.objects.filter(id__any=[]).exists()
    if connection.vendor == "postgresql":
        assert all("= ANY(" in query["sql"] for query in queries.captured_queries)
