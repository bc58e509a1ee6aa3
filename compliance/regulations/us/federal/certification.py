"""US federal identifiers and certificates a facility must hold (facts §4.1, §6, §9).

- NPI: 45 CFR 162.410(a)(1), a covered health care provider obtains a National Provider
  Identifier. The format is verified (162.406(a); CMS check-digit rule, facts §6). Every US
  facility is treated as a provider that bills, so the NPI applies to all of them. An NPI never
  expires.
- CLIA certificate: 42 U.S.C. 263a. Needed where specimens are tested. `Applicability` has no
  "either ... or", so two requirements carry it: one for any facility offering the laboratory
  service, one for every diagnostic laboratory whether or not the service is recorded. A
  diagnostic laboratory that records the service sees both lines, which read the same
  certificate; that is better than a laboratory with the service left unticked passing
  silently.
- DEA registration: 21 CFR 1301.13, for facilities dispensing or administering controlled
  substances; 36-month registration, reregistration no more than 60 days before expiry [V §9].
- Medicare certification and the CMS Certification Number: two requirements for Medicare
  participants, the certification itself and a valid CCN (SOM §2779A; CMS S&C 16-09-ALL).

Terms and lead times come from the licence type catalog (compliance.regulations.licenses); the
dates on the record always win.
"""

from __future__ import annotations

from compliance.regulations._i18n import _
from compliance.regulations.framework import (
    Applicability,
    Framework,
    HasIdentifier,
    HoldsLicense,
    Level,
    Obligation,
    Requirement,
)
from compliance.regulations.licenses import CARE_SETTINGS
from compliance.regulations.vocabularies import Grade

_US = frozenset({"US"})
# Providers with a CCN are care settings: laboratories are certified under CLIA and pharmacies
# enrol as suppliers (the same set of types that may hold US-CMS-CERTIFICATION).
_MEDICARE_PARTICIPANTS = Applicability(
    countries=_US,
    services=frozenset({"medicare_participation"}),
    facility_types=CARE_SETTINGS,
)

NPI = Requirement(
    code="US-NPI",
    title=_("National Provider Identifier (NPI)"),
    citation="45 CFR 162.406, 162.410(a)",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HasIdentifier("npi"),),
    applicability=Applicability(countries=_US),
    description=_(
        "45 CFR 162.410(a)(1): a covered health care provider obtains an NPI for itself and for "
        "any subpart that would be a covered provider on its own; every US facility is treated "
        "as a provider that bills. The number must validate: 10 digits, first digit 1 or 2, "
        "Luhn check digit computed with the 80840 prefix (162.406(a); CMS check-digit rule). An "
        "NPI does not expire. Changes to its data are reported within 30 days "
        "(162.410(a)(4)); that duty is not checked here."
    ),
)

CLIA = Requirement(
    code="US-CLIA",
    title=_("CLIA certificate"),
    citation="42 U.S.C. 263a; 42 CFR 493.37(e)(1)",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsLicense(frozenset({"US-CLIA"})),),
    applicability=Applicability(countries=_US, services=frozenset({"laboratory"})),
    description=_(
        "42 U.S.C. 263a: a facility that tests specimens holds a CLIA certificate (waiver, "
        "provider-performed microscopy, registration, compliance or accreditation). Every "
        "certificate type is valid for 2 years at most (263a(c)(2); 42 CFR 493.37(e)(1)); the "
        "dates on the certificate win. Applies to any US facility offering the laboratory "
        "service; US-CLIA-DIAGNOSTIC-LABORATORY covers diagnostic laboratories."
    ),
)

CLIA_DIAGNOSTIC_LABORATORY = Requirement(
    code="US-CLIA-DIAGNOSTIC-LABORATORY",
    title=_("CLIA certificate (diagnostic laboratory)"),
    citation="42 U.S.C. 263a; 42 CFR 493.37(e)(1)",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsLicense(frozenset({"US-CLIA"})),),
    applicability=Applicability(countries=_US, facility_types=frozenset({"diagnostic_laboratory"})),
    description=_(
        "42 U.S.C. 263a: a diagnostic laboratory tests specimens, so it holds a CLIA "
        "certificate whether or not the laboratory service is recorded on the facility. Every "
        "certificate type is valid for 2 years at most (263a(c)(2); 42 CFR 493.37(e)(1)); the "
        "dates on the certificate win. Same certificate as US-CLIA, which also applies when the "
        "laboratory service is recorded."
    ),
)

DEA = Requirement(
    code="US-DEA",
    title=_("DEA registration"),
    citation="21 CFR 1301.13",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsLicense(frozenset({"US-DEA"})),),
    applicability=Applicability(countries=_US, services=frozenset({"controlled_substances"})),
    description=_(
        "21 CFR 1301.13: a facility dispensing or administering controlled substances holds a "
        "DEA registration. It expires 36 months after an initial period of 28 to 39 months "
        "(1301.13(d)); reregistration may be filed no more than 60 days before expiry "
        "(1301.13(b)), which is when this requirement starts showing as expiring. The filing "
        "lead of 45 days comes from the licence catalog and is a documented default [M]."
    ),
)

CMS_CERTIFICATION = Requirement(
    code="US-CMS-CERT",
    title=_("Medicare certification"),
    citation="CMS State Operations Manual §2779A; CMS S&C 16-09-ALL",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsLicense(frozenset({"US-CMS-CERTIFICATION"})),),
    applicability=_MEDICARE_PARTICIPANTS,
    description=_(
        "A facility participating in Medicare is certified by CMS, on survey by the state "
        "survey agency or through deemed status from a CMS-approved accrediting organisation "
        "(CMS S&C 16-09-ALL; SOM §2779A). The certification carries no printed expiry in the "
        "sources [M]: record one if the certificate shows it. US-CCN checks the number."
    ),
)

CCN = Requirement(
    code="US-CCN",
    title=_("CMS Certification Number (CCN)"),
    citation="CMS State Operations Manual §2779A; CMS S&C 16-09-ALL",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HasIdentifier("ccn"),),
    applicability=_MEDICARE_PARTICIPANTS,
    description=_(
        "SOM §2779A; CMS S&C 16-09-ALL: each certified provider is identified by its CCN, 6 "
        "characters for a provider, the first two being the state code. There is no check "
        "digit, so only the format is checked. The letters used in the third position for "
        "units and swing beds, the 10-character supplier format and the number ranges by "
        "facility type are from memory [M] and are not enforced."
    ),
)

FEDERAL = Framework(
    code="US-FED",
    title=_("US federal identifiers and certificates"),
    jurisdiction="US",
    level=Level.NATIONAL,
    version="45 CFR 162 Subpart D; 42 U.S.C. 263a; 21 CFR 1301.13; SOM §2779A",
    requirements=(NPI, CLIA, CLIA_DIAGNOSTIC_LABORATORY, DEA, CMS_CERTIFICATION, CCN),
    source_grades=(Grade.VERIFIED, Grade.COMPUTED),
)

FRAMEWORKS: tuple[Framework, ...] = (FEDERAL,)
