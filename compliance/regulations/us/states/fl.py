"""Florida hospital licensing: Fla. Stat. ch. 395 and ch. 408 Part II (facts §4.2, §9).

A hospital holds a licence from the Agency for Health Care Administration (AHCA) (§395.004); a
standard licence runs 2 years (§408.808(1)), and the renewal application must be received 60 to
120 days before expiry (§408.806(2)(a)) [V, facts §9 row 17]. The licence type catalog
(US-FL-HOSPITAL) carries that window: the licence shows as expiring from 120 days before expiry,
and the renewal is due 60 days before. A late application incurs a daily fine (not computed).

Only hospitals are covered: the facts verify no other facility type's licence in Florida.
"""

from __future__ import annotations

from compliance.regulations._i18n import _
from compliance.regulations.framework import (
    Applicability,
    Framework,
    HoldsLicense,
    Level,
    Obligation,
    Requirement,
)
from compliance.regulations.vocabularies import Grade

HOSPITAL_LICENSE = Requirement(
    code="US-FL-HOSPITAL-LICENSE",
    title=_("Florida hospital licence"),
    citation="Fla. Stat. §395.004, §408.806(2)(a), §408.808(1)",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsLicense(frozenset({"US-FL-HOSPITAL"})),),
    applicability=Applicability(
        countries=frozenset({"US"}),
        states=frozenset({"US-FL"}),
        facility_types=frozenset({"hospital"}),
    ),
    description=_(
        "Fla. Stat. §395.004: a hospital holds a licence from AHCA. A standard licence runs 2 "
        "years (§408.808(1)); the renewal application must be received 60 to 120 days before "
        "expiry (§408.806(2)(a)), so the licence shows as expiring from 120 days before expiry "
        "and the renewal is due 60 days before. The expiry printed on the licence is used."
    ),
)

FLORIDA = Framework(
    code="US-FL",
    title=_("Florida hospital licensing"),
    jurisdiction="US-FL",
    level=Level.STATE,
    version="Fla. Stat. ch. 395; ch. 408 Part II",
    requirements=(HOSPITAL_LICENSE,),
    citation="Fla. Stat. ch. 395; ch. 408 Part II",
    source_grades=(Grade.VERIFIED,),
)

FRAMEWORKS: tuple[Framework, ...] = (FLORIDA,)
