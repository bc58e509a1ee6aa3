"""India's rules: ABDM, DPDP, the Clinical Establishments Act, state acts and other licences."""

import datetime

import pytest

from compliance.regulations.evaluation import (
    Overall,
    Status,
    evaluate_facility,
    evaluate_requirement,
)
from compliance.regulations.india import abdm, cea, dpdp, licences, states
from compliance.regulations.vocabularies import FACILITY_TYPES, Grade
from tests.compliance.regulations.builders import (
    AS_OF,
    attestation,
    day,
    facility,
    license,
    snapshot,
)

FRAMEWORKS = (
    *abdm.FRAMEWORKS,
    *dpdp.FRAMEWORKS,
    *cea.FRAMEWORKS,
    *states.FRAMEWORKS,
    *licences.FRAMEWORKS,
)
REQUIREMENTS = {
    requirement.code: (framework, requirement)
    for framework in FRAMEWORKS
    for requirement in framework.requirements
}
DPDP_CODES = [r.code for r in dpdp.FRAMEWORKS[0].requirements]
DPDP_START = datetime.date(2027, 5, 13)
DPDP_EVE = datetime.date(2027, 5, 12)
VALID_HFR_ID = "IN2710004269"  # facts §6
# Facts §3.3: where the Clinical Establishments Act applies in full.
CEA_STATES = [
    "IN-AR",
    "IN-HP",
    "IN-MZ",
    "IN-SK",
    "IN-AN",
    "IN-CH",
    "IN-DH",
    "IN-JK",
    "IN-LA",
    "IN-LD",
    "IN-PY",
    "IN-UP",
    "IN-UK",
    "IN-RJ",
    "IN-BR",
    "IN-JH",
    "IN-AS",
]


def in_facility(**overrides):
    values = {"country": "IN", "state": "IN-UP", "identifiers": {"hfr_id": VALID_HFR_ID}}
    values.update(overrides)
    return facility(**values)


def evaluate(code, snap, as_of=AS_OF):
    framework, requirement = REQUIREMENTS[code]
    return evaluate_requirement(requirement, framework, snap, as_of)


def test_india_requirement_codes_are_stable():
    codes = {framework.code: [r.code for r in framework.requirements] for framework in FRAMEWORKS}

    assert codes == {
        "IN-ABDM": ["IN-HFR"],
        "IN-DPDP": [
            "IN-DPDP-S5",
            "IN-DPDP-S8-5",
            "IN-DPDP-S8-6",
            "IN-DPDP-S8-7",
            "IN-DPDP-S8-9",
            "IN-DPDP-S8-10",
            "IN-DPDP-S9",
        ],
        "IN-CEA": [
            "IN-CEA-REGISTRATION",
            "IN-CEA-REGISTRATION-HR-BEDS",
            "IN-CEA-REGISTRATION-HR-LAB",
        ],
        "IN-MH": ["IN-MH-NURSING-HOME", "IN-MH-NURSING-HOME-PUBLIC", "IN-MH-NURSING-HOME-CLINIC"],
        "IN-KA": ["IN-KA-KPME"],
        "IN-BMW": ["IN-BMW-AUTHORISATION", "IN-BMW-ANNUAL-REPORT"],
        "IN-PCPNDT": ["IN-PCPNDT"],
        "IN-FIRE": ["IN-FIRE-NOC"],
        "IN-AERB": ["IN-AERB-LICENCE"],
    }


@pytest.mark.parametrize("code", sorted(REQUIREMENTS))
def test_india_requirement_is_cited_described_and_scoped_to_india(code):
    framework, requirement = REQUIREMENTS[code]

    assert framework.jurisdiction.split("-")[0] == "IN"
    assert requirement.citation
    assert requirement.description
    assert requirement.applicability.countries == frozenset({"IN"})


