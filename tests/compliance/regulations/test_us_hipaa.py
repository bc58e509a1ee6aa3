"""HIPAA Security, Privacy and Breach Notification rules (facts §1): catalog and evaluation."""

import datetime

import pytest

from compliance.regulations.evaluation import (
    Overall,
    Status,
    evaluate_facility,
    evaluate_requirement,
)
from compliance.regulations.framework import Attested, HipaaLabel, Obligation
from compliance.regulations.us.federal import hipaa
from compliance.regulations.vocabularies import Grade
from tests.compliance.regulations.builders import AS_OF, attestation, day, facility, snapshot

R = HipaaLabel.REQUIRED
A = HipaaLabel.ADDRESSABLE

# Facts §1.1 (Appendix A and the section text): every implementation specification, and every
# standard without one, with its label. Workforce clearance is A from the section text [M].
SECURITY_MATRIX = {
    "HIPAA-164.308(a)(1)(ii)(A)": R,
    "HIPAA-164.308(a)(1)(ii)(B)": R,
    "HIPAA-164.308(a)(1)(ii)(C)": R,
    "HIPAA-164.308(a)(1)(ii)(D)": R,
    "HIPAA-164.308(a)(2)": R,
    "HIPAA-164.308(a)(3)(ii)(A)": A,
    "HIPAA-164.308(a)(3)(ii)(B)": A,
    "HIPAA-164.308(a)(3)(ii)(C)": A,
    "HIPAA-164.308(a)(4)(ii)(A)": R,
    "HIPAA-164.308(a)(4)(ii)(B)": A,
    "HIPAA-164.308(a)(4)(ii)(C)": A,
    "HIPAA-164.308(a)(5)(ii)(A)": A,
    "HIPAA-164.308(a)(5)(ii)(B)": A,
    "HIPAA-164.308(a)(5)(ii)(C)": A,
    "HIPAA-164.308(a)(5)(ii)(D)": A,
    "HIPAA-164.308(a)(6)(ii)": R,
    "HIPAA-164.308(a)(7)(ii)(A)": R,
    "HIPAA-164.308(a)(7)(ii)(B)": R,
    "HIPAA-164.308(a)(7)(ii)(C)": R,
    "HIPAA-164.308(a)(7)(ii)(D)": A,
    "HIPAA-164.308(a)(7)(ii)(E)": A,
    "HIPAA-164.308(a)(8)": R,
    "HIPAA-164.308(b)(3)": R,
    "HIPAA-164.310(a)(2)(i)": A,
    "HIPAA-164.310(a)(2)(ii)": A,
    "HIPAA-164.310(a)(2)(iii)": A,
    "HIPAA-164.310(a)(2)(iv)": A,
    "HIPAA-164.310(b)": R,
    "HIPAA-164.310(c)": R,
    "HIPAA-164.310(d)(2)(i)": R,
    "HIPAA-164.310(d)(2)(ii)": R,
    "HIPAA-164.310(d)(2)(iii)": A,
    "HIPAA-164.310(d)(2)(iv)": A,
    "HIPAA-164.312(a)(2)(i)": R,
    "HIPAA-164.312(a)(2)(ii)": R,
    "HIPAA-164.312(a)(2)(iii)": A,
    "HIPAA-164.312(a)(2)(iv)": A,
    "HIPAA-164.312(b)": R,
    "HIPAA-164.312(c)(2)": A,
    "HIPAA-164.312(d)": R,
    "HIPAA-164.312(e)(2)(i)": A,
    "HIPAA-164.312(e)(2)(ii)": A,
    "HIPAA-164.314(a)(2)(i)": R,
    "HIPAA-164.314(a)(2)(ii)": R,
    "HIPAA-164.314(a)(2)(iii)": R,
    "HIPAA-164.314(b)(2)": R,
    "HIPAA-164.316(a)": R,
    "HIPAA-164.316(b)(1)": R,
    "HIPAA-164.316(b)(2)(i)": R,
    "HIPAA-164.316(b)(2)(ii)": R,
    "HIPAA-164.316(b)(2)(iii)": R,
}

PRIVACY_CODES = {
    "HIPAA-164.520",
    "HIPAA-164.530(a)(1)(i)",
    "HIPAA-164.530(a)(1)(ii)",
    "HIPAA-164.530(a)(2)",
    "HIPAA-164.530(b)",
    "HIPAA-164.530(c)",
    "HIPAA-164.530(d)",
    "HIPAA-164.530(e)",
    "HIPAA-164.530(f)",
    "HIPAA-164.530(i)",
    "HIPAA-164.530(j)",
    "HIPAA-164.502(e)",
}

