"""US federal identifiers and certificates (facts §4.1, §6, §9): NPI, CLIA, DEA, CMS/CCN."""

import pytest

from compliance.regulations.evaluation import (
    Overall,
    Status,
    evaluate_facility,
    evaluate_requirement,
)
from compliance.regulations.framework import Obligation
from compliance.regulations.us.federal import certification
from compliance.regulations.vocabularies import FACILITY_TYPES, Grade
from tests.compliance.regulations.builders import AS_OF, day, facility, license, snapshot

FEDERAL = certification.FEDERAL
REQUIREMENTS = {requirement.code: requirement for requirement in FEDERAL.requirements}


def _evaluate(code, snap, as_of=AS_OF):
    return evaluate_requirement(REQUIREMENTS[code], FEDERAL, snap, as_of)


def test_federal_framework_has_the_agreed_requirements():
    assert (FEDERAL.code, FEDERAL.jurisdiction, FEDERAL.level.value) == ("US-FED", "US", "national")
    assert list(REQUIREMENTS) == [
        "US-NPI",
        "US-CLIA",
        "US-CLIA-DIAGNOSTIC-LABORATORY",
        "US-DEA",
        "US-CMS-CERT",
        "US-CCN",
    ]


@pytest.mark.parametrize("requirement", FEDERAL.requirements, ids=list(REQUIREMENTS))
def test_federal_requirement_is_mandatory_verified_described_and_us_only(requirement):
    assert requirement.obligation is Obligation.MANDATORY
    assert requirement.grade is Grade.VERIFIED
    assert requirement.citation
    assert requirement.description
    assert requirement.applicability.countries == frozenset({"US"})


# --- NPI -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifiers", "status", "reason"),
    [
        ({"npi": "1234567893"}, Status.MET, "NPI 1234567893 is valid."),
        ({"npi": "1558598797"}, Status.MET, "NPI 1558598797 is valid."),
        ({"npi": "1234567890"}, Status.MISSING, "NPI check digit does not match."),
        ({"npi": "3234567893"}, Status.MISSING, "NPI must start with 1 or 2."),
        ({"npi": "123456789"}, Status.MISSING, "NPI must be 10 digits."),
        ({}, Status.MISSING, "No NPI is recorded."),
    ],
)
def test_npi_requirement_checks_the_number(identifiers, status, reason):
    snap = snapshot(facility(identifiers=identifiers))

    result = _evaluate("US-NPI", snap)

    assert result.status is status
    assert result.reason == reason


@pytest.mark.parametrize("facility_type", [term.code for term in FACILITY_TYPES])
def test_npi_applies_to_every_us_facility_type(facility_type):
    snap = snapshot(facility(facility_type=facility_type))

    result = _evaluate("US-NPI", snap)

    assert result.status is Status.MISSING


def test_npi_is_not_applicable_outside_the_us():
    snap = snapshot(facility(country="BR", state="BR-SP"))

    result = _evaluate("US-NPI", snap)

    assert result.status is Status.NOT_APPLICABLE


def test_valid_npi_never_expires():
    snap = snapshot(facility(identifiers={"npi": "1234567893"}))

    result = _evaluate("US-NPI", snap, day(365 * 50))

    assert result.status is Status.MET
    assert result.expires_on is None


# --- CLIA ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facility_type", "services", "clia", "diagnostic_laboratory"),
    [
        ("hospital", set(), Status.NOT_APPLICABLE, Status.NOT_APPLICABLE),
        ("hospital", {"laboratory"}, Status.MISSING, Status.NOT_APPLICABLE),
        ("clinic", {"controlled_substances"}, Status.NOT_APPLICABLE, Status.NOT_APPLICABLE),
        ("pharmacy", {"laboratory"}, Status.MISSING, Status.NOT_APPLICABLE),
        ("diagnostic_laboratory", set(), Status.NOT_APPLICABLE, Status.MISSING),
        ("diagnostic_laboratory", {"laboratory"}, Status.MISSING, Status.MISSING),
    ],
)
def test_clia_applies_to_the_laboratory_service_and_to_diagnostic_laboratories(
    facility_type, services, clia, diagnostic_laboratory
):
    snap = snapshot(facility(facility_type=facility_type, services=services))

    results = (
        _evaluate("US-CLIA", snap).status,
        _evaluate("US-CLIA-DIAGNOSTIC-LABORATORY", snap).status,
    )

    assert results == (clia, diagnostic_laboratory)


