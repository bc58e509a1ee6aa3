"""Other Indian licences a facility holds: bio-medical waste, PC&PNDT, fire NOC, AERB (facts §3.4).

- Bio-Medical Waste Management Rules, 2016 (G.S.R. 343(E)): every occupier, whatever the
  quantity, applies in Form II for an authorisation (rule 10) [V], and files the annual report
  in Form IV by 30 June for the previous calendar year [V, §9 row 11]. The authorisation's
  validity is [M]: the dates on it decide.
- Pre-Conception and Pre-Natal Diagnostic Techniques Act, 1994: a centre with ultrasound
  registers; registration is valid 5 years (rule 7) and renewed 30 days before expiry (rule
  8(1)) [V, §9 row 12].
- Fire NOC (state fire services acts) and the AERB licence for X-ray and CT equipment are graded
  [M]: they only ever show "needs verification", never a pass or a failure.
"""

from __future__ import annotations

from compliance.regulations._i18n import _
from compliance.regulations.framework import (
    Applicability,
    Attested,
    Framework,
    HoldsLicense,
    Level,
    Obligation,
    Requirement,
)
from compliance.regulations.vocabularies import Grade

# The Form IV report is due once a year by a fixed date (30 June), but an attestation can only
# age out a fixed number of days after it was made. 365 days never shows a missed 30 June
# deadline as met; its cost is a result that expires early for a facility that filed before the
# deadline (and, in a leap year, on the due date itself for one that filed on 30 June).
ANNUAL_REPORT_MAX_AGE_DAYS = 365

_IN_INDIA = Applicability(countries=frozenset({"IN"}))
_BMW_RULES = "Bio-Medical Waste Management Rules, 2016 (G.S.R. 343(E))"

BMW_AUTHORISATION = Requirement(
    code="IN-BMW-AUTHORISATION",
    title=_("Bio-medical waste authorisation"),
    citation=f"{_BMW_RULES}, rule 10, Form II",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsLicense(frozenset({"IN-BMW-AUTHORISATION"})),),
    applicability=_IN_INDIA,
    description=_(
        "Bio-Medical Waste Management Rules 2016 rule 10: every occupier handling bio-medical "
        "waste, irrespective of quantity, obtains an authorisation from the State Pollution "
        "Control Board or Pollution Control Committee, applied for in Form II. Its validity is "
        "not verified (one-time for non-bedded facilities, tied to the consent to operate for "
        "bedded ones, as reported), so the dates on the authorisation decide."
    ),
)

BMW_ANNUAL_REPORT = Requirement(
    code="IN-BMW-ANNUAL-REPORT",
    title=_("Bio-medical waste annual report (Form IV) filed"),
    citation=f"{_BMW_RULES}, Form IV",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(Attested(max_age_days=ANNUAL_REPORT_MAX_AGE_DAYS),),
    applicability=_IN_INDIA,
    description=_(
        "Bio-Medical Waste Management Rules 2016: the occupier files an annual report in Form "
        "IV by 30 June for the previous calendar year. Shown by an attestation made when the "
        "report is filed; it lapses 365 days later, so that a missed 30 June is never shown "
        "as met. A report filed well before the deadline therefore asks for the next one "
        "before it is legally due."
    ),
)

PCPNDT_REGISTRATION = Requirement(
    code="IN-PCPNDT",
    title=_("PC&PNDT registration for ultrasound"),
    citation="PC&PNDT Act, 1994; PC&PNDT Rules, 1996, rules 7 and 8(1)",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsLicense(frozenset({"IN-PCPNDT"})),),
    applicability=Applicability(countries=frozenset({"IN"}), services=frozenset({"ultrasound"})),
    description=_(
        "Pre-Conception and Pre-Natal Diagnostic Techniques Act 1994: a centre using ultrasound "
        "is registered with the District Appropriate Authority. Registration is valid 5 years "
        "(rule 7) and renewal is applied for in Form A 30 days before expiry (rule 8(1))."
    ),
)

FIRE_NOC = Requirement(
    code="IN-FIRE-NOC",
    title=_("Fire NOC"),
    citation="State fire services act and rules (varies by state)",
    obligation=Obligation.MANDATORY,
    grade=Grade.MEMORY,
    satisfied_by=(HoldsLicense(frozenset({"IN-FIRE-NOC"})),),
    applicability=_IN_INDIA,
    description=_(
        "State fire services issue a no-objection certificate for buildings such as hospitals; "
        "the obligation and its renewal (annual or biennial; half-yearly Form B certificates in "
        "Maharashtra) vary by state and are not verified, so this is a warning: it shows "
        '"needs verification" with or without a NOC, and never fails the facility.'
    ),
)

AERB_LICENCE = Requirement(
    code="IN-AERB-LICENCE",
    title=_("AERB licence for X-ray and CT equipment"),
    citation="Atomic Energy (Radiation Protection) Rules, 2004",
    obligation=Obligation.MANDATORY,
    grade=Grade.MEMORY,
    satisfied_by=(HoldsLicense(frozenset({"IN-AERB-LICENCE"})),),
    applicability=Applicability(
        countries=frozenset({"IN"}), services=frozenset({"ionising_radiation_imaging"})
    ),
    description=_(
        "The Atomic Energy Regulatory Board licenses each X-ray or CT unit through e-LORA. The "
        "obligation, its citation and its term are not verified, so this is a warning: it shows "
        '"needs verification" with or without a licence, and never fails the facility.'
    ),
)

FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        code="IN-BMW",
        title="Bio-Medical Waste Management Rules, 2016",
        jurisdiction="IN",
        level=Level.NATIONAL,
        version="1",
        requirements=(BMW_AUTHORISATION, BMW_ANNUAL_REPORT),
        citation=_BMW_RULES,
        source_grades=(Grade.VERIFIED, Grade.MEMORY),
    ),
    Framework(
        code="IN-PCPNDT",
        title="Pre-Conception and Pre-Natal Diagnostic Techniques (Prohibition of Sex "
        "Selection) Act, 1994",
        jurisdiction="IN",
        level=Level.NATIONAL,
        version="1",
        requirements=(PCPNDT_REGISTRATION,),
        citation="PC&PNDT Act, 1994; PC&PNDT Rules, 1996",
        source_grades=(Grade.VERIFIED,),
    ),
    Framework(
        code="IN-FIRE",
        title=_("Fire safety (state fire services)"),
        jurisdiction="IN",
        level=Level.STATE,
        version="1",
        requirements=(FIRE_NOC,),
        citation="State fire services acts and rules",
        source_grades=(Grade.MEMORY,),
    ),
    Framework(
        code="IN-AERB",
        title=_("Radiation safety licensing (Atomic Energy Regulatory Board)"),
        jurisdiction="IN",
        level=Level.NATIONAL,
        version="1",
        requirements=(AERB_LICENCE,),
        citation="Atomic Energy (Radiation Protection) Rules, 2004",
        source_grades=(Grade.MEMORY,),
    ),
)
