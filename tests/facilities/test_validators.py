"""The Django wrappers of the identifier checks: no database needed."""

import pytest
from django.core.exceptions import ValidationError

from compliance.regulations.identifiers import Outcome
from facilities.validators import (
    ccn_validator,
    cnes_validator,
    cnpj_validator,
    hfr_id_validator,
    npi_validator,
    validate_identifier,
)


def test_validate_identifier_raises_the_rule_message_for_an_invalid_npi():
    with pytest.raises(ValidationError) as raised:
        validate_identifier("npi", "1234567890")

    assert raised.value.messages == ["NPI check digit does not match."]
    assert raised.value.code == "invalid_npi"


def test_validate_identifier_returns_a_warning_for_a_surgery_centre_supplier_ccn():
    result = validate_identifier("ccn", "05C1234567", facility_type="ambulatory_surgery_centre")

    assert result.outcome == Outcome.WARNING
    assert result.message == "Supplier CCN format is unverified; check it against the CMS record."


def test_validate_identifier_rejects_a_supplier_ccn_for_a_hospital():
    with pytest.raises(ValidationError) as raised:
        validate_identifier("ccn", "05C1234567", facility_type="hospital")

    assert raised.value.code == "invalid_ccn"


def test_validate_identifier_returns_the_normalized_value():
    result = validate_identifier("cnpj", "12.abc.345/01de-35")

    assert result.outcome == Outcome.VALID
    assert result.normalized == "12ABC34501DE35"


def test_validate_identifier_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown identifier kind"):
        validate_identifier("ssn", "123-45-6789")


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (npi_validator, "1234567893"),
        (ccn_validator, "050001"),
        (ccn_validator, "05C1234567"),
        (cnes_validator, "2077484"),
        (cnpj_validator, "11.222.333/0001-81"),
        (hfr_id_validator, "IN2710004269"),
    ],
)
def test_field_validators_accept_valid_numbers_and_warnings(validator, value):
    result = validator(value)

    assert result is None


@pytest.mark.parametrize(
    ("validator", "value", "code"),
    [
        (npi_validator, "3234567893", "invalid_npi"),
        (ccn_validator, "0500001", "invalid_ccn"),
        (cnes_validator, "207748", "invalid_cnes"),
        (cnpj_validator, "11.222.333/0001-80", "invalid_cnpj"),
        (hfr_id_validator, "IN-MH-100892", "invalid_hfr_id"),
    ],
)
def test_field_validators_reject_invalid_numbers(validator, value, code):
    with pytest.raises(ValidationError) as raised:
        validator(value)

    assert raised.value.code == code