@pytest.mark.parametrize(
    ("facility_type", "services", "expected"),
    [
        ("hospital", {"laboratory"}, (Status.MET, Status.NOT_APPLICABLE)),
        ("diagnostic_laboratory", set(), (Status.NOT_APPLICABLE, Status.MET)),
        ("diagnostic_laboratory", {"laboratory"}, (Status.MET, Status.MET)),
    ],
)
def test_clia_certificate_meets_the_laboratory_requirements(facility_type, services, expected):
    snap = snapshot(
        facility(facility_type=facility_type, services=services), licenses=[license("US-CLIA")]
    )

    results = (
        _evaluate("US-CLIA", snap).status,
        _evaluate("US-CLIA-DIAGNOSTIC-LABORATORY", snap).status,
    )

    assert results == expected


def test_clia_is_not_met_by_another_licence_type():
    snap = snapshot(facility(services={"laboratory"}), licenses=[license("US-DEA")])

    result = _evaluate("US-CLIA", snap)

    assert result.status is Status.MISSING


# --- DEA -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("services", "expected"),
    [
        ({"controlled_substances"}, Status.MISSING),
        ({"laboratory"}, Status.NOT_APPLICABLE),
        (set(), Status.NOT_APPLICABLE),
    ],
)
def test_dea_registration_applies_only_with_controlled_substances(services, expected):
    snap = snapshot(facility(services=services))

    result = _evaluate("US-DEA", snap)

    assert result.status is expected


@pytest.mark.parametrize(
    ("days_to_expiry", "expected"),
    [
        (61, Status.MET),  # the day before the 60-day reregistration window opens
        (60, Status.EXPIRING),  # first day of the window (21 CFR 1301.13(b))
        (0, Status.EXPIRING),
        (-1, Status.EXPIRED),
    ],
)
def test_dea_registration_expiring_from_the_first_day_of_the_60_day_window(
    days_to_expiry, expected
):
    expiry = day(days_to_expiry)
    snap = snapshot(
        facility(services={"controlled_substances"}),
        licenses=[license("US-DEA", issued_date=day(-1000), expiry_date=expiry)],
    )

    result = _evaluate("US-DEA", snap)

    assert result.status is expected
    assert result.expires_on == expiry


def test_dea_registration_suspended_is_missing():
    snap = snapshot(
        facility(services={"controlled_substances"}),
        licenses=[license("US-DEA", status="suspended")],
    )

    result = _evaluate("US-DEA", snap)

    assert result.status is Status.MISSING
    assert "suspended" in result.reason


# --- CMS certification and CCN -------------------------------------------------------------------


@pytest.mark.parametrize("code", ["US-CMS-CERT", "US-CCN"])
@pytest.mark.parametrize(
    ("services", "expected"),
    [
        ({"medicare_participation"}, Status.MISSING),
        ({"accreditation_deemed_status"}, Status.NOT_APPLICABLE),
        (set(), Status.NOT_APPLICABLE),
    ],
)
def test_cms_certification_and_ccn_apply_only_to_medicare_participants(code, services, expected):
    snap = snapshot(facility(services=services))

    result = _evaluate(code, snap)

    assert result.status is expected


@pytest.mark.parametrize(
    ("ccn", "expected"),
    [
        ("050001", Status.MET),
        ("451300", Status.MET),
        ("05S001", Status.MET),
        ("0500001", Status.MISSING),
        ("AB0001", Status.MISSING),
    ],
)
def test_ccn_requirement_checks_the_format(ccn, expected):
    snap = snapshot(facility(services={"medicare_participation"}, identifiers={"ccn": ccn}))

    result = _evaluate("US-CCN", snap)

    assert result.status is expected


def test_medicare_participant_with_certification_and_ccn_is_compliant():
    snap = snapshot(
        facility(
            services={"medicare_participation"},
            identifiers={"npi": "1234567893", "ccn": "050001"},
        ),
        licenses=[license("US-CMS-CERTIFICATION", expiry_date=None)],
    )

    outcome = evaluate_facility(snap, certification.FRAMEWORKS, AS_OF)

    assert outcome.overall is Overall.COMPLIANT
    assert sorted(outcome.requirements_met) == ["US-CCN", "US-CMS-CERT", "US-NPI"]


@pytest.mark.parametrize(
    ("identifiers", "licenses", "failing"),
    [
        ({"npi": "1234567893", "ccn": "050001"}, [], ["US-CMS-CERT"]),
        ({"npi": "1234567893"}, ["US-CMS-CERTIFICATION"], ["US-CCN"]),
        ({"ccn": "050001"}, ["US-CMS-CERTIFICATION"], ["US-NPI"]),
    ],
)
def test_medicare_participant_missing_one_item_is_non_compliant(identifiers, licenses, failing):
    snap = snapshot(
        facility(services={"medicare_participation"}, identifiers=identifiers),
        licenses=[license(code, expiry_date=None) for code in licenses],
    )

    outcome = evaluate_facility(snap, certification.FRAMEWORKS, AS_OF)

    assert outcome.overall is Overall.NON_COMPLIANT
    assert [r.code for r in outcome.results if r.is_failure] == failing