@pytest.mark.parametrize(
    ("code", "grade"),
    [
        ("IN-DPDP-S5", Grade.VERIFIED),
        ("IN-DPDP-S8-5", Grade.VERIFIED),
        ("IN-DPDP-S8-6", Grade.VERIFIED),
        ("IN-DPDP-S8-7", Grade.VERIFIED),
        ("IN-DPDP-S8-9", Grade.VERIFIED),
        ("IN-DPDP-S8-10", Grade.VERIFIED),
        ("IN-DPDP-S9", Grade.MEMORY),
        ("IN-MH-NURSING-HOME", Grade.VERIFIED),
        ("IN-MH-NURSING-HOME-PUBLIC", Grade.MEMORY),
        ("IN-MH-NURSING-HOME-CLINIC", Grade.MEMORY),
        ("IN-BMW-ANNUAL-REPORT", Grade.VERIFIED),
        ("IN-PCPNDT", Grade.VERIFIED),
        ("IN-FIRE-NOC", Grade.MEMORY),
        ("IN-AERB-LICENCE", Grade.MEMORY),
    ],
)
def test_india_requirement_grade_follows_the_facts(code, grade):
    _, requirement = REQUIREMENTS[code]

    assert requirement.grade is grade


@pytest.mark.parametrize("code", sorted(REQUIREMENTS))
def test_india_requirement_does_not_apply_outside_india(code):
    us_hospital = snapshot(facility(country="US", state="US-CA", services={"ultrasound"}))

    result = evaluate(code, us_hospital, as_of=DPDP_START)

    assert result.status == Status.NOT_APPLICABLE


# --- ABDM -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifiers", "expected"),
    [
        ({"hfr_id": VALID_HFR_ID}, Status.MET),
        ({"hfr_id": "in2710004269"}, Status.MET),  # upper-cased
        ({"hfr_id": "IN27100042"}, Status.MISSING),  # too short
        ({"hfr_id": "IN-MH-100892"}, Status.MISSING),
        ({}, Status.MISSING),
    ],
)
def test_hfr_status_follows_the_identifier(identifiers, expected):
    snap = snapshot(in_facility(identifiers=identifiers))

    result = evaluate("IN-HFR", snap)

    assert result.status == expected


def test_hfr_missing_is_only_a_warning():
    snap = snapshot(in_facility(identifiers={}))

    outcome = evaluate_facility(snap, abdm.FRAMEWORKS, AS_OF)

    assert outcome.results[0].status == Status.MISSING
    assert outcome.overall == Overall.COMPLIANT
    assert outcome.warnings == 1


# --- DPDP -------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", DPDP_CODES)
@pytest.mark.parametrize(
    ("as_of", "applies"),
    [
        (datetime.date(2025, 11, 12), False),  # before the Rules were notified
        (datetime.date(2025, 11, 13), False),  # notified, duties not yet in force
        (DPDP_EVE, False),
        (DPDP_START, True),
        (datetime.date(2030, 1, 1), True),
    ],
)
def test_dpdp_duty_applies_from_13_may_2027(code, as_of, applies):
    snap = snapshot(in_facility())

    result = evaluate(code, snap, as_of=as_of)

    assert (result.status != Status.NOT_APPLICABLE) is applies


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(DPDP_EVE, Overall.COMPLIANT), (DPDP_START, Overall.NON_COMPLIANT)],
)
def test_dpdp_unattested_facility_fails_only_once_the_duties_start(as_of, expected):
    snap = snapshot(in_facility())

    outcome = evaluate_facility(snap, dpdp.FRAMEWORKS, as_of)

    assert outcome.overall == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("IN-DPDP-S5", Status.MET),
        ("IN-DPDP-S8-5", Status.MET),
        ("IN-DPDP-S8-6", Status.MET),
        ("IN-DPDP-S8-7", Status.MET),
        ("IN-DPDP-S8-9", Status.MET),
        ("IN-DPDP-S8-10", Status.MET),
        ("IN-DPDP-S9", Status.NEEDS_VERIFICATION),  # [M]: never plain met
    ],
)
def test_dpdp_duty_met_by_an_organization_attestation_made_before_the_start(code, expected):
    made_early = attestation(code, facility_id=None, attested_on=datetime.date(2027, 4, 1))
    snap = snapshot(in_facility(id=42), attestations=[made_early])

    result = evaluate(code, snap, as_of=DPDP_START)

    assert result.status == expected


