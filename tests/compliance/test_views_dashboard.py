"""The dashboard page (`/o/<org>/`): what it shows, its links, its drill-down, who sees the
"Check all" button, and a number of queries that does not grow with the facilities."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilities.history import bulk_create_tracked
from facilities.models import FacilityLicense
from geography.models import State
from tests.compliance.test_dashboard import (
    COMPLIANT,
    HIPAA_RISK,
    NON_COMPLIANT,
    PENDING,
    bulk_facilities,
    give_statuses,
)
from tests.factories import FacilityFactory, FacilityLicenseFactory, MembershipFactory
from tests.factories.tenancy import make_tenancy

# Every request of a signed-in member starts with these three. (A first request stamps the
# session's last activity, at most once a minute: each test makes one before measuring.)
SESSION_USER_MEMBERSHIP = 3
# Status counts, roll-up, status by state, problem codes; overrides, licences,
# accreditations and attestations of the deadlines.
DASHBOARD_QUERIES = 4 + 4


@pytest.fixture
def tenancy(db):
    return make_tenancy()


def _url(tenancy, query=""):
    url = reverse("facilities:organization", kwargs={"org": tenancy.organization.slug})
    return f"{url}{query}"


def _populate(tenancy, count):
    """`count` Californian facilities, each with a licence (a quarter to be filed within 30
    days: expiring in 45, with California's 30-day lead),
    statuses spread over compliant, pending, non-compliant and never checked."""
    organization, actor = tenancy.organization, tenancy.officer
    facilities = bulk_facilities(organization, actor, count)
    today = organization.today()
    licences = [
        FacilityLicense(
            facility=facility,
            organization=organization,
            license_type="US-CA-HOSPITAL",
            license_number=f"CA-{facility.pk}",
            issued_by="CDPH",
            issued_date=today - datetime.timedelta(days=300),
            expiry_date=today + datetime.timedelta(days=45 if index % 4 == 0 else 400),
        )
        for index, facility in enumerate(facilities)
    ]
    bulk_create_tracked(licences, actor=actor, reason="test: bulk")
    statuses = [COMPLIANT, PENDING, NON_COMPLIANT]
    give_statuses(
        organization,
        actor,
        [
            (facility, statuses[i % 3], [HIPAA_RISK] if i % 3 == 2 else [], today)
            for i, facility in enumerate(facilities)
            if i % 4 != 3
        ],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("facilities", [10, 500])
@pytest.mark.parametrize("query", ["", "?country=US", "?country=US&state=US-CA"])
def test_dashboard_query_count_does_not_grow_with_facilities(client, tenancy, facilities, query):
    _populate(tenancy, facilities)
    client.force_login(tenancy.officer)
    place = 1 if query else 0  # naming the place drilled into
    client.get(_url(tenancy, "?country="))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(_url(tenancy, query))

    assert response.status_code == 200
    assert len(captured) == SESSION_USER_MEMBERSHIP + DASHBOARD_QUERIES + place, [
        q["sql"][:120] for q in captured
    ]
    assert response.context["rollup"].total.active == facilities


@pytest.mark.django_db
def test_dashboard_shows_statuses_problems_and_deadlines_with_links(client, tenancy):
    _populate(tenancy, 12)
    client.force_login(tenancy.viewer)

    response = client.get(_url(tenancy))

    counts = {s.status: s.count for s in response.context["statuses"]}
    assert counts == {COMPLIANT: 3, PENDING: 3, NON_COMPLIANT: 3, "never": 3}
    content = response.content.decode()
    assert 'href="/o/acme/facilities/?compliance_status=non_compliant&amp;status=active"' in content
    assert "oldest status: 0 days" in content
    problems = response.context["problems"]
    assert [(p.code, p.facilities) for p in problems] == [(HIPAA_RISK, 3)]
    buckets = {b.bucket.value: b.count for b in response.context["buckets"]}
    # Three licences expire in 45 days: California's 30-day lead puts them 15 days from filing.
    assert buckets["0-30"] == 3
    assert buckets["overdue"] == buckets["lapsed"] == buckets["awaiting"] == 0
    assert "Check all" not in content  # a viewer cannot start runs
    assert '<svg class="chart-svg"' in content
    assert "<script>" not in content
    assert 'style="' not in content


@pytest.mark.django_db
def test_dashboard_deadline_buckets_link_to_the_expiries_page(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    today = tenancy.organization.today()
    FacilityLicenseFactory(facility=facility, expiry_date=today + datetime.timedelta(days=45))
    client.force_login(tenancy.officer)

    response = client.get(_url(tenancy))

    [due] = [b for b in response.context["buckets"] if b.bucket.value == "0-30"]
    assert due.count == 1
    assert due.url == "/o/acme/expiries/?bucket=0-30"
    assert 'href="/o/acme/expiries/?bucket=0-30"' in response.content.decode()


@pytest.mark.django_db
def test_dashboard_drills_down_by_query_parameters(client, tenancy):
    FacilityFactory(organization=tenancy.organization)
    FacilityFactory(organization=tenancy.organization, state_code="US-TX")
    client.force_login(tenancy.officer)

    top = client.get(_url(tenancy))
    states = client.get(_url(tenancy, "?country=US"))
    districts = client.get(_url(tenancy, "?country=US&state=US-TX"))

    assert [r.name for r in top.context["rollup"].rows] == ["United States"]
    assert 'href="/o/acme/?country=US"' in top.content.decode()
    assert [r.name for r in states.context["rollup"].rows] == ["California", "Texas"]
    assert 'href="/o/acme/?country=US&amp;state=US-TX"' in states.content.decode()
    assert districts.context["rollup"].level == "district"
    assert [r.active for r in districts.context["rollup"].rows] == [1]
    assert 'href="/o/acme/?country="' in districts.content.decode()  # back to every country


@pytest.mark.django_db
def test_dashboard_reports_an_unknown_place_and_shows_every_country(client, tenancy):
    FacilityFactory(organization=tenancy.organization)
    client.force_login(tenancy.officer)

    response = client.get(_url(tenancy, "?country=ZZ&state=<script>"))

    assert response.context["rollup"].level == "country"
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["There is no such state: every country is shown."]


@pytest.mark.django_db
def test_dashboard_starts_at_the_members_default_state(client, tenancy):
    FacilityFactory(organization=tenancy.organization)
    FacilityFactory(organization=tenancy.organization, state_code="US-TX")
    member = tenancy.membership(tenancy.officer)
    member.default_state = State.objects.get(code="US-TX")
    member.default_country_id = member.default_state.country_id
    member._change_reason = "test"
    member.save()
    client.force_login(tenancy.officer)

    default = client.get(_url(tenancy))
    everything = client.get(_url(tenancy, "?country="))

    assert default.context["rollup"].level == "district"
    assert default.context["rollup"].total.active == 1
    assert "Filtered by your default country or state" in default.content.decode()
    assert everything.context["rollup"].level == "country"
    assert everything.context["rollup"].total.active == 2


@pytest.mark.django_db
def test_dashboard_shows_check_all_to_officers(client, tenancy):
    client.force_login(tenancy.officer)

    content = client.get(_url(tenancy)).content.decode()

    run_start = reverse("compliance:run-start", kwargs={"org": "acme"})
    assert f'<form method="post" action="{run_start}" class="check-all">' in content
    assert ">Check all</button>" in content


@pytest.mark.django_db
def test_dashboard_of_another_organization_answers_404(client, tenancy):
    MembershipFactory(organization=tenancy.other_organization)
    client.force_login(tenancy.officer)

    response = client.get(
        reverse("facilities:organization", kwargs={"org": tenancy.other_organization.slug})
    )

    assert response.status_code == 404
