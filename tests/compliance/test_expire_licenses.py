"""The nightly expiry sweep: facilities.services.records_expire and manage.py expire_licenses."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facilities import services
from facilities.actors import system_user
from facilities.models import Accreditation, Facility, FacilityLicense, RecordStatus
from tests.factories import (
    AccreditationFactory,
    FacilityFactory,
    FacilityLicenseFactory,
    OrganizationFactory,
    UserFactory,
)

ISSUED = datetime.date(2020, 1, 1)


def _call(*args):
    out = io.StringIO()
    call_command("expire_licenses", *args, stdout=out)
    return out.getvalue()


def _days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def records():
    """One organization's records around its today: what the sweep must and must not touch."""
    organization = OrganizationFactory(slug="north")
    today = organization.today()
    facility = FacilityFactory(organization=organization)

    def lic(expiry, **kwargs):
        return FacilityLicenseFactory(
            facility=facility, issued_date=ISSUED, expiry_date=expiry, **kwargs
        )

    renewed = lic(today - _days(40), status=RecordStatus.RENEWED)
    closed = FacilityFactory(
        organization=organization, status=Facility.Status.CLOSED, closed_on=today
    )
    return {
        "organization": organization,
        "lapsed": lic(today - _days(1)),
        "lapsed_pending_without_filing": lic(today - _days(3), status=RecordStatus.PENDING_RENEWAL),
        "expiry_today": lic(today),
        "no_expiry": lic(None),
        "renewed": renewed,
        "renewal": lic(today + _days(300), renews=renewed),
        "suspended": lic(today - _days(5), status=RecordStatus.SUSPENDED),
        "revoked": lic(today - _days(5), status=RecordStatus.REVOKED),
        "awaiting": lic(
            today - _days(5),
            status=RecordStatus.PENDING_RENEWAL,
            renewal_filed_on=today - _days(20),
        ),
        "filed_late": lic(today - _days(5), renewal_filed_on=today - _days(2)),
        "closed": FacilityLicenseFactory(
            facility=closed, issued_date=ISSUED, expiry_date=today - _days(5)
        ),
        "accreditation_lapsed": AccreditationFactory(
            facility=facility, certified_date=ISSUED, expiry_date=today - _days(1)
        ),
        "accreditation_current": AccreditationFactory(
            facility=facility, certified_date=ISSUED, expiry_date=today + _days(10)
        ),
        "other_organization": FacilityLicenseFactory(
            issued_date=ISSUED, expiry_date=datetime.date.today() - _days(10)
        ),
    }


def _statuses(records):
    licenses = {r.pk: r.status for r in FacilityLicense.objects.all()}
    accreditations = {r.pk: r.status for r in Accreditation.objects.all()}
    return {
        name: (accreditations if name.startswith("accreditation") else licenses)[record.pk]
        for name, record in records.items()
        if name != "organization"
    }


@pytest.mark.django_db
def test_records_expire_marks_only_records_past_expiry_with_history(records):
    actor = system_user()

    licenses, accreditations = services.records_expire(
        actor=actor, organization=records["organization"], via="command", note="nightly"
    )

    assert {r.pk for r in licenses} == {
        records["lapsed"].pk,
        records["lapsed_pending_without_filing"].pk,
        records["filed_late"].pk,
    }
    assert [a.pk for a in accreditations] == [records["accreditation_lapsed"].pk]
    assert _statuses(records) == {
        "lapsed": "expired",
        "lapsed_pending_without_filing": "expired",
        "expiry_today": "active",
        "no_expiry": "active",
        "renewed": "renewed",
        "renewal": "active",
        "suspended": "suspended",
        "revoked": "revoked",
        "awaiting": "pending_renewal",
        "filed_late": "expired",
        "closed": "active",
        "accreditation_lapsed": "expired",
        "accreditation_current": "active",
        "other_organization": "active",
    }
    latest = records["lapsed"].history.first()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        "expired",
        actor,
        "command: expiry sweep — nightly",
    )
    accreditation_row = records["accreditation_lapsed"].history.first()
    assert (accreditation_row.status, accreditation_row.history_user) == ("expired", actor)