BREACH_CODES = {"HIPAA-164.402", "HIPAA-164.404", "HIPAA-164.406", "HIPAA-164.408"}

# The only HIPAA facts still graded [M] (facts §1.1, §1.3).
MEMORY_GRADED = {"HIPAA-164.314(b)(2)", "HIPAA-164.406"}
NEVER_FOR_PROVIDERS = {
    "HIPAA-164.308(a)(4)(ii)(A)": "Applies to health care clearinghouses only.",
    "HIPAA-164.314(b)(2)": "Applies to group health plans only.",
}

FRAMEWORKS = {framework.code: framework for framework in hipaa.FRAMEWORKS}
SECURITY = FRAMEWORKS["US-HIPAA-SEC"]
ALL_REQUIREMENTS = [
    (framework, requirement)
    for framework in hipaa.FRAMEWORKS
    for requirement in framework.requirements
]
ALL_CODES = [requirement.code for _, requirement in ALL_REQUIREMENTS]
REQUIRED_CODES = [code for code, label in SECURITY_MATRIX.items() if label is R]
ADDRESSABLE_CODES = [code for code, label in SECURITY_MATRIX.items() if label is A]


def _requirement(code):
    for framework, requirement in ALL_REQUIREMENTS:
        if requirement.code == code:
            return framework, requirement
    raise LookupError(code)


def _evaluate(code, snap, as_of=AS_OF):
    framework, requirement = _requirement(code)
    return evaluate_requirement(requirement, framework, snap, as_of)


def _attest_all(*, except_codes=()):
    return [attestation(code) for code in ALL_CODES if code not in except_codes]


# --- Catalog -------------------------------------------------------------------------------------


def test_hipaa_frameworks_have_the_agreed_codes_and_jurisdiction():
    shape = {(f.code, f.jurisdiction, f.level.value) for f in hipaa.FRAMEWORKS}

    assert shape == {
        ("US-HIPAA-SEC", "US", "national"),
        ("US-HIPAA-PRIV", "US", "national"),
        ("US-HIPAA-BREACH", "US", "national"),
    }


def test_security_rule_has_every_matrix_row_with_its_label():
    labels = {requirement.code: requirement.hipaa_label for requirement in SECURITY.requirements}

    assert len(SECURITY.requirements) == 51
    assert labels == SECURITY_MATRIX


@pytest.mark.parametrize(
    ("framework_code", "codes"),
    [("US-HIPAA-PRIV", PRIVACY_CODES), ("US-HIPAA-BREACH", BREACH_CODES)],
)
def test_privacy_and_breach_rules_have_the_agreed_requirements(framework_code, codes):
    requirements = FRAMEWORKS[framework_code].requirements

    assert {requirement.code for requirement in requirements} == codes
    assert all(requirement.hipaa_label is None for requirement in requirements)


def test_hipaa_requirement_codes_are_unique():
    assert len(ALL_CODES) == len(set(ALL_CODES))


@pytest.mark.parametrize(("framework", "requirement"), ALL_REQUIREMENTS, ids=ALL_CODES)
def test_hipaa_requirement_is_mandatory_attested_and_cited(framework, requirement):
    section = requirement.code.removeprefix("HIPAA-")

    assert requirement.obligation is Obligation.MANDATORY
    assert requirement.satisfied_by == (Attested(max_age_days=365),)
    assert requirement.citation.startswith(f"45 CFR {section.split('(')[0]}")
    assert section in requirement.description
    assert requirement.title
    assert requirement.applicability.countries == frozenset({"US"})


@pytest.mark.parametrize(
    "requirement",
    [r for _, r in ALL_REQUIREMENTS if not r.applicability.never_for_providers],
    ids=[code for code in ALL_CODES if code not in NEVER_FOR_PROVIDERS],
)
def test_hipaa_requirement_documents_its_default_cadence_as_memory(requirement):
    # Yearly renewal is a default the regulation does not state: each description says so.
    assert "365 days" in requirement.description
    assert "[M]" in requirement.description


def test_hipaa_requirements_graded_from_memory_are_the_unverified_facts():
    memory = {code for code in ALL_CODES if _requirement(code)[1].grade is Grade.MEMORY}

    assert memory == MEMORY_GRADED


