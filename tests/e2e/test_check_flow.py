"""An officer checks a facility, reads why it fails, renews, and checks again (issue: engine)."""

import datetime
import re

from playwright.sync_api import expect

from compliance.models import ComplianceCheck
from facilities.models import FacilityLicense, Membership
from tests.e2e.helpers import log_in
from tests.factories import (
    FacilityFactory,
    FacilityLicenseFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)


def _licence_row(page):
    return page.get_by_role("row", name=re.compile("US-TX-HOSPITAL-LICENSE"))


def test_officer_sees_an_expired_licence_fail_then_met_after_renewal(page, transactional_db):
    organization = OrganizationFactory(name="Lone Star Health", slug="lonestar")
    MembershipFactory(
        organization=organization, user=UserFactory(username="olivia"), role=Membership.Role.OFFICER
    )
    facility = FacilityFactory(
        organization=organization, facility_name="Austin General", state_code="US-TX"
    )
    today = organization.today()
    expired = FacilityLicenseFactory(
        facility=facility,
        license_type="US-TX-HOSPITAL",
        license_number="TX-1",
        issued_date=today - datetime.timedelta(days=740),
        expiry_date=today - datetime.timedelta(days=10),
    )
    log_in(page, "olivia")

    page.goto(facility.get_absolute_url())
    page.get_by_role("button", name="Run check").click()

    expect(page.get_by_role("heading", name="Compliance check of Austin General")).to_be_visible()
    expect(page.locator(".check-summary")).to_contain_text("Non-compliant")
    expect(_licence_row(page)).to_contain_text("Expired")
    expect(_licence_row(page)).to_contain_text(
        f"Texas hospital licence TX-1 expired on {expired.expiry_date.isoformat()}."
    )
    expect(_licence_row(page)).to_contain_text("Tex. Health & Safety Code")

    page.goto(facility.get_absolute_url())
    page.get_by_role("link", name="Renew").click()
    page.get_by_label("New licence number").fill("TX-2")
    page.get_by_label("Issued:", exact=True).fill((today - datetime.timedelta(days=9)).isoformat())
    page.get_by_label("Expires").fill((today + datetime.timedelta(days=720)).isoformat())
    page.get_by_role("button", name="Renew licence").click()
    expect(page.get_by_text("Licence renewed")).to_be_visible()
    page.get_by_role("button", name="Run check").click()

    expect(_licence_row(page)).to_contain_text("Met")
    expect(_licence_row(page)).to_contain_text("Texas hospital licence TX-2 is valid until")
    assert ComplianceCheck.objects.filter(facility=facility).count() == 2
    assert FacilityLicense.objects.get(pk=expired.pk).status == "renewed"
