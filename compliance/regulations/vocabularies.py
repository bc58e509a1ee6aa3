"""Closed vocabularies shared by facilities and the rule catalog (DESIGN.md §4, §5).

Codes are stable and stored in the database; labels are English, marked for translation and
translated where they are displayed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from compliance.regulations._i18n import _


class Grade(StrEnum):
    """How sure a fact is, as graded in `reference/regulatory-facts.md` (legend and §9).

    Only VERIFIED and COMPUTED facts become hard rules; a MEMORY fact is encoded as a warning or
    a documented default, and the code that uses it says so.
    """

    VERIFIED = "V"
    COMPUTED = "C"
    MEMORY = "M"


@dataclass(frozen=True, slots=True)
class Term:
    code: str
    label: str


FACILITY_TYPES: tuple[Term, ...] = (
    Term("hospital", _("Hospital")),
    Term("clinic", _("Clinic")),
    Term("primary_health_centre", _("Primary health centre")),
    Term("community_health_centre", _("Community health centre")),
    Term("diagnostic_laboratory", _("Diagnostic laboratory")),
    Term("pharmacy", _("Pharmacy")),
    Term("nursing_home", _("Nursing home")),
    Term("ambulatory_surgery_centre", _("Ambulatory surgery centre")),
)

# Services are recorded because each one switches regulations on, whatever the facility type.
SERVICES: tuple[Term, ...] = (
    # US: a CLIA certificate (42 USC 263a).
    Term("laboratory", _("Laboratory testing")),
    # India: an AERB licence per X-ray or CT unit; Brazil: radiology rules (RDC 611/2022).
    Term("ionising_radiation_imaging", _("Imaging with ionising radiation (X-ray, CT)")),
    # India: PC&PNDT registration (PC&PNDT Act 1994, rules 7 and 8).
    Term("ultrasound", _("Ultrasound")),
    # US: DEA registration (21 CFR 1301.13).
    Term("controlled_substances", _("Dispensing or administering controlled substances")),
    # US: Medicare certification and a CMS Certification Number (SOM §2779A).
    Term("medicare_participation", _("Medicare participation")),
    # US: Medicare deemed status through a CMS-approved accreditor (TJC, DNV) instead of a
    # state survey (facts §4.3).
    Term("accreditation_deemed_status", _("Medicare deemed status through accreditation")),
)

OWNERSHIP: tuple[Term, ...] = (
    Term("public", _("Public")),
    Term("private", _("Private")),
)


def choices(terms: Iterable[Term]) -> list[tuple[str, str]]:
    """Return `(code, label)` pairs for a form or model field's `choices`."""
    return [(term.code, term.label) for term in terms]


def label_for(terms: Iterable[Term], code: str) -> str:
    """Return the label of `code`, or the code itself when it is not in `terms`.

    A code retired from a vocabulary may still be stored on old rows; showing the raw code
    beats failing to render them.
    """
    for term in terms:
        if term.code == code:
            return term.label
    return code
