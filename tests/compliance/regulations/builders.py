"""Small builders for rule tests: snapshots without a database."""

import datetime

from compliance.regulations.facts import (
    AccreditationFacts,
    AttestationFacts,
    FacilityFacts,
    FacilitySnapshot,
    LicenseFacts,
)

AS_OF = datetime.date(2026, 11, 28)


def day(offset: int) -> datetime.date:
    """AS_OF shifted by `offset` days."""
    return AS_OF + datetime.timedelta(days=offset)


def facility(**overrides) -> FacilityFacts:
    values = {
        "id": 1,
        "name": "Test Hospital",
        "facility_type": "hospital",
        "ownership": "private",
        "bed_count": 100,
        "services": frozenset(),
        "country": "US",
        "state": "US-CA",
        "identifiers": {},
        "cnes_updated_on": None,
    }
    values.update(overrides)
    if not isinstance(values["services"], frozenset):
        values["services"] = frozenset(values["services"])
    return FacilityFacts(**values)


_ids = iter(range(1000, 10**9))


def license(license_type: str, **overrides) -> LicenseFacts:
    values = {
        "id": next(_ids),
        "license_type": license_type,
        "license_number": "L-1",
        "issued_date": day(-300),
        "expiry_date": day(400),
        "status": "active",
        "renewal_filed_on": None,
    }
    values.update(overrides)
    return LicenseFacts(**values)


def accreditation(body: str, **overrides) -> AccreditationFacts:
    values = {
        "id": next(_ids),
        "body": body,
        "level": "accredited",
        "certificate_number": "C-1",
        "certified_date": day(-300),
        "expiry_date": day(700),
        "status": "active",
    }
    values.update(overrides)
    return AccreditationFacts(**values)


def attestation(requirement_code: str, **overrides) -> AttestationFacts:
    values = {
        "id": next(_ids),
        "requirement_code": requirement_code,
        "facility_id": None,
        "outcome": "implemented",
        "attested_on": day(-30),
        "valid_until": None,
        "justification": "",
        "alternative": "",
    }
    values.update(overrides)
    return AttestationFacts(**values)


def snapshot(facility_facts=None, *, licenses=(), accreditations=(), attestations=()):
    return FacilitySnapshot(
        facility=facility_facts or facility(),
        licenses=tuple(licenses),
        accreditations=tuple(accreditations),
        attestations=tuple(attestations),
    )
