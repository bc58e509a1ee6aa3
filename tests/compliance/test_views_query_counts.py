"""The compliance pages run a fixed number of queries, whatever the number of rows
(STYLE.md, "Queries"). Each test runs with few rows and with many."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance import services
from compliance.engine import run_checks
from compliance.selectors import attestable_requirements
from facilities.models import Facility
from tests.factories import FacilityFactory, FacilityLicenseFactory
from tests.factories.compliance import AttestationFactory, CustomComplianceRuleFactory
from tests.factories.tenancy import make_tenancy

# Every request of a signed-in member starts with these three.
SESSION_USER_MEMBERSHIP = 3
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def tenancy(db):
    return make_tenancy()


def _url(name, tenancy, **kwargs):
    return reverse(f"compliance:{name}", kwargs={"org": tenancy.organization.slug, **kwargs})


def _check(facility, actor):
    [run] = run_checks(Facility.objects.filter(pk=facility.pk), actor=actor, via="test")
    return run.checks.get()


def _attest_with_evidence(tenancy, facility, count):
    """`count` facility attestations of different requirements, each with an evidence file."""
    hipaa = [
        r.code
        for f, r in attestable_requirements()
        if f.code == "US-HIPAA-SEC" and not r.applicability.never_for_providers
    ]
    for code in hipaa[:count]:
        attestation = AttestationFactory(
            organization=tenancy.organization, facility=facility, requirement_code=code
        )
        services.evidence_attach(
            actor=tenancy.officer,
            organization=tenancy.organization,
            upload=SimpleUploadedFile("a.pdf", PDF),
            attestation=attestation,
            via="test",
        )


@pytest.mark.django_db
@pytest.mark.parametrize("records", [1, 10])
def test_check_detail_query_count_does_not_grow_with_evidence(
    client, tenancy, evidence_root, django_assert_num_queries, records
):
    facility = FacilityFactory(organization=tenancy.organization)
    _attest_with_evidence(tenancy, facility, records)
    check = _check(facility, tenancy.officer)
    client.force_login(tenancy.officer)

    # Session, user, membership; the check with its facility, place, organization and checker;
    # the evidence files of every record the results used.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 2):
        response = client.get(_url("check-detail", tenancy, pk=check.pk))

    rows = [row for s in response.context["report"].frameworks for row in s.results]
    assert sum(len(row.evidence.files) for row in rows if row.evidence) == records


@pytest.mark.django_db
@pytest.mark.parametrize("records", [1, 10])
def test_check_export_query_count_does_not_grow_with_evidence(
    client, tenancy, evidence_root, django_assert_num_queries, records
):
    facility = FacilityFactory(organization=tenancy.organization)
    _attest_with_evidence(tenancy, facility, records)
    check = _check(facility, tenancy.officer)
    client.force_login(tenancy.viewer)

    # Session, user, membership; the check. The results are in the check.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 1):
        response = client.get(_url("check-detail", tenancy, pk=check.pk), {"_export": "csv"})

    assert len(response.content.decode().splitlines()) == len(check.results) + 1


@pytest.mark.django_db
@pytest.mark.parametrize("checks", [1, 10])
def test_facility_checks_query_count_does_not_grow_with_checks(
    client, tenancy, django_assert_num_queries, checks
):
    facility = FacilityFactory(organization=tenancy.organization)
    FacilityLicenseFactory(facility=facility)
    for _ in range(checks):
        _check(facility, tenancy.officer)
    client.force_login(tenancy.officer)

    # Session, user, membership; the facility; its checks with their checkers (the
    # differences are computed from the results they carry).
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 2):
        response = client.get(_url("facility-checks", tenancy, pk=facility.pk))

    assert len(response.context["entries"]) == checks


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{}, {"jurisdiction": "US-CA"}, {"jurisdiction": "nowhere"}])
def test_catalog_query_count_is_the_session_alone(
    client, tenancy, django_assert_num_queries, query
):
    client.force_login(tenancy.viewer)

    # Session, user, membership: the catalog is code.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP):
        response = client.get(_url("catalog", tenancy), query)

    assert response.context["requirement_count"] >= 1


@pytest.mark.django_db
@pytest.mark.parametrize("attestations", [1, 10])
def test_attestation_list_query_count_does_not_grow_with_attestations(
    client, tenancy, evidence_root, django_assert_num_queries, attestations
):
    facility = FacilityFactory(organization=tenancy.organization)
    _attest_with_evidence(tenancy, facility, attestations)
    client.force_login(tenancy.viewer)

    # Session, user, membership; the paginator's count; the page of attestations with their
    # facilities, attesters and evidence counts.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 2):
        response = client.get(_url("attestation-list", tenancy))

    assert len(response.context["table"].paginated_rows) == attestations


@pytest.mark.django_db
@pytest.mark.parametrize("files", [1, 10])
def test_record_evidence_page_query_count_does_not_grow_with_files(
    client, tenancy, evidence_root, django_assert_num_queries, files
):
    license = FacilityLicenseFactory(facility=FacilityFactory(organization=tenancy.organization))
    for _ in range(files):
        services.evidence_attach(
            actor=tenancy.officer,
            organization=tenancy.organization,
            upload=SimpleUploadedFile("a.pdf", PDF),
            license=license,
            via="test",
        )
    client.force_login(tenancy.officer)

    # Session, user, membership; the licence with its facility; its files with uploaders.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 2):
        response = client.get(_url("license-evidence", tenancy, pk=license.pk))

    assert len(response.context["evidence_files"]) == files


@pytest.mark.django_db
@pytest.mark.parametrize("rules", [1, 10])
def test_rule_list_query_count_does_not_grow_with_rules(
    client, tenancy, django_assert_num_queries, rules
):
    for _ in range(rules):
        CustomComplianceRuleFactory(organization=tenancy.organization)
    client.force_login(tenancy.admin)

    # Session, user, membership; the paginator's count; the page of rules with their scope.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 2):
        response = client.get(_url("rule-list", tenancy))

    assert len(response.context["table"].paginated_rows) == rules


@pytest.mark.django_db
@pytest.mark.parametrize("edits", [1, 10])
def test_rule_history_query_count_does_not_grow_with_edits(
    client, tenancy, django_assert_num_queries, edits
):
    rule = CustomComplianceRuleFactory(organization=tenancy.organization)
    for number in range(edits):
        services.custom_rule_set_active(
            actor=tenancy.admin, rule=rule, active=number % 2 == 0, via="web"
        )
    client.force_login(tenancy.viewer)

    # Session, user, membership; the rule; its history rows with their acting users.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 2):
        response = client.get(_url("rule-history", tenancy, pk=rule.pk))

    assert len(response.context["entries"]) == edits + 1
