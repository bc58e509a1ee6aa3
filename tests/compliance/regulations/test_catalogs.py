"""The vocabularies, licence types and accreditation bodies, and the package's import rule."""

import ast
import sys
from pathlib import Path

import pytest

import compliance.regulations
from compliance.regulations.accreditation import (
    ACCREDITATION_BODIES,
    accreditation_bodies_for,
    body_choices,
    get_accreditation_body,
    level_choices,
)
from compliance.regulations.licenses import (
    LICENSE_TYPES,
    get_license_type,
    license_type_choices,
    license_types_for,
)
from compliance.regulations.vocabularies import (
    FACILITY_TYPES,
    OWNERSHIP,
    SERVICES,
    Grade,
    choices,
    label_for,
)

FACILITY_TYPE_CODES = {term.code for term in FACILITY_TYPES}
PACKAGE_DIR = Path(compliance.regulations.__file__).parent


def _codes(types):
    return {entry.code for entry in types}


@pytest.mark.parametrize(
    "codes",
    [
        [term.code for term in FACILITY_TYPES],
        [term.code for term in SERVICES],
        [term.code for term in OWNERSHIP],
        [entry.code for entry in LICENSE_TYPES],
        [body.code for body in ACCREDITATION_BODIES],
        *([level.code for level in body.levels] for body in ACCREDITATION_BODIES),
    ],
)
def test_catalog_codes_are_unique(codes):
    duplicates = {code for code in codes if codes.count(code) > 1}

    assert duplicates == set()


def test_vocabularies_have_the_agreed_codes():
    codes = (
        [term.code for term in FACILITY_TYPES],
        [term.code for term in SERVICES],
        [term.code for term in OWNERSHIP],
    )

    assert codes == (
        [
            "hospital",
            "clinic",
            "primary_health_centre",
            "community_health_centre",
            "diagnostic_laboratory",
            "pharmacy",
            "nursing_home",
            "ambulatory_surgery_centre",
        ],
        [
            "laboratory",
            "ionising_radiation_imaging",
            "ultrasound",
            "controlled_substances",
            "medicare_participation",
            "accreditation_deemed_status",
        ],
        ["public", "private"],
    )


def test_choices_pairs_codes_with_labels():
    pairs = choices(OWNERSHIP)

    assert pairs == [("public", "Public"), ("private", "Private")]


@pytest.mark.parametrize(
    ("code", "label"),
    [("nursing_home", "Nursing home"), ("retired_code", "retired_code")],
)
def test_label_for_falls_back_to_the_code(code, label):
    result = label_for(FACILITY_TYPES, code)

    assert result == label


def test_license_types_reference_only_known_facility_types():
    referenced = set().union(*(entry.facility_types for entry in LICENSE_TYPES))

    assert referenced <= FACILITY_TYPE_CODES


def test_license_types_have_upper_case_codes_and_a_known_jurisdiction():
    malformed = [
        entry.code
        for entry in LICENSE_TYPES
        if entry.code != entry.code.upper()
        or entry.jurisdiction.split("-")[0] not in {"US", "BR", "IN"}
        or not entry.code.startswith(entry.jurisdiction.split("-")[0] + "-")
    ]

    assert malformed == []


def test_license_types_have_consistent_lead_times():
    inconsistent = [
        entry.code
        for entry in LICENSE_TYPES
        if entry.file_by_days < 0
        or (
            entry.renewal_window_days is not None and entry.renewal_window_days < entry.file_by_days
        )
        or (not entry.expires and (entry.file_by_days or entry.renewal_window_days))
    ]

    assert inconsistent == []


def test_license_types_graded_from_memory_say_so_in_their_note():
    unexplained = [
        entry.code
        for entry in LICENSE_TYPES
        if entry.term_grade == Grade.MEMORY and "[M]" not in entry.note
    ]

    assert unexplained == []


def test_license_types_have_authority_and_citation():
    incomplete = [
        entry.code for entry in LICENSE_TYPES if not (entry.issuing_authority and entry.citation)
    ]

    assert incomplete == []


