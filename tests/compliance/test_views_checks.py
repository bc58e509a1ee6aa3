"""Running a check from the facility page, reading its result and its export, and following a
facility's checks over time."""

import csv
import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape

from compliance import check_results, selectors
from compliance.engine import run_checks
from compliance.models import CheckRun, ComplianceCheck
from compliance.regulations.registry import rules_version
from facilities import services
from facilities.models import Facility
from tests.factories import FacilityFactory, FacilityLicenseFactory
from tests.factories.compliance import AttestationFactory
from tests.factories.tenancy import make_tenancy

CITATION = "Cal. Health & Safety Code §1250, §1267"


@pytest.fixture
def tenancy(db):
    return make_tenancy()


@pytest.fixture
def facility(tenancy):
    return FacilityFactory(organization=tenancy.organization, facility_name="Bay Hospital")


@pytest.fixture
def expired_licence(facility):
    today = facility.organization.today()
    return FacilityLicenseFactory(
        facility=facility,
        license_number="CA-001",
        issued_date=today - datetime.timedelta(days=400),
        expiry_date=today - datetime.timedelta(days=3),
    )


def _url(name, tenancy, **kwargs):
    return reverse(f"compliance:{name}", kwargs={"org": tenancy.organization.slug, **kwargs})


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _check(facility, actor, as_of=None):
    [run] = run_checks(
        Facility.objects.filter(pk=facility.pk).select_related("organization"),
        as_of=as_of,
        actor=actor,
        via="test",
    )
    return run.checks.get()


# --- Running a check ------------------------------------------------------------------------


@pytest.mark.django_db
def test_check_run_creates_one_run_and_one_check_and_redirects_to_it(
    client, tenancy, facility, expired_licence
):
    client.force_login(tenancy.officer)

    response = client.post(_url("check-run", tenancy, pk=facility.pk), {"as_of": ""})

    run = CheckRun.objects.get()
    check = ComplianceCheck.objects.get()
    today = tenancy.organization.today()
    assert response.status_code == 302
    assert response["Location"] == _url("check-detail", tenancy, pk=check.pk)
    assert (run.actor, run.via, run.as_of, run.status, run.filters) == (
        tenancy.officer,
        "web",
        today,
        "finished",
        {"facility_ids": [facility.pk]},
    )
    assert (check.run, check.facility, check.checked_by, check.is_current) == (
        run,
        facility,
        tenancy.officer,
        True,
    )
    assert _messages(response) == [
        f"Bay Hospital checked as of {date_format(today, 'DATE_FORMAT')}: Non-compliant."
    ]


@pytest.mark.django_db
def test_check_run_as_of_a_future_date_shows_a_message_and_saves_nothing(client, tenancy, facility):
    tomorrow = tenancy.organization.today() + datetime.timedelta(days=1)
    client.force_login(tenancy.officer)

    response = client.post(_url("check-run", tenancy, pk=facility.pk), {"as_of": tomorrow})

    assert response["Location"] == facility.get_absolute_url()
    assert _messages(response) == ["The as-of date cannot be in the future."]
    assert not CheckRun.objects.exists()
    assert not ComplianceCheck.objects.exists()


@pytest.mark.django_db
def test_check_run_as_of_a_past_date_records_a_back_dated_check(
    client, tenancy, facility, expired_licence
):
    as_of = tenancy.organization.today() - datetime.timedelta(days=10)
    client.force_login(tenancy.officer)

    client.post(_url("check-run", tenancy, pk=facility.pk), {"as_of": as_of.isoformat()})

    check = ComplianceCheck.objects.get()
    licence = next(
        r for r in check_results.full_results(check) if r["code"] == "US-CA-HOSPITAL-LICENSE"
    )
    assert (check.as_of, check.is_current, licence["status"]) == (as_of, False, "expiring")
    assert check.notes.startswith("Reconstructed from records as known on")


@pytest.mark.django_db
def test_check_run_with_an_invalid_date_shows_a_message_and_saves_nothing(
    client, tenancy, facility
):
    client.force_login(tenancy.officer)

    response = client.post(_url("check-run", tenancy, pk=facility.pk), {"as_of": "31/02/2026"})

    assert response["Location"] == facility.get_absolute_url()
    assert _messages(response) == ["Enter a valid date."]
    assert not CheckRun.objects.exists()