@pytest.mark.parametrize(
    ("attested_on", "expected"),
    [
        (DPDP_START - datetime.timedelta(days=365), Status.EXPIRING),  # last valid day
        (DPDP_START - datetime.timedelta(days=366), Status.EXPIRED),
    ],
)
def test_dpdp_attestation_ages_out_after_365_days(attested_on, expected):
    snap = snapshot(
        in_facility(), attestations=[attestation("IN-DPDP-S8-6", attested_on=attested_on)]
    )

    result = evaluate("IN-DPDP-S8-6", snap, as_of=DPDP_START)

    assert result.status == expected


def test_dpdp_children_duty_never_fails_the_facility():
    attested = [attestation(code) for code in DPDP_CODES if code != "IN-DPDP-S9"]
    snap = snapshot(in_facility(), attestations=attested)

    outcome = evaluate_facility(snap, dpdp.FRAMEWORKS, datetime.date(2027, 6, 1))

    children = next(r for r in outcome.results if r.code == "IN-DPDP-S9")
    assert children.status == Status.NEEDS_VERIFICATION
    assert outcome.overall == Overall.COMPLIANT
    assert outcome.warnings == 1


# --- Clinical Establishments Act --------------------------------------------------------------


@pytest.mark.parametrize("state", CEA_STATES)
def test_cea_registration_applies_where_the_act_is_in_force(state):
    snap = snapshot(in_facility(state=state))

    result = evaluate("IN-CEA-REGISTRATION", snap)

    assert result.status == Status.MISSING


@pytest.mark.parametrize("state", ["IN-DL", "IN-MH", "IN-KA", "IN-TN", "IN-WB", "IN-HR"])
def test_cea_registration_does_not_apply_in_states_with_their_own_law(state):
    snap = snapshot(in_facility(state=state))

    result = evaluate("IN-CEA-REGISTRATION", snap)

    assert result.status == Status.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (datetime.date(2012, 2, 29), Status.NOT_APPLICABLE),
        (datetime.date(2012, 3, 1), Status.MISSING),
    ],
)
def test_cea_registration_starts_on_1_march_2012(as_of, expected):
    snap = snapshot(in_facility(state="IN-HP"))

    result = evaluate("IN-CEA-REGISTRATION", snap, as_of=as_of)

    assert result.status == expected


@pytest.mark.parametrize("facility_type", sorted(t.code for t in FACILITY_TYPES))
def test_cea_registration_applies_to_every_clinical_establishment(facility_type):
    snap = snapshot(in_facility(facility_type=facility_type))

    result = evaluate("IN-CEA-REGISTRATION", snap)

    expected = Status.NOT_APPLICABLE if facility_type == "pharmacy" else Status.MISSING
    assert result.status == expected


@pytest.mark.parametrize(
    ("code", "facility_fields", "as_of", "applies"),
    [
        ("IN-CEA-REGISTRATION-HR-BEDS", {"bed_count": 51}, AS_OF, True),
        ("IN-CEA-REGISTRATION-HR-BEDS", {"bed_count": 50}, AS_OF, False),
        ("IN-CEA-REGISTRATION-HR-BEDS", {"bed_count": 51}, datetime.date(2018, 4, 3), False),
        ("IN-CEA-REGISTRATION-HR-BEDS", {"bed_count": 51}, datetime.date(2018, 4, 4), True),
        (
            "IN-CEA-REGISTRATION-HR-BEDS",
            {"bed_count": 200, "facility_type": "pharmacy"},
            AS_OF,
            False,
        ),
        (
            "IN-CEA-REGISTRATION-HR-BEDS",
            {"bed_count": 200, "state": "IN-UP"},  # the full-scope requirement covers it
            AS_OF,
            False,
        ),
        (
            "IN-CEA-REGISTRATION-HR-LAB",
            {"facility_type": "diagnostic_laboratory", "bed_count": 0},
            datetime.date(2019, 3, 13),
            False,
        ),
        (
            "IN-CEA-REGISTRATION-HR-LAB",
            {"facility_type": "diagnostic_laboratory", "bed_count": 0},
            datetime.date(2019, 3, 14),
            True,
        ),
        ("IN-CEA-REGISTRATION-HR-LAB", {"facility_type": "clinic", "bed_count": 10}, AS_OF, False),
    ],
)
def test_cea_haryana_scope(code, facility_fields, as_of, applies):
    snap = snapshot(in_facility(**{"state": "IN-HR", **facility_fields}))

    result = evaluate(code, snap, as_of=as_of)

    assert (result.status != Status.NOT_APPLICABLE) is applies


