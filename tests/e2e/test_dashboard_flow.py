"""An officer's morning on the dashboard (issue 5): a licence to file within 30 days, followed
to the expiries page and renewed; "Check all" run in the background to the end. Tests use the
immediate task backend, so the run is finished when its progress page loads."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compliance.engine import create_run, execute_run
from compliance.models import CheckRun
from compliance.tasks import execute_check_run
from facilities.models import FacilityLicense, Membership
from tests.e2e.helpers import log_in
from tests.factories import (
    FacilityFactory,
    FacilityLicenseFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)


def _officer_of(organization):
    MembershipFactory(
        organization=organization, user=UserFactory(username="olivia"), role=Membership.Role.OFFICER
    )


def _bucket(page, bucket):
    return page.locator(f".bucket-{bucket} .count")


def test_officer_follows_a_deadline_from_the_dashboard_and_renews_it(page, transactional_db):
    organization = OrganizationFactory(name="Lone Star Health", slug="lonestar")
    _officer_of(organization)
    facility = FacilityFactory(
        organization=organization, facility_name="Austin General", state_code="US-TX"
    )
    today = organization.today()
    due = FacilityLicenseFactory(
        facility=facility,
        license_type="US-TX-HOSPITAL",
        license_number="TX-1",
        issued_date=today - datetime.timedelta(days=700),
        expiry_date=today + datetime.timedelta(days=50),  # file by: 20 days from now
    )
    log_in(page, "olivia")

    page.goto("/o/lonestar/")
    expect(page.get_by_role("heading", name="Dashboard of Lone Star Health")).to_be_visible()
    expect(_bucket(page, "0-30")).to_have_text("1")
    page.locator(".bucket-0-30 a").click()

    expect(page).to_have_url(re.compile(r"/o/lonestar/expiries/\?bucket=0-30"))
    row = page.get_by_role("row", name=re.compile("TX-1"))
    expect(row).to_contain_text("Austin General")
    row.get_by_role("link", name="Renew").click()
    page.get_by_label("New licence number").fill("TX-2")
    page.get_by_label("Issued:", exact=True).fill(today.isoformat())
    page.get_by_label("Expires").fill((today + datetime.timedelta(days=730)).isoformat())
    page.get_by_role("button", name="Renew licence").click()
    expect(page.get_by_text("Licence renewed")).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    expect(_bucket(page, "0-30")).to_have_text("0")
    assert FacilityLicense.objects.get(pk=due.pk).status == "renewed"


def test_officer_checks_all_and_sees_the_run_finished(page, transactional_db):
    organization = OrganizationFactory(name="Lone Star Health", slug="lonestar")
    _officer_of(organization)
    today = organization.today()
    for name in ("Austin General", "Dallas Memorial", "El Paso Clinic"):
        facility = FacilityFactory(
            organization=organization, facility_name=name, state_code="US-TX"
        )
    FacilityLicenseFactory(
        facility=facility,
        license_type="US-TX-HOSPITAL",
        issued_date=today - datetime.timedelta(days=100),
        expiry_date=today + datetime.timedelta(days=600),
    )
    log_in(page, "olivia")

    page.goto("/o/lonestar/")
    expect(page.locator(".status-count-never .count")).to_have_text("3")
    page.get_by_role("button", name="Check all").click()

    expect(page.get_by_text("Checking 3 facilities in the background.")).to_be_visible()
    expect(page.locator('[data-field="status_label"]')).to_have_text("Finished")
    expect(page.locator('[data-field="checked"]')).to_have_text("3")
    expect(page.locator('[data-field="total"]')).to_have_text("3")
    run = CheckRun.objects.get()
    counts = run.counts
    for status in ("compliant", "pending", "non_compliant"):
        expect(page.locator(f'[data-field="count-{status}"]')).to_have_text(
            str(counts.get(status, 0))
        )
    expect(page.get_by_role("link", name="Read the check")).to_have_count(3)
    page.reload()
    expect(page.locator('[data-field="status_label"]')).to_have_text("Finished")

    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator(".status-count-never .count")).to_have_text("0")
    assert (run.actor.username, run.via, run.status) == ("olivia", "web", "finished")


def test_progress_page_follows_a_run_to_the_end_by_polling(page, transactional_db):
    organization = OrganizationFactory(name="Lone Star Health", slug="lonestar")
    _officer_of(organization)
    for _ in range(3):
        FacilityFactory(organization=organization, state_code="US-TX")
    actor = UserFactory(username="worker")
    run = create_run(organization=organization, actor=actor, via="web")

    class WorkerDied(Exception):
        pass

    def die(current):
        raise WorkerDied

    with pytest.raises(WorkerDied):
        execute_run(run, chunk_size=2, progress=die)
    polls = []
    page.on(
        "request",
        lambda request: (
            polls.append(request.headers.get("x-background-poll"))
            if request.url.endswith("/progress/")
            else None
        ),
    )
    log_in(page, "olivia")

    page.goto(f"/o/lonestar/runs/{run.pk}/")
    expect(page.locator('[data-field="status_label"]')).to_have_text("Running")
    expect(page.locator('[data-field="checked"]')).to_have_text("2")
    # Ten minutes without progress: the run is stalled, and a worker (or --resume) may claim and
    # finish it.
    CheckRun.objects.filter(pk=run.pk).update(
        progress_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    execute_check_run.call(run.pk)

    expect(page.locator('[data-field="status_label"]')).to_have_text("Finished", timeout=10_000)
    expect(page.locator('[data-field="checked"]')).to_have_text("3")
    expect(page.get_by_role("link", name="Read the check")).to_have_count(3)
    assert polls
    assert set(polls) == {"1"}
