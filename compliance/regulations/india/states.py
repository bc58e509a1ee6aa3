"""Indian state acts on the registration of clinical establishments (facts §3.3, §9 rows 9, 10).

- Maharashtra: Bombay Nursing Homes Registration Act, 1949 (listed in the Schedule of the
  Clinical Establishments Act 2010 as a state's own act [V, secondary]). Its renewal cycle is
  [M] (3 years to 31 March reported; 5 years unconfirmed), so the dates on the certificate
  decide. Which premises count as a "nursing home" is read, not verified: hospitals and nursing
  homes are held to it; public facilities and clinics with beds only show "needs verification".
- Karnataka: Karnataka Private Medical Establishments Act, 2007 (KPME): permanent registration
  valid 5 years [V]; the 90-day renewal lead of a 2025 amendment is [M] and lives in the licence
  catalog only as a reminder. The Act covers private establishments, as its title says.
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
from compliance.regulations.vocabularies import FACILITY_TYPES, Grade

_BNHRA = "Bombay Nursing Homes Registration Act, 1949"
_BNHRA_REGISTERED = (HoldsLicense(frozenset({"IN-MH-NURSING-HOME"})),)
_KPME = "Karnataka Private Medical Establishments Act, 2007"

# A retail pharmacy is licensed under drugs law, not as a medical establishment (a reading).
_MEDICAL_ESTABLISHMENT_TYPES = frozenset(term.code for term in FACILITY_TYPES) - {"pharmacy"}

MH_NURSING_HOME = Requirement(
    code="IN-MH-NURSING-HOME",
    title=_("Registered under the Bombay Nursing Homes Registration Act"),
    citation=f"{_BNHRA}, s.5",
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=_BNHRA_REGISTERED,
    applicability=Applicability(
        countries=frozenset({"IN"}),
        states=frozenset({"IN-MH"}),
        facility_types=frozenset({"hospital", "nursing_home"}),
        ownership=frozenset({"private"}),
    ),
    description=_(
        "Bombay Nursing Homes Registration Act 1949 s.5: a nursing home in Maharashtra is "
        "registered with the local registering authority. The Act is Maharashtra's own law in "
        "place of the Clinical Establishments Act. Its renewal cycle is not verified (3 years "
        "ending 31 March is reported; the original Act was annual), so the dates on the "
        "certificate decide."
    ),
)

MH_NURSING_HOME_PUBLIC = Requirement(
    code="IN-MH-NURSING-HOME-PUBLIC",
    title=_("Bombay Nursing Homes Registration Act: public hospital or nursing home"),
    citation=f"{_BNHRA}, s.5",
    obligation=Obligation.MANDATORY,
    grade=Grade.MEMORY,
    satisfied_by=_BNHRA_REGISTERED,
    applicability=Applicability(
        countries=frozenset({"IN"}),
        states=frozenset({"IN-MH"}),
        facility_types=frozenset({"hospital", "nursing_home"}),
        ownership=frozenset({"public"}),
    ),
    description=_(
        "The Act is recalled to exclude hospitals maintained by the Government or a local "
        "authority; that is not verified, so for a public facility this is a warning: it shows "
        '"needs verification" and never fails the facility.'
    ),
)

MH_CLINIC_WITH_BEDS = Requirement(
    code="IN-MH-NURSING-HOME-CLINIC",
    title=_("Bombay Nursing Homes Registration Act: clinic with beds"),
    citation=f"{_BNHRA}, s.5",
    obligation=Obligation.MANDATORY,
    grade=Grade.MEMORY,
    satisfied_by=_BNHRA_REGISTERED,
    applicability=Applicability(
        countries=frozenset({"IN"}),
        states=frozenset({"IN-MH"}),
        facility_types=frozenset({"clinic"}),
        min_beds=1,
    ),
    description=_(
        'The Act\'s "nursing home" is read as any premises that admit patients for treatment, '
        "which would include a clinic with beds; that reading is not verified, so this is a "
        'warning: it shows "needs verification" and never fails the facility.'
    ),
)

KA_KPME = Requirement(
    code="IN-KA-KPME",
    title=_("Registered under the Karnataka Private Medical Establishments Act"),
    citation=_KPME,
    obligation=Obligation.MANDATORY,
    grade=Grade.VERIFIED,
    satisfied_by=(HoldsLicense(frozenset({"IN-KA-KPME"})),),
    applicability=Applicability(
        countries=frozenset({"IN"}),
        states=frozenset({"IN-KA"}),
        facility_types=_MEDICAL_ESTABLISHMENT_TYPES,
        ownership=frozenset({"private"}),
    ),
    description=_(
        "Karnataka Private Medical Establishments Act 2007 (amended 2017): a private medical "
        "establishment in Karnataka is registered; permanent registration is valid 5 years "
        "(Deccan Herald; High Court of Karnataka). The 90-day renewal lead of a 2025 amendment "
        "is not confirmed in force and only schedules reminders. Pharmacies are left out: they "
        "are licensed under drugs law."
    ),
)

FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        code="IN-MH",
        title=_BNHRA,
        jurisdiction="IN-MH",
        level=Level.STATE,
        version="1",
        requirements=(MH_NURSING_HOME, MH_NURSING_HOME_PUBLIC, MH_CLINIC_WITH_BEDS),
        citation=f"{_BNHRA} and its rules (amended 2021)",
        source_grades=(Grade.VERIFIED, Grade.MEMORY),
    ),
    Framework(
        code="IN-KA",
        title=_KPME,
        jurisdiction="IN-KA",
        level=Level.STATE,
        version="1",
        requirements=(KA_KPME,),
        citation=f"{_KPME} (amended 2017)",
        source_grades=(Grade.VERIFIED, Grade.MEMORY),
    ),
)