@pytest.mark.parametrize(
    ("licence_type", "licence_fields", "expected"),
    [
        ("IN-CEA-REGISTRATION", {"expiry_date": day(0)}, Status.EXPIRING),  # expiry date: valid
        ("IN-CEA-REGISTRATION", {"expiry_date": day(-1)}, Status.EXPIRED),  # the day after
        # Permanent registration: renewal 6 months (184 days) before expiry.
        ("IN-CEA-REGISTRATION", {"expiry_date": day(184)}, Status.EXPIRING),
        ("IN-CEA-REGISTRATION", {"expiry_date": day(185)}, Status.MET),
        (
            "IN-CEA-REGISTRATION",
            {"expiry_date": day(-1), "renewal_filed_on": day(-1)},  # filed on the expiry date
            Status.PENDING,
        ),
        ("IN-CEA-REGISTRATION", {"status": "revoked"}, Status.MISSING),
        ("IN-CEA-PROVISIONAL", {"expiry_date": day(91)}, Status.MET),
        ("IN-CEA-PROVISIONAL", {"expiry_date": day(90)}, Status.EXPIRING),
        ("IN-MH-NURSING-HOME", {}, Status.MISSING),  # another state's registration
    ],
)
def test_cea_registration_status_follows_the_dates(licence_type, licence_fields, expected):
    snap = snapshot(in_facility(), licenses=[license(licence_type, **licence_fields)])

    result = evaluate("IN-CEA-REGISTRATION", snap)

    assert result.status == expected


def test_cea_renewal_awaiting_the_authority_makes_the_facility_pending():
    pending = license("IN-CEA-REGISTRATION", expiry_date=day(-5), renewal_filed_on=day(-100))
    snap = snapshot(in_facility(), licenses=[pending])

    outcome = evaluate_facility(snap, cea.FRAMEWORKS, AS_OF)

    assert outcome.overall == Overall.PENDING


# --- State acts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facility_fields", "licence_fields", "code", "expected"),
    [
        ({}, None, "IN-MH-NURSING-HOME", Status.MISSING),
        ({"facility_type": "nursing_home"}, {}, "IN-MH-NURSING-HOME", Status.MET),
        ({}, {"expiry_date": day(0)}, "IN-MH-NURSING-HOME", Status.EXPIRING),
        ({}, {"expiry_date": day(-1)}, "IN-MH-NURSING-HOME", Status.EXPIRED),
        ({}, {"expiry_date": day(90)}, "IN-MH-NURSING-HOME", Status.EXPIRING),
        ({}, {"expiry_date": day(91)}, "IN-MH-NURSING-HOME", Status.MET),
        ({"state": "IN-KA"}, None, "IN-MH-NURSING-HOME", Status.NOT_APPLICABLE),
        ({"facility_type": "clinic"}, None, "IN-MH-NURSING-HOME", Status.NOT_APPLICABLE),
        ({"ownership": "public"}, None, "IN-MH-NURSING-HOME", Status.NOT_APPLICABLE),
        ({"ownership": "public"}, None, "IN-MH-NURSING-HOME-PUBLIC", Status.NEEDS_VERIFICATION),
        ({"ownership": "public"}, {}, "IN-MH-NURSING-HOME-PUBLIC", Status.NEEDS_VERIFICATION),
        ({}, None, "IN-MH-NURSING-HOME-PUBLIC", Status.NOT_APPLICABLE),
        (
            {"facility_type": "clinic", "bed_count": 5},
            None,
            "IN-MH-NURSING-HOME-CLINIC",
            Status.NEEDS_VERIFICATION,
        ),
        (
            {"facility_type": "clinic", "bed_count": 0},
            None,
            "IN-MH-NURSING-HOME-CLINIC",
            Status.NOT_APPLICABLE,
        ),
    ],
)
def test_maharashtra_registration(facility_fields, licence_fields, code, expected):
    facility_facts = in_facility(**{"state": "IN-MH", **facility_fields})
    licences = [] if licence_fields is None else [license("IN-MH-NURSING-HOME", **licence_fields)]

    result = evaluate(code, snapshot(facility_facts, licenses=licences))

    assert result.status == expected


