"""Licence types a facility may hold, per jurisdiction (DESIGN.md §5; facts §2.2, §3, §4, §9).

This catalog says which licences exist, who issues them and their usual term and lead times;
whether a facility must hold one is decided by the compliance rules. Forms offer these types as
choices, never free text.

Terms are the usual ones: the dates printed on a licence always win over `term_months`, which
only flags anomalies and schedules reminders (facts §5, "Rule-engine advice"). Where the facts
grade a term or lead time [M], the value is a documented default and the type's note says so.
Where a licence has an expiry but the sources define no filing lead, `file_by_days` is
`DEFAULT_FILE_BY_DAYS`, again said in the note.

Authorities are named only as the facts name them; otherwise they are described generically.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from compliance.regulations._i18n import _
from compliance.regulations.vocabularies import Grade

# [M] default filing lead where the sources give none: 30 days is the lead most often seen in
# the verified facts (Cal. H&SC §1267(a); PC&PNDT rule 8(1); Passo Fundo-RS alvará sanitário).
DEFAULT_FILE_BY_DAYS = 30

# Six months expressed in days, rounded up to the longest six-month span (184 days), so that a
# deadline computed from it is never later than the calendar one.
SIX_MONTHS_IN_DAYS = 184

# Facility types that treat patients on site, as opposed to laboratories and pharmacies.
CARE_SETTINGS = frozenset(
    {
        "hospital",
        "clinic",
        "primary_health_centre",
        "community_health_centre",
        "nursing_home",
        "ambulatory_surgery_centre",
    }
)


@dataclass(frozen=True, slots=True)
class LicenseType:
    """A licence, registration or certificate a facility may hold.

    `term_months` is None when the licence has no expiry by default (an expiry printed on one
    is still recorded). `renewal_window_days` is how early filing may start (None: no window is
    defined); `file_by_days` is how long before expiry it must be filed (0: none is defined).
    `facility_types` lists the facility type codes that may hold it; empty means any type.
    """

    code: str
    name: str
    jurisdiction: str
    issuing_authority: str
    citation: str
    term_months: int | None
    renewal_window_days: int | None
    file_by_days: int
    facility_types: frozenset[str]
    term_grade: Grade
    note: str = ""

    @property
    def expires(self) -> bool:
        return self.term_months is not None


_US_FEDERAL: tuple[LicenseType, ...] = (
    # The NPI is an identifier on the facility, not a licence (facts §4.1).
    LicenseType(
        code="US-CLIA",
        name=_("CLIA certificate"),
        jurisdiction="US",
        issuing_authority="Centers for Medicare & Medicaid Services (CMS)",
        citation="42 U.S.C. 263a(c)(2); 42 CFR 493.37(e)(1)",
        term_months=24,
        renewal_window_days=None,
        file_by_days=DEFAULT_FILE_BY_DAYS,
        # Any setting that tests specimens needs one (even a pharmacy running waived tests);
        # the laboratory service, not the facility type, switches the requirement on.
        facility_types=frozenset(),
        term_grade=Grade.VERIFIED,
        note=_(
            "Every certificate type (waiver, PPM, registration, compliance, accreditation) is "
            "valid for 2 years at most. [M] default: no filing lead is sourced; 30 days is used."
        ),
    ),
    LicenseType(
        code="US-DEA",
        name=_("DEA registration"),
        jurisdiction="US",
        issuing_authority="Drug Enforcement Administration (DEA)",
        citation="21 CFR 1301.13(b), (d)",
        term_months=36,
        renewal_window_days=60,
        file_by_days=45,
        # The 36-month cycle is the one for practitioners, hospitals/clinics and pharmacies
        # (facts §4.1); analytical laboratories and other registrant classes run 1-year cycles
        # (1301.13(c)) that this type does not model.
        # Any type: analytical laboratories register too, and the rule (US-DEA) follows the
        # controlled-substances service, not the facility type.
        facility_types=frozenset(),
        term_grade=Grade.VERIFIED,
        note=_(
            "Reregistration may be filed no more than 60 days before expiry (1301.13(b)). [M] "
            "default: file at least 45 days before expiry, the lead at which 21 CFR 1301.36(i) "
            "keeps a registration in force until DEA decides (from memory; the List I "
            "chemical rule, 1309.45, reads the same)."
        ),
    ),
    LicenseType(
        code="US-CMS-CERTIFICATION",
        name=_("Medicare certification (CMS Certification Number)"),
        jurisdiction="US",
        issuing_authority=(
            "Centers for Medicare & Medicaid Services (CMS), on survey by the state survey "
            "agency or a CMS-approved accrediting organisation"
        ),
        citation="CMS S&C 16-09-ALL; State Operations Manual §2779A",
        term_months=None,
        renewal_window_days=None,
        file_by_days=0,
        # Laboratories are certified under CLIA and pharmacies enrol as suppliers; neither is
        # given a CCN as a provider (facts §4.1 lists the CCN ranges).
        facility_types=CARE_SETTINGS,
        term_grade=Grade.MEMORY,
        note=_(
            "[M] Certification carries no printed expiry in the sources: it continues while "
            "surveys (state agency, or deemed status through TJC or DNV accreditation) find "
            "the facility compliant. Track the accreditation's dates for renewal."
        ),
    ),
)

_US_STATES: tuple[LicenseType, ...] = (
    LicenseType(
        code="US-CA-HOSPITAL",
        name=_("California hospital licence"),
        jurisdiction="US-CA",
        issuing_authority=(
            "California Department of Public Health, Center for Health Care Quality, "
            "Licensing and Certification"
        ),
        citation="Cal. Health & Safety Code §1267",
        term_months=12,
        renewal_window_days=None,
        file_by_days=30,
        facility_types=frozenset({"hospital"}),
        term_grade=Grade.VERIFIED,
        note=_(
            "Expires 12 months after issue; renewal filed at least 30 days before expiry "
            "(§1267(a)). A general acute care hospital's renewal may run up to 3 years with an "
            "annual fee (§1267(b), (c)): read the expiry from the licence."
        ),
    ),
    LicenseType(
        code="US-TX-HOSPITAL",
        name=_("Texas hospital licence"),
        jurisdiction="US-TX",
        issuing_authority="Texas Health and Human Services Commission (HHSC)",
        citation="Tex. Health & Safety Code §241.023(b); 25 TAC §133.23(a)",
        term_months=24,
        renewal_window_days=None,
        file_by_days=DEFAULT_FILE_BY_DAYS,
        facility_types=frozenset({"hospital"}),
        term_grade=Grade.VERIFIED,
        note=_(
            "HHSC sends a renewal notice at least 60 days before expiry (25 TAC §133.23(a)). "
            "[M] default: no filing deadline is sourced; 30 days before expiry is used."
        ),
    ),
    LicenseType(
        code="US-NY-OPERATING-CERTIFICATE",
        name=_("Article 28 operating certificate"),
        jurisdiction="US-NY",
        issuing_authority="New York State Department of Health",
        citation="N.Y. Public Health Law Article 28 (§2801-a, §2806); 10 NYCRR §401.1(b)",
        term_months=None,
        renewal_window_days=None,
        file_by_days=0,
        # [M] Article 28 counts nursing homes and diagnostic and treatment centres as
        # "hospitals", so they hold the same certificate; laboratories and pharmacies do not.
        facility_types=CARE_SETTINGS,
        term_grade=Grade.VERIFIED,
        note=_(
            "Does not expire unless an expiry date is printed on it (10 NYCRR §401.1(b)); no "
            "periodic renewal."
        ),
    ),
    LicenseType(
        code="US-FL-HOSPITAL",
        name=_("Florida hospital licence"),
        jurisdiction="US-FL",
        issuing_authority="Agency for Health Care Administration (AHCA)",
        citation="Fla. Stat. ch. 395; §408.806(2)(a); §408.808(1)",
        term_months=24,
        renewal_window_days=120,
        file_by_days=60,
        facility_types=frozenset({"hospital"}),
        term_grade=Grade.VERIFIED,
        note=_(
            "The renewal must be received 60 to 120 days before expiry (§408.806(2)(a)); a late "
            "application incurs a daily fine."
        ),
    ),
)

_BRAZIL: tuple[LicenseType, ...] = (
    # CNES is a registration number on the facility with a 6-month update, not a licence
    # (facts §2.2): it is validated as an identifier and checked by the rules.
    LicenseType(
        code="BR-ALVARA-SANITARIO",
        name=_("Sanitary licence (alvará sanitário / licença sanitária)"),
        jurisdiction="BR",
        issuing_authority=(
            "Vigilância Sanitária (municipal, or state where not decentralised; ANVISA only "
            "for ports, airports and frontiers)"
        ),
        citation="Municipal or state health code (varies by municipality)",
        term_months=12,
        renewal_window_days=None,
        file_by_days=DEFAULT_FILE_BY_DAYS,
        facility_types=frozenset(),
        term_grade=Grade.VERIFIED,
        note=_(
            "Typically valid 1 year (SES-MG) and renewed 30 days before expiry (Passo Fundo-RS); "
            "municipal rules vary, so the dates on the licence win."
        ),
    ),
    LicenseType(
        code="BR-AVCB",
        name=_("Fire safety certificate (AVCB / CLCB)"),
        jurisdiction="BR",
        issuing_authority="Corpo de Bombeiros Militar of the state",
        citation="State fire-safety regulations (São Paulo: Decreto 63.911/2018; IT-01/2019)",
        term_months=12,
        renewal_window_days=None,
        file_by_days=DEFAULT_FILE_BY_DAYS,
        facility_types=frozenset(),
        term_grade=Grade.MEMORY,
        note=_(
            "[M] default: validity is state-specific (São Paulo sets it in IT-01/2019 Annex N) "
            "and names vary (AVCB, CLCB, CA). 12 months and a 30-day lead are placeholders: "
            "the expiry printed on the certificate always wins."
        ),
    ),
    LicenseType(
        code="BR-CRM-PJ",
        name=_("CRM registration of the legal entity and technical director"),
        jurisdiction="BR",
        issuing_authority="Conselho Regional de Medicina (CRM)",
        citation="Lei 6.839/1980; CFM Res. 1.980/2011; CFM Res. 2.147/2016",
        term_months=12,
        renewal_window_days=None,
        file_by_days=DEFAULT_FILE_BY_DAYS,
        # A pharmacy registers with the pharmacy council, not the medical one.
        facility_types=CARE_SETTINGS | {"diagnostic_laboratory"},
        term_grade=Grade.MEMORY,
        note=_(
            "[M] default: the certificate of regular registration is renewed periodically with "
            "an annual fee; 12 months and a 30-day lead are assumed. The dates on the "
            "certificate win."
        ),
    ),
    LicenseType(
        code="BR-ALVARA-FUNCIONAMENTO",
        name=_("Municipal operating licence (alvará de localização e funcionamento)"),
        jurisdiction="BR",
        issuing_authority="Prefeitura (municipal government)",
        citation="Municipal law (varies by municipality)",
        term_months=None,
        renewal_window_days=None,
        file_by_days=0,
        facility_types=frozenset(),
        term_grade=Grade.MEMORY,
        note=_(
            "[M] Validity is set by each municipality and is not in the sources; no expiry is "
            "assumed. Record the expiry when one is printed on the licence."
        ),
    ),
)

_INDIA: tuple[LicenseType, ...] = (
    # One type for every state and UT where the Act is in force: which states those are is
    # effective-dated data for the compliance rules (facts §3.3), not for this catalog.
    LicenseType(
        code="IN-CEA-REGISTRATION",
        name=_("Clinical establishment permanent registration"),
        jurisdiction="IN",
        issuing_authority="Registering authority under the Clinical Establishments Act, 2010",
        citation="Clinical Establishments (Registration and Regulation) Act, 2010",
        term_months=60,
        renewal_window_days=None,
        file_by_days=SIX_MONTHS_IN_DAYS,
        facility_types=frozenset(),
        term_grade=Grade.VERIFIED,
        note=_(
            "Permanent registration runs 5 years; apply for renewal 6 months before expiry "
            "(secondary source; ss.17, 24, 30 of the Act not checked). Applies only in the "
            "states and union territories where the Act is in force."
        ),
    ),
    LicenseType(
        code="IN-CEA-PROVISIONAL",
        name=_("Clinical establishment provisional registration"),
        jurisdiction="IN",
        issuing_authority="Registering authority under the Clinical Establishments Act, 2010",
        citation="Clinical Establishments (Registration and Regulation) Act, 2010",
        term_months=12,
        renewal_window_days=None,
        file_by_days=DEFAULT_FILE_BY_DAYS,
        facility_types=frozenset(),
        term_grade=Grade.VERIFIED,
        note=_(
            "Provisional registration runs 1 year and is renewable (secondary source). [M] "
            "default: no filing lead is sourced; 30 days is used. Applies only where the Act "
            "is in force."
        ),
    ),
    LicenseType(
        code="IN-MH-NURSING-HOME",
        name=_("Nursing home registration (Bombay Nursing Homes Registration Act, 1949)"),
        jurisdiction="IN-MH",
        issuing_authority="Registering authority under the Bombay Nursing Homes Registration Act",
        citation="Bombay Nursing Homes Registration Act, 1949, s.5, and its rules (amended 2021)",
        term_months=36,
        renewal_window_days=None,
        file_by_days=DEFAULT_FILE_BY_DAYS,
        # [M] The Act's "nursing home" is any premises admitting patients for treatment, so
        # hospitals and clinics with beds register too; bed counts are for the rules.
        facility_types=frozenset({"hospital", "nursing_home", "clinic"}),
        term_grade=Grade.MEMORY,
        note=_(
            "[M] default: registration reported to run 3 years, ending 31 March (a move to 5 "
            "years is unconfirmed; the original Act was annual). 30-day lead assumed. The "
            "dates on the certificate always win."
        ),
    ),
    LicenseType(
        code="IN-KA-KPME",
        name=_("KPME registration (Karnataka Private Medical Establishments Act, 2007)"),
        jurisdiction="IN-KA",
        issuing_authority=(
            "Registering authority under the Karnataka Private Medical Establishments Act"
        ),
        citation="Karnataka Private Medical Establishments Act, 2007 (amended 2017)",
        term_months=60,
        renewal_window_days=None,
        file_by_days=90,
        facility_types=frozenset(),
        term_grade=Grade.VERIFIED,
        note=_(
            "Permanent registration runs 5 years. [M] default: the 90-day renewal lead of the "
            "2025 amendment is not confirmed in force; it is used as the filing lead."
        ),
    ),
    LicenseType(
        code="IN-BMW-AUTHORISATION",
        name=_("Bio-medical waste authorisation"),
        jurisdiction="IN",
        issuing_authority="State Pollution Control Board / Pollution Control Committee",
        citation="Bio-Medical Waste Management Rules, 2016 (G.S.R. 343(E)), rule 10, Form II",
        term_months=None,
        renewal_window_days=None,
        file_by_days=0,
        facility_types=frozenset(),
        term_grade=Grade.MEMORY,
        note=_(
            "[M] One-time for non-bedded facilities; for bedded facilities it runs with the "
            "consent to operate, so record the printed expiry. The annual report in Form IV is "
            "due by 30 June for the previous calendar year [V]."
        ),
    ),
    LicenseType(
        code="IN-PCPNDT",
        name=_("PC&PNDT registration"),
        jurisdiction="IN",
        issuing_authority="District Appropriate Authority",
        citation="PC&PNDT Act, 1994; PC&PNDT Rules, 1996, rules 7 and 8(1)",
        term_months=60,
        renewal_window_days=None,
        file_by_days=30,
        # Required by the ultrasound (or genetic counselling/laboratory) service, not by the
        # facility type; the compliance rules decide from the facility's services.
        facility_types=frozenset(),
        term_grade=Grade.VERIFIED,
        note=_(
            "Valid 5 years (rule 7); renewal applied for in Form A 30 days before expiry "
            "(rule 8(1)). Needed where ultrasound or genetic counselling is offered."
        ),
    ),
    LicenseType(
        code="IN-FIRE-NOC",
        name=_("Fire NOC"),
        jurisdiction="IN",
        issuing_authority="State Fire Services",
        citation="State fire services act and rules (varies by state)",
        term_months=12,
        renewal_window_days=None,
        file_by_days=DEFAULT_FILE_BY_DAYS,
        facility_types=frozenset(),
        term_grade=Grade.MEMORY,
        note=_(
            "[M] default: renewal is state-specific (annual or biennial; Maharashtra also asks "
            "for a half-yearly Form B certificate). 12 months and a 30-day lead are "
            "placeholders: the dates on the NOC win."
        ),
    ),
    LicenseType(
        code="IN-AERB-LICENCE",
        name=_("AERB licence for X-ray / CT equipment (e-LORA)"),
        jurisdiction="IN",
        issuing_authority="Atomic Energy Regulatory Board (AERB)",
        citation="Atomic Energy (Radiation Protection) Rules, 2004",
        term_months=60,
        renewal_window_days=None,
        file_by_days=DEFAULT_FILE_BY_DAYS,
        facility_types=frozenset(),
        term_grade=Grade.MEMORY,
        note=_(
            "[M] default: one licence per X-ray or CT unit, applied for through e-LORA, assumed "
            "valid 5 years with a 30-day lead; the dates on the licence win. The citation is "
            "from memory."
        ),
    ),
)

LICENSE_TYPES: tuple[LicenseType, ...] = _US_FEDERAL + _US_STATES + _BRAZIL + _INDIA

_BY_CODE = {license_type.code: license_type for license_type in LICENSE_TYPES}


def get_license_type(code: str) -> LicenseType | None:
    """Return the licence type with this code, or None (a code no longer in the catalog)."""
    return _BY_CODE.get(code)


def license_types_for(
    *, country_code: str, state_code: str | None, facility_type: str | None
) -> tuple[LicenseType, ...]:
    """Return the licence types a facility in this place may hold, in catalog order.

    A type matches when its jurisdiction is the country or the facility's state (an ISO 3166-2
    code such as "US-NY") and it allows the facility type; `facility_type=None` does not filter
    by type. A state code of another country is ignored rather than trusted.
    """
    jurisdictions = {country_code}
    if state_code and state_code.startswith(f"{country_code}-"):
        jurisdictions.add(state_code)
    return tuple(
        license_type
        for license_type in LICENSE_TYPES
        if license_type.jurisdiction in jurisdictions
        and (
            facility_type is None
            or not license_type.facility_types
            or facility_type in license_type.facility_types
        )
    )


def license_type_choices(types: Iterable[LicenseType]) -> list[tuple[str, str]]:
    """Return `(code, name)` pairs for a form's `choices`."""
    return [(license_type.code, license_type.name) for license_type in types]
