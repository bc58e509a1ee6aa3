"""New York operating certificates: Public Health Law Article 28 and 10 NYCRR 401.1(b)
(facts §4.2, §9).

A hospital is established with the written approval of the Public Health and Health Planning
Council (§2801-a) and operates under a Department of Health operating certificate, which may be
suspended or revoked (§2806). The certificate does not expire unless an expiry date is printed on
it (10 NYCRR 401.1(b)) [V, facts §9 row 3]: one without an expiry stays valid until suspended or
revoked, and there is no periodic renewal.

Article 28's "hospital" includes a nursing home (PHL §2801(1), read in the statute text on
copies of nysenate.gov; the licence type catalog still marks this [M]), so the requirement
applies to hospitals and nursing homes. Clinics are left out: §2801(1) also covers diagnostic
and treatment centres, but a "clinic" here may be a private practice, which Article 28 does not
license.
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

OPERATING_CERTIFICATE = Requirement(
    code="US-NY-OPERATING-CERTIFICATE",
    title=_("Article 28 operating certificate"),
    citation="N.Y. Public Health Law Art. 28, §2801(1), §2801-a; 10 NYCRR 401.1(b)",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsLicense(frozenset({"US-NY-OPERATING-CERTIFICATE"})),),
    applicability=Applicability(
        countries=frozenset({"US"}),
        states=frozenset({"US-NY"}),
        facility_types=frozenset({"hospital", "nursing_home"}),
    ),
    description=_(
        "N.Y. Public Health Law Article 28: a hospital, which §2801(1) defines to include a "
        "nursing home, is established with the approval of the Public Health and Health "
        "Planning Council (§2801-a) and operates under a Department of Health operating "
        "certificate. The certificate does not expire unless an expiry date is printed on it "
        "(10 NYCRR 401.1(b)): without one it stays valid until suspended or revoked (§2806)."
    ),
)

NEW_YORK = Framework(
    code="US-NY",
    title=_("New York Article 28 operating certificates"),
    jurisdiction="US-NY",
    level=Level.STATE,
    version="N.Y. Public Health Law Art. 28; 10 NYCRR 401.1",
    requirements=(OPERATING_CERTIFICATE,),
    citation="N.Y. Public Health Law Article 28",
    source_grades=(Grade.VERIFIED,),
)

FRAMEWORKS: tuple[Framework, ...] = (NEW_YORK,)