@pytest.mark.django_db
def test_check_run_of_a_closed_facility_shows_a_message_and_saves_nothing(
    client, tenancy, facility
):
    services.facility_close(
        actor=tenancy.officer,
        facility=facility,
        closed_on=tenancy.organization.today(),
        via="test",
        note="sold",
    )
    client.force_login(tenancy.officer)

    response = client.post(_url("check-run", tenancy, pk=facility.pk))

    assert response["Location"] == facility.get_absolute_url()
    assert _messages(response) == ["A closed facility is not checked: reopen it first."]
    assert not CheckRun.objects.exists()


@pytest.mark.django_db
def test_check_run_answers_a_get_with_405_and_runs_nothing(client, tenancy, facility):
    client.force_login(tenancy.officer)

    response = client.get(_url("check-run", tenancy, pk=facility.pk))

    assert response.status_code == 405
    assert not CheckRun.objects.exists()


# --- The result page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_check_detail_rolls_up_each_framework_and_explains_the_expired_licence(
    client, tenancy, facility, expired_licence
):
    AttestationFactory(organization=tenancy.organization, attested_by=tenancy.officer)
    check = _check(facility, tenancy.officer)
    client.force_login(tenancy.viewer)

    response = client.get(_url("check-detail", tenancy, pk=check.pk))

    report = response.context["report"]
    # A California hospital with no services: the HIPAA rules (less the specifications for
    # clearinghouses and group health plans), an NPI, and the state licence. The one
    # organization-wide attestation (the risk analysis) is the only requirement met.
    assert [(s.code, s.met, s.applicable) for s in report.frameworks] == [
        ("US-HIPAA-SEC", 1, 49),
        ("US-HIPAA-PRIV", 0, 12),
        ("US-HIPAA-BREACH", 0, 4),
        ("US-FED", 0, 1),
        ("US-CA", 0, 1),
    ]
    [licence] = report.frameworks[-1].results
    today = tenancy.organization.today()
    expiry = today - datetime.timedelta(days=3)
    assert (licence.code, licence.status, licence.reason, licence.citation) == (
        "US-CA-HOSPITAL-LICENSE",
        "expired",
        f"California hospital licence CA-001 expired on {expiry.isoformat()}.",
        CITATION,
    )
    assert (licence.evidence.label, licence.evidence.url) == (
        "California hospital licence CA-001",
        facility.get_absolute_url(),
    )
    content = response.content.decode()
    assert "US-CA — California hospital licensing" in content
    assert "0 of 1 met" in content
    assert "1 of 49 met" in content
    assert "Non-compliant" in content
    assert escape(CITATION) in content
    assert licence.reason in content
    assert check.rules_version[:12] in content
    assert rules_version() == check.rules_version


@pytest.mark.django_db
def test_check_detail_lists_requirements_that_do_not_apply_with_their_reasons(
    client, tenancy, facility
):
    check = _check(facility, tenancy.officer)
    client.force_login(tenancy.viewer)

    response = client.get(_url("check-detail", tenancy, pk=check.pk))

    not_applicable = {row.code: row.reason for row in response.context["report"].not_applicable}
    assert not_applicable["JCI-ACCREDITATION"] == (
        "The facility holds no accreditation from this body."
    )
    assert not_applicable["US-DEA"] == (
        "Applies only to facilities offering a service this facility does not offer."
    )
    assert "<details" in response.content.decode()


@pytest.mark.django_db
def test_check_detail_offers_attest_links_to_officers_only(client, tenancy, facility):
    check = _check(facility, tenancy.officer)
    link = (
        _url("attestation-create", tenancy)
        + "?requirement=HIPAA-164.308%28a%29%281%29%28ii%29%28A%29"
        + f"&facility={facility.pk}&next=%2Fo%2Facme%2Fchecks%2F{check.pk}%2F"
    )

    client.force_login(tenancy.officer)
    officer_page = client.get(_url("check-detail", tenancy, pk=check.pk))
    client.force_login(tenancy.viewer)
    viewer_page = client.get(_url("check-detail", tenancy, pk=check.pk))

    officer_rows = [row for s in officer_page.context["report"].frameworks for row in s.results]
    risk_analysis = next(r for r in officer_rows if r.code == "HIPAA-164.308(a)(1)(ii)(A)")
    npi = next(r for r in officer_rows if r.code == "US-NPI")
    assert (risk_analysis.attest_url, npi.attest_url) == (link, "")
    assert escape(link) in officer_page.content.decode()
    assert "Attest</a>" not in viewer_page.content.decode()


