"""The demo data of `make run`: two organizations with facilities, licences, accreditations and
users, so that a first run shows every page with realistic content.

The data is the table `ORGANIZATIONS`; `seed_demo_data()` builds it through the services (so
every row is validated and leaves a history row with the actor and the reason) and is
idempotent: organizations are found by slug, users by username, facilities by
(organization, name), licences by (facility, type, number), accreditations by (facility, body,
certificate number), and what exists is left alone.

Dates are relative to the organization's today when the rows are created, so a fresh database
always shows licences expiring within 30 and 90 days, expired ones, filed renewals and one
completed renewal. Identifier numbers are derived from the facility's name: stable across runs,
valid for their country (check digits computed), and checked with the validators while building.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import os
import secrets
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from stdnum.br import cnpj as stdnum_cnpj

from compliance.regulations import accreditation as accreditation_catalog
from compliance.regulations import identifiers
from compliance.regulations import licenses as license_catalog
from facilities import services
from facilities.models import (
    Accreditation,
    Facility,
    FacilityLicense,
    Membership,
    Organization,
    RecordStatus,
    User,
)
from geography.catalog import normalize_name
from geography.models import District, State

SUPERUSER = "admin"

# Service codes (compliance.regulations.vocabularies.SERVICES), short for the table below.
LAB = "laboratory"
IMAGING = "ionising_radiation_imaging"
ULTRASOUND = "ultrasound"
CONTROLLED = "controlled_substances"
MEDICARE = "medicare_participation"
DEEMED = "accreditation_deemed_status"


@dataclass(frozen=True, slots=True)
class LicenseDue:
    """Where a licence stands on the day the demo is built.

    It expires `expires_in` days from today (negative: it has expired, and its status says so
    unless a renewal was filed). `filed_days_ago` records a renewal filed that many days ago
    (status pending renewal); `renewed` then completes it through `services.license_renew`.
    """

    expires_in: int
    filed_days_ago: int | None = None
    renewed: bool = False


@dataclass(frozen=True, slots=True)
class DemoAccreditation:
    body: str
    level: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class DemoFacility:
    """A facility of the demo. `district` is the FIPS or IBGE code, or an Indian district's
    name. Licence types follow from the place, type and services (`license_types`); `due`
    sets the dates of some of them, the others get a comfortable expiry. `responsible` is the
    username of the member answering for its licences and accreditations."""

    name: str
    state: str
    district: str
    facility_type: str
    beds: int
    services: tuple[str, ...] = ()
    ownership: str = "private"
    address: str = ""
    due: Mapping[str, LicenseDue] = field(default_factory=dict)
    accreditations: tuple[DemoAccreditation, ...] = ()
    responsible: str | None = None
    cnes_overdue: bool = False


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str


@dataclass(frozen=True, slots=True)
class DemoOrganization:
    slug: str
    name: str
    time_zone: str
    # The legal entity's CNPJ root (8 digits): its Brazilian facilities are its branches.
    cnpj_root: str
    users: tuple[DemoUser, ...]
    facilities: tuple[DemoFacility, ...]


ADMIN, OFFICER, VIEWER = Membership.Role.ADMIN, Membership.Role.OFFICER, Membership.Role.VIEWER

AURORA = DemoOrganization(
    slug="aurora",
    name="Aurora Health Network",
    time_zone="America/New_York",
    cnpj_root="41327685",
    users=(
        DemoUser("aurora-admin", "Maya", "Patel", ADMIN),
        DemoUser("aurora-officer", "Daniel", "Reyes", OFFICER),
        DemoUser("aurora-viewer", "Grace", "Kim", VIEWER),
        DemoUser(SUPERUSER, "", "", ADMIN),
    ),
    facilities=(
        # --- United States ---------------------------------------------------------------
        DemoFacility(
            "Aurora Pacific Medical Center", "US-CA", "06037", "hospital", 420,
            (LAB, IMAGING, ULTRASOUND, CONTROLLED, MEDICARE),
            address="1200 W Olympic Blvd, Los Angeles, CA 90015",
            due={"US-CA-HOSPITAL": LicenseDue(21)},
            accreditations=(DemoAccreditation("TJC", "accredited_with_follow_up", 700),),
            responsible="aurora-officer",
        ),
        DemoFacility(
            "Aurora Bay Area Hospital", "US-CA", "06075", "hospital", 210,
            (LAB, IMAGING, CONTROLLED, MEDICARE),
            address="450 Potrero Ave, San Francisco, CA 94110",
            accreditations=(DemoAccreditation("DNV", "accredited", 610),),
        ),
        DemoFacility(
            "Aurora Sacramento Surgery Center", "US-CA", "06067", "ambulatory_surgery_centre",
            0, (CONTROLLED,), address="2800 L St, Sacramento, CA 95816",
        ),
        DemoFacility(
            "Aurora San Jose Pharmacy", "US-CA", "06085", "pharmacy", 0, (LAB, CONTROLLED),
            address="95 N First St, San Jose, CA 95113",
        ),
        DemoFacility(
            "Aurora Houston Medical Center", "US-TX", "48201", "hospital", 380,
            (LAB, IMAGING, ULTRASOUND, CONTROLLED, MEDICARE, DEEMED),
            address="6400 Fannin St, Houston, TX 77030",
            due={"US-DEA": LicenseDue(55)},
            # Deemed status hangs on this accreditation: it expires within 60 days.
            accreditations=(DemoAccreditation("TJC", "accredited", 45),),
            responsible="aurora-officer",
        ),
        DemoFacility(
            "Aurora Dallas Heart Hospital", "US-TX", "48113", "hospital", 96,
            (LAB, IMAGING, CONTROLLED, MEDICARE),
            address="3500 Gaston Ave, Dallas, TX 75246",
            due={"US-TX-HOSPITAL": LicenseDue(18, filed_days_ago=25)},
            accreditations=(DemoAccreditation("DNV", "accredited", 300),),
        ),
        DemoFacility(
            "Aurora Austin Family Clinic", "US-TX", "48453", "clinic", 0, (LAB, CONTROLLED),
            address="1301 W 38th St, Austin, TX 78705",
            due={"US-CLIA": LicenseDue(-12)},
        ),
        DemoFacility(
            "Aurora Manhattan Hospital", "US-NY", "36061", "hospital", 310,
            (LAB, IMAGING, ULTRASOUND, CONTROLLED, MEDICARE),
            address="525 E 68th St, New York, NY 10065",
            due={"US-DEA": LicenseDue(34, filed_days_ago=10)},
            accreditations=(DemoAccreditation("TJC", "accredited", 800),),
            responsible="aurora-officer",
        ),
        DemoFacility(
            "Aurora Brooklyn Nursing and Rehabilitation Center", "US-NY", "36047",
            "nursing_home", 180, (CONTROLLED, MEDICARE),
            address="140 Flatbush Ave, Brooklyn, NY 11217",
        ),
        DemoFacility(
            "Aurora Rochester Diagnostic Laboratory", "US-NY", "36055", "diagnostic_laboratory",
            0, (LAB,), address="200 East Ave, Rochester, NY 14604",
        ),
        DemoFacility(
            "Aurora Miami Medical Center", "US-FL", "12086", "hospital", 350,
            (LAB, IMAGING, ULTRASOUND, CONTROLLED, MEDICARE),
            address="1611 NW 12th Ave, Miami, FL 33136",
            due={"US-FL-HOSPITAL": LicenseDue(75)},
            accreditations=(DemoAccreditation("TJC", "accredited_with_follow_up", 500),),
            responsible="aurora-admin",
        ),
        DemoFacility(
            "Aurora Orlando Community Hospital", "US-FL", "12095", "hospital", 140,
            (LAB, CONTROLLED, MEDICARE), address="601 E Rollins St, Orlando, FL 32803",
        ),
        # --- Brazil --------------------------------------------------------------------------
        DemoFacility(
            "Hospital Aurora São Paulo", "BR-SP", "3550308", "hospital", 320,
            (LAB, IMAGING, ULTRASOUND),
            address="Av. Paulista, 1500, Bela Vista, São Paulo - SP, 01310-100",
            due={"BR-ALVARA-SANITARIO": LicenseDue(20, filed_days_ago=45, renewed=True)},
            # The network's international flagship.
            accreditations=(
                DemoAccreditation("JCI", "accredited", 900),
                DemoAccreditation("ONA", "nivel_3", 520),
            ),
            responsible="aurora-officer",
        ),
        DemoFacility(
            "Hospital Aurora Campinas", "BR-SP", "3509502", "hospital", 180,
            (LAB, IMAGING, ULTRASOUND),
            address="Av. Brasil, 2300, Jardim Chapadão, Campinas - SP, 13070-178",
            accreditations=(DemoAccreditation("ONA", "nivel_2", 380),),
        ),
        DemoFacility(
            "Clínica Aurora Santos", "BR-SP", "3548500", "clinic", 0, (ULTRASOUND,),
            address="Av. Ana Costa, 400, Gonzaga, Santos - SP, 11060-002",
            due={"BR-ALVARA-SANITARIO": LicenseDue(40)},
        ),
        DemoFacility(
            "Laboratório Aurora Ribeirão Preto", "BR-SP", "3543402", "diagnostic_laboratory",
            0, (LAB,), address="Rua Visconde de Inhaúma, 580, Centro, Ribeirão Preto - SP",
            due={"BR-AVCB": LicenseDue(-34)},
        ),
        DemoFacility(
            "Hospital Aurora Rio de Janeiro", "BR-RJ", "3304557", "hospital", 260,
            (LAB, IMAGING, ULTRASOUND),
            address="Rua Voluntários da Pátria, 300, Botafogo, Rio de Janeiro - RJ",
            due={"BR-AVCB": LicenseDue(12)},
            accreditations=(DemoAccreditation("ONA", "nivel_2", 200),),
        ),
        DemoFacility(
            "Clínica Aurora Niterói", "BR-RJ", "3303302", "clinic", 0, (LAB, ULTRASOUND),
            address="Rua Gavião Peixoto, 100, Icaraí, Niterói - RJ", cnes_overdue=True,
        ),
        DemoFacility(
            # Run by Aurora for the state under a management contract.
            "Hospital Estadual de Campos (gestão Aurora)", "BR-RJ", "3301009", "hospital", 150,
            (LAB, IMAGING, ULTRASOUND), ownership="public",
            address="Av. Alberto Torres, 200, Centro, Campos dos Goytacazes - RJ",
        ),
        DemoFacility(
            "Hospital Aurora Belo Horizonte", "BR-MG", "3106200", "hospital", 240,
            (LAB, IMAGING, ULTRASOUND),
            address="Av. Afonso Pena, 2600, Funcionários, Belo Horizonte - MG",
            accreditations=(DemoAccreditation("ONA", "nivel_1", 150),),
        ),
        DemoFacility(
            "Clínica Aurora Uberlândia", "BR-MG", "3170206", "clinic", 12, (LAB, ULTRASOUND),
            address="Av. Rondon Pacheco, 1800, Tibery, Uberlândia - MG",
        ),
        # --- India ---------------------------------------------------------------------------
        DemoFacility(
            "Aurora Hospital Mumbai", "IN-MH", "Mumbai Suburban", "hospital", 350,
            (LAB, IMAGING, ULTRASOUND),
            address="Western Express Highway, Andheri East, Mumbai 400069",
            accreditations=(DemoAccreditation("NABH", "full", 700),),
            responsible="aurora-officer",
        ),
        DemoFacility(
            "Aurora Hospital Pune", "IN-MH", "Pune", "hospital", 200, (LAB, IMAGING, ULTRASOUND),
            address="Sassoon Road, Pune 411001",
            due={"IN-FIRE-NOC": LicenseDue(26)},
            accreditations=(DemoAccreditation("NABH", "full", 240),),
        ),
        DemoFacility(
            "Aurora Diagnostics Thane", "IN-MH", "Thane", "diagnostic_laboratory", 0,
            (LAB, IMAGING, ULTRASOUND), address="Ghodbunder Road, Thane West 400607",
        ),
        DemoFacility(
            "Aurora Hospital Bengaluru", "IN-KA", "Bengaluru Urban", "hospital", 300,
            (LAB, IMAGING, ULTRASOUND), address="Bannerghatta Road, Bengaluru 560076",
            due={"IN-KA-KPME": LicenseDue(85)},
            accreditations=(DemoAccreditation("NABH", "full", 520),),
        ),
        DemoFacility(
            "Aurora Clinic Mysuru", "IN-KA", "Mysuru", "clinic", 10, (LAB, ULTRASOUND),
            address="Kalidasa Road, Jayalakshmipuram, Mysuru 570012",
            accreditations=(DemoAccreditation("NABH", "entry_level", 330),),
        ),
        DemoFacility(
            # A government centre run by Aurora in a public-private partnership.
            "Primary Health Centre Kunigal", "IN-KA", "Tumakuru", "primary_health_centre", 6,
            (LAB,), ownership="public", address="B.H. Road, Kunigal, Tumakuru 572130",
        ),
        DemoFacility(
            "Aurora Hospital Saket", "IN-DL", "South", "hospital", 280,
            (LAB, IMAGING, ULTRASOUND), address="Press Enclave Marg, Saket, New Delhi 110017",
            accreditations=(DemoAccreditation("NABH", "full", 610),),
        ),
        DemoFacility(
            "Aurora Clinic Dwarka", "IN-DL", "South West", "clinic", 0, (LAB, ULTRASOUND),
            address="Sector 12, Dwarka, New Delhi 110075",
            due={"IN-PCPNDT": LicenseDue(48)},
        ),
        DemoFacility(
            "Aurora Nursing Home Rohini", "IN-DL", "North West", "nursing_home", 30, (),
            address="Sector 9, Rohini, New Delhi 110085",
            due={"IN-FIRE-NOC": LicenseDue(-20)},
        ),
    ),
)  # fmt: skip

VALE = DemoOrganization(
    slug="vale",
    name="Vale Clinics",
    time_zone="America/Sao_Paulo",
    cnpj_root="27845190",
    users=(DemoUser("vale-officer", "Beatriz", "Lima", OFFICER),),
    facilities=(
        DemoFacility(
            "Clínica Vale Ipatinga", "BR-MG", "3131307", "clinic", 0, (ULTRASOUND,),
            address="Av. Pedro Linhares Gomes, 3900, Bom Retiro, Ipatinga - MG",
            due={"BR-ALVARA-SANITARIO": LicenseDue(28)},
            responsible="vale-officer",
            cnes_overdue=True,
        ),
        DemoFacility(
            "Clínica Vale Juiz de Fora", "BR-MG", "3136702", "clinic", 8, (LAB, ULTRASOUND),
            address="Av. Rio Branco, 2500, Centro, Juiz de Fora - MG",
            accreditations=(DemoAccreditation("ONA", "nivel_1", 420),),
        ),
        DemoFacility(
            "Laboratório Vale São Paulo", "BR-SP", "3550308", "diagnostic_laboratory", 0, (LAB,),
            address="Rua Vergueiro, 1000, Liberdade, São Paulo - SP",
            due={"BR-AVCB": LicenseDue(-5)},
        ),
    ),
)  # fmt: skip

ORGANIZATIONS: tuple[DemoOrganization, ...] = (AURORA, VALE)

# --- Numbers --------------------------------------------------------------------------------

# Two-digit state codes of CMS Certification Numbers and CLIA numbers (facts §4.1).
_CMS_STATE_CODES = {"US-CA": "05", "US-TX": "45", "US-NY": "33", "US-FL": "10"}
# Census/LGD state codes that make digits 3-4 of an HFR ID (facts §3.1, §6).
_LGD_STATE_CODES = {"IN-MH": "27", "IN-KA": "29", "IN-DL": "07"}
# CCN sequence ranges by facility type (SOM §2779A1, facts §4.1 [M]): first and last.
_CCN_RANGES = {"hospital": (1, 879), "nursing_home": (5000, 6499)}
_CNES_WEIGHTS = (7, 6, 5, 4, 3, 2)


def _number(key: str, low: int, high: int) -> int:
    """A number in [low, high] derived from `key`: the same on every run."""
    digest = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    return low + digest % (high - low + 1)


def _checked(kind: str, value: str, *, facility_type: str | None = None) -> str:
    """Return `value` if it is valid (no warning) for its kind, else fail loudly: the demo
    must never show an identifier that the validators would question."""
    if kind == "ccn":
        result = identifiers.validate_ccn(value, facility_type=facility_type)
    else:
        result = identifiers.VALIDATORS[kind](value)
    if result.outcome is not identifiers.Outcome.VALID:
        raise ValueError(f"demo {kind} {value!r} is not valid: {result.message}")
    return result.normalized


def _npi(name: str) -> str:
    base = f"1{_number(f'npi {name}', 0, 10**8 - 1):08}"
    return _checked("npi", base + identifiers.npi_check_digit(base))


def _ccn(facility: DemoFacility) -> str:
    low, high = _CCN_RANGES[facility.facility_type]
    ccn = f"{_CMS_STATE_CODES[facility.state]}{_number(f'ccn {facility.name}', low, high):04}"
    return _checked("ccn", ccn, facility_type=facility.facility_type)


def _cnes(name: str) -> str:
    """Six sequential digits and the usual mod-11 check digit (facts §6); bases whose
    remainder is 1 have no known digit and are skipped."""
    base = _number(f"cnes {name}", 200_000, 989_999)
    while (remainder := _cnes_remainder(base)) == 1:
        base += 1
    return _checked("cnes", f"{base}{0 if remainder == 0 else 11 - remainder}")


def _cnes_remainder(base: int) -> int:
    return sum(int(d) * w for d, w in zip(str(base), _CNES_WEIGHTS, strict=True)) % 11


def _cnpj(root: str, branch: int) -> str:
    first_twelve = f"{root}{branch:04}"
    return _checked("cnpj", first_twelve + stdnum_cnpj.calc_check_digits(first_twelve))


def _hfr_id(facility: DemoFacility) -> str:
    serial = _number(f"hfr {facility.name}", 10_000_000, 19_999_999)
    return _checked("hfr_id", f"IN{_LGD_STATE_CODES[facility.state]}{serial}")


def _dea_number(name: str) -> str:
    """A DEA number: B (hospital or clinic), the name's first letter, six digits and the check
    digit, the last digit of d1+d3+d5 + 2*(d2+d4+d6) (facts §6; not a DEA publication)."""
    digits = [int(d) for d in f"{_number(f'dea {name}', 0, 999_999):06}"]
    check = (digits[0] + digits[2] + digits[4] + 2 * (digits[1] + digits[3] + digits[5])) % 10
    return f"B{name[0].upper()}{''.join(map(str, digits))}{check}"


def license_number(facility: DemoFacility, code: str, *, renewal: bool = False) -> str:
    """A plausible number for a licence of type `code`; a renewal gets a new number where the
    issuer numbers each term (Brazilian licences are reissued, US numbers are kept)."""
    key = f"{code} {facility.name}{' renewal' if renewal else ''}"
    uf = facility.state.split("-")[1]
    match code:
        case "US-CLIA":
            return f"{_CMS_STATE_CODES[facility.state]}D{_number(key, 0, 9_999_999):07}"
        case "US-DEA":
            return _dea_number(facility.name)
        case "US-CMS-CERTIFICATION":
            return _ccn(facility)
        case "US-NY-OPERATING-CERTIFICATE":
            return f"{_number(key, 1_000_000, 7_099_999):07}{'H' if facility.beds else 'D'}"
        case "BR-ALVARA-SANITARIO":
            return f"VISA {_number(key, 1, 999_999):06}"
        case "BR-AVCB":
            return f"AVCB {_number(key, 100_000, 999_999)}"
        case "BR-CRM-PJ":
            return f"CRM-{uf} PJ {_number(key, 1000, 99_999)}"
        case "BR-ALVARA-FUNCIONAMENTO":
            return f"ALF {_number(key, 1_000_000, 9_999_999)}"
        case "IN-PCPNDT":
            return f"PNDT/{uf}/{_number(key, 100, 9999)}"
        case "IN-BMW-AUTHORISATION":
            return f"BMW/{uf}/{_number(key, 10_000, 99_999)}"
        case "IN-FIRE-NOC":
            return f"FS/{uf}/NOC/{_number(key, 1000, 99_999)}"
        case "IN-AERB-LICENCE":
            return f"AERB/RSD/MDX/{_number(key, 100_000, 999_999)}"
        case _:
            return f"{uf}-{_number(key, 100_000, 999_999)}"


# Who issues each licence (by type, or by type and state), where the catalog's description
# is generic; {district} is the facility's, {of_district} and {of_state} in Portuguese.
_ISSUERS: dict[str | tuple[str, str], str] = {
    "US-CLIA": "Centers for Medicare & Medicaid Services (CMS)",
    "US-DEA": "Drug Enforcement Administration (DEA)",
    "US-CMS-CERTIFICATION": "Centers for Medicare & Medicaid Services (CMS)",
    "US-CA-HOSPITAL": "California Department of Public Health",
    "US-TX-HOSPITAL": "Texas Health and Human Services Commission",
    "US-NY-OPERATING-CERTIFICATE": "New York State Department of Health",
    "US-FL-HOSPITAL": "Agency for Health Care Administration",
    "BR-ALVARA-SANITARIO": "Vigilância Sanitária {of_district}",
    "BR-AVCB": "Corpo de Bombeiros Militar do Estado {of_state}",
    "BR-CRM-PJ": "Conselho Regional de Medicina do Estado {of_state}",
    "BR-ALVARA-FUNCIONAMENTO": "Prefeitura {of_district}",
    "IN-PCPNDT": "District Appropriate Authority, {district}",
    ("IN-FIRE-NOC", "IN-MH"): "Maharashtra Fire Services",
    ("IN-FIRE-NOC", "IN-KA"): "Karnataka State Fire and Emergency Services",
    ("IN-FIRE-NOC", "IN-DL"): "Delhi Fire Service",
    ("IN-BMW-AUTHORISATION", "IN-MH"): "Maharashtra Pollution Control Board",
    ("IN-BMW-AUTHORISATION", "IN-KA"): "Karnataka State Pollution Control Board",
    ("IN-BMW-AUTHORISATION", "IN-DL"): "Delhi Pollution Control Committee",
}


def _issued_by(entry: license_catalog.LicenseType, facility: Facility) -> str:
    state, district = facility.state, facility.district
    issuer = _ISSUERS.get((entry.code, state.code)) or _ISSUERS.get(entry.code)
    return (issuer or entry.issuing_authority).format(
        district=district, of_district=_of(str(district)), of_state=_of(state.name)
    )


def _of(place: str) -> str:
    """Portuguese "of" before a place name: "de São Paulo", but "do Rio de Janeiro"."""
    return f"do {place}" if place.startswith("Rio ") else f"de {place}"


def license_types(facility: DemoFacility) -> tuple[license_catalog.LicenseType, ...]:
    """The licences a demo facility holds, among those the catalog allows it.

    US: the state hospital licence (New York: the Article 28 operating certificate of every
    care setting), CLIA with a laboratory, DEA with controlled substances, the Medicare
    certification with Medicare participation. Brazil: the sanitary and operating licences,
    the fire certificate and, except for pharmacies, the CRM registration. India: the state's
    own registration for private establishments (Maharashtra, Karnataka; Delhi's 1953 Act is
    not in the catalog), the bio-medical waste authorisation, a fire NOC where there are beds,
    PC&PNDT with ultrasound and AERB with X-ray or CT.
    """
    country = facility.state[:2]
    services_ = set(facility.services)
    wanted = {
        "US-CLIA": LAB in services_,
        "US-DEA": CONTROLLED in services_,
        "US-CMS-CERTIFICATION": MEDICARE in services_,
        f"{facility.state}-HOSPITAL": True,
        "US-NY-OPERATING-CERTIFICATE": True,
        "BR-ALVARA-SANITARIO": True,
        "BR-AVCB": True,
        "BR-CRM-PJ": True,
        "BR-ALVARA-FUNCIONAMENTO": True,
        f"{facility.state}-NURSING-HOME": facility.ownership == "private",
        f"{facility.state}-KPME": facility.ownership == "private",
        "IN-BMW-AUTHORISATION": True,
        "IN-FIRE-NOC": facility.beds > 0,
        "IN-PCPNDT": ULTRASOUND in services_,
        "IN-AERB-LICENCE": IMAGING in services_,
    }
    allowed = license_catalog.license_types_for(
        country_code=country, state_code=facility.state, facility_type=facility.facility_type
    )
    held = tuple(entry for entry in allowed if wanted.get(entry.code, False))
    if undated := set(facility.due) - {entry.code for entry in held}:
        raise ValueError(f"{facility.name} holds no {', '.join(sorted(undated))}")
    return held


# --- Dates ----------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months` calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last_day))


def _next_march_31(after: datetime.date) -> datetime.date:
    march_31 = datetime.date(after.year, 3, 31)
    return march_31 if march_31 > after else march_31.replace(year=after.year + 1)


def license_dates(
    facility: DemoFacility, entry: license_catalog.LicenseType, today: datetime.date
) -> dict[str, Any]:
    """Issue and expiry dates, status and filing date of a new licence, as of `today`.

    Without a `due` entry, a licence that expires does so 120 days or more from today, so
    only the table's `due` entries are expiring or expired.
    """
    due = facility.due.get(entry.code)
    key = f"dates {entry.code} {facility.name}"
    term = entry.term_months
    if term is None:
        if entry.code == "IN-BMW-AUTHORISATION" and facility.beds:
            # A bedded facility's authorisation runs with its consent to operate, to 31 March.
            no_term_expiry = _next_march_31(today + datetime.timedelta(days=180))
            issued = add_months(no_term_expiry, -24)
        else:
            no_term_expiry = None
            issued = today - datetime.timedelta(days=_number(key, 400, 3000))
        return {
            "issued_date": issued,
            "expiry_date": no_term_expiry,
            "status": RecordStatus.ACTIVE,
            "renewal_filed_on": None,
        }
    expires_in = due.expires_in if due else _number(key, 120, term * 30 - 30)
    expiry = today + datetime.timedelta(days=expires_in)
    filed_on = (
        today - datetime.timedelta(days=due.filed_days_ago)
        if due and due.filed_days_ago is not None
        else None
    )
    if filed_on is not None:
        status = RecordStatus.PENDING_RENEWAL
    elif expires_in < 0:
        status = RecordStatus.EXPIRED
    else:
        status = RecordStatus.ACTIVE
    return {
        "issued_date": add_months(expiry, -term),
        "expiry_date": expiry,
        "status": status,
        "renewal_filed_on": filed_on,
    }


# --- Users and credentials ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Credential:
    username: str
    password: str
    roles: str


def credentials_file() -> Path:
    """Where the demo passwords are kept (read from settings when called, so tests can move
    it by setting BASE_DIR)."""
    return Path(settings.BASE_DIR) / "var" / "demo-credentials.txt"


def read_credentials(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return dict(pairs)


def write_credentials(path: Path, credentials: Mapping[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{user} {password}\n" for user, password in credentials.items()))
    path.chmod(0o600)


def ensure_users(
    specs: Mapping[str, Mapping[str, Any]], known: dict[str, str]
) -> tuple[dict[str, User], int]:
    """Create the users named in `specs` (username: other fields) or keep them, making sure
    the password recorded in `known` logs each of them in; return them and how many are new.

    A password is DJANGO_SUPERUSER_PASSWORD if set, else the one stored last time, else a new
    one. A user whose password no longer matches (changed by hand, or the file was lost) is
    given it again, so that the printed credentials always work. Password hashing is slow on
    purpose, so the hashes are computed in parallel (PBKDF2 releases the GIL) and only where
    needed.
    """
    env_password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
    users = User.objects.in_bulk(list(specs), field_name="username")
    passwords = {name: env_password or known.get(name) for name in specs}

    def still_works(name: str) -> bool:
        password = passwords[name]
        return bool(password and name in users and check_password(password, users[name].password))

    def new_hash(name: str) -> str:
        return make_password(passwords[name])

    with ThreadPoolExecutor() as pool:
        checks = zip(specs, pool.map(still_works, specs), strict=True)
        to_set = [name for name, works in checks if not works]
        for name in to_set:
            passwords[name] = passwords[name] or secrets.token_urlsafe(12)
        hashes = dict(zip(to_set, pool.map(new_hash, to_set), strict=True))
    created = 0
    for name in to_set:
        if name in users:
            users[name].password = hashes[name]
            users[name].save(update_fields=["password"])
        else:
            users[name] = User.objects.create(
                username=name, email=f"{name}@example.com", password=hashes[name], **specs[name]
            )
            created += 1
    known.update({name: password for name, password in passwords.items() if password})
    return users, created


# --- The builder ----------------------------------------------------------------------------


@dataclass
class OrganizationSummary:
    name: str
    facilities: int
    licenses: int
    accreditations: int


@dataclass
class SeedReport:
    organizations: list[OrganizationSummary] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)


class _Builder:
    def __init__(self, *, actor: User, note: str, report: SeedReport) -> None:
        self.report = report
        self.write: dict[str, Any] = {"actor": actor, "via": "command", "note": note}

    def organization(self, demo: DemoOrganization, users: Mapping[str, User]) -> Organization:
        organization = Organization.objects.filter(slug=demo.slug).first()
        if organization is None:
            # The first admin is a person who can log in, never the system actor.
            admin = next((u.username for u in demo.users if u.role == ADMIN), SUPERUSER)
            first_admin = users.get(admin) or User.objects.get(username=SUPERUSER)
            organization = services.organization_create(
                name=demo.name,
                slug=demo.slug,
                time_zone=demo.time_zone,
                first_admin=first_admin,
                **self.write,
            )
            self.report.created["organizations"] += 1
            self.report.created["memberships"] += 1
        return organization

    def memberships(
        self, organization: Organization, demo: DemoOrganization, users: Mapping[str, User]
    ) -> dict[str, Membership]:
        existing = {m.user_id: m for m in Membership.objects.filter(organization=organization)}
        memberships = {}
        for demo_user in demo.users:
            user = users[demo_user.username]
            membership = existing.get(user.pk)
            if membership is None:
                membership = services.membership_add(
                    organization=organization,
                    user_identifier=user.username,
                    role=demo_user.role,
                    **self.write,
                )
                self.report.created["memberships"] += 1
            memberships[demo_user.username] = membership
        return memberships

    def facilities(
        self,
        organization: Organization,
        demo: DemoOrganization,
        memberships: Mapping[str, Membership],
    ) -> None:
        today = organization.today()
        existing = {f.facility_name: f for f in Facility.objects.filter(organization=organization)}
        known_licenses = set(
            FacilityLicense.objects.filter(organization=organization).values_list(
                "facility_id", "license_type", "license_number"
            )
        )
        known_accreditations = set(
            Accreditation.objects.filter(organization=organization).values_list(
                "facility_id", "accreditation_body", "certificate_number"
            )
        )
        brazilian = [f for f in demo.facilities if f.state.startswith("BR-")]
        for item in demo.facilities:
            facility = existing.get(item.name)
            if facility is None:
                branch = brazilian.index(item) + 1 if item in brazilian else 0
                facility = services.facility_create(
                    organization=organization,
                    data=self._facility_data(item, demo, branch, today),
                    **self.write,
                )
                self.report.created["facilities"] += 1
            responsible = memberships.get(item.responsible) if item.responsible else None
            for entry in license_types(item):
                self._license(facility, item, entry, responsible, known_licenses, today)
            for accreditation in item.accreditations:
                self._accreditation(
                    facility, item, accreditation, responsible, known_accreditations, today
                )

    def _facility_data(
        self, item: DemoFacility, demo: DemoOrganization, branch: int, today: datetime.date
    ) -> dict[str, Any]:
        state = State.objects.select_related("country").get(code=item.state)
        districts = District.objects.filter(state=state)
        if item.state.startswith("IN-"):
            district = districts.get(name_key=normalize_name(item.district))
        else:
            district = districts.get(official_code=item.district)
        data: dict[str, Any] = {
            "facility_name": item.name,
            "facility_type": item.facility_type,
            "ownership": item.ownership,
            "bed_count": item.beds,
            "services": list(item.services),
            "country": state.country,
            "state": state,
            "district": district,
            "address": item.address,
        }
        match state.country.code:
            case "US":
                data["npi_number"] = _npi(item.name)
                if MEDICARE in item.services:
                    data["ccn"] = _ccn(item)
            case "BR":
                # CNES must be updated every 6 months (facts §2.2); an overdue one shows it.
                days_ago = 230 if item.cnes_overdue else _number(f"cnes date {item.name}", 10, 150)
                data["cnes_number"] = _cnes(item.name)
                data["cnes_updated_on"] = today - datetime.timedelta(days=days_ago)
                data["cnpj"] = _cnpj(demo.cnpj_root, branch)
            case "IN":
                data["hfr_id"] = _hfr_id(item)
        return data

    def _license(
        self,
        facility: Facility,
        item: DemoFacility,
        entry: license_catalog.LicenseType,
        responsible: Membership | None,
        known: set[tuple[int, str, str]],
        today: datetime.date,
    ) -> None:
        number = license_number(item, entry.code)
        license = None
        if (facility.pk, entry.code, number) not in known:
            data = {
                "license_type": entry.code,
                "license_number": number,
                "issued_by": _issued_by(entry, facility),
                "responsible": responsible,
                **license_dates(item, entry, today),
            }
            license = services.license_create(facility=facility, data=data, **self.write)
            self.report.created["licences"] += 1
        due = item.due.get(entry.code)
        renewal_number = license_number(item, entry.code, renewal=True)
        if due and due.renewed and (facility.pk, entry.code, renewal_number) not in known:
            license = license or FacilityLicense.objects.get(
                facility=facility, license_type=entry.code, license_number=number
            )
            if license.expiry_date is None or entry.term_months is None:
                raise ValueError(f"{entry.code} has no expiry: the demo cannot renew it")
            services.license_renew(
                license=license,
                data={
                    "license_number": renewal_number,
                    "issued_by": license.issued_by,
                    "issued_date": today - datetime.timedelta(days=5),
                    "expiry_date": add_months(license.expiry_date, entry.term_months),
                },
                **self.write,
            )
            self.report.created["licences"] += 1

    def _accreditation(
        self,
        facility: Facility,
        item: DemoFacility,
        demo: DemoAccreditation,
        responsible: Membership | None,
        known: set[tuple[int, str, str]],
        today: datetime.date,
    ) -> None:
        body = accreditation_catalog.get_accreditation_body(demo.body)
        if body is None:
            raise ValueError(f"unknown accreditation body {demo.body!r}")
        number = f"{demo.body}-{_number(f'{demo.body} {item.name}', 10_000, 99_999)}"
        if (facility.pk, demo.body, number) in known:
            return
        expiry = today + datetime.timedelta(days=demo.expires_in)
        services.accreditation_create(
            facility=facility,
            data={
                "accreditation_body": demo.body,
                "accreditation_level": demo.level,
                "certificate_number": number,
                "certified_date": add_months(expiry, -body.cycle_months),
                "expiry_date": expiry,
                "status": RecordStatus.ACTIVE,
                "responsible": responsible,
            },
            **self.write,
        )
        self.report.created["accreditations"] += 1


def seed_demo_data(*, actor: User, note: str, credentials_path: Path) -> SeedReport:
    """Create what is missing of the demo: users (with their passwords stored in
    `credentials_path`), organizations, memberships, facilities, licences and accreditations.

    Every tracked row is written through `facilities.services` with `actor`, via "command"
    and `note`. Run it inside a transaction: it reads what exists, then adds the rest.
    """
    report = SeedReport()
    builder = _Builder(actor=actor, note=note, report=report)
    specs: dict[str, dict[str, Any]] = {SUPERUSER: {"is_staff": True, "is_superuser": True}}
    roles: dict[str, list[str]] = {SUPERUSER: ["superuser"]}
    for demo in ORGANIZATIONS:
        for demo_user in demo.users:
            specs.setdefault(
                demo_user.username,
                {"first_name": demo_user.first_name, "last_name": demo_user.last_name},
            )
            role = Membership.Role(demo_user.role).label
            roles.setdefault(demo_user.username, []).append(f"{role}, {demo.name}")
    known = read_credentials(credentials_path)
    users, report.created["users"] = ensure_users(specs, known)
    write_credentials(credentials_path, known)

    for demo in ORGANIZATIONS:
        organization = builder.organization(demo, users)
        memberships = builder.memberships(organization, demo, users)
        builder.facilities(organization, demo, memberships)
        report.organizations.append(
            OrganizationSummary(
                name=organization.name,
                facilities=Facility.objects.filter(organization=organization).count(),
                licenses=FacilityLicense.objects.filter(organization=organization).count(),
                accreditations=Accreditation.objects.filter(organization=organization).count(),
            )
        )
    report.credentials = [
        Credential(username, known[username], "; ".join(user_roles))
        for username, user_roles in roles.items()
    ]
    return report