def test_license_types_for_gives_a_new_york_hospital_its_operating_certificate():
    types = license_types_for(country_code="US", state_code="US-NY", facility_type="hospital")

    codes = _codes(types)

    assert "US-NY-OPERATING-CERTIFICATE" in codes
    assert "US-CA-HOSPITAL" not in codes
    assert {"US-CLIA", "US-DEA", "US-CMS-CERTIFICATION"} <= codes
    assert all(entry.jurisdiction in {"US", "US-NY"} for entry in types)


def test_license_types_for_gives_a_maharashtra_facility_its_registration():
    types = license_types_for(country_code="IN", state_code="IN-MH", facility_type="hospital")

    codes = _codes(types)

    assert "IN-MH-NURSING-HOME" in codes
    assert "IN-KA-KPME" not in codes


def test_license_types_for_never_gives_a_brazilian_clinic_a_foreign_type():
    types = license_types_for(country_code="BR", state_code="BR-SP", facility_type="clinic")

    jurisdictions = {entry.jurisdiction.split("-")[0] for entry in types}

    assert jurisdictions == {"BR"}
    assert {"BR-ALVARA-SANITARIO", "BR-AVCB", "BR-CRM-PJ"} <= _codes(types)


def test_license_types_for_filters_by_facility_type():
    laboratory = license_types_for(
        country_code="US", state_code="US-CA", facility_type="diagnostic_laboratory"
    )
    pharmacy = license_types_for(country_code="BR", state_code=None, facility_type="pharmacy")

    assert _codes(laboratory) == {"US-CLIA", "US-DEA"}  # DEA follows the service, any type
    assert "BR-CRM-PJ" not in _codes(pharmacy)


def test_license_types_for_without_facility_type_does_not_filter_by_type():
    types = license_types_for(country_code="US", state_code="US-CA", facility_type=None)

    assert _codes(types) == {
        "US-CLIA",
        "US-DEA",
        "US-CMS-CERTIFICATION",
        "US-CA-HOSPITAL",
    }


def test_license_types_for_ignores_a_state_of_another_country():
    types = license_types_for(country_code="BR", state_code="US-NY", facility_type="hospital")

    assert {entry.jurisdiction for entry in types} == {"BR"}


def test_license_types_for_returns_nothing_for_an_unknown_country():
    types = license_types_for(country_code="FR", state_code=None, facility_type=None)

    assert types == ()


def test_new_york_operating_certificate_does_not_expire():
    entry = get_license_type("US-NY-OPERATING-CERTIFICATE")

    assert entry is not None
    assert entry.expires is False
    assert entry.term_grade == Grade.VERIFIED


@pytest.mark.parametrize(
    ("code", "term_months", "renewal_window_days", "file_by_days", "grade"),
    [
        ("US-FL-HOSPITAL", 24, 120, 60, Grade.VERIFIED),
        ("US-CA-HOSPITAL", 12, None, 30, Grade.VERIFIED),
        ("US-TX-HOSPITAL", 24, None, 30, Grade.VERIFIED),
        ("US-DEA", 36, 60, 45, Grade.VERIFIED),
        ("US-CLIA", 24, None, 30, Grade.VERIFIED),
        ("IN-PCPNDT", 60, None, 30, Grade.VERIFIED),
        ("IN-KA-KPME", 60, None, 90, Grade.VERIFIED),
        ("IN-MH-NURSING-HOME", 36, None, 30, Grade.MEMORY),
        ("BR-AVCB", 12, None, 30, Grade.MEMORY),
    ],
)
def test_license_type_terms_and_leads_match_the_facts(
    code, term_months, renewal_window_days, file_by_days, grade
):
    entry = get_license_type(code)

    assert entry is not None
    assert (entry.term_months, entry.renewal_window_days, entry.file_by_days) == (
        term_months,
        renewal_window_days,
        file_by_days,
    )
    assert entry.term_grade == grade


def test_pcpndt_registration_is_not_limited_by_facility_type():
    entry = get_license_type("IN-PCPNDT")

    assert entry is not None
    assert entry.facility_types == frozenset()


