"""The engine's shortcuts give the same answers as the plain evaluation: results shared between
facilities that read the same organization-wide attestations, and the one-pass tally."""

import pytest

from compliance.regulations import registry
from compliance.regulations.evaluation import (
    Overall,
    Status,
    evaluate,
    evaluate_requirement,
    evaluate_results,
    tally,
    tally_evaluation,
)
from compliance.regulations.framework import Attested, Obligation
from compliance.regulations.vocabularies import Grade
from tests.compliance.regulations.builders import (
    AS_OF,
    accreditation,
    attestation,
    day,
    facility,
    license,
    snapshot,
)

US = registry.frameworks_for("US")
ATTESTABLE = [
    r.code
    for f in US
    for r in f.requirements
    if any(isinstance(s, Attested) for s in r.satisfied_by)
]
# Every attestable US requirement attested for the whole organization, half of them long ago
# (expired or expiring), one tuple shared as the engine shares it between a chunk's snapshots.
ORGANIZATION_WIDE = tuple(
    attestation(code, attested_on=day(-30 if n % 2 else -700)) for n, code in enumerate(ATTESTABLE)
)


def _plain(state):
    """The reference: each requirement evaluated alone, no plan and no sharing."""
    return tuple(
        evaluate_requirement(requirement, framework, state, AS_OF)
        for framework in US
        for requirement in framework.requirements
    )


FACILITIES = [
    facility(id=1),
    facility(id=2, services={"laboratory", "controlled_substances"}, bed_count=400),
    facility(id=3, state="US-TX", facility_type="clinic"),
    facility(id=4, state="US-NY", services={"medicare_participation"}),
]


@pytest.mark.parametrize("facts", FACILITIES, ids=lambda f: f"facility-{f.id}")
def test_results_shared_between_facilities_equal_the_plain_evaluation(facts):
    licences = [
        license("US-CA-HOSPITAL", expiry_date=day(10)),
        license("US-CLIA", expiry_date=day(-3), renewal_filed_on=day(-5)),
        license("US-DEA", status="suspended"),
    ]
    state = snapshot(
        facts,
        licenses=licences,
        accreditations=[accreditation("TJC", expiry_date=day(-1))],
        attestations=ORGANIZATION_WIDE,
    )
    assert state.attestations is ORGANIZATION_WIDE  # shared, as the engine shares it

    # Twice: the second evaluation reads the steps shared by the first.
    assert evaluate_results(state, US, AS_OF) == _plain(state)
    assert evaluate_results(state, US, AS_OF) == _plain(state)


def test_a_facility_attestation_is_not_shared_with_the_other_facilities():
    code = ATTESTABLE[0]
    own = attestation(code, facility_id=2, attested_on=day(-700))
    first = snapshot(facility(id=1), attestations=ORGANIZATION_WIDE)
    second = snapshot(facility(id=2), attestations=(*ORGANIZATION_WIDE, own))

    def status(state):
        return next(r.status for r in evaluate_results(state, US, AS_OF) if r.code == code)

    assert (status(first), status(second)) == (
        _status_plain(first, code),
        _status_plain(second, code),
    )
    assert evaluate_results(second, US, AS_OF) == _plain(second)


def _status_plain(state, code):
    return next(r.status for r in _plain(state) if r.code == code)


@pytest.mark.parametrize(
    "licences",
    [
        [],
        [license("US-CA-HOSPITAL", expiry_date=day(200))],
        [license("US-CA-HOSPITAL", expiry_date=day(-2), renewal_filed_on=day(-9))],
        [license("US-CA-HOSPITAL", expiry_date=day(-2))],
    ],
    ids=["nothing", "licensed", "renewal-pending", "expired"],
)
def test_tally_follows_its_definition(licences):
    results = evaluate_results(
        snapshot(facility(id=9), licenses=licences, attestations=ORGANIZATION_WIDE), US, AS_OF
    )

    counted = tally(results)

    applicable = [r for r in results if r.status is not Status.NOT_APPLICABLE]
    met = {Status.MET, Status.EXPIRING}
    failing = [
        r.code
        for r in applicable
        if r.obligation is Obligation.MANDATORY
        and r.grade is not Grade.MEMORY
        and r.status in (Status.MISSING, Status.EXPIRED)
    ]
    assert counted.requirements_met == tuple(r.code for r in applicable if r.status in met)
    assert counted.requirements_pending == tuple(r.code for r in applicable if r.status not in met)
    assert counted.problems == tuple(failing)
    assert counted.warnings == sum(1 for r in results if r.is_warning)
    assert failing  # half of the organization's attestations are long expired
    assert counted.overall is Overall.NON_COMPLIANT


def test_facilities_sharing_a_template_are_counted_by_their_own_results():
    licences = {
        "licensed": [license("US-CA-HOSPITAL", expiry_date=day(200))],
        "expired": [license("US-CA-HOSPITAL", expiry_date=day(-2))],
        "pending": [license("US-CA-HOSPITAL", expiry_date=day(-2), renewal_filed_on=day(-9))],
    }
    # Interleaved, twice: each facility after another of the same template counted differently.
    for n, name in enumerate([*licences, *licences]):
        state = snapshot(facility(id=n), licenses=licences[name], attestations=ORGANIZATION_WIDE)
        evaluation = evaluate(state, US, AS_OF)

        assert evaluation.results == _plain(state)
        assert tally_evaluation(evaluation) == tally(_plain(state)), name
