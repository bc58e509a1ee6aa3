"""Brazil's rules: LGPD (compliance.regulations.br.lgpd) and facility obligations (br.facility)."""

import pytest

from compliance.regulations.br import facility as br_facility
from compliance.regulations.br import lgpd
from compliance.regulations.evaluation import (
    Overall,
    Status,
    evaluate_facility,
    evaluate_requirement,
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

FRAMEWORKS = (*lgpd.FRAMEWORKS, *br_facility.FRAMEWORKS)
REQUIREMENTS = {
    requirement.code: (framework, requirement)
    for framework in FRAMEWORKS
    for requirement in framework.requirements
}
LGPD_MANDATORY = ["LGPD-ART-37", "LGPD-ART-41", "LGPD-ART-46", "LGPD-ART-48"]
LGPD_ALL = [*LGPD_MANDATORY, "LGPD-ART-38"]
VALID_CNES = "2077485"  # facts §6, check digit matches
WARNING_CNES = "2077484"  # facts §6, check digit does not match the usual rule


def br_facility_facts(**overrides):
    values = {
        "country": "BR",
        "state": "BR-SP",
        "identifiers": {"cnes": VALID_CNES},
        "cnes_updated_on": day(-30),
    }
    values.update(overrides)
    return facility(**values)


def documented_snapshot(facility_facts=None, *, leave_out=(), licenses=None):
    """A Brazilian hospital with every record the Brazilian rules look at, minus `leave_out`."""
    licences = (
        licenses
        if licenses is not None
        else [license(code) for code in ("BR-ALVARA-SANITARIO", "BR-AVCB", "BR-CRM-PJ")]
    )
    return snapshot(
        facility_facts or br_facility_facts(),
        licenses=licences,
        attestations=[attestation(code) for code in LGPD_ALL if code not in leave_out],
    )


def evaluate(code, snap, as_of=AS_OF):
    framework, requirement = REQUIREMENTS[code]
    return evaluate_requirement(requirement, framework, snap, as_of)


def test_brazil_requirement_codes_are_stable():
    codes = {framework.code: [r.code for r in framework.requirements] for framework in FRAMEWORKS}

    assert codes == {
        "BR-LGPD": ["LGPD-ART-37", "LGPD-ART-38", "LGPD-ART-41", "LGPD-ART-46", "LGPD-ART-48"],
        "BR-CNES": ["BR-CNES", "BR-CNES-UPDATE"],
        "BR-VISA": ["BR-ALVARA-SANITARIO"],
        "BR-BOMBEIROS": ["BR-FIRE-CERTIFICATE"],
        "BR-CRM": ["BR-CRM-TECHNICAL-LEAD"],
    }


@pytest.mark.parametrize("code", sorted(REQUIREMENTS))
def test_brazil_requirement_is_cited_described_and_scoped_to_brazil(code):
    framework, requirement = REQUIREMENTS[code]

    assert framework.jurisdiction == "BR"
    assert requirement.citation
    assert requirement.description
    assert requirement.applicability.countries == frozenset({"BR"})


@pytest.mark.parametrize(
    ("code", "grade"),
    [
        ("LGPD-ART-37", Grade.VERIFIED),
        ("LGPD-ART-38", Grade.VERIFIED),
        ("LGPD-ART-41", Grade.VERIFIED),
        ("LGPD-ART-46", Grade.VERIFIED),
        ("LGPD-ART-48", Grade.VERIFIED),
        ("BR-CNES", Grade.VERIFIED),
        ("BR-CNES-UPDATE", Grade.VERIFIED),
        ("BR-ALVARA-SANITARIO", Grade.VERIFIED),
        ("BR-FIRE-CERTIFICATE", Grade.MEMORY),
        ("BR-CRM-TECHNICAL-LEAD", Grade.MEMORY),
    ],
)
def test_brazil_requirement_grade_follows_the_facts(code, grade):
    _, requirement = REQUIREMENTS[code]

    assert requirement.grade is grade


@pytest.mark.parametrize("code", sorted(REQUIREMENTS))
def test_brazil_requirement_does_not_apply_outside_brazil(code):
    us_hospital = documented_snapshot(facility(country="US", state="US-CA"))

    result = evaluate(code, us_hospital)

    assert result.status == Status.NOT_APPLICABLE


# --- LGPD -------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", LGPD_ALL)
@pytest.mark.parametrize(
    ("attestation_fields", "expected"),
    [
        (None, Status.MISSING),
        ({}, Status.MET),  # organization-wide, 30 days old
        ({"facility_id": 1}, Status.MET),  # this facility's own
        ({"facility_id": 2}, Status.MISSING),  # another facility's
        ({"attested_on": day(-334)}, Status.MET),  # the day before the 30-day window
        ({"attested_on": day(-335)}, Status.EXPIRING),  # the first day of the window
        ({"attested_on": day(-365)}, Status.EXPIRING),  # its last valid day
        ({"attested_on": day(-366)}, Status.EXPIRED),  # the day after
        ({"valid_until": day(-1)}, Status.EXPIRED),  # an earlier end set by the officer
        ({"attested_on": day(1)}, Status.MISSING),  # made after the as-of date
    ],
)
def test_lgpd_duty_status_follows_the_attestation(code, attestation_fields, expected):
    attestations = [] if attestation_fields is None else [attestation(code, **attestation_fields)]
    snap = snapshot(br_facility_facts(id=1), attestations=attestations)

    result = evaluate(code, snap)

    assert result.status == expected


@pytest.mark.parametrize("facility_id", [1, 2, 99])
def test_lgpd_organization_attestation_covers_any_facility(facility_id):
    organization_wide = attestation("LGPD-ART-41", facility_id=None)
    snap = snapshot(br_facility_facts(id=facility_id), attestations=[organization_wide])

    result = evaluate("LGPD-ART-41", snap)

    assert result.status == Status.MET
    assert result.evidence.id == organization_wide.id
    assert result.attestable


def test_lgpd_missing_impact_report_is_only_a_warning():
    snap = documented_snapshot(leave_out=["LGPD-ART-38"])

    outcome = evaluate_facility(snap, lgpd.FRAMEWORKS, AS_OF)

    ripd = next(r for r in outcome.results if r.code == "LGPD-ART-38")
    assert ripd.status == Status.MISSING
    assert not ripd.is_failure
    assert outcome.overall == Overall.COMPLIANT
    assert outcome.warnings == 1


@pytest.mark.parametrize("code", LGPD_MANDATORY)
def test_lgpd_missing_mandatory_duty_makes_the_facility_non_compliant(code):
    snap = documented_snapshot(leave_out=[code])

    outcome = evaluate_facility(snap, lgpd.FRAMEWORKS, AS_OF)

    assert outcome.overall == Overall.NON_COMPLIANT
    assert outcome.requirements_pending == [code]


# --- CNES -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifiers", "expected"),
    [
        ({"cnes": VALID_CNES}, Status.MET),
        ({"cnes": "207748-5"}, Status.MET),  # separators are stripped
        ({"cnes": WARNING_CNES}, Status.NEEDS_VERIFICATION),  # check digit only warns
        ({"cnes": "207748"}, Status.MISSING),  # 6 digits
        ({}, Status.MISSING),
    ],
)
def test_cnes_registration_status_follows_the_number(identifiers, expected):
    snap = snapshot(br_facility_facts(identifiers=identifiers))

    result = evaluate("BR-CNES", snap)

    assert result.status == expected


