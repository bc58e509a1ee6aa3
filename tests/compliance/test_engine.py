import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance import check_results, check_store
from compliance.engine import (
    CheckRequestError,
    _chunk_rows,
    create_run,
    execute_run,
    facilities_to_check,
    load_snapshots,
    run_checks,
)
from compliance.models import CheckRun, ComplianceCheck, CustomComplianceRule, FacilityStatus
from compliance.regulations.registry import rules_version
from facilities import services
from facilities.history import UntrackedWriteError
from facilities.models import Facility, RecordStatus
from tests.factories import (
    AccreditationFactory,
    FacilityFactory,
    FacilityLicenseFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.factories.compliance import AttestationFactory, CustomComplianceRuleFactory


def _result(check, code):
    return next(r for r in check_results.full_results(check) if r["code"] == code)


def _facilities_with_records(organization, count):
    for n in range(count):
        facility = FacilityFactory(organization=organization, facility_name=f"Hospital {n}")
        FacilityLicenseFactory(facility=facility)
        AccreditationFactory(facility=facility)
    AttestationFactory(organization=organization)
    return Facility.objects.filter(organization=organization).select_related("organization")


def _queries_for_run(count):
    organization = OrganizationFactory()
    facilities = _facilities_with_records(organization, count)
    actor = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        run_checks(facilities, actor=actor, via="test")
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_engine_query_count_does_not_grow_with_facilities():
    # Per run: the facilities and their organizations, the run row, its total, custom rules,
    # the ids to check, the checks already written, the rules catalog, the run's start; per
    # chunk: facilities, licences, accreditations, attestations, the checks' insert, the status
    # projection's upsert, progress; then the finish. Never a query per facility or per rule.
    # (The very first run of a rules version also records its catalog: three queries, once.)
    check_results.record_catalog()
    one = _queries_for_run(1)
    fifty = _queries_for_run(50)

    assert one == fifty


@pytest.mark.django_db
def test_engine_writes_one_explained_check_per_facility():
    organization = OrganizationFactory(time_zone="America/Los_Angeles")
    facility = FacilityFactory(organization=organization)
    FacilityLicenseFactory(
        facility=facility, expiry_date=organization.today() - datetime.timedelta(days=3)
    )
    actor = UserFactory()

    [run] = run_checks(Facility.objects.filter(pk=facility.pk), actor=actor, via="test")

    check = ComplianceCheck.objects.get(run=run)
    licence = _result(check, "US-CA-HOSPITAL-LICENSE")
    assert (check.overall_status, check.checked_by, check.rules_version) == (
        "non_compliant",
        actor,
        rules_version(),
    )
    assert licence["status"] == "expired"
    assert licence["citation"].startswith("Cal. Health & Safety Code")
    assert licence["evidence"]["kind"] == "licence"
    assert "US-CA-HOSPITAL-LICENSE" in check.requirements_pending
    assert check.is_current is True
    assert (run.status, run.checked, run.total, run.counts) == (
        "finished",
        1,
        1,
        {"non_compliant": 1},
    )


@pytest.mark.django_db
def test_as_of_before_a_renewal_uses_the_old_term():
    organization = OrganizationFactory()
    facility = FacilityFactory(organization=organization)
    today = organization.today()
    old = FacilityLicenseFactory(
        facility=facility,
        issued_date=today - datetime.timedelta(days=400),
        expiry_date=today - datetime.timedelta(days=35),
    )
    services.license_renew(
        actor=UserFactory(),
        license=old,
        data={
            "license_number": "NEW",
            "issued_date": today - datetime.timedelta(days=34),
            "expiry_date": today + datetime.timedelta(days=330),
        },
        via="test",
    )
    as_of = today - datetime.timedelta(days=60)

    [run] = run_checks(
        Facility.objects.filter(pk=facility.pk), as_of=as_of, actor=UserFactory(), via="test"
    )

    check = run.checks.get()
    licence = _result(check, "US-CA-HOSPITAL-LICENSE")
    assert licence["status"] == "expiring"
    assert licence["evidence"]["id"] == old.pk
    assert check.is_current is False
    assert f"Reconstructed from records as known on {today.isoformat()}" in check.notes


@pytest.mark.django_db
def test_as_of_takes_a_suspension_in_between_from_history():
    organization = OrganizationFactory()
    facility = FacilityFactory(organization=organization)
    licence = FacilityLicenseFactory(facility=facility)
    actor = UserFactory()
    services.license_update(
        actor=actor, license=licence, data={"status": RecordStatus.SUSPENDED}, via="test", note="x"
    )
    yesterday_check = run_checks(
        Facility.objects.filter(pk=facility.pk),
        as_of=organization.today() - datetime.timedelta(days=1),
        actor=actor,
        via="test",
    )[0].checks.get()
    today_check = run_checks(Facility.objects.filter(pk=facility.pk), actor=actor, via="test")[
        0
    ].checks.get()

    assert _result(yesterday_check, "US-CA-HOSPITAL-LICENSE")["status"] == "met"
    assert _result(today_check, "US-CA-HOSPITAL-LICENSE")["status"] == "missing"
    assert "suspended" in _result(today_check, "US-CA-HOSPITAL-LICENSE")["reason"]


@pytest.mark.django_db
def test_interrupted_run_resumes_without_duplicates():
    organization = OrganizationFactory()
    _facilities_with_records(organization, 5)
    actor = UserFactory()
    run = create_run(organization=organization, actor=actor, via="test")

    class Crash(Exception):
        pass

    def crash_after_first_chunk(current):
        raise Crash

    with pytest.raises(Crash):
        execute_run(run, chunk_size=2, progress=crash_after_first_chunk)
    run.refresh_from_db()
    assert (run.status, run.checked, ComplianceCheck.objects.filter(run=run).count()) == (
        "running",
        2,
        2,
    )

    execute_run(run, chunk_size=2)

    run.refresh_from_db()
    assert (run.status, run.checked) == ("finished", 5)
    checked = list(ComplianceCheck.objects.filter(run=run).values_list("facility_id", flat=True))
    assert sorted(checked) == sorted(set(checked))
    assert len(checked) == 5


@pytest.mark.django_db
def test_a_run_of_the_lists_filters_checks_its_active_matching_facilities_of_the_organization():
    """The facility list's filters, stored as given, are resolved through its FilterSet when
    the run executes: a facility matching them since the run was queued is checked too."""
    organization = OrganizationFactory()
    alpha = FacilityFactory(organization=organization, facility_name="Alpha General")
    FacilityFactory(organization=organization, facility_name="Beta Clinic")
    FacilityFactory(
        organization=organization,
        facility_name="Alpha Closed",
        status="closed",
        closed_on=organization.today(),
    )
    FacilityFactory(facility_name="Alpha Elsewhere")  # another organization
    run = create_run(
        organization=organization, actor=UserFactory(), filters={"list": {"q": "alpha"}}, via="t"
    )
    later = FacilityFactory(organization=organization, facility_name="Alpha Annex")

    execute_run(run)

    assert sorted(run.checks.values_list("facility_id", flat=True)) == [alpha.pk, later.pk]
    assert (run.total, run.checked) == (2, 2)


@pytest.mark.django_db
def test_invalid_list_filters_check_nothing_rather_than_more():
    """django-filter drops an invalid filter and applies the others: a run must not widen."""
    organization = OrganizationFactory()
    FacilityFactory(organization=organization)

    with pytest.raises(CheckRequestError, match="no longer valid"):
        facilities_to_check(organization, {"list": {"q": "Facility", "state": "not-a-state"}})


@pytest.mark.django_db
def test_a_resumed_run_counts_a_checked_facility_that_no_longer_matches_its_filters():
    """A facility's compliance status changes with its check: on a resume, the list's
    compliance filter no longer matches the facilities already checked, which still count."""
    organization = OrganizationFactory()
    _facilities_with_records(organization, 3)
    run = create_run(
        organization=organization,
        actor=UserFactory(),
        filters={"list": {"compliance_status": "never"}},
        via="test",
    )

    class Crash(Exception):
        pass

    def crash(current):
        raise Crash

    with pytest.raises(Crash):
        execute_run(run, chunk_size=2, progress=crash)
    execute_run(run, chunk_size=2)

    run.refresh_from_db()
    assert (run.status, run.checked, run.total) == ("finished", 3, 3)
    assert run.checks.count() == 3


@pytest.mark.django_db
def test_closed_facilities_are_not_checked():
    organization = OrganizationFactory()
    _facilities_with_records(organization, 2)
    closed = Facility.objects.filter(organization=organization).first()
    services.facility_close(
        actor=UserFactory(), facility=closed, closed_on=organization.today(), via="test", note="x"
    )

    run = execute_run(create_run(organization=organization, actor=UserFactory(), via="test"))

    assert run.total == 1
    assert not run.checks.filter(facility=closed).exists()


@pytest.mark.django_db
def test_a_future_as_of_date_is_refused():
    organization = OrganizationFactory()

    with pytest.raises(CheckRequestError, match="cannot be in the future"):
        create_run(
            organization=organization,
            actor=UserFactory(),
            as_of=organization.today() + datetime.timedelta(days=1),
            via="test",
        )

    assert not CheckRun.objects.exists()


@pytest.mark.django_db
def test_custom_rule_results_carry_the_rule_id_and_version():
    organization = OrganizationFactory()
    facility = FacilityFactory(organization=organization, bed_count=300)
    rule = CustomComplianceRule(
        organization=organization,
        code="CUSTOM-BIG-SITES-JCI",
        name="Large sites hold JCI",
        logic={
            "when": {">=": [{"fact": "facility.beds"}, 200]},
            "require": {"accredited": {"body": "JCI"}},
        },
        is_active=True,
        version=3,
    )
    rule._change_reason = "test"
    rule.save()

    [run] = run_checks(Facility.objects.filter(pk=facility.pk), actor=UserFactory(), via="test")

    result = _result(run.checks.get(), "CUSTOM-BIG-SITES-JCI")
    assert (result["status"], result["custom_rule"]) == ("missing", {"id": rule.pk, "version": 3})
    assert run.checks.get().overall_status == "non_compliant"


@pytest.mark.django_db
def test_checks_cannot_be_edited_or_deleted():
    organization = OrganizationFactory()
    facility = FacilityFactory(organization=organization)
    [run] = run_checks(Facility.objects.filter(pk=facility.pk), actor=UserFactory(), via="test")
    check = run.checks.get()

    with pytest.raises(UntrackedWriteError):
        check.save()
    with pytest.raises(UntrackedWriteError):
        check.delete()
    with pytest.raises(UntrackedWriteError):
        ComplianceCheck.objects.filter(pk=check.pk).update(overall_status="compliant")
    with pytest.raises(UntrackedWriteError):
        ComplianceCheck.objects.all().delete()

    assert ComplianceCheck.objects.get(pk=check.pk).overall_status == check.overall_status


@pytest.mark.django_db
def test_a_current_check_updates_the_facility_status_projection():
    organization = OrganizationFactory(time_zone="America/Los_Angeles")
    facility = FacilityFactory(organization=organization)
    licence = FacilityLicenseFactory(
        facility=facility, expiry_date=organization.today() - datetime.timedelta(days=3)
    )
    actor = UserFactory()
    facilities = Facility.objects.filter(pk=facility.pk)

    [first] = run_checks(facilities, actor=actor, via="test")
    services.license_renew(
        actor=actor,
        license=licence,
        data={
            "license_number": "NEW-1",
            "issued_date": organization.today() - datetime.timedelta(days=1),
            "expiry_date": organization.today() + datetime.timedelta(days=700),
        },
        via="test",
        note="renewed",
    )
    [second] = run_checks(facilities, actor=actor, via="test")

    status = FacilityStatus.objects.get(facility=facility)
    older = first.checks.get()
    newer = second.checks.get()
    assert "US-CA-HOSPITAL-LICENSE" in [
        r["code"] for r in older.results if r["status"] in ("missing", "expired")
    ]
    assert (status.latest_check, status.overall_status, status.as_of) == (
        newer,
        newer.overall_status,
        organization.today(),
    )
    assert "US-CA-HOSPITAL-LICENSE" not in status.problems
    assert status.problems == [
        r["code"]
        for r in check_results.full_results(newer)
        if r.get("obligation") == "mandatory"
        and r.get("grade") != "M"
        and r["status"] in ("missing", "expired")
    ]


@pytest.mark.django_db
def test_a_back_dated_check_leaves_the_projection_alone():
    organization = OrganizationFactory()
    facility = FacilityFactory(organization=organization)
    actor = UserFactory()
    facilities = Facility.objects.filter(pk=facility.pk)
    [current] = run_checks(facilities, actor=actor, via="test")

    run_checks(
        facilities,
        actor=actor,
        via="test",
        as_of=organization.today() - datetime.timedelta(days=30),
    )

    status = FacilityStatus.objects.get(facility=facility)
    assert status.latest_check == current.checks.get()
    assert FacilityStatus.objects.count() == 1


@pytest.mark.django_db
def test_the_evaluation_thread_refuses_to_query_the_database():
    # A rule read without its country would fetch it lazily from the worker thread, on another
    # connection and outside the run's transaction: refused with a message instead.
    organization = OrganizationFactory()
    facility = FacilityFactory(organization=organization)
    rule = CustomComplianceRuleFactory(
        organization=organization, country=facility.country, is_active=True
    )
    lazy = CustomComplianceRule.objects.get(pk=rule.pk)
    run = create_run(organization=organization, actor=UserFactory(), via="test")
    snapshots = load_snapshots(organization, [facility.pk], run.as_of, reconstruct=False)

    with ThreadPoolExecutor(max_workers=1) as worker:
        rows = worker.submit(
            _chunk_rows, run, snapshots, [lazy], check_store.ResultEncoder({}, {}), None
        )
        with pytest.raises(RuntimeError, match="The evaluation thread reads nothing"):
            rows.result()