@pytest.mark.django_db
def test_check_detail_has_no_way_to_change_or_delete_the_check(client, tenancy, facility):
    check = _check(facility, tenancy.officer)
    client.force_login(tenancy.admin)

    answers = [
        getattr(client, method)(_url("check-detail", tenancy, pk=check.pk)).status_code
        for method in ("post", "put", "patch", "delete")
    ]

    assert answers == [405, 405, 405, 405]
    assert ComplianceCheck.objects.get().results == check.results


@pytest.mark.django_db
def test_check_export_lists_every_result_grouped_by_framework_then_code(
    client, tenancy, facility, expired_licence
):
    check = _check(facility, tenancy.officer)
    client.force_login(tenancy.viewer)

    response = client.get(_url("check-detail", tenancy, pk=check.pk), {"_export": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    today = tenancy.organization.today()
    assert response["Content-Disposition"] == (
        f'attachment; filename="check-bay-hospital-{today.isoformat()}-{check.pk}.csv"'
    )
    assert list(rows[0]) == [
        "framework",
        "code",
        "title",
        "status",
        "reason",
        "citation",
        "evidence",
        "expires_on",
        "file_by",
    ]
    keys = [(row["framework"], row["code"]) for row in rows]
    assert keys == sorted(keys)
    assert len(rows) == len(check.results)
    licence = next(row for row in rows if row["code"] == "US-CA-HOSPITAL-LICENSE")
    expiry = today - datetime.timedelta(days=3)
    assert licence == {
        "framework": "US-CA",
        "code": "US-CA-HOSPITAL-LICENSE",
        "title": "California hospital licence",
        "status": "expired",
        "reason": f"California hospital licence CA-001 expired on {expiry.isoformat()}.",
        "citation": CITATION,
        "evidence": "California hospital licence CA-001",
        "expires_on": expiry.isoformat(),
        "file_by": (expiry - datetime.timedelta(days=30)).isoformat(),
    }


# --- A facility's checks --------------------------------------------------------------------


@pytest.mark.django_db
def test_facility_checks_show_the_status_changes_between_two_checks(
    client, tenancy, facility, expired_licence
):
    first = _check(facility, tenancy.officer)
    today = tenancy.organization.today()
    services.license_renew(
        actor=tenancy.officer,
        license=expired_licence,
        data={
            "license_number": "CA-002",
            "issued_date": today - datetime.timedelta(days=2),
            "expiry_date": today + datetime.timedelta(days=363),
        },
        via="test",
    )
    second = _check(facility, tenancy.admin)
    client.force_login(tenancy.viewer)

    response = client.get(_url("facility-checks", tenancy, pk=facility.pk))

    entries = response.context["entries"]
    assert [entry.check for entry in entries] == [second, first]
    assert [
        (c.code, c.old_status, c.new_status, c.old_label, c.new_label) for c in entries[0].changes
    ] == [("US-CA-HOSPITAL-LICENSE", "expired", "met", "Expired", "Met")]
    assert (entries[1].changes, entries[1].has_previous) == ([], False)
    assert (entries[0].met, entries[0].pending) == (1, 66)
    content = response.content.decode()
    assert "US-CA-HOSPITAL-LICENSE" in content
    assert "The first check of this facility." in content


@pytest.mark.django_db
def test_facility_page_include_shows_the_latest_current_check_and_the_run_form(
    rf, tenancy, facility
):
    _check(facility, tenancy.officer, as_of=tenancy.organization.today())
    latest = _check(facility, tenancy.officer)
    _check(
        facility, tenancy.officer, as_of=tenancy.organization.today() - datetime.timedelta(days=1)
    )
    request = rf.get("/")
    context = {"facility": facility, "organization": tenancy.organization}

    as_officer = render_to_string(
        "compliance/_facility_checks.html",
        {**context, "can_edit": True, "latest_check": selectors.latest_check(facility)},
        request=request,
    )
    as_viewer = render_to_string(
        "compliance/_facility_checks.html",
        {**context, "can_edit": False, "latest_check": None},
        request=request,
    )

    assert selectors.latest_check(facility) == latest
    assert _url("check-detail", tenancy, pk=latest.pk) in as_officer
    assert _url("check-run", tenancy, pk=facility.pk) in as_officer
    assert _url("facility-checks", tenancy, pk=facility.pk) in as_viewer
    assert _url("check-run", tenancy, pk=facility.pk) not in as_viewer
    assert "This facility has not been checked yet." in as_viewer
