"""The code-defined catalog of reference geography.

Countries and their ISO 3166-2 subdivisions come from pycountry, matched on codes (names carry
diacritics and change between releases; codes do not). Districts come from the data files in
`geography/data/`, generated from permissively licensed packages by `data/regenerate.py`
(see `data/SOURCES.md` for sources and dates). Authorities are recorded only where
`shared/reference/regulatory-facts.md` names them; otherwise they stay blank.

Pure Python: no Django import, so the catalog is testable and usable from a data migration.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

DATA_DIR = Path(__file__).resolve().parent / "data"

COUNTRY_CODES = ("US", "BR", "IN")


@dataclass(frozen=True, slots=True)
class CountryEntry:
    code: str
    name: str
    regulatory_authority: str
    authority_source: str
    data_localization_required: bool


@dataclass(frozen=True, slots=True)
class StateEntry:
    country_code: str
    code: str
    name: str
    kind: str
    regulatory_authority: str = ""
    authority_source: str = ""


@dataclass(frozen=True, slots=True)
class DistrictEntry:
    state_code: str
    official_code: str
    name: str


@dataclass(frozen=True, slots=True)
class Rename:
    """A district renamed by its authority; applied when the district has no official code."""

    state_code: str
    old_name: str
    new_name: str


# None of the three countries requires in-country storage of health data in general:
# India's DPDP Act s.16 restricts transfers by a negative list, not by localisation
# (facts §3.2); neither LGPD nor HIPAA requires localisation.
_COUNTRIES = {
    "US": CountryEntry(
        code="US",
        name="United States",
        regulatory_authority=(
            "U.S. Department of Health and Human Services: Office for Civil Rights (HIPAA); "
            "Centers for Medicare & Medicaid Services (certification)"
        ),
        authority_source="45 CFR Part 164; CMS S&C 16-09-ALL (facts §1, §4.1)",
        data_localization_required=False,
    ),
    "BR": CountryEntry(
        code="BR",
        name="Brazil",
        regulatory_authority=(
            "Ministério da Saúde (CNES); ANVISA (sanitary regulation); "
            "Autoridade Nacional de Proteção de Dados (LGPD)"
        ),
        authority_source="Portaria de Consolidação SAES/MS 1/2022; Lei 13.709/2018 (facts §2)",
        data_localization_required=False,
    ),
    "IN": CountryEntry(
        code="IN",
        name="India",
        regulatory_authority=(
            "Ministry of Health and Family Welfare; National Health Authority (ABDM); "
            "Data Protection Board of India (DPDP Act 2023)"
        ),
        authority_source="clinicalestablishments.mohfw.gov.in; DPDP Rules 2025 (facts §3)",
        data_localization_required=False,
    ),
}

# State licensing authorities named by the facts file. Maharashtra and Karnataka: the facts
# name the Acts but not the registering authority, so the authority stays blank and the
# source says why.
_STATE_AUTHORITIES: dict[str, tuple[str, str]] = {
    "US-CA": (
        "California Department of Public Health, Center for Health Care Quality, "
        "Licensing & Certification",
        "Cal. Health & Safety Code §1250 et seq., §1267 (facts §4.2, §9)",
    ),
    "US-TX": (
        "Texas Health and Human Services Commission",
        "Tex. Health & Safety Code §241.023; 25 TAC ch. 133 (facts §9)",
    ),
    "US-NY": (
        "New York State Department of Health",
        "Public Health Law Article 28; 10 NYCRR §401.1 (facts §4.2, §9)",
    ),
    "US-FL": (
        "Agency for Health Care Administration",
        "Fla. Stat. ch. 395 and ch. 408 part II (facts §4.2, §9)",
    ),
    "BR-SP": (
        "Vigilância Sanitária (municipal, or the state's where not decentralised)",
        "Alvará sanitário (facts §2.2)",
    ),
    "BR-RJ": (
        "Vigilância Sanitária (municipal, or the state's where not decentralised)",
        "Alvará sanitário (facts §2.2)",
    ),
    "IN-MH": (
        "",
        "Bombay Nursing Homes Registration Act 1949 (facts §3.3); registering authority "
        "not named in the sources",
    ),
    "IN-KA": (
        "",
        "Karnataka Private Medical Establishments Act 2007 (facts §3.3, §9); registering "
        "authority not named in the sources",
    ),
}

_KINDS = {
    "State": "state",
    "Union territory": "union_territory",
    "Federal district": "federal_district",
    "District": "federal_district",
    "Outlying area": "outlying_area",
}

# Codes that ISO retired for a state still in the catalog (pycountry carries the 2023
# changes); a row seeded under an old code is renamed in place rather than duplicated.
STATE_CODE_ALIASES = {
    "IN-CT": "IN-CG",
    "IN-TG": "IN-TS",
    "IN-UT": "IN-UK",
    "IN-OR": "IN-OD",
}


def normalize_name(name: str) -> str:
    """Fold case, accents, punctuation and spacing so that names match across sources."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = "".join(ch if ch.isalnum() else " " for ch in folded.casefold()).split()
    return " ".join(words)


def _display_name(country_code: str, name: str) -> str:
    # pycountry spells Indian names in IAST ("Mahārāshtra"); English usage drops the marks.
    # Portuguese names keep their accents ("São Paulo").
    if country_code == "IN":
        return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return name


def countries() -> tuple[CountryEntry, ...]:
    return tuple(_COUNTRIES[code] for code in COUNTRY_CODES)


@cache
def states() -> tuple[StateEntry, ...]:
    entries = []
    for country_code in COUNTRY_CODES:
        subdivisions = pycountry.subdivisions.get(country_code=country_code)  # type: ignore[no-untyped-call]
        for sub in subdivisions or ():
            authority, source = _STATE_AUTHORITIES.get(sub.code, ("", ""))
            entries.append(
                StateEntry(
                    country_code=country_code,
                    code=sub.code,
                    name=_display_name(country_code, sub.name),
                    kind=_KINDS[sub.type],
                    regulatory_authority=authority,
                    authority_source=source,
                )
            )
    return tuple(sorted(entries, key=lambda e: e.code))


DISTRICT_FILES = ("us_counties.csv", "br_municipalities.csv", "in_districts.csv")


def _read_csv(filename: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@cache
def districts() -> tuple[DistrictEntry, ...]:
    return tuple(
        DistrictEntry(
            state_code=STATE_CODE_ALIASES.get(row["state_code"], row["state_code"]),
            official_code=row["official_code"].strip(),
            name=row["name"].strip(),
        )
        for filename in DISTRICT_FILES
        for row in _read_csv(filename)
    )


@cache
def renames() -> tuple[Rename, ...]:
    return tuple(
        Rename(state_code=row["state_code"], old_name=row["old_name"], new_name=row["new_name"])
        for row in _read_csv("renames.csv")
    )