def test_get_license_type_returns_none_for_an_unknown_code():
    entry = get_license_type("US-NPI")

    assert entry is None


def test_license_type_choices_pairs_codes_with_names():
    entry = get_license_type("US-CA-HOSPITAL")
    assert entry is not None

    pairs = license_type_choices([entry])

    assert pairs == [("US-CA-HOSPITAL", "California hospital licence")]


def test_accreditation_bodies_for_brazil_include_ona_and_jci_but_not_nabh():
    codes = _codes(accreditation_bodies_for("BR"))

    assert {"ONA", "JCI"} <= codes
    assert "NABH" not in codes


@pytest.mark.parametrize(
    ("country_code", "expected"),
    [
        ("US", {"JCI", "TJC", "DNV", "ACHC"}),
        ("IN", {"JCI", "NABH", "NABL"}),
        ("BR", {"JCI", "ONA"}),
        ("FR", {"JCI"}),
    ],
)
def test_accreditation_bodies_for_each_country(country_code, expected):
    codes = _codes(accreditation_bodies_for(country_code))

    assert codes == expected


def test_level_choices_for_ona_has_three_levels():
    body = get_accreditation_body("ONA")
    assert body is not None

    levels = level_choices(body)

    assert [code for code, _label in levels] == ["nivel_1", "nivel_2", "nivel_3"]


@pytest.mark.parametrize(
    ("code", "cycle_months", "grade", "deeming"),
    [
        ("JCI", 36, Grade.MEMORY, False),
        ("TJC", 36, Grade.VERIFIED, True),
        ("DNV", 36, Grade.VERIFIED, True),
        ("NABH", 36, Grade.VERIFIED, False),
        ("ONA", 24, Grade.MEMORY, False),
    ],
)
def test_accreditation_body_cycles_match_the_facts(code, cycle_months, grade, deeming):
    body = get_accreditation_body(code)

    assert body is not None
    assert (body.cycle_months, body.cycle_grade, body.cms_deeming_authority) == (
        cycle_months,
        grade,
        deeming,
    )


def test_accreditation_bodies_graded_from_memory_say_so_in_their_note():
    unexplained = [
        body.code
        for body in ACCREDITATION_BODIES
        if body.cycle_grade == Grade.MEMORY and "[M]" not in body.note
    ]

    assert unexplained == []


def test_body_choices_pairs_codes_with_names():
    body = get_accreditation_body("NABH")
    assert body is not None

    pairs = body_choices([body])

    assert pairs == [("NABH", "National Accreditation Board for Hospitals & Healthcare Providers")]


def _imported_modules(source, package):
    """Yield (absolute module name, line) for every import in `source`, a module of `package`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            yield ".".join([*base, node.module or ""]).rstrip("."), node.lineno
        elif isinstance(node, ast.ImportFrom):
            yield node.module or "", node.lineno


def _is_allowed_import(module):
    top = module.split(".")[0]
    return (
        top in sys.stdlib_module_names
        or top == "stdnum"
        or module == "compliance.regulations"
        or module.startswith("compliance.regulations.")
    )


def test_imported_modules_resolves_absolute_and_relative_imports():
    source = (
        "import re\nfrom django.db import models\nfrom ..models import Facility\nfrom . import x\n"
    )

    modules = list(_imported_modules(source, "compliance.regulations"))

    assert modules == [
        ("re", 1),
        ("django.db", 2),
        ("compliance.models", 3),
        ("compliance.regulations", 4),
    ]
    assert [_is_allowed_import(module) for module, _line in modules] == [
        True,
        False,
        False,
        True,
    ]


def test_regulations_import_only_the_standard_library_stdnum_and_themselves():
    modules = sorted(PACKAGE_DIR.rglob("*.py"))

    offending = [
        f"{path.relative_to(PACKAGE_DIR)}:{line} imports {module}"
        for path in modules
        for module, line in _imported_modules(
            path.read_text(encoding="utf-8"),
            ".".join(path.relative_to(PACKAGE_DIR.parent.parent).parent.parts),
        )
        if not _is_allowed_import(module)
    ]

    assert len(modules) >= 6
    assert offending == []
