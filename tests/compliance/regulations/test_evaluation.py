"""The date and grade semantics every rule shares (compliance.regulations.evaluation)."""

import pytest

from compliance.regulations.evaluation import (
    Overall,
    Status,
    evaluate_facility,
    evaluate_requirement,
)
from compliance.regulations.framework import (
    Applicability,
    Attested,
    Framework,
    HipaaLabel,
    HoldsLicense,
    Level,
    Obligation,
    Requirement,
)
from compliance.regulations.vocabularies import Grade
from tests.compliance.regulations.builders import (
    AS_OF,
    attestation,
    day,
    facility,
    license,
    snapshot,
)

# US-FL-HOSPITAL: renewal window 120 days, file by 60 days before expiry (Fla. Stat. 408.806).
LICENSED = Requirement(
    code="TEST-LICENCE",
    title="Test licence",
    citation="Test §1",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsLicense(frozenset({"US-FL-HOSPITAL"})),),
    applicability=Applicability(countries=frozenset({"US"})),
)
ADDRESSABLE = Requirement(
    code="TEST-ADDRESSABLE",
    title="Addressable specification",
    citation="45 CFR 164.312(a)(2)(iv)",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(Attested(max_age_days=365),),
    hipaa_label=HipaaLabel.ADDRESSABLE,
)
FRAMEWORK = Framework(
    code="TEST",
    title="Test framework",
    jurisdiction="US",
    level=Level.NATIONAL,
    version="1",
    requirements=(LICENSED, ADDRESSABLE),
)


def _licence_status(**licence_fields):
    result = evaluate_requirement(
        LICENSED, FRAMEWORK, snapshot(licenses=[license("US-FL-HOSPITAL", **licence_fields)]), AS_OF
    )
    return result.status


@pytest.mark.parametrize(
    ("licence_fields", "expected"),
    [
        ({"expiry_date": day(0)}, Status.EXPIRING),  # the expiry date itself is valid
        ({"expiry_date": day(-1)}, Status.EXPIRED),  # the day after expiry
        ({"expiry_date": day(120)}, Status.EXPIRING),  # first day of the 120-day window
        ({"expiry_date": day(121)}, Status.MET),  # the day before the window opens
        ({"expiry_date": None}, Status.MET),  # no expiry
        ({"expiry_date": day(-1), "renewal_filed_on": day(-1)}, Status.PENDING),
        ({"expiry_date": day(-1), "renewal_filed_on": day(0)}, Status.EXPIRED),  # filed late
        ({"expiry_date": day(30), "status": "suspended"}, Status.MISSING),
        ({"expiry_date": day(30), "status": "revoked"}, Status.MISSING),
        # A stored "expired" is not trusted over the dates.
        ({"expiry_date": day(300), "status": "expired"}, Status.MET),
        ({"issued_date": day(1), "expiry_date": day(400)}, Status.MISSING),  # not yet in effect
    ],
)
def test_licence_status_follows_the_dates(licence_fields, expected):
    assert _licence_status(**licence_fields) == expected


def test_expiring_result_names_the_file_by_date():
    result = evaluate_requirement(
        LICENSED,
        FRAMEWORK,
        snapshot(licenses=[license("US-FL-HOSPITAL", expiry_date=day(90))]),
        AS_OF,
    )

    assert (result.expires_on, result.file_by) == (day(90), day(30))
    assert result.reason.endswith(f"file the renewal by {day(30).isoformat()}.")
    assert result.evidence.kind == "licence"


def test_best_of_several_licences_wins():
    licences = [
        license("US-FL-HOSPITAL", expiry_date=day(-10)),
        license("US-FL-HOSPITAL", expiry_date=day(500)),
    ]

    result = evaluate_requirement(LICENSED, FRAMEWORK, snapshot(licenses=licences), AS_OF)

    assert result.status == Status.MET
    assert result.evidence.id == licences[1].id


@pytest.mark.parametrize(
    ("attestation_fields", "expected"),
    [
        ({"outcome": "implemented"}, Status.MET),
        (
            {"outcome": "not_reasonable", "justification": "Tiny site", "alternative": "Locks"},
            Status.MET,
        ),
        ({"outcome": "not_reasonable", "justification": "Tiny site"}, Status.MISSING),
        ({"outcome": "not_reasonable", "alternative": "Locks"}, Status.MISSING),
        ({"attested_on": day(-365)}, Status.EXPIRING),  # last day of the 365-day age
        ({"attested_on": day(-366)}, Status.EXPIRED),
        ({"valid_until": day(-1)}, Status.EXPIRED),  # valid until wins when earlier
        ({"attested_on": day(1)}, Status.MISSING),  # a future attestation does not count
        ({"facility_id": 2}, Status.MISSING),  # another facility's attestation
    ],
)
def test_attestation_status(attestation_fields, expected):
    state = snapshot(attestations=[attestation("TEST-ADDRESSABLE", **attestation_fields)])

    assert evaluate_requirement(ADDRESSABLE, FRAMEWORK, state, AS_OF).status == expected


def test_organization_wide_attestation_satisfies_every_facility():
    org_wide = attestation("TEST-ADDRESSABLE", facility_id=None)

    statuses = {
        evaluate_requirement(
            ADDRESSABLE, FRAMEWORK, snapshot(facility(id=n), attestations=[org_wide]), AS_OF
        ).status
        for n in (1, 2, 3)
    }

    assert statuses == {Status.MET}