def test_workforce_clearance_is_addressable_verified_and_says_why():
    _, requirement = _requirement("HIPAA-164.308(a)(3)(ii)(B)")

    assert requirement.hipaa_label is A
    assert requirement.grade is Grade.VERIFIED
    assert "without an (R)/(A) label" in requirement.description


def test_addressable_descriptions_cite_164_306_d_3():
    missing = [
        code
        for code in ADDRESSABLE_CODES
        if "164.306(d)(3)" not in _requirement(code)[1].description
    ]

    assert missing == []


# --- Applicability -------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "reason"), NEVER_FOR_PROVIDERS.items())
def test_clearinghouse_and_group_health_plan_items_are_not_applicable_to_a_hospital(code, reason):
    snap = snapshot(attestations=[attestation(code)])

    result = _evaluate(code, snap)

    assert result.status is Status.NOT_APPLICABLE
    assert result.reason == reason


@pytest.mark.parametrize("country", ["BR", "IN"])
@pytest.mark.parametrize("code", ["HIPAA-164.308(a)(1)(ii)(A)", "HIPAA-164.520", "HIPAA-164.404"])
def test_hipaa_is_not_applicable_outside_the_us(code, country):
    snap = snapshot(facility(country=country, state=f"{country}-SP"))

    result = _evaluate(code, snap)

    assert result.status is Status.NOT_APPLICABLE


def test_hipaa_frameworks_do_not_apply_outside_the_us():
    snap = snapshot(facility(country="BR", state="BR-SP"))

    outcome = evaluate_facility(snap, hipaa.FRAMEWORKS, AS_OF)

    assert {r.status for r in outcome.results} == {Status.NOT_APPLICABLE}
    assert outcome.overall is Overall.COMPLIANT


# --- Attestations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["HIPAA-164.308(a)(1)(ii)(A)", "HIPAA-164.530(b)", "HIPAA-164.404"]
)
def test_hipaa_requirement_without_attestation_is_missing(code):
    result = _evaluate(code, snapshot())

    assert result.status is Status.MISSING
    assert result.is_failure


@pytest.mark.parametrize(
    ("justification", "alternative", "expected"),
    [
        ("Sessions run on kiosks", "Badge tap-out locks the session", Status.MET),
        ("", "Badge tap-out locks the session", Status.MISSING),
        ("Sessions run on kiosks", "", Status.MISSING),
        ("   ", "  ", Status.MISSING),
    ],
)
@pytest.mark.parametrize("code", ["HIPAA-164.312(a)(2)(iii)", "HIPAA-164.308(a)(3)(ii)(B)"])
def test_addressable_spec_attested_not_reasonable_needs_reason_and_alternative(
    code, justification, alternative, expected
):
    snap = snapshot(
        attestations=[
            attestation(
                code,
                outcome="not_reasonable",
                justification=justification,
                alternative=alternative,
            )
        ]
    )

    result = _evaluate(code, snap)

    assert result.status is expected
    if expected is Status.MISSING:
        assert "164.306(d)(3)" in result.reason


@pytest.mark.parametrize(
    "code", ["HIPAA-164.308(a)(1)(ii)(A)", "HIPAA-164.312(a)(2)(i)", "HIPAA-164.530(b)"]
)
def test_non_addressable_requirement_attested_not_reasonable_is_missing(code):
    snap = snapshot(
        attestations=[
            attestation(
                code,
                outcome="not_reasonable",
                justification="Small practice",
                alternative="Manual review",
            )
        ]
    )

    result = _evaluate(code, snap)

    assert result.status is Status.MISSING
    assert "only an addressable specification" in result.reason


@pytest.mark.parametrize("facility_id", [1, 2, 99])
def test_organization_wide_attestation_satisfies_any_facility(facility_id):
    snap = snapshot(
        facility(id=facility_id),
        attestations=[attestation("HIPAA-164.308(a)(2)", facility_id=None)],
    )

    result = _evaluate("HIPAA-164.308(a)(2)", snap)

    assert result.status is Status.MET
    assert result.evidence.label.startswith("organization-wide")


def test_another_facilitys_attestation_does_not_satisfy_this_one():
    snap = snapshot(
        facility(id=1), attestations=[attestation("HIPAA-164.308(a)(2)", facility_id=2)]
    )

    result = _evaluate("HIPAA-164.308(a)(2)", snap)

    assert result.status is Status.MISSING


