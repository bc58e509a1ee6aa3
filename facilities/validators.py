"""Identifier validators for forms, the admin, imports and model `clean()` (STYLE.md, "Forms").

They wrap the pure checks of `compliance.regulations.identifiers`, whose messages are marked
there with a no-op marker and translated here, where they are displayed.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from compliance.regulations import identifiers
from compliance.regulations.identifiers import IdentifierResult, Outcome


def validate_identifier(
    kind: str, value: str, *, facility_type: str | None = None
) -> IdentifierResult:
    """Validate `value` as an identifier of `kind` ("npi", "ccn", "cnes", "cnpj", "hfr_id").

    Raises ValidationError naming the failed rule when the number is rejected; otherwise
    returns the result, so that the caller stores `result.normalized` and shows a warning.
    `facility_type` matters only for a CCN (a supplier number is allowed for an ambulatory
    surgery centre).
    """
    if kind == "ccn":
        result = identifiers.validate_ccn(value, facility_type=facility_type)
    elif kind in identifiers.VALIDATORS:
        result = identifiers.VALIDATORS[kind](value)
    else:
        raise ValueError(f"unknown identifier kind: {kind!r}")
    if result.outcome is Outcome.INVALID:
        raise ValidationError(gettext(result.message), code=f"invalid_{kind}")
    return result


def npi_validator(value: str) -> None:
    validate_identifier("npi", value)


def ccn_validator(value: str) -> None:
    """Accept either CCN shape: a field validator cannot see the facility type, so the model's
    `clean()` calls `validate_identifier("ccn", ..., facility_type=...)` to reject a supplier
    number on anything but an ambulatory surgery centre."""
    validate_identifier("ccn", value, facility_type="ambulatory_surgery_centre")


def cnes_validator(value: str) -> None:
    validate_identifier("cnes", value)


def cnpj_validator(value: str) -> None:
    validate_identifier("cnpj", value)


def hfr_id_validator(value: str) -> None:
    validate_identifier("hfr_id", value)
