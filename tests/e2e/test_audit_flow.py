"""An officer edits a licence with a reason and finds the change, with their name, the reason
and the field's old and new values, in the facility's history, the licence's history and the
organization's audit log (issue 6: the audit pages)."""

import datetime
import re

from playwright.sync_api import expect

from facilities.models import FacilityLicense, Membership
from tests.e2e.helpers import log_in
from tests.factories import (
    FacilityFactory,
    FacilityLicenseFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)


def _expect_change(entry, *, who, reason, old, new):
    expect(entry).to_contain_text(f"by {who}")
    expect(entry).to_contain_text(f"Reason: {reason}")
    row = entry.get_by_role("row", name=re.compile("Expires"))
    expect(row.locator("del")).to_have_text(old)
    expect(row.locator("ins")).to_have_text(new)


def test_officer_edits_a_licence_and_reads_the_change_in_history_and_audit_log(
    page, transactional_db
):
    organization = OrganizationFactory(name="Golden State Care", slug="golden")
    officer = UserFactory(username="olivia", first_name="Olivia", last_name="Ortiz")
    MembershipFactory(organization=organization, user=officer, role=Membership.Role.OFFICER)
    facility = FacilityFactory(organization=organization, facility_name="Bayview Hospital")
    license = FacilityLicenseFactory(
        facility=facility,
        license_number="CA-2040",
        issued_date=datetime.date(2026, 1, 15),
        expiry_date=datetime.date(2027, 1, 14),
    )
    log_in(page, "olivia")

    page.goto(f"/o/golden/licences/{license.pk}/edit/")
    page.get_by_label("Expires").fill("2027-06-30")
    page.get_by_label("Reason for the change").fill("State extended the term")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Licence “California hospital licence CA-2040” saved.")).to_be_visible()
    license.refresh_from_db()
    assert license.expiry_date == datetime.date(2027, 6, 30)
    reason = "web: licence edit — State extended the term"

    page.get_by_role("link", name="History", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/o/golden/facilities/{facility.pk}/history/$"))
    change = page.locator("li.history-entry").filter(has_text="changed").first
    expect(change).to_contain_text("California hospital licence CA-2040")
    _expect_change(change, who="Olivia Ortiz", reason=reason, old="2027-01-14", new="2027-06-30")

    page.goto(f"/o/golden/facilities/{facility.pk}/")
    page.get_by_role("link", name="California hospital licence CA-2040").click()
    expect(page.get_by_role("heading", name=re.compile("History of Licence"))).to_be_visible()
    _expect_change(
        page.locator("li.history-entry").first,
        who="Olivia Ortiz",
        reason=reason,
        old="2027-01-14",
        new="2027-06-30",
    )

    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log of Golden State Care")).to_be_visible()
    page.get_by_label("Record type").select_option(label="Licence")
    page.get_by_label("Action").select_option(label="Changed")
    page.get_by_role("button", name="Filter").click()
    entries = page.locator("li.history-entry")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("Licence: California hospital licence CA-2040")
    _expect_change(
        entries.first, who="Olivia Ortiz", reason=reason, old="2027-01-14", new="2027-06-30"
    )
    assert FacilityLicense.history.filter(id=license.pk).count() == 2
