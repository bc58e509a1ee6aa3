"""Clinical Establishments (Registration and Regulation) Act, 2010: registration (facts §3.3).

Where the Act applies [V, MoHFW clinical establishments portal]:
- in force from 1 March 2012 in Arunachal Pradesh, Himachal Pradesh, Mizoram, Sikkim and every
  union territory except the NCT of Delhi;
- adopted under Article 252(1) by Uttar Pradesh, Uttarakhand, Rajasthan, Bihar, Jharkhand,
  Assam and Haryana.

The facts give no adoption dates except Haryana's, so the other adopting states are dated from
the Act's commencement, 1 March 2012: a check as of a date before a state adopted the Act would
wrongly include it. Jammu and Kashmir and Ladakh are union territories only since 2019, with
the same caveat. Haryana's adoption (Adoption Act 2018, gazette 4 April 2018) first covered
establishments with more than 50 beds, and every diagnostic laboratory from 14 March 2019
[V haryanahealth.gov.in]; the two are encoded separately. Whether Haryana has since widened the
Act's reach is not in the facts; smaller establishments there are not flagged.

Registration is permanent (5 years, renewal applied for 6 months before expiry) or provisional
(1 year); either satisfies the requirement, and the dates on the certificate decide. Pharmacies
are left out: a retail pharmacy is licensed under drugs law and is not a clinical establishment
in the Act's sense (a reading, not a verified fact). States with their own acts (Maharashtra,
Karnataka, Delhi, …) are in `india.states` or not yet encoded.
"""

from __future__ import annotations

import datetime

from compliance.regulations._i18n import _
from compliance.regulations.framework import (
    Applicability,
    Framework,
    HoldsLicense,
    Level,
    Obligation,
    Requirement,
)
from compliance.regulations.vocabularies import FACILITY_TYPES, Grade

ACT_COMMENCEMENT = datetime.date(2012, 3, 1)
HARYANA_ADOPTION_GAZETTE = datetime.date(2018, 4, 4)
HARYANA_LABORATORIES_FROM = datetime.date(2019, 3, 14)

# States where the Act came into force on 1 March 2012 (Parliament legislated for them under
# Art. 252(1)) and every union territory except Delhi.
ORIGINAL_STATES = frozenset({"IN-AR", "IN-HP", "IN-MZ", "IN-SK"})
UNION_TERRITORIES = frozenset({"IN-AN", "IN-CH", "IN-DH", "IN-JK", "IN-LA", "IN-LD", "IN-PY"})
# Haryana adopted it too, with a narrower scope: see the Haryana requirements below.
ADOPTING_STATES = frozenset({"IN-UP", "IN-UK", "IN-RJ", "IN-BR", "IN-JH", "IN-AS"})
HARYANA = "IN-HR"
FULL_SCOPE_STATES = ORIGINAL_STATES | UNION_TERRITORIES | ADOPTING_STATES

CLINICAL_ESTABLISHMENT_TYPES = frozenset(term.code for term in FACILITY_TYPES) - {"pharmacy"}
# "More than 50 beds".
HARYANA_MIN_BEDS = 51

_REGISTERED = (HoldsLicense(frozenset({"IN-CEA-REGISTRATION", "IN-CEA-PROVISIONAL"})),)
_CITATION = "Clinical Establishments (Registration and Regulation) Act, 2010"

REGISTRATION = Requirement(
    code="IN-CEA-REGISTRATION",
    title=_("Registered under the Clinical Establishments Act"),
    citation=_CITATION,
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_REGISTERED,
    applicability=Applicability(
        countries=frozenset({"IN"}),
        states=FULL_SCOPE_STATES,
        facility_types=CLINICAL_ESTABLISHMENT_TYPES,
    ),
    effective_from=ACT_COMMENCEMENT,
    description=_(
        "Clinical Establishments Act 2010: a clinical establishment operates only once "
        "registered, provisionally (1 year) or permanently (5 years, renewal applied for 6 "
        "months before expiry). In force since 1 March 2012 in Arunachal Pradesh, Himachal "
        "Pradesh, Mizoram, Sikkim and every union territory except Delhi, and adopted by Uttar "
        "Pradesh, Uttarakhand, Rajasthan, Bihar, Jharkhand and Assam (MoHFW portal)."
    ),
)

HARYANA_LARGE_ESTABLISHMENTS = Requirement(
    code="IN-CEA-REGISTRATION-HR-BEDS",
    title=_("Registered under the Clinical Establishments Act (Haryana, more than 50 beds)"),
    citation=f"{_CITATION}; Haryana Adoption Act, 2018",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_REGISTERED,
    applicability=Applicability(
        countries=frozenset({"IN"}),
        states=frozenset({HARYANA}),
        facility_types=CLINICAL_ESTABLISHMENT_TYPES,
        min_beds=HARYANA_MIN_BEDS,
    ),
    effective_from=HARYANA_ADOPTION_GAZETTE,
    description=_(
        "Haryana adopted the Clinical Establishments Act in 2018 (gazette of 4 April 2018, the "
        "date used here) and first applied it to establishments with more than 50 beds "
        "(haryanahealth.gov.in)."
    ),
)

HARYANA_LABORATORIES = Requirement(
    code="IN-CEA-REGISTRATION-HR-LAB",
    title=_("Registered under the Clinical Establishments Act (Haryana, diagnostic laboratory)"),
    citation=f"{_CITATION}; Haryana Adoption Act, 2018",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_REGISTERED,
    applicability=Applicability(
        countries=frozenset({"IN"}),
        states=frozenset({HARYANA}),
        facility_types=frozenset({"diagnostic_laboratory"}),
    ),
    effective_from=HARYANA_LABORATORIES_FROM,
    description=_(
        "Haryana extended the Clinical Establishments Act to every diagnostic laboratory from "
        "14 March 2019, whatever its size (haryanahealth.gov.in). A laboratory service inside a "
        "facility of 50 beds or fewer is not flagged: the facts do not say whether the "
        "extension reaches it."
    ),
)

FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        code="IN-CEA",
        title="Clinical Establishments (Registration and Regulation) Act, 2010",
        jurisdiction="IN",
        level=Level.NATIONAL,
        version="1",
        requirements=(REGISTRATION, HARYANA_LARGE_ESTABLISHMENTS, HARYANA_LABORATORIES),
        effective_from=ACT_COMMENCEMENT,
        citation=_CITATION,
        source_grades=(Grade.VERIFIED,),
    ),
)
