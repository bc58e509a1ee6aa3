"""California hospital licensing: Cal. Health & Safety Code §1250 et seq., §1267 (facts §4.2, §9).

A hospital operates under a licence from the California Department of Public Health. The licence
expires 12 months after issue and renewal is filed at least 30 days before expiry (§1267(a)); a
general acute care hospital's renewal may run up to 3 years with an annual fee (§1267(b), (c)),
so the expiry is read from the licence, never assumed [V, facts §9 row 1]. The 30-day file-by lead
comes from the licence type catalog (US-CA-HOSPITAL); the catalog defines no renewal window, so
the evaluation's documented default [M] decides when the licence starts showing as expiring.

Only hospitals are covered: the facts verify no other facility type's licence in California.
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
    code="US-CA-HOSPITAL-LICENSE",
    title=_("California hospital licence"),
    citation="Cal. Health & Safety Code §1250, §1267",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsLicense(frozenset({"US-CA-HOSPITAL"})),),
    applicability=Applicability(
        countries=frozenset({"US"}),
        states=frozenset({"US-CA"}),
        facility_types=frozenset({"hospital"}),
    ),
    description=_(
        "Cal. Health & Safety Code §1250 et seq.: a hospital holds a licence from the "
        "California Department of Public Health. It expires 12 months after issue and the "
        "renewal is filed at least 30 days before expiry (§1267(a)); a general acute care "
        "hospital's renewal may run up to 3 years with an annual fee (§1267(b), (c)), so the "
        "expiry printed on the licence is used. When it starts showing as expiring is a "
        "documented default [M]: no renewal window is sourced."
    ),
)

CALIFORNIA = Framework(
    code="US-CA",
    title=_("California hospital licensing"),
    jurisdiction="US-CA",
    level=Level.STATE,
    version="Cal. Health & Safety Code §1250 et seq.; §1267",
    requirements=(HOSPITAL_LICENSE,),
    citation="Cal. Health & Safety Code, Division 2, Chapter 2",
    source_grades=(Grade.VERIFIED,),
)

FRAMEWORKS: tuple[Framework, ...] = (CALIFORNIA,)
