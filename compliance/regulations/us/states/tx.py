"""Texas hospital licensing: Tex. Health & Safety Code ch. 241 and 25 TAC ch. 133 (facts §4.2, §9).

A hospital holds a licence from the Health and Human Services Commission (HHSC), renewable every
2 years (§241.023(b)); the general hospital rules are 25 TAC ch. 133 (26 TAC ch. 510 covers
private psychiatric hospitals only). HHSC sends a renewal notice at least 60 days before expiry
(25 TAC §133.23(a)) [V, facts §9 row 2]. No filing deadline is sourced, so the licence type
catalog's 30-day file-by lead (US-TX-HOSPITAL) and the evaluation's expiring window are
documented defaults [M]; the dates on the licence win.

Only hospitals are covered: the facts verify no other facility type's licence in Texas.
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
    code="US-TX-HOSPITAL-LICENSE",
    title=_("Texas hospital licence"),
    citation="Tex. Health & Safety Code ch. 241, §241.023(b); 25 TAC ch. 133",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsLicense(frozenset({"US-TX-HOSPITAL"})),),
    applicability=Applicability(
        countries=frozenset({"US"}),
        states=frozenset({"US-TX"}),
        facility_types=frozenset({"hospital"}),
    ),
    description=_(
        "Tex. Health & Safety Code ch. 241: a hospital holds a licence from HHSC, renewable "
        "every 2 years (§241.023(b)); the rules are 25 TAC ch. 133, and HHSC sends a renewal "
        "notice at least 60 days before expiry (25 TAC §133.23(a)). The expiry printed on the "
        "licence is used. No filing deadline is sourced: the 30-day file-by lead and when the "
        "licence starts showing as expiring are documented defaults [M]."
    ),
)

TEXAS = Framework(
    code="US-TX",
    title=_("Texas hospital licensing"),
    jurisdiction="US-TX",
    level=Level.STATE,
    version="Tex. Health & Safety Code ch. 241; 25 TAC ch. 133",
    requirements=(HOSPITAL_LICENSE,),
    citation="Tex. Health & Safety Code ch. 241",
    source_grades=(Grade.VERIFIED,),
)

FRAMEWORKS: tuple[Framework, ...] = (TEXAS,)
