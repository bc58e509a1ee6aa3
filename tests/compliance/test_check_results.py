"""A check stores what is particular to its facility; the catalog of its rules version is
recorded once and merged back when the check is read (compliance.check_results)."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from compliance import check_results
from compliance.engine import run_checks
from compliance.models import ComplianceCheck, RulesCatalog
from compliance.regulations import registry
from facilities.models import Facility
from tests.factories import (
    FacilityFactory,
    FacilityLicenseFactory,
    OrganizationFactory,
    UserFactory,
)

CATALOG_ONLY = {"title", "level", "citation", "grade", "hipaa_label", "attestable"}


def _check_with_an_expired_licence() -> ComplianceCheck:
    organization = OrganizationFactory()
    facility = FacilityFactory(organization=organization)
    FacilityLicenseFactory(
        facility=facility, expiry_date=organization.today() - datetime.timedelta(days=3)
    )
    [run] = run_checks(Facility.objects.filter(pk=facility.pk), actor=UserFactory(), via="test")
    return run.checks.get()


@pytest.mark.django_db
def test_a_check_stores_no_catalog_text_and_reads_back_every_field():
    check = _check_with_an_expired_licence()

    stored = check.results
    full = check_results.full_results(check)

    assert not any(CATALOG_ONLY & result.keys() for result in stored)
    assert [result["code"] for result in full] == [result["code"] for result in stored]
    for result in full:
        framework, requirement = registry.get_requirement(result["code"])
        assert (result["title"], result["citation"], result["framework"], result["grade"]) == (
            requirement.title,
            requirement.citation,
            framework.code,
            requirement.grade,
        )
    licence = next(r for r in full if r["code"] == "US-CA-HOSPITAL-LICENSE")
    assert (licence["status"], licence["obligation"], licence["evidence"]["kind"]) == (
        "expired",
        "mandatory",
        "licence",
    )


@pytest.mark.django_db
def test_the_catalog_is_recorded_once_under_its_version_with_the_text_it_hashes():
    _check_with_an_expired_licence()
    _check_with_an_expired_licence()

    [catalog] = RulesCatalog.objects.all()
    assert catalog.version == registry.rules_version()
    assert registry.version_of(catalog.document) == catalog.version
    assert catalog.document == registry.catalog_text()


@pytest.mark.django_db
def test_a_check_of_an_earlier_rules_version_is_read_with_the_catalog_of_that_version():
    check = _check_with_an_expired_licence()
    document = json.loads(registry.catalog_text())
    document["frameworks"][0]["requirements"][0]["title"] = "Title as it was"
    first_code = document["frameworks"][0]["requirements"][0]["code"]
    earlier_text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    earlier = RulesCatalog.objects.create(
        version=registry.version_of(earlier_text), document=earlier_text
    )
    as_of_then = ComplianceCheck(
        rules_version=earlier.version,
        results=[{"code": first_code, "status": "met", "reason": "Attested."}],
    )

    [result] = check_results.full_results(as_of_then)

    assert (result["title"], result["status"]) == ("Title as it was", "met")
    assert check_results.full_results(check)[0]["title"] != "Title as it was"


@pytest.mark.django_db
def test_results_of_a_version_never_recorded_are_read_as_stored():
    written_before = ComplianceCheck(
        rules_version="0" * 64,
        results=[{"code": "X-1", "title": "Stored whole", "status": "met", "reason": "r"}],
    )

    assert check_results.full_results(written_before) == [
        {
            "code": "X-1",
            "title": "Stored whole",
            "status": "met",
            "reason": "r",
            "evidence": None,
            "expires_on": None,
            "file_by": None,
        }
    ]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="tampers through PostgreSQL")
def test_verify_names_a_catalog_whose_text_was_changed(append_only_bypassed):
    _check_with_an_expired_licence()
    catalog = RulesCatalog.objects.get()

    with append_only_bypassed(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE compliance_rulescatalog SET document = replace(document, 'Risk analysis', "
            "'Risk review') WHERE id = %s",
            [catalog.pk],
        )

    with pytest.raises(CommandError) as failed:
        call_command("verify_audit_trail", stdout=io.StringIO(), stderr=io.StringIO())
    assert str(failed.value) == (
        f"Audit trail verification FAILED: 1 problem(s); first: Rules catalog {catalog.pk}: its "
        f"text does not hash to its version {catalog.version[:12]}…."
    )