def test_not_reasonable_is_refused_for_a_required_specification():
    required = Requirement(
        code="TEST-REQUIRED",
        title="Required specification",
        citation="45 CFR 164.308(a)(1)(ii)(A)",
        obligation=Obligation.MANDATORY,
        grade=Grade.VERIFIED,
        satisfied_by=(Attested(),),
        hipaa_label=HipaaLabel.REQUIRED,
    )
    state = snapshot(
        attestations=[
            attestation(
                "TEST-REQUIRED", outcome="not_reasonable", justification="x", alternative="y"
            )
        ]
    )

    result = evaluate_requirement(required, FRAMEWORK, state, AS_OF)

    assert result.status == Status.MISSING
    assert "only an addressable specification" in result.reason


def test_memory_graded_requirement_never_shows_met_or_fails():
    unverified = Requirement(
        code="TEST-M",
        title="Unverified obligation",
        citation="memory",
        obligation=Obligation.MANDATORY,
        grade=Grade.MEMORY,
        satisfied_by=(HoldsLicense(frozenset({"US-FL-HOSPITAL"})),),
    )
    framework = Framework("TM", "M", "US", Level.NATIONAL, "1", (unverified,))

    with_licence = evaluate_facility(
        snapshot(licenses=[license("US-FL-HOSPITAL")]), [framework], AS_OF
    )
    without = evaluate_facility(snapshot(), [framework], AS_OF)

    assert with_licence.results[0].status == Status.NEEDS_VERIFICATION
    assert without.results[0].status == Status.NEEDS_VERIFICATION
    assert (with_licence.overall, without.overall) == (Overall.COMPLIANT, Overall.COMPLIANT)
    assert without.warnings == 1


@pytest.mark.parametrize(
    ("requirement_fields", "reason"),
    [
        ({"effective_from": day(1)}, f"Not in force until {day(1).isoformat()}."),
        ({"effective_until": day(-1)}, f"No longer in force after {day(-1).isoformat()}."),
        ({"applicability": Applicability(countries=frozenset({"BR"}))}, "another country"),
        ({"applicability": Applicability(states=frozenset({"US-TX"}))}, "other states"),
        ({"applicability": Applicability(services=frozenset({"ultrasound"}))}, "service"),
        ({"applicability": Applicability(min_beds=101)}, "Applies from 101 beds."),
    ],
)
def test_not_applicable_reasons(requirement_fields, reason):
    fields = {
        "code": "TEST-NA",
        "title": "t",
        "citation": "c",
        "obligation": Obligation.MANDATORY,
        "grade": Grade.VERIFIED,
        "satisfied_by": (Attested(),),
    }
    requirement = Requirement(**{**fields, **requirement_fields})

    result = evaluate_requirement(requirement, FRAMEWORK, snapshot(), AS_OF)

    assert result.status == Status.NOT_APPLICABLE
    assert reason in result.reason


def test_effective_from_applies_on_its_first_day():
    requirement = Requirement(
        code="TEST-START",
        title="t",
        citation="c",
        obligation=Obligation.MANDATORY,
        grade=Grade.VERIFIED,
        satisfied_by=(Attested(),),
        effective_from=AS_OF,
    )

    assert evaluate_requirement(requirement, FRAMEWORK, snapshot(), AS_OF).status == Status.MISSING
    assert (
        evaluate_requirement(requirement, FRAMEWORK, snapshot(), day(-1)).status
        == Status.NOT_APPLICABLE
    )


def test_overall_pending_when_a_mandatory_renewal_awaits_the_authority():
    state = snapshot(
        licenses=[license("US-FL-HOSPITAL", expiry_date=day(-5), renewal_filed_on=day(-10))],
        attestations=[attestation("TEST-ADDRESSABLE")],
    )

    result = evaluate_facility(state, [FRAMEWORK], AS_OF)

    assert result.overall == Overall.PENDING
    assert result.requirements_met == ["TEST-ADDRESSABLE"]
    assert result.requirements_pending == ["TEST-LICENCE"]


def test_recommended_requirement_missing_is_a_warning_not_a_failure():
    recommended = Requirement(
        code="TEST-REC",
        title="Recommended",
        citation="c",
        obligation=Obligation.RECOMMENDED,
        grade=Grade.VERIFIED,
        satisfied_by=(Attested(),),
    )
    framework = Framework("TR", "R", "US", Level.NATIONAL, "1", (recommended,))

    result = evaluate_facility(snapshot(), [framework], AS_OF)

    assert (result.overall, result.warnings, result.requirements_pending) == (
        Overall.COMPLIANT,
        1,
        ["TEST-REC"],
    )


def test_mandatory_if_services_makes_a_recommended_requirement_fail():
    deemed = Requirement(
        code="TEST-DEEMED",
        title="Accreditation",
        citation="c",
        obligation=Obligation.RECOMMENDED,
        grade=Grade.VERIFIED,
        satisfied_by=(Attested(),),
        mandatory_if_services=frozenset({"accreditation_deemed_status"}),
    )
    framework = Framework("TD", "D", "US", Level.ACCREDITATION, "1", (deemed,))

    plain = evaluate_facility(snapshot(), [framework], AS_OF)
    deeming = evaluate_facility(
        snapshot(facility(services={"accreditation_deemed_status"})), [framework], AS_OF
    )

    assert (plain.overall, deeming.overall) == (Overall.COMPLIANT, Overall.NON_COMPLIANT)
