"""What the rules read: plain, immutable snapshots of one facility and its records.

The engine builds these from a fixed number of queries per chunk of facilities; the rules are
pure functions of a snapshot and an as-of date, so they run without a database.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

# Record statuses that make a licence or accreditation invalid whatever its dates say. The
# stored `expired` and `pending_renewal` statuses are never trusted over the dates.
INVALIDATING_STATUSES = frozenset({"suspended", "revoked"})


@dataclass(frozen=True, slots=True)
class FacilityFacts:
    id: int
    name: str
    facility_type: str
    ownership: str
    bed_count: int
    services: frozenset[str]
    country: str  # ISO 3166-1 alpha-2
    state: str  # ISO 3166-2
    identifiers: Mapping[str, str] = field(default_factory=dict)  # kind -> stored value
    cnes_updated_on: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class LicenseFacts:
    id: int
    license_type: str
    license_number: str
    issued_date: datetime.date
    expiry_date: datetime.date | None
    status: str  # the status on the as-of date (from history for a past date)
    renewal_filed_on: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class AccreditationFacts:
    id: int
    body: str
    level: str
    certificate_number: str
    certified_date: datetime.date
    expiry_date: datetime.date
    status: str


@dataclass(frozen=True, slots=True)
class AttestationFacts:
    id: int
    requirement_code: str
    facility_id: int | None  # None: attested for the whole organization
    outcome: str  # "implemented" or "not_reasonable"
    attested_on: datetime.date
    valid_until: datetime.date | None = None
    justification: str = ""  # why the specification is not reasonable and appropriate
    alternative: str = ""  # the equivalent alternative measure adopted


@dataclass(frozen=True, slots=True)
class FacilitySnapshot:
    facility: FacilityFacts
    licenses: tuple[LicenseFacts, ...] = ()
    accreditations: tuple[AccreditationFacts, ...] = ()
    attestations: tuple[AttestationFacts, ...] = ()  # the facility's and the organization's
