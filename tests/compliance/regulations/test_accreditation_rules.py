"""Accreditation kept current (compliance.regulations.accreditation_rules.bodies)."""

import pytest

from compliance.regulations.accreditation import ACCREDITATION_BODIES, get_accreditation_body
from compliance.regulations.accreditation_rules import bodies
from compliance.regulations.evaluation import (
    Overall,
    Status,
    evaluate_facility,
    evaluate_requirement,
)
from compliance.regulations.framework import Level, Obligation
from compliance.regulations.vocabularies import Grade
from tests.compliance.regulations.builders import (
    AS_OF,
    accreditation,
    day,
    facility,
    snapshot,
)

BY_BODY = {
    framework.code.removeprefix("ACC-"): framework
    for framework in bodies.FRAMEWORKS
    if framework is not bodies.DEEMED_STATUS_FRAMEWORK
}
BODIES = list(BY_BODY)
DEEMING_BODIES = ["TJC", "DNV", "ACHC"]
DEEMED = {"accreditation_deemed_status"}


def evaluate(body, snap, as_of=AS_OF):
    framework = BY_BODY[body]
    return evaluate_requirement(framework.requirements[0], framework, snap, as_of)


def test_accreditation_requirement_codes_are_stable():
    codes = {
        framework.code: [r.code for r in framework.requirements] for framework in bodies.FRAMEWORKS
    }

    assert codes == {
        "ACC-JCI": ["JCI-ACCREDITATION"],
        "ACC-TJC": ["TJC-ACCREDITATION"],
        "ACC-DNV": ["DNV-ACCREDITATION"],
        "ACC-ACHC": ["ACHC-ACCREDITATION"],
        "ACC-NABH": ["NABH-ACCREDITATION"],
        "ACC-NABL": ["NABL-ACCREDITATION"],
        "ACC-ONA": ["ONA-ACCREDITATION"],
        "ACC-DEEMED-STATUS": ["DEEMED-STATUS-ACCREDITATION"],
    }


def test_accreditation_rules_cover_every_catalog_body():
    assert sorted(BODIES) == sorted(body.code for body in ACCREDITATION_BODIES)


@pytest.mark.parametrize("body", BODIES)
def test_accreditation_of_one_body_is_voluntary(body):
    framework = BY_BODY[body]
    requirement = framework.requirements[0]
    deeming = get_accreditation_body(body).cms_deeming_authority

    assert (framework.jurisdiction, framework.level) == ("*", Level.ACCREDITATION)
    assert requirement.obligation is Obligation.RECOMMENDED
    assert requirement.mandatory_if_services == frozenset()
    assert requirement.grade is Grade.VERIFIED
    assert requirement.citation
    # A deeming body's description points to the requirement that makes it mandatory.
    assert ("DEEMED-STATUS-ACCREDITATION" in requirement.description) is deeming


def test_deemed_status_is_satisfied_by_the_bodies_with_cms_deeming_authority():
    requirement = bodies.DEEMED_STATUS_ACCREDITATION

    assert sorted(bodies.DEEMING_BODIES) == sorted(DEEMING_BODIES)
    assert (requirement.obligation, requirement.grade) == (Obligation.MANDATORY, Grade.VERIFIED)
    assert requirement.satisfied_by[0].bodies == frozenset(DEEMING_BODIES)


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("with_other_body", [False, True])
def test_accreditation_does_not_apply_without_a_record_of_that_body(body, with_other_body):
    other = next(code for code in BODIES if code != body)
    records = [accreditation(other)] if with_other_body else []
    snap = snapshot(facility(services=DEEMED), accreditations=records)

    result = evaluate(body, snap)

    assert result.status == Status.NOT_APPLICABLE


def test_nabh_does_not_apply_to_an_indian_hospital_without_a_nabh_record():
    snap = snapshot(facility(country="IN", state="IN-KA"), accreditations=[accreditation("JCI")])

    outcome = evaluate_facility(snap, bodies.FRAMEWORKS, AS_OF)

    statuses = {result.code: result.status for result in outcome.results}
    assert statuses["NABH-ACCREDITATION"] == Status.NOT_APPLICABLE
    assert statuses["JCI-ACCREDITATION"] == Status.MET


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize(
    ("record_fields", "expected"),
    [
        ({"expiry_date": day(0)}, Status.EXPIRING),  # the expiry date itself is valid
        ({"expiry_date": day(-1)}, Status.EXPIRED),  # the day after
        ({"expiry_date": day(184)}, Status.EXPIRING),  # first day of the 184-day window
        ({"expiry_date": day(185)}, Status.MET),  # the day before it
        ({"status": "suspended"}, Status.MISSING),
        ({"status": "revoked"}, Status.MISSING),
        ({"status": "expired"}, Status.MET),  # a stored status never beats the dates
        ({"certified_date": day(1)}, Status.MISSING),  # not yet in effect
    ],
)
def test_accreditation_status_follows_the_certificate_dates(body, record_fields, expected):
    snap = snapshot(accreditations=[accreditation(body, **record_fields)])

    result = evaluate(body, snap)

    assert result.status == expected