@pytest.mark.django_db
def test_expire_licenses_command_is_idempotent_with_the_system_actor(records):
    history_before = FacilityLicense.history.count() + Accreditation.history.count()

    first = _call()
    history_after_first = FacilityLicense.history.count() + Accreditation.history.count()
    second = _call()

    # North's 3 licences and 1 accreditation, and the other organization's licence: every
    # active organization is swept.
    assert history_after_first == history_before + 5
    assert "5 records marked expired." in first
    assert "0 records marked expired." in second
    assert FacilityLicense.history.count() + Accreditation.history.count() == history_after_first
    row = records["lapsed"].history.first()
    assert row.history_user == system_user()
    assert row.history_change_reason.startswith("command: expiry sweep — run by OS user ")
    assert "Acting as system" in first


@pytest.mark.django_db
def test_expire_licenses_with_actor_and_organization(records):
    operator = UserFactory(username="operator")

    output = _call("--organization", "north", "--actor", "operator")

    assert "4 records marked expired." in output
    assert records["lapsed"].history.first().history_user == operator
    assert FacilityLicense.objects.get(pk=records["other_organization"].pk).status == "active"


@pytest.mark.django_db
def test_expire_licenses_dry_run_writes_nothing(records):
    history_before = FacilityLicense.history.count()

    output = _call("--dry-run", "--organization", "north")

    assert "4 records would be marked expired." in output
    assert str(records["lapsed"]) in output
    assert FacilityLicense.history.count() == history_before
    assert FacilityLicense.objects.get(pk=records["lapsed"].pk).status == "active"


@pytest.mark.django_db
def test_expire_licenses_unknown_organization_or_actor_is_an_error():
    with pytest.raises(CommandError, match="No active organization"):
        _call("--organization", "nowhere")
    with pytest.raises(CommandError, match="no active user"):
        _call("--actor", "nobody")


def _record_reads(queries):
    """The SELECTs of licences and accreditations among `queries`, by table."""
    reads = {}
    for query in queries:
        sql = query["sql"]
        for table in ("facilities_facilitylicense", "facilities_accreditation"):
            if sql.startswith("SELECT") and f'FROM "{table}"' in sql:
                reads.setdefault(table, []).append(sql)
    return reads


@pytest.mark.django_db
def test_records_expire_reads_the_records_it_writes_locked(records):
    with CaptureQueriesContext(connection) as sweep:
        licenses, accreditations = services.records_expire(
            actor=system_user(), organization=records["organization"], via="command"
        )

    reads = _record_reads(sweep.captured_queries)
    # One read per table, locking only the records' own rows (not their facilities).
    assert [
        sql.endswith('FOR UPDATE OF "facilities_facilitylicense"')
        for sql in reads["facilities_facilitylicense"]
    ] == [True]
    assert [
        sql.endswith('FOR UPDATE OF "facilities_accreditation"')
        for sql in reads["facilities_accreditation"]
    ] == [True]
    assert sorted(r.pk for r in [*licenses, *accreditations]) == sorted(
        records[name].pk
        for name in (
            "lapsed",
            "lapsed_pending_without_filing",
            "filed_late",
            "accreditation_lapsed",
        )
    )
    assert FacilityLicense.objects.get(pk=records["lapsed"].pk).status == "expired"


@pytest.mark.django_db
def test_dry_run_reads_the_records_without_a_lock(records):
    with CaptureQueriesContext(connection) as dry_run:
        output = _call("--dry-run", "--organization", "north")

    reads = _record_reads(dry_run.captured_queries)
    assert len(reads["facilities_facilitylicense"]) == len(reads["facilities_accreditation"]) == 1
    assert not any("FOR UPDATE" in q["sql"] for q in dry_run.captured_queries)
    assert "4 records would be marked expired." in output
