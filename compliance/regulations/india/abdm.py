"""Ayushman Bharat Digital Mission (ABDM): Health Facility Registry (facts §3.1).

HFR registration is voluntary (NDHM HFR FAQ: "optional and completely voluntary") [V], so it is
recommended: a missing HFR ID is a warning, never a failure. In practice it is needed for ABDM
integration, DHIS incentives, PM-JAY/NHCX claims and HIP/HIU registration.
"""

from __future__ import annotations

from compliance.regulations._i18n import _
from compliance.regulations.framework import (
    Applicability,
    Framework,
    HasIdentifier,
    Level,
    Obligation,
    Requirement,
)
from compliance.regulations.vocabularies import Grade

HFR_REGISTRATION = Requirement(
    code="IN-HFR",
    title=_("Registered in the ABDM Health Facility Registry"),
    citation="ABDM Health Facility Registry (NDHM HFR FAQ)",
    obligation=Obligation.RECOMMENDED,
    grade=Grade.VERIFIED,
    satisfied_by=(HasIdentifier("hfr_id"),),
    applicability=Applicability(countries=frozenset({"IN"})),
    description=_(
        "The Health Facility Registry lists public and private facilities of all systems of "
        "medicine. Registration is voluntary (NDHM HFR FAQ), so a missing or malformed HFR ID "
        "is a warning; it is needed for ABDM integration, DHIS incentives and PM-JAY/NHCX "
        "claims. Only the ID's format (IN and 10 digits) can be checked offline; its existence "
        "is confirmed through the HFR API."
    ),
)

FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        code="IN-ABDM",
        title="Ayushman Bharat Digital Mission (ABDM)",
        jurisdiction="IN",
        level=Level.NATIONAL,
        version="1",
        requirements=(HFR_REGISTRATION,),
        citation="National Health Authority, ABDM Health Facility Registry",
        source_grades=(Grade.VERIFIED,),
    ),
)