@pytest.mark.parametrize("body", BODIES)
def test_accreditation_renewed_record_wins_over_the_lapsed_one(body):
    renewed = accreditation(body, certified_date=day(-10), expiry_date=day(1000))
    records = [accreditation(body, certified_date=day(-1100), expiry_date=day(-11)), renewed]

    result = evaluate(body, snapshot(accreditations=records))

    assert result.status == Status.MET
    assert result.evidence.id == renewed.id


@pytest.mark.parametrize("body", BODIES)
def test_accreditation_lapse_without_deemed_status_is_a_warning(body):
    snap = snapshot(accreditations=[accreditation(body, expiry_date=day(-1))])

    outcome = evaluate_facility(snap, bodies.FRAMEWORKS, AS_OF)

    lapsed = next(r for r in outcome.results if r.status is not Status.NOT_APPLICABLE)
    assert lapsed.status == Status.EXPIRED
    assert lapsed.obligation is Obligation.RECOMMENDED
    assert outcome.overall == Overall.COMPLIANT
    assert outcome.warnings == 1


# --- Medicare deemed status --------------------------------------------------------------------


def evaluate_deemed(snap):
    return evaluate_requirement(
        bodies.DEEMED_STATUS_ACCREDITATION, bodies.DEEMED_STATUS_FRAMEWORK, snap, AS_OF
    )


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([], Status.MISSING),  # claims deemed status with no accreditation at all
        ([("TJC", {})], Status.MET),
        ([("DNV", {})], Status.MET),
        ([("ACHC", {})], Status.MET),
        ([("JCI", {})], Status.MISSING),  # not a CMS deeming body
        ([("NABH", {})], Status.MISSING),
        ([("TJC", {"expiry_date": day(0)})], Status.EXPIRING),
        ([("TJC", {"expiry_date": day(-1)})], Status.EXPIRED),
        ([("DNV", {"status": "suspended"})], Status.MISSING),
        # Moved from TJC to DNV: the lapsed TJC record does not count against the facility.
        ([("TJC", {"expiry_date": day(-400)}), ("DNV", {})], Status.MET),
    ],
)
def test_deemed_status_accreditation_status(records, expected):
    accreditations = [accreditation(body, **fields) for body, fields in records]
    snap = snapshot(facility(services=DEEMED), accreditations=accreditations)

    result = evaluate_deemed(snap)

    assert result.status == expected


@pytest.mark.parametrize(
    "facility_fields",
    [
        {"services": set()},  # certified by a state survey, or not in Medicare
        {"services": DEEMED, "country": "IN", "state": "IN-KA"},  # Medicare is US-only
    ],
)
def test_deemed_status_accreditation_does_not_apply_without_medicare_deemed_status(
    facility_fields,
):
    result = evaluate_deemed(snapshot(facility(**facility_fields)))

    assert result.status == Status.NOT_APPLICABLE


@pytest.mark.parametrize("body", DEEMING_BODIES)
def test_deeming_body_lapse_with_deemed_status_is_non_compliant(body):
    snap = snapshot(
        facility(services=DEEMED), accreditations=[accreditation(body, expiry_date=day(-1))]
    )

    outcome = evaluate_facility(snap, bodies.FRAMEWORKS, AS_OF)

    statuses = {r.code: (r.status, r.is_failure) for r in outcome.applicable}
    assert statuses == {
        f"{body}-ACCREDITATION": (Status.EXPIRED, False),  # the body's own: a warning
        "DEEMED-STATUS-ACCREDITATION": (Status.EXPIRED, True),
    }
    assert outcome.overall == Overall.NON_COMPLIANT


def test_tjc_lapse_without_deemed_status_is_compliant_with_a_warning():
    snap = snapshot(accreditations=[accreditation("TJC", expiry_date=day(-1))])

    outcome = evaluate_facility(snap, bodies.FRAMEWORKS, AS_OF)

    assert [(r.code, r.status) for r in outcome.applicable] == [
        ("TJC-ACCREDITATION", Status.EXPIRED)
    ]
    assert outcome.overall == Overall.COMPLIANT
    assert outcome.warnings == 1


def test_switch_from_tjc_to_dnv_keeps_deemed_status_compliant():
    snap = snapshot(
        facility(services=DEEMED),
        accreditations=[
            accreditation("TJC", certified_date=day(-1500), expiry_date=day(-400)),
            accreditation("DNV", certified_date=day(-399)),
        ],
    )

    outcome = evaluate_facility(snap, bodies.FRAMEWORKS, AS_OF)

    assert outcome.overall == Overall.COMPLIANT
    assert outcome.requirements_met == ["DNV-ACCREDITATION", "DEEMED-STATUS-ACCREDITATION"]
    assert outcome.warnings == 1  # the lapsed TJC record


def test_tjc_current_with_deemed_status_is_compliant():
    snap = snapshot(facility(services=DEEMED), accreditations=[accreditation("TJC")])

    outcome = evaluate_facility(snap, bodies.FRAMEWORKS, AS_OF)

    assert outcome.overall == Overall.COMPLIANT
    assert outcome.requirements_met == ["TJC-ACCREDITATION", "DEEMED-STATUS-ACCREDITATION"]