@pytest.mark.parametrize(
    ("facility_fields", "licence_fields", "expected"),
    [
        ({}, None, Status.MISSING),
        ({}, {}, Status.MET),
        ({}, {"expiry_date": day(0)}, Status.EXPIRING),
        ({}, {"expiry_date": day(-1)}, Status.EXPIRED),
        ({}, {"expiry_date": day(90)}, Status.EXPIRING),  # 90-day lead
        ({}, {"expiry_date": day(91)}, Status.MET),
        ({}, {"expiry_date": day(-1), "renewal_filed_on": day(-1)}, Status.PENDING),
        ({"facility_type": "diagnostic_laboratory"}, None, Status.MISSING),
        ({"ownership": "public"}, None, Status.NOT_APPLICABLE),  # a private-establishments act
        ({"facility_type": "pharmacy"}, None, Status.NOT_APPLICABLE),
        ({"state": "IN-MH"}, None, Status.NOT_APPLICABLE),
    ],
)
def test_karnataka_kpme_registration(facility_fields, licence_fields, expected):
    facility_facts = in_facility(**{"state": "IN-KA", **facility_fields})
    licences = [] if licence_fields is None else [license("IN-KA-KPME", **licence_fields)]

    result = evaluate("IN-KA-KPME", snapshot(facility_facts, licenses=licences))

    assert result.status == expected


# --- Other licences ---------------------------------------------------------------------------


@pytest.mark.parametrize("facility_type", sorted(t.code for t in FACILITY_TYPES))
def test_bmw_authorisation_applies_to_every_occupier(facility_type):
    snap = snapshot(in_facility(facility_type=facility_type))

    result = evaluate("IN-BMW-AUTHORISATION", snap)

    assert result.status == Status.MISSING


@pytest.mark.parametrize(
    ("licence_fields", "expected"),
    [
        ({"expiry_date": None}, Status.MET),  # one-time authorisation
        ({"expiry_date": day(0)}, Status.EXPIRING),
        ({"expiry_date": day(-1)}, Status.EXPIRED),
        ({"expiry_date": day(-1), "renewal_filed_on": day(-1)}, Status.PENDING),
    ],
)
def test_bmw_authorisation_status_follows_the_dates(licence_fields, expected):
    snap = snapshot(in_facility(), licenses=[license("IN-BMW-AUTHORISATION", **licence_fields)])

    result = evaluate("IN-BMW-AUTHORISATION", snap)

    assert result.status == expected


@pytest.mark.parametrize(
    ("attested_on", "as_of", "expected"),
    [
        (None, AS_OF, Status.MISSING),
        (day(-100), AS_OF, Status.MET),
        (day(-365), AS_OF, Status.EXPIRING),
        (day(-366), AS_OF, Status.EXPIRED),
        # Filed on the deadline: the next 30 June is the last valid day, 1 July is overdue.
        (datetime.date(2026, 6, 30), datetime.date(2027, 6, 30), Status.EXPIRING),
        (datetime.date(2026, 6, 30), datetime.date(2027, 7, 1), Status.EXPIRED),
    ],
)
def test_bmw_annual_report_status_follows_the_attestation(attested_on, as_of, expected):
    attestations = (
        []
        if attested_on is None
        else [attestation("IN-BMW-ANNUAL-REPORT", attested_on=attested_on)]
    )
    snap = snapshot(in_facility(), attestations=attestations)

    result = evaluate("IN-BMW-ANNUAL-REPORT", snap, as_of=as_of)

    assert result.status == expected


