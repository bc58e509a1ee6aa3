"""The list, detail and history pages run a fixed number of queries, whatever the number of
rows (STYLE.md, "Queries"). Each test runs with a few rows and with many."""

import datetime

import pytest
from django.urls import reverse

from facilities import services
from tests.factories import (
    AccreditationFactory,
    FacilityFactory,
    FacilityLicenseFactory,
    MembershipFactory,
)
from tests.factories.tenancy import make_tenancy

# Every request of a signed-in member starts with these three.
SESSION_USER_MEMBERSHIP = 3


@pytest.fixture
def tenancy(db):
    return make_tenancy()


def _url(name, tenancy, **kwargs):
    return reverse(f"facilities:{name}", kwargs={"org": tenancy.organization.slug, **kwargs})


def _licensed_facility(tenancy, licenses):
    facility = FacilityFactory(organization=tenancy.organization)
    for number in range(licenses):
        FacilityLicenseFactory(
            facility=facility,
            license_type="US-CLIA",
            responsible=tenancy.membership(tenancy.officer),
            expiry_date=datetime.date(2030, 1, 1) + datetime.timedelta(days=number),
        )
    return facility


@pytest.mark.django_db
@pytest.mark.parametrize("facilities", [1, 30])
def test_facility_list_query_count_does_not_grow_with_facilities(
    client, tenancy, django_assert_num_queries, facilities
):
    for _ in range(facilities):
        _licensed_facility(tenancy, licenses=2)
    client.force_login(tenancy.viewer)

    # Session, user, membership; the country choices of the filter; the paginator's count;
    # the page of facilities with their licence count and next expiry (one aggregate query).
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 3):
        response = client.get(_url("facility-list", tenancy), {"sort": "-next_expiry"})

    assert len(response.context["table"].paginated_rows) == min(facilities, 25)


@pytest.mark.django_db
@pytest.mark.parametrize("facilities", [1, 30])
def test_facility_list_export_query_count_does_not_grow_with_facilities(
    client, tenancy, django_assert_num_queries, facilities
):
    for _ in range(facilities):
        _licensed_facility(tenancy, licenses=1)
    client.force_login(tenancy.viewer)

    # Session, user, membership; the filtered facilities, read once for the export.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 1):
        response = client.get(_url("facility-list", tenancy), {"_export": "csv"})

    assert len(response.content.decode().splitlines()) == facilities + 1


@pytest.mark.django_db
@pytest.mark.parametrize("records", [1, 20])
def test_facility_detail_query_count_does_not_grow_with_licences_and_accreditations(
    client, tenancy, django_assert_num_queries, records
):
    facility = _licensed_facility(tenancy, licenses=records)
    for _ in range(records):
        AccreditationFactory(facility=facility, responsible=tenancy.membership(tenancy.admin))
    client.force_login(tenancy.officer)

    # Session, user, membership; the facility with its place; its licences with their
    # responsible members' users; its accreditations likewise; its latest current check.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 4):
        response = client.get(_url("facility-detail", tenancy, pk=facility.pk))

    assert len(response.context["license_table"].rows) == records


@pytest.mark.django_db
@pytest.mark.parametrize("edits", [1, 10])
def test_facility_history_query_count_does_not_grow_with_edits(
    client, tenancy, django_assert_num_queries, edits
):
    facility = _licensed_facility(tenancy, licenses=1)
    for number in range(edits):
        services.facility_update(
            actor=tenancy.officer,
            facility=facility,
            data={"facility_name": f"Name {number}", "bed_count": number},
            via="web",
        )
    client.force_login(tenancy.viewer)

    # Session, user, membership; the facility; the history rows of the facility, of its
    # licences and of its accreditations, each with its acting user.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 4):
        response = client.get(_url("facility-history", tenancy, pk=facility.pk))

    assert len(response.context["entries"]) == edits + 2


@pytest.mark.django_db
@pytest.mark.parametrize("members", [1, 10])
def test_member_list_query_count_does_not_grow_with_members(
    client, tenancy, django_assert_num_queries, members
):
    for _ in range(members):
        MembershipFactory(organization=tenancy.organization)
    client.force_login(tenancy.admin)

    # Session, user, membership; the paginator's count; the page of members with their users.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 2):
        response = client.get(_url("member-list", tenancy))

    assert len(response.context["table"].paginated_rows) == members + 3


@pytest.mark.django_db
@pytest.mark.parametrize("edits", [1, 10])
def test_member_history_query_count_does_not_grow_with_edits(
    client, tenancy, django_assert_num_queries, edits
):
    membership = tenancy.membership(tenancy.viewer)
    for number in range(edits):
        role = "officer" if number % 2 == 0 else "viewer"
        services.membership_change_role(
            actor=tenancy.admin, membership=membership, role=role, via="web"
        )
    client.force_login(tenancy.admin)

    # Session, user, membership; the member; the member's history rows with acting users.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 2):
        response = client.get(_url("member-history", tenancy, pk=membership.pk))

    assert len(response.context["entries"]) == edits + 1