def test_cnes_check_digit_warning_does_not_fail_the_facility():
    snap = snapshot(br_facility_facts(identifiers={"cnes": WARNING_CNES}))

    outcome = evaluate_facility(snap, br_facility.FRAMEWORKS[:1], AS_OF)

    assert [r.status for r in outcome.results] == [Status.NEEDS_VERIFICATION, Status.MET]
    assert outcome.overall == Overall.COMPLIANT


@pytest.mark.parametrize(
    ("facility_fields", "expected"),
    [
        ({"cnes_updated_on": day(-153)}, Status.MET),  # due in 31 days
        ({"cnes_updated_on": day(-154)}, Status.EXPIRING),  # due in 30 days
        ({"cnes_updated_on": day(-184)}, Status.EXPIRING),  # due today: still in time
        ({"cnes_updated_on": day(-185)}, Status.EXPIRED),  # more than 6 months
        ({"cnes_updated_on": None}, Status.MISSING),
        ({"identifiers": {}}, Status.MISSING),
    ],
)
def test_cnes_update_status_follows_the_last_update(facility_fields, expected):
    snap = snapshot(br_facility_facts(**facility_fields))

    result = evaluate("BR-CNES-UPDATE", snap)

    assert result.status == expected


def test_cnes_update_overdue_makes_the_facility_non_compliant():
    snap = documented_snapshot(br_facility_facts(cnes_updated_on=day(-185)))

    outcome = evaluate_facility(snap, FRAMEWORKS, AS_OF)

    assert outcome.overall == Overall.NON_COMPLIANT
    assert outcome.requirements_pending == [
        "BR-CNES-UPDATE",
        "BR-FIRE-CERTIFICATE",
        "BR-CRM-TECHNICAL-LEAD",
    ]


