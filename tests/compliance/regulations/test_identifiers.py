"""Identifier checks against the examples of facts §6 (all computed, [C])."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.regulations.identifiers import (
    VALIDATORS,
    IdentifierResult,
    Outcome,
    normalize,
    npi_check_digit,
    validate_ccn,
    validate_cnes,
    validate_cnpj,
    validate_hfr_id,
    validate_npi,
)

VALID = Outcome.VALID
WARNING = Outcome.WARNING
INVALID = Outcome.INVALID

CCN_FORMAT = "CCN must be 6 characters: 2 digits, a digit or letter, then 3 digits."
CCN_ASC_FORMAT = (
    "CCN must be 6 characters (2 digits, a digit or letter, 3 digits) or, for an "
    "ambulatory surgery centre, 10 characters (2 digits, a letter, 7 digits)."
)
CCN_SUPPLIER_NOT_ASC = (
    "A 10-character supplier CCN is accepted only for an ambulatory surgery centre."
)
CCN_SUPPLIER_WARNING = "Supplier CCN format is unverified; check it against the CMS record."
CNES_WARNING = "CNES check digit does not match the usual rule; verify the number in CNES."


@pytest.mark.parametrize(
    ("value", "normalized", "outcome", "message"),
    [
        ("1234567893", "1234567893", VALID, ""),
        ("1558598797", "1558598797", VALID, ""),
        ("2000000002", "2000000002", VALID, ""),
        ("1234567890", "1234567890", INVALID, "NPI check digit does not match."),
        ("1558598790", "1558598790", INVALID, "NPI check digit does not match."),
        ("3234567893", "3234567893", INVALID, "NPI must start with 1 or 2."),
        ("123456789", "123456789", INVALID, "NPI must be 10 digits."),
        ("12345678931", "12345678931", INVALID, "NPI must be 10 digits."),
        ("12345678A3", "12345678A3", INVALID, "NPI must be 10 digits."),
        ("", "", INVALID, "NPI must be 10 digits."),
    ],
)
def test_validate_npi_matches_the_cms_rules(value, normalized, outcome, message):
    expected = IdentifierResult("npi", normalized, outcome, message)

    result = validate_npi(value)

    assert result == expected


@pytest.mark.parametrize(
    ("value", "facility_type", "normalized", "outcome", "message"),
    [
        ("050001", None, "050001", VALID, ""),
        ("451300", None, "451300", VALID, ""),
        ("05S001", None, "05S001", VALID, ""),
        ("05-0001", None, "050001", VALID, ""),
        ("050001", "hospital", "050001", VALID, ""),
        ("050001", "ambulatory_surgery_centre", "050001", VALID, ""),
        ("0500001", None, "0500001", INVALID, CCN_FORMAT),
        ("AB0001", None, "AB0001", INVALID, CCN_FORMAT),
        ("05S0O1", None, "05S0O1", INVALID, CCN_FORMAT),
        ("05C1234567", None, "05C1234567", INVALID, CCN_SUPPLIER_NOT_ASC),
        ("05C1234567", "hospital", "05C1234567", INVALID, CCN_SUPPLIER_NOT_ASC),
        ("05C1234567", "ambulatory_surgery_centre", "05C1234567", WARNING, CCN_SUPPLIER_WARNING),
        ("05c-1234567", "ambulatory_surgery_centre", "05C1234567", WARNING, CCN_SUPPLIER_WARNING),
        ("0501234567", "ambulatory_surgery_centre", "0501234567", INVALID, CCN_ASC_FORMAT),
        ("0500001", "ambulatory_surgery_centre", "0500001", INVALID, CCN_ASC_FORMAT),
    ],
)
def test_validate_ccn_accepts_supplier_numbers_only_for_surgery_centres(
    value, facility_type, normalized, outcome, message
):
    expected = IdentifierResult("ccn", normalized, outcome, message)

    result = validate_ccn(value, facility_type=facility_type)

    assert result == expected


@pytest.mark.parametrize(
    ("value", "normalized", "outcome", "message"),
    [
        ("2077485", "2077485", VALID, ""),
        ("2001578", "2001578", VALID, ""),
        ("6861849", "6861849", VALID, ""),
        # Remainder 1, whose rule is unknown: any check digit is accepted.
        ("2078187", "2078187", VALID, ""),
        ("0000000", "0000000", VALID, ""),
        ("2077484", "2077484", WARNING, CNES_WARNING),
        ("2001570", "2001570", WARNING, CNES_WARNING),
        ("207748", "207748", INVALID, "CNES must be exactly 7 digits."),
        ("20774850", "20774850", INVALID, "CNES must be exactly 7 digits."),
        ("207748X", "207748X", INVALID, "CNES must be exactly 7 digits."),
    ],
)
def test_validate_cnes_checks_format_and_only_warns_on_check_digit(
    value, normalized, outcome, message
):
    expected = IdentifierResult("cnes", normalized, outcome, message)

    result = validate_cnes(value)

    assert result == expected


@pytest.mark.parametrize(
    ("value", "normalized", "outcome", "message"),
    [
        ("11.222.333/0001-81", "11222333000181", VALID, ""),
        ("00.000.000/0001-91", "00000000000191", VALID, ""),
        ("33.000.167/0001-01", "33000167000101", VALID, ""),
        ("12.ABC.345/01DE-35", "12ABC34501DE35", VALID, ""),
        ("12.abc.345/01de-35", "12ABC34501DE35", VALID, ""),
        ("AB.CDE.FGH/IJKL-80", "ABCDEFGHIJKL80", VALID, ""),
        ("A1.B2C.3D4/0001-93", "A1B2C3D4000193", VALID, ""),
        ("11.222.333/0001-80", "11222333000180", INVALID, "CNPJ check digits do not match."),
        ("00.000.000/0001-19", "00000000000119", INVALID, "CNPJ check digits do not match."),
        ("12.ABC.345/01DE-36", "12ABC34501DE36", INVALID, "CNPJ check digits do not match."),
        ("00.000.000/0000-12", "00000000000012", INVALID, "CNPJ check digits do not match."),
        (
            "12.ABC.345/01DE-3A",
            "12ABC34501DE3A",
            INVALID,
            "CNPJ must end in two numeric check digits.",
        ),
        ("11.111.111/1111-11", "11111111111111", INVALID, "CNPJ cannot be one character repeated."),
        ("00.000.000/0000-00", "00000000000000", INVALID, "CNPJ cannot be one character repeated."),
        ("12.ABC.345/01DE-350", "12ABC34501DE350", INVALID, "CNPJ must have 14 characters."),
        ("11.222.333/0001-8", "1122233300018", INVALID, "CNPJ must have 14 characters."),
        (
            "11.222.333/0001=81",
            "112223330001=81",
            INVALID,
            "CNPJ may contain only digits and the letters A to Z.",
        ),
    ],
)
def test_validate_cnpj_accepts_numeric_and_alphanumeric_forms(value, normalized, outcome, message):
    expected = IdentifierResult("cnpj", normalized, outcome, message)

    result = validate_cnpj(value)

    assert result == expected


@pytest.mark.parametrize(
    ("value", "normalized", "outcome", "message"),
    [
        ("IN2710004269", "IN2710004269", VALID, ""),
        ("IN0610090166", "IN0610090166", VALID, ""),
        ("IN0510000828", "IN0510000828", VALID, ""),
        ("in0510000828", "IN0510000828", VALID, ""),
        ("IN27100042", "IN27100042", INVALID, "HFR ID must be IN followed by 10 digits."),
        ("XX2710004269", "XX2710004269", INVALID, "HFR ID must be IN followed by 10 digits."),
        ("IN-MH-100892", "INMH100892", INVALID, "HFR ID must be IN followed by 10 digits."),
    ],
)
def test_validate_hfr_id_checks_the_pattern(value, normalized, outcome, message):
    expected = IdentifierResult("hfr_id", normalized, outcome, message)

    result = validate_hfr_id(value)

    assert result == expected


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        (" 1234 5678 93 ", "1234567893"),
        ("\t1234567893\n", "1234567893"),
        ("05-0001", "050001"),
        ("05\u20130001", "050001"),
        ("11.222.333/0001-81", "11222333000181"),
        ("12.abc.345/01de-35", "12ABC34501DE35"),
        ("in 2710 0042 69", "IN2710004269"),
        ("", ""),
    ],
)
def test_normalize_strips_separators_and_upper_cases(value, normalized):
    result = normalize(value)

    assert result == normalized


def test_identifier_result_is_valid_accepts_warnings():
    valid = validate_cnes("2077485")
    warning = validate_cnes("2077484")
    invalid = validate_cnes("207748")

    verdicts = (valid.is_valid, warning.is_valid, invalid.is_valid)

    assert verdicts == (True, True, False)


def test_validators_cover_every_kind_by_its_own_name():
    values = {
        "npi": "1234567893",
        "ccn": "050001",
        "cnes": "2077485",
        "cnpj": "11222333000181",
        "hfr_id": "IN2710004269",
    }

    results = {kind: VALIDATORS[kind](value) for kind, value in values.items()}

    assert set(VALIDATORS) == set(values)
    assert {kind: (result.kind, result.outcome) for kind, result in results.items()} == {
        kind: (kind, VALID) for kind in values
    }


def test_validators_ccn_rejects_supplier_numbers_without_a_facility_type():
    result = VALIDATORS["ccn"]("05C1234567")

    assert result.outcome == INVALID


def test_npi_check_digit_reproduces_the_cms_worked_example():
    digit = npi_check_digit("123456789")

    assert digit == "3"


@pytest.mark.parametrize("first_nine", ["12345678", "1234567890", "12345678A", "\uff1123456789"])
def test_npi_check_digit_rejects_anything_but_nine_digits(first_nine):
    with pytest.raises(ValueError, match="expected 9 digits"):
        npi_check_digit(first_nine)


nine_digit_bases = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("12"),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
)


@given(nine_digit_bases)
def test_npi_check_digit_builds_numbers_that_validate(base):
    npi = base + npi_check_digit(base)

    result = validate_npi(npi)

    assert result.outcome == VALID


@given(nine_digit_bases)
def test_npi_check_digit_catches_every_single_digit_change(base):
    npi = base + npi_check_digit(base)
    mutants = [
        npi[:position] + digit + npi[position + 1 :]
        for position in range(10)
        for digit in "0123456789"
        if digit != npi[position]
    ]

    outcomes = {validate_npi(mutant).outcome for mutant in mutants}

    assert outcomes == {INVALID}
