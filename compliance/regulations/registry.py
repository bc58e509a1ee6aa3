"""The one registry of frameworks, and the rules version that every check records.

Each jurisdiction or programme module exposes `FRAMEWORKS`; this module lists the modules
explicitly (an extension point read top to bottom, not discovered by import magic).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import cache
from typing import Any

from compliance.regulations import accreditation as accreditation_catalog
from compliance.regulations import licenses as license_catalog
from compliance.regulations.accreditation_rules import bodies as accreditation_rules
from compliance.regulations.br import facility as br_facility
from compliance.regulations.br import lgpd
from compliance.regulations.framework import Framework, Requirement
from compliance.regulations.india import abdm, cea, dpdp
from compliance.regulations.india import licences as india_licences
from compliance.regulations.india import states as india_states
from compliance.regulations.us.federal import certification, hipaa
from compliance.regulations.us.states import ca, fl, ny, tx

FRAMEWORKS: tuple[Framework, ...] = (
    *hipaa.FRAMEWORKS,
    *certification.FRAMEWORKS,
    *ca.FRAMEWORKS,
    *tx.FRAMEWORKS,
    *ny.FRAMEWORKS,
    *fl.FRAMEWORKS,
    *lgpd.FRAMEWORKS,
    *br_facility.FRAMEWORKS,
    *abdm.FRAMEWORKS,
    *dpdp.FRAMEWORKS,
    *cea.FRAMEWORKS,
    *india_states.FRAMEWORKS,
    *india_licences.FRAMEWORKS,
    *accreditation_rules.FRAMEWORKS,
)


def frameworks() -> tuple[Framework, ...]:
    return FRAMEWORKS


@cache
def _requirements_by_code() -> dict[str, tuple[Framework, Requirement]]:
    index: dict[str, tuple[Framework, Requirement]] = {}
    for framework in FRAMEWORKS:
        for requirement in framework.requirements:
            if requirement.code in index:
                raise ValueError(f"duplicate requirement code {requirement.code}")
            index[requirement.code] = (framework, requirement)
    return index


def get_requirement(code: str) -> tuple[Framework, Requirement] | None:
    return _requirements_by_code().get(code)


@cache
def frameworks_for(country: str) -> tuple[Framework, ...]:
    """Frameworks whose jurisdiction is the country, one of its states, or any ("*")."""
    return tuple(
        f for f in FRAMEWORKS if f.jurisdiction == "*" or f.jurisdiction.split("-")[0] == country
    )


def _canonical(value: Any) -> Any:
    """A JSON-ready form whose serialisation does not depend on hashing or insertion order."""
    if is_dataclass(value) and not isinstance(value, type):
        return {
            "__type__": type(value).__name__,
            **{f.name: _canonical(getattr(value, f.name)) for f in fields(value)},
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, tuple | list):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    return value


def catalog_document() -> dict[str, Any]:
    """Everything a check's outcome depends on in code: rules, licence types, bodies."""
    return {
        "frameworks": _canonical(FRAMEWORKS),
        "license_types": _canonical(license_catalog.LICENSE_TYPES),
        "accreditation_bodies": _canonical(accreditation_catalog.ACCREDITATION_BODIES),
    }


@cache
def catalog_text() -> str:
    """The catalog as canonical JSON: sorted keys, no spaces, UTF-8 kept. Checks store their
    results against it (`compliance.check_results`), so it is recorded once per version."""
    return json.dumps(catalog_document(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def version_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def rules_version() -> str:
    """SHA-256 of the catalog as canonical JSON: identical across processes and machines."""
    return version_of(catalog_text())
