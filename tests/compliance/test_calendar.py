"""The organization's iCalendar feed and the rotation of its secret address."""

import datetime

import icalendar
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from facilities.models import Organization
from tests.factories import FacilityFactory, FacilityLicenseFactory
from tests.factories.compliance import AttestationFactory
from tests.factories.tenancy import make_tenancy

ISSUED = datetime.date(2020, 1, 1)


@pytest.fixture
def tenancy(db):
    return make_tenancy()


def _feed_url(organization):
    return reverse("calendar-feed", kwargs={"token": organization.calendar_token})


def _rotate_url(tenancy):
    return reverse("compliance:calendar-rotate", kwargs={"org": tenancy.organization.slug})


def _events(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {
        str(event["UID"]): (event.decoded("DTSTART"), str(event["SUMMARY"]))
        for event in calendar.walk("VEVENT")
    }


@pytest.mark.django_db
def test_feed_holds_the_organizations_deadlines_without_a_login(client, tenancy):
    organization = tenancy.organization
    facility = FacilityFactory(organization=organization, facility_name="North Hospital")
    license = FacilityLicenseFactory(
        facility=facility,
        issued_date=ISSUED,
        expiry_date=datetime.date(2027, 3, 31),
        license_number="CA-1",
    )
    attestation = AttestationFactory(
        organization=organization,
        attested_on=datetime.date(2026, 5, 1),
        valid_until=datetime.date(2026, 12, 31),
    )
    FacilityLicenseFactory(
        facility=FacilityFactory(organization=tenancy.other_organization),
        issued_date=ISSUED,
        expiry_date=datetime.date(2027, 1, 31),
        license_number="FOREIGN-1",
    )

    response = client.get(_feed_url(organization))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    prefix = f"{organization.pk}-"
    assert _events(response) == {
        f"{prefix}license-{license.pk}-file-by@hims-compliance": (
            datetime.date(2027, 3, 1),
            "File renewal: California hospital licence CA-1 (North Hospital)",
        ),
        f"{prefix}license-{license.pk}-expiry@hims-compliance": (
            datetime.date(2027, 3, 31),
            "Expires: California hospital licence CA-1 (North Hospital)",
        ),
        f"{prefix}attestation-{attestation.pk}-file-by@hims-compliance": (
            datetime.date(2026, 12, 1),
            "File renewal: HIPAA-164.308(a)(1)(ii)(A) (whole organization)",
        ),
        f"{prefix}attestation-{attestation.pk}-expiry@hims-compliance": (
            datetime.date(2026, 12, 31),
            "Expires: HIPAA-164.308(a)(1)(ii)(A) (whole organization)",
        ),
    }
    assert b"FOREIGN-1" not in response.content


@pytest.mark.django_db
def test_feed_uids_are_stable_when_a_date_moves(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    license = FacilityLicenseFactory(
        facility=facility, issued_date=ISSUED, expiry_date=datetime.date(2027, 3, 31)
    )
    before = _events(client.get(_feed_url(tenancy.organization)))
    license.expiry_date = datetime.date(2027, 4, 30)
    license._change_reason = "test"
    license.save()

    after = _events(client.get(_feed_url(tenancy.organization)))

    assert set(after) == set(before)
    assert sorted(day for day, _summary in after.values()) == [
        datetime.date(2027, 3, 31),
        datetime.date(2027, 4, 30),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["not-a-token", "x" * 64, "%00"])
def test_unknown_token_answers_404(client, tenancy, token):
    response = client.get(f"/calendar/{token}.ics")

    assert response.status_code == 404


@pytest.mark.django_db
def test_inactive_organization_feed_answers_404(client, tenancy):
    organization = tenancy.organization
    organization.is_active = False
    organization._change_reason = "test"
    organization.save()

    assert client.get(_feed_url(organization)).status_code == 404


@pytest.mark.django_db
def test_admin_rotates_the_token_with_a_reason_recorded_in_history(client, tenancy):
    organization = tenancy.organization
    old_url = _feed_url(organization)
    client.force_login(tenancy.admin)

    response = client.post(_rotate_url(tenancy), {"reason": "Shared in a public ticket"})

    organization = Organization.objects.get(pk=organization.pk)
    assert response.status_code == 302
    assert response["Location"].endswith("#calendar")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The calendar has a new address: the old one no longer works. Subscribe again with "
        "the new one."
    ]
    assert client.get(old_url).status_code == 404
    assert client.get(_feed_url(organization)).status_code == 200
    row = organization.history.first()
    assert (row.history_user, row.history_change_reason) == (
        tenancy.admin,
        "web: calendar token rotated — Shared in a public ticket",
    )
    assert not hasattr(row, "calendar_token")


@pytest.mark.django_db
def test_rotation_without_a_reason_changes_nothing(client, tenancy):
    organization = tenancy.organization
    history_rows = organization.history.count()
    client.force_login(tenancy.admin)

    response = client.post(_rotate_url(tenancy), {"reason": "  "})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Give a reason to change the calendar address."
    ]
    assert Organization.objects.get(pk=organization.pk).calendar_token == (
        organization.calendar_token
    )
    assert organization.history.count() == history_rows


@pytest.mark.django_db
def test_officer_cannot_rotate_and_another_organizations_admin_gets_404(client, tenancy):
    token = tenancy.organization.calendar_token
    client.force_login(tenancy.officer)
    assert client.post(_rotate_url(tenancy), {"reason": "x"}).status_code == 403
    client.force_login(tenancy.outsider)
    assert client.post(_rotate_url(tenancy), {"reason": "x"}).status_code == 404
    assert Organization.objects.get(pk=tenancy.organization.pk).calendar_token == token


@pytest.mark.django_db
def test_expiries_page_shows_the_feed_address_to_admins_only(client, tenancy):
    url = reverse("compliance:expiries", kwargs={"org": tenancy.organization.slug})
    feed = f"http://testserver{_feed_url(tenancy.organization)}"
    client.force_login(tenancy.admin)
    admin_page = client.get(url).content.decode()
    client.force_login(tenancy.officer)
    officer_page = client.get(url).content.decode()

    assert feed in admin_page
    assert _rotate_url(tenancy) in admin_page
    assert tenancy.organization.calendar_token not in officer_page
