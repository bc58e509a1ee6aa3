"""State hospital licensing in California, Texas, New York and Florida (facts §4.2, §9)."""

import datetime

import pytest

from compliance.regulations.evaluation import (
    Overall,
    Status,
    evaluate_facility,
    evaluate_requirement,
)
from compliance.regulations.framework import Level, Obligation
from compliance.regulations.us.states import ca, fl, ny, tx
from compliance.regulations.vocabularies import Grade
from tests.compliance.regulations.builders import AS_OF, day, facility, license, snapshot

# (module, state, licence type, requirement code)
STATES = [
    pytest.param(ca, "US-CA", "US-CA-HOSPITAL", "US-CA-HOSPITAL-LICENSE", id="CA"),
    pytest.param(tx, "US-TX", "US-TX-HOSPITAL", "US-TX-HOSPITAL-LICENSE", id="TX"),
    pytest.param(
        ny, "US-NY", "US-NY-OPERATING-CERTIFICATE", "US-NY-OPERATING-CERTIFICATE", id="NY"
    ),
    pytest.param(fl, "US-FL", "US-FL-HOSPITAL", "US-FL-HOSPITAL-LICENSE", id="FL"),
]


def _framework(module):
    (framework,) = module.FRAMEWORKS
    return framework


def _evaluate(module, snap, as_of=AS_OF):
    framework = _framework(module)
    (requirement,) = framework.requirements
    return evaluate_requirement(requirement, framework, snap, as_of)


def _hospital(state, **overrides):
    return facility(state=state, **overrides)


# --- Catalog -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("module", "state", "license_type", "code"), STATES)
def test_state_framework_has_one_mandatory_verified_licence_requirement(
    module, state, license_type, code
):
    framework = _framework(module)
    (requirement,) = framework.requirements

    assert (framework.code, framework.jurisdiction, framework.level) == (
        state,
        state,
        Level.STATE,
    )
    assert requirement.code == code
    assert requirement.obligation is Obligation.MANDATORY
    assert requirement.grade is Grade.VERIFIED
    assert requirement.applicability.states == frozenset({state})
    assert requirement.citation
    assert requirement.description


# --- Presence ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("module", "state", "license_type", "code"), STATES)
def test_state_hospital_with_a_valid_licence_is_met(module, state, license_type, code):
    snap = snapshot(_hospital(state), licenses=[license(license_type)])

    outcome = evaluate_facility(snap, module.FRAMEWORKS, AS_OF)

    assert outcome.results[0].status is Status.MET
    assert outcome.overall is Overall.COMPLIANT
    assert outcome.requirements_met == [code]


@pytest.mark.parametrize(("module", "state", "license_type", "code"), STATES)
def test_state_hospital_without_a_licence_is_missing_and_non_compliant(
    module, state, license_type, code
):
    snap = snapshot(_hospital(state))

    outcome = evaluate_facility(snap, module.FRAMEWORKS, AS_OF)

    assert outcome.results[0].status is Status.MISSING
    assert outcome.overall is Overall.NON_COMPLIANT
    assert outcome.requirements_pending == [code]


@pytest.mark.parametrize(("module", "state", "license_type", "code"), STATES)
def test_state_licence_of_another_type_does_not_count(module, state, license_type, code):
    other_type = "US-TX-HOSPITAL" if license_type != "US-TX-HOSPITAL" else "US-CA-HOSPITAL"
    snap = snapshot(_hospital(state), licenses=[license(other_type)])

    result = _evaluate(module, snap)

    assert result.status is Status.MISSING


OTHER_STATES = [
    pytest.param(module, other_state, id=f"{module.__name__[-2:].upper()}-in-{other_state}")
    for module, state in ((ca, "US-CA"), (tx, "US-TX"), (ny, "US-NY"), (fl, "US-FL"))
    for other_state in ("US-WA", "US-CA", "US-TX", "US-NY", "US-FL")
    if other_state != state
]


@pytest.mark.parametrize(("module", "other_state"), OTHER_STATES)
def test_state_licence_is_not_applicable_in_another_state(module, other_state):
    snap = snapshot(_hospital(other_state))

    result = _evaluate(module, snap)

    assert result.status is Status.NOT_APPLICABLE
    assert result.reason == "Applies in other states."


@pytest.mark.parametrize(("module", "state", "license_type", "code"), STATES)
def test_state_licence_is_not_applicable_outside_the_us(module, state, license_type, code):
    snap = snapshot(facility(country="BR", state="BR-SP"))

    result = _evaluate(module, snap)

    assert result.status is Status.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("module", "state", "facility_type", "expected"),
    [
        (ca, "US-CA", "clinic", Status.NOT_APPLICABLE),
        (ca, "US-CA", "nursing_home", Status.NOT_APPLICABLE),
        (tx, "US-TX", "diagnostic_laboratory", Status.NOT_APPLICABLE),
        (fl, "US-FL", "pharmacy", Status.NOT_APPLICABLE),
        (fl, "US-FL", "ambulatory_surgery_centre", Status.NOT_APPLICABLE),
        # Article 28's "hospital" includes a nursing home (PHL §2801(1)).
        (ny, "US-NY", "nursing_home", Status.MISSING),
        (ny, "US-NY", "clinic", Status.NOT_APPLICABLE),
        (ny, "US-NY", "pharmacy", Status.NOT_APPLICABLE),
    ],
)
def test_state_licence_applies_only_to_the_covered_facility_types(
    module, state, facility_type, expected
):
    snap = snapshot(facility(state=state, facility_type=facility_type))

    result = _evaluate(module, snap)

    assert result.status is expected


# --- Dates ---------------------------------------------------------------------------------------