ATTESTED_ON = datetime.date(2025, 11, 28)
LAST_DAY = ATTESTED_ON + datetime.timedelta(days=365)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (LAST_DAY - datetime.timedelta(days=31), Status.MET),
        (LAST_DAY - datetime.timedelta(days=30), Status.EXPIRING),
        (LAST_DAY, Status.EXPIRING),
        (LAST_DAY + datetime.timedelta(days=1), Status.EXPIRED),
    ],
)
@pytest.mark.parametrize(
    "code", ["HIPAA-164.308(a)(1)(ii)(A)", "HIPAA-164.308(a)(8)", "HIPAA-164.530(b)"]
)
def test_attestation_expires_the_day_after_its_maximum_age(code, as_of, expected):
    snap = snapshot(attestations=[attestation(code, attested_on=ATTESTED_ON)])

    result = _evaluate(code, snap, as_of)

    assert result.status is expected
    assert result.expires_on == LAST_DAY


def test_attestation_valid_until_earlier_than_the_maximum_age_wins():
    valid_until = ATTESTED_ON + datetime.timedelta(days=100)
    snap = snapshot(
        attestations=[
            attestation(
                "HIPAA-164.308(a)(1)(ii)(A)", attested_on=ATTESTED_ON, valid_until=valid_until
            )
        ]
    )

    result = _evaluate("HIPAA-164.308(a)(1)(ii)(A)", snap, valid_until + datetime.timedelta(days=1))

    assert result.status is Status.EXPIRED
    assert result.expires_on == valid_until


def test_memory_graded_requirement_needs_verification_and_never_fails():
    result = _evaluate("HIPAA-164.406", snapshot())

    assert result.status is Status.NEEDS_VERIFICATION
    assert not result.is_failure
    assert result.is_warning


# --- Overall -------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing_code", [*REQUIRED_CODES[:3], "HIPAA-164.316(b)(2)(i)"])
def test_hospital_missing_a_required_attestation_is_non_compliant(missing_code):
    snap = snapshot(attestations=_attest_all(except_codes={missing_code}))

    outcome = evaluate_facility(snap, hipaa.FRAMEWORKS, AS_OF)

    assert outcome.overall is Overall.NON_COMPLIANT
    assert [r.code for r in outcome.results if r.is_failure] == [missing_code]


def test_hospital_with_everything_attested_is_compliant():
    snap = snapshot(attestations=_attest_all())

    outcome = evaluate_facility(snap, hipaa.FRAMEWORKS, AS_OF)

    statuses = {r.code: r.status for r in outcome.results}
    assert outcome.overall is Overall.COMPLIANT
    assert statuses["HIPAA-164.406"] is Status.NEEDS_VERIFICATION
    assert {statuses[code] for code in NEVER_FOR_PROVIDERS} == {Status.NOT_APPLICABLE}
    assert {
        status
        for code, status in statuses.items()
        if code not in MEMORY_GRADED and code not in NEVER_FOR_PROVIDERS
    } == {Status.MET}
    assert outcome.warnings == 1


def test_hospital_with_addressable_specs_documented_as_not_reasonable_is_compliant():
    documented = [
        attestation(
            code,
            outcome="not_reasonable",
            justification="Not reasonable in this setting",
            alternative="Equivalent measure adopted",
        )
        for code in ADDRESSABLE_CODES
    ]
    snap = snapshot(attestations=_attest_all(except_codes=set(ADDRESSABLE_CODES)) + documented)

    outcome = evaluate_facility(snap, hipaa.FRAMEWORKS, AS_OF)

    assert outcome.overall is Overall.COMPLIANT


def test_hospital_with_nothing_attested_fails_every_applicable_verified_requirement():
    outcome = evaluate_facility(snapshot(), hipaa.FRAMEWORKS, AS_OF)

    failing = {r.code for r in outcome.results if r.is_failure}
    assert outcome.overall is Overall.NON_COMPLIANT
    assert failing == set(ALL_CODES) - MEMORY_GRADED - set(NEVER_FOR_PROVIDERS)


def test_attestation_dated_after_the_as_of_date_is_ignored():
    snap = snapshot(attestations=[attestation("HIPAA-164.308(a)(2)", attested_on=day(1))])

    result = _evaluate("HIPAA-164.308(a)(2)", snap)

    assert result.status is Status.MISSING