@pytest.mark.parametrize(
    ("services", "licence_fields", "expected"),
    [
        ({"ionising_radiation_imaging"}, None, Status.NOT_APPLICABLE),
        ({"ultrasound"}, None, Status.MISSING),
        ({"ultrasound"}, {}, Status.MET),
        ({"ultrasound"}, {"expiry_date": day(0)}, Status.EXPIRING),
        ({"ultrasound"}, {"expiry_date": day(-1)}, Status.EXPIRED),
        ({"ultrasound"}, {"expiry_date": day(90)}, Status.EXPIRING),
        ({"ultrasound"}, {"expiry_date": day(91)}, Status.MET),
        ({"ultrasound"}, {"expiry_date": day(-1), "renewal_filed_on": day(-1)}, Status.PENDING),
    ],
)
def test_pcpndt_registration_only_with_ultrasound(services, licence_fields, expected):
    licences = [] if licence_fields is None else [license("IN-PCPNDT", **licence_fields)]
    snap = snapshot(in_facility(services=services), licenses=licences)

    result = evaluate("IN-PCPNDT", snap)

    assert result.status == expected


def test_pcpndt_renewal_is_filed_30_days_before_expiry():
    snap = snapshot(
        in_facility(services={"ultrasound"}),
        licenses=[license("IN-PCPNDT", expiry_date=day(45))],
    )

    result = evaluate("IN-PCPNDT", snap)

    assert (result.status, result.file_by) == (Status.EXPIRING, day(15))


@pytest.mark.parametrize(
    ("code", "services", "licence_fields"),
    [
        ("IN-FIRE-NOC", set(), {}),  # valid
        ("IN-FIRE-NOC", set(), {"expiry_date": day(-1)}),
        ("IN-FIRE-NOC", set(), None),
        ("IN-AERB-LICENCE", {"ionising_radiation_imaging"}, {}),
        ("IN-AERB-LICENCE", {"ionising_radiation_imaging"}, {"expiry_date": day(-1)}),
        ("IN-AERB-LICENCE", {"ionising_radiation_imaging"}, None),
    ],
)
def test_unverified_licence_only_ever_needs_verification(code, services, licence_fields):
    licences = [] if licence_fields is None else [license(code, **licence_fields)]
    snap = snapshot(in_facility(services=services), licenses=licences)

    result = evaluate(code, snap)

    assert result.status == Status.NEEDS_VERIFICATION
    assert not result.is_failure


def test_aerb_licence_only_with_ionising_radiation_imaging():
    snap = snapshot(in_facility(services={"ultrasound"}))

    result = evaluate("IN-AERB-LICENCE", snap)

    assert result.status == Status.NOT_APPLICABLE


def test_missing_fire_noc_leaves_the_facility_compliant():
    snap = snapshot(
        in_facility(),
        licenses=[license("IN-BMW-AUTHORISATION")],
        attestations=[attestation("IN-BMW-ANNUAL-REPORT")],
    )

    outcome = evaluate_facility(snap, licences.FRAMEWORKS, AS_OF)

    assert outcome.overall == Overall.COMPLIANT
    assert outcome.requirements_pending == ["IN-FIRE-NOC"]


def test_uttar_pradesh_hospital_fully_documented_is_compliant():
    snap = snapshot(
        in_facility(services={"ultrasound", "ionising_radiation_imaging"}),
        licenses=[
            license(code)
            for code in (
                "IN-CEA-REGISTRATION",
                "IN-BMW-AUTHORISATION",
                "IN-PCPNDT",
                "IN-FIRE-NOC",
                "IN-AERB-LICENCE",
            )
        ],
        attestations=[
            attestation(code, attested_on=DPDP_START)
            for code in [*DPDP_CODES, "IN-BMW-ANNUAL-REPORT"]
        ],
    )

    outcome = evaluate_facility(snap, FRAMEWORKS, DPDP_START)

    assert outcome.overall == Overall.COMPLIANT
    assert outcome.requirements_pending == ["IN-DPDP-S9", "IN-FIRE-NOC", "IN-AERB-LICENCE"]
