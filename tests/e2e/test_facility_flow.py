"""An officer registers a facility and its licence through the real pages (issue: registry)."""

import datetime
import re

from playwright.sync_api import expect

from facilities.models import Facility, FacilityLicense, Membership
from tests.e2e.helpers import log_in
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


def test_officer_creates_a_facility_fixes_its_npi_and_adds_a_licence(page, transactional_db):
    organization = OrganizationFactory(name="Lone Star Health", slug="lonestar")
    officer = UserFactory(username="olivia")
    MembershipFactory(organization=organization, user=officer, role=Membership.Role.OFFICER)
    log_in(page, "olivia")

    page.goto("/o/lonestar/facilities/new/")
    page.get_by_label("Name:", exact=True).fill("Houston General")
    page.get_by_label("Type:", exact=True).select_option(label="Hospital")
    page.get_by_label("Ownership").select_option(label="Private")
    page.get_by_label("Country").select_option(label="United States")
    page.wait_for_load_state()  # the form narrows the states on the server
    page.get_by_label("State").select_option(label="Texas")
    page.wait_for_load_state()
    page.get_by_label("District").select_option(label="Harris County")
    page.get_by_label("NPI").fill("1234567890")
    page.get_by_role("button", name="Create facility").click()

    expect(page.get_by_text("NPI check digit does not match.")).to_be_visible()
    assert not Facility.objects.exists()

    page.get_by_label("NPI").fill("1234567893")
    page.get_by_role("button", name="Create facility").click()

    expect(page.get_by_role("heading", name="Houston General")).to_be_visible()
    facility = Facility.objects.get()
    assert (facility.npi_number, facility.state.code, facility.district.official_code) == (
        "1234567893",
        "US-TX",
        "48201",
    )

    page.get_by_role("link", name="Add licence").click()
    today = organization.today()
    page.get_by_label("Licence type").select_option(label="Texas hospital licence")
    page.get_by_label("Licence number").fill("TX-000123")
    page.get_by_label("Issued:", exact=True).fill(
        (today - datetime.timedelta(days=600)).isoformat()
    )
    page.get_by_label("Expires").fill((today + datetime.timedelta(days=45)).isoformat())
    page.get_by_role("button", name=re.compile("Add licence|Save|Create")).click()

    licences = page.get_by_role("region", name="Licences")
    expect(licences.get_by_role("row", name=re.compile("TX-000123"))).to_contain_text("45")
    licence = FacilityLicense.objects.get()
    assert (licence.license_type, licence.issued_by) == (
        "US-TX-HOSPITAL",
        "Texas Health and Human Services Commission (HHSC)",
    )
