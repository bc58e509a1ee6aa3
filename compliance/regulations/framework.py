"""The shape of the rule catalog: frameworks, requirements and what satisfies them.

A `Framework` groups the requirements of one regulation or programme in one jurisdiction. A
`Requirement` says whom it applies to (`Applicability`), what satisfies it (any one of its
`satisfied_by`), whether it is mandatory, how sure the facts behind it are, and when it is in
force. Everything here is data: the HIPAA Required/Addressable label is a field, so a final rule
that removes the distinction changes data, not code (facts §1.1, "Pending change").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from compliance.regulations.vocabularies import Grade


class Level(StrEnum):
    NATIONAL = "national"  # federal in the US
    STATE = "state"
    DISTRICT = "district"
    ACCREDITATION = "accreditation"


class Obligation(StrEnum):
    MANDATORY = "mandatory"
    RECOMMENDED = "recommended"


class HipaaLabel(StrEnum):
    """45 CFR 164 Subpart C, Appendix A. Both labels are mandatory to address (164.306(d))."""

    REQUIRED = "required"
    ADDRESSABLE = "addressable"


@dataclass(frozen=True, slots=True)
class Applicability:
    """Whom a requirement applies to. Empty sets mean "any"; every condition must hold."""

    countries: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()  # ISO 3166-2 codes
    excluded_states: frozenset[str] = frozenset()
    facility_types: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()  # applies when the facility offers any of these
    ownership: frozenset[str] = frozenset()
    min_beds: int | None = None
    # Applies only to a facility that holds (or held) an accreditation record of this body.
    accreditation_body: str | None = None
    # Set for specifications that never apply to a provider (a clearinghouse's or a group health
    # plan's): kept in the catalog so the standard is complete, always "not applicable".
    never_for_providers: str = ""


@dataclass(frozen=True, slots=True)
class HoldsLicense:
    """A valid licence of one of these catalog types (compliance.regulations.licenses)."""

    license_types: frozenset[str]


@dataclass(frozen=True, slots=True)
class HoldsAccreditation:
    """A valid accreditation by one of these bodies (compliance.regulations.accreditation)."""

    bodies: frozenset[str]


@dataclass(frozen=True, slots=True)
class Attested:
    """A current attestation of this requirement, for the facility or the whole organization.

    Its effective end is the earlier of its `valid until` and `attested on + max_age_days`.
    """

    max_age_days: int | None = 365


@dataclass(frozen=True, slots=True)
class HasIdentifier:
    """A stored identifier of this kind ("npi", "ccn", "cnes", "cnpj", "hfr_id") that validates."""

    kind: str


@dataclass(frozen=True, slots=True)
class CnesUpdatedWithin:
    """A CNES number whose record was updated within `days` (Portaria MS 118/2014: 6 months)."""

    days: int


Satisfier = HoldsLicense | HoldsAccreditation | Attested | HasIdentifier | CnesUpdatedWithin


@dataclass(frozen=True, slots=True)
class Requirement:
    """One obligation, with the facts it rests on.

    `grade` is how sure the obligation's existence is: VERIFIED or COMPUTED may fail a facility;
    MEMORY only ever shows "needs verification". `mandatory_if_services` turns a recommended
    requirement mandatory for facilities offering one of those services (an accreditation used
    for Medicare deemed status).
    """

    code: str
    title: str
    citation: str
    obligation: Obligation
    grade: Grade
    satisfied_by: tuple[Satisfier, ...]
    applicability: Applicability = Applicability()
    hipaa_label: HipaaLabel | None = None
    effective_from: datetime.date | None = None
    effective_until: datetime.date | None = None
    mandatory_if_services: frozenset[str] = frozenset()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Framework:
    code: str
    title: str
    jurisdiction: str  # "US", "US-CA", "BR", "IN-MH", or "*" for accreditation bodies
    level: Level
    version: str
    requirements: tuple[Requirement, ...]
    effective_from: datetime.date | None = None
    effective_until: datetime.date | None = None
    citation: str = ""
    source_grades: tuple[Grade, ...] = field(default=())