# --- Sanitary licence -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("licence_type", "licence_fields", "expected"),
    [
        ("BR-ALVARA-SANITARIO", {"expiry_date": day(0)}, Status.EXPIRING),  # expiry date: valid
        ("BR-ALVARA-SANITARIO", {"expiry_date": day(-1)}, Status.EXPIRED),  # the day after
        # No window is defined for the licence: the 90-day default applies.
        ("BR-ALVARA-SANITARIO", {"expiry_date": day(90)}, Status.EXPIRING),
        ("BR-ALVARA-SANITARIO", {"expiry_date": day(91)}, Status.MET),
        (
            "BR-ALVARA-SANITARIO",
            {"expiry_date": day(-1), "renewal_filed_on": day(-1)},  # filed on the expiry date
            Status.PENDING,
        ),
        (
            "BR-ALVARA-SANITARIO",
            {"expiry_date": day(-1), "renewal_filed_on": day(0)},  # filed a day late
            Status.EXPIRED,
        ),
        ("BR-ALVARA-SANITARIO", {"status": "suspended"}, Status.MISSING),
        ("BR-ALVARA-FUNCIONAMENTO", {}, Status.MISSING),  # the operating licence is another one
        (None, {}, Status.MISSING),
    ],
)
def test_sanitary_licence_status_follows_the_dates(licence_type, licence_fields, expected):
    licences = [license(licence_type, **licence_fields)] if licence_type else []
    snap = snapshot(br_facility_facts(), licenses=licences)

    result = evaluate("BR-ALVARA-SANITARIO", snap)

    assert result.status == expected


def test_sanitary_licence_expiring_names_the_file_by_date():
    snap = snapshot(
        br_facility_facts(), licenses=[license("BR-ALVARA-SANITARIO", expiry_date=day(60))]
    )

    result = evaluate("BR-ALVARA-SANITARIO", snap)

    assert (result.status, result.expires_on, result.file_by) == (
        Status.EXPIRING,
        day(60),
        day(30),
    )


def test_sanitary_licence_renewal_awaiting_the_authority_makes_the_facility_pending():
    licences = [
        license("BR-ALVARA-SANITARIO", expiry_date=day(-10), renewal_filed_on=day(-40)),
        license("BR-AVCB"),
        license("BR-CRM-PJ"),
    ]
    snap = documented_snapshot(licenses=licences)

    outcome = evaluate_facility(snap, FRAMEWORKS, AS_OF)

    assert outcome.overall == Overall.PENDING


# --- [M]-graded obligations -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "licences"),
    [
        ("BR-FIRE-CERTIFICATE", [license("BR-AVCB")]),
        ("BR-FIRE-CERTIFICATE", [license("BR-AVCB", expiry_date=day(-1))]),
        ("BR-FIRE-CERTIFICATE", []),
        ("BR-CRM-TECHNICAL-LEAD", [license("BR-CRM-PJ")]),
        ("BR-CRM-TECHNICAL-LEAD", [license("BR-CRM-PJ", expiry_date=day(-1))]),
        ("BR-CRM-TECHNICAL-LEAD", []),
    ],
)
def test_unverified_obligation_only_ever_needs_verification(code, licences):
    snap = snapshot(br_facility_facts(), licenses=licences)

    result = evaluate(code, snap)

    assert result.status == Status.NEEDS_VERIFICATION
    assert not result.is_failure
    assert result.is_warning
    assert result.reason.endswith("This obligation is not verified against its source.")


def test_crm_technical_lead_attestation_still_needs_verification():
    snap = snapshot(br_facility_facts(), attestations=[attestation("BR-CRM-TECHNICAL-LEAD")])

    result = evaluate("BR-CRM-TECHNICAL-LEAD", snap)

    assert result.status == Status.NEEDS_VERIFICATION
    assert result.evidence.kind == "attestation"


@pytest.mark.parametrize(
    ("facility_type", "expected"),
    [
        ("hospital", Status.NEEDS_VERIFICATION),
        ("clinic", Status.NEEDS_VERIFICATION),
        ("diagnostic_laboratory", Status.NEEDS_VERIFICATION),
        ("pharmacy", Status.NOT_APPLICABLE),  # the pharmacy council, not the CRM
    ],
)
def test_crm_technical_lead_applicability_by_facility_type(facility_type, expected):
    snap = snapshot(br_facility_facts(facility_type=facility_type))

    result = evaluate("BR-CRM-TECHNICAL-LEAD", snap)

    assert result.status == expected


def test_missing_unverified_records_leave_the_facility_compliant():
    snap = documented_snapshot(licenses=[license("BR-ALVARA-SANITARIO")])

    outcome = evaluate_facility(snap, FRAMEWORKS, AS_OF)

    assert outcome.overall == Overall.COMPLIANT
    assert outcome.warnings == 2
    assert outcome.requirements_pending == ["BR-FIRE-CERTIFICATE", "BR-CRM-TECHNICAL-LEAD"]


def test_brazil_fully_documented_hospital_is_compliant():
    outcome = evaluate_facility(documented_snapshot(), FRAMEWORKS, AS_OF)

    assert outcome.overall == Overall.COMPLIANT
    assert outcome.requirements_met == [
        "LGPD-ART-37",
        "LGPD-ART-38",
        "LGPD-ART-41",
        "LGPD-ART-46",
        "LGPD-ART-48",
        "BR-CNES",
        "BR-CNES-UPDATE",
        "BR-ALVARA-SANITARIO",
    ]
    # The [M]-graded ones never show as met, even with a valid certificate.
    assert outcome.requirements_pending == ["BR-FIRE-CERTIFICATE", "BR-CRM-TECHNICAL-LEAD"]