EXPIRY = datetime.date(2026, 6, 30)
ONE_DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(("module", "state", "license_type", "code"), STATES)
@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(EXPIRY, Status.EXPIRING), (EXPIRY + ONE_DAY, Status.EXPIRED)],
)
def test_state_licence_is_valid_on_its_expiry_date_and_expired_the_day_after(
    module, state, license_type, code, as_of, expected
):
    snap = snapshot(
        _hospital(state),
        licenses=[license(license_type, issued_date=datetime.date(2024, 7, 1), expiry_date=EXPIRY)],
    )

    result = _evaluate(module, snap, as_of)

    assert result.status is expected
    assert result.expires_on == EXPIRY


@pytest.mark.parametrize(("module", "state", "license_type", "code"), STATES)
@pytest.mark.parametrize(
    ("filed_on", "expected", "overall"),
    [
        (EXPIRY - datetime.timedelta(days=20), Status.PENDING, Overall.PENDING),
        (EXPIRY, Status.PENDING, Overall.PENDING),
        (EXPIRY + ONE_DAY, Status.EXPIRED, Overall.NON_COMPLIANT),
    ],
)
def test_state_licence_renewal_filed_by_the_expiry_date_is_pending(
    module, state, license_type, code, filed_on, expected, overall
):
    snap = snapshot(
        _hospital(state),
        licenses=[
            license(
                license_type,
                issued_date=datetime.date(2024, 7, 1),
                expiry_date=EXPIRY,
                renewal_filed_on=filed_on,
            )
        ],
    )

    outcome = evaluate_facility(snap, module.FRAMEWORKS, EXPIRY + ONE_DAY)

    assert outcome.results[0].status is expected
    assert outcome.overall is overall


@pytest.mark.parametrize(("module", "state", "license_type", "code"), STATES)
@pytest.mark.parametrize("status", ["suspended", "revoked"])
def test_state_licence_suspended_or_revoked_is_missing(module, state, license_type, code, status):
    snap = snapshot(_hospital(state), licenses=[license(license_type, status=status)])

    outcome = evaluate_facility(snap, module.FRAMEWORKS, AS_OF)

    assert outcome.results[0].status is Status.MISSING
    assert status in outcome.results[0].reason
    assert outcome.overall is Overall.NON_COMPLIANT


@pytest.mark.parametrize(("module", "state", "license_type", "code"), STATES)
def test_state_licence_not_yet_in_effect_is_missing(module, state, license_type, code):
    snap = snapshot(
        _hospital(state), licenses=[license(license_type, issued_date=day(1), expiry_date=None)]
    )

    result = _evaluate(module, snap)

    assert result.status is Status.MISSING
    assert "takes effect" in result.reason


@pytest.mark.parametrize(("module", "state", "license_type", "code"), STATES)
def test_state_licence_current_one_wins_over_an_expired_one(module, state, license_type, code):
    snap = snapshot(
        _hospital(state),
        licenses=[
            license(license_type, issued_date=day(-800), expiry_date=day(-100)),
            license(license_type, issued_date=day(-99), expiry_date=day(400)),
        ],
    )

    result = _evaluate(module, snap)

    assert result.status is Status.MET


# --- State specifics -----------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", [AS_OF, day(365 * 30), datetime.date(2099, 12, 31)])
def test_new_york_operating_certificate_without_expiry_is_met_forever(as_of):
    snap = snapshot(
        _hospital("US-NY"),
        licenses=[license("US-NY-OPERATING-CERTIFICATE", issued_date=day(-5000), expiry_date=None)],
    )

    result = _evaluate(ny, snap, as_of)

    assert result.status is Status.MET
    assert result.expires_on is None
    assert result.file_by is None


@pytest.mark.parametrize(
    ("days_before_expiry", "expected"),
    [(121, Status.MET), (120, Status.EXPIRING), (60, Status.EXPIRING), (0, Status.EXPIRING)],
)
def test_florida_licence_is_expiring_from_120_days_before_expiry(days_before_expiry, expected):
    as_of = EXPIRY - datetime.timedelta(days=days_before_expiry)
    snap = snapshot(
        _hospital("US-FL"),
        licenses=[
            license("US-FL-HOSPITAL", issued_date=datetime.date(2024, 7, 1), expiry_date=EXPIRY)
        ],
    )

    result = _evaluate(fl, snap, as_of)

    assert result.status is expected
    assert result.file_by == EXPIRY - datetime.timedelta(days=60)


@pytest.mark.parametrize(
    ("module", "state", "license_type", "lead_days"),
    [
        (ca, "US-CA", "US-CA-HOSPITAL", 30),  # Cal. H&SC §1267(a)
        (tx, "US-TX", "US-TX-HOSPITAL", 30),  # documented default [M]
    ],
)
def test_expiring_licence_shows_its_file_by_date(module, state, license_type, lead_days):
    expiry = day(45)
    snap = snapshot(
        _hospital(state),
        licenses=[license(license_type, issued_date=day(-320), expiry_date=expiry)],
    )

    result = _evaluate(module, snap)

    file_by = expiry - datetime.timedelta(days=lead_days)
    assert result.status is Status.EXPIRING
    assert result.file_by == file_by
    assert f"file the renewal by {file_by.isoformat()}" in result.reason


def test_california_licence_of_a_three_year_renewal_uses_the_printed_expiry():
    # A general acute care hospital's renewal may run up to 3 years (§1267(b)).
    snap = snapshot(
        _hospital("US-CA"),
        licenses=[license("US-CA-HOSPITAL", issued_date=day(-400), expiry_date=day(700))],
    )

    result = _evaluate(ca, snap)

    assert result.status is Status.MET
    assert result.expires_on == day(700)
