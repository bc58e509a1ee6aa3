"""Facility identifier formats and check digits (facts §6, §9; DESIGN.md §4).

Each validator normalises its input, checks it and returns an `IdentifierResult` instead of
raising, so that forms, imports and the admin can report the rule that failed and still accept
a warning. A warning marks a check that rests on an unverified fact: such a check never rejects
a number (facts legend: an [M] fact is encoded only as a warning or a documented default).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from stdnum.br import cnpj as stdnum_cnpj
from stdnum.exceptions import ValidationError as StdnumValidationError

from compliance.regulations._i18n import _


class Outcome(StrEnum):
    VALID = "valid"
    WARNING = "warning"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class IdentifierResult:
    """The outcome of validating one identifier; store `normalized`, show `message`."""

    kind: str
    normalized: str
    outcome: Outcome
    message: str

    @property
    def is_valid(self) -> bool:
        """True unless the number was rejected: a warning is accepted."""
        return self.outcome is not Outcome.INVALID


# Typographic dashes arrive from pasted documents as often as the ASCII one.
_SEPARATORS = frozenset("./-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")

# re.ASCII: a bare \d would also accept other scripts' digits, which no registry issues.
_NPI_RE = re.compile(r"[0-9]{10}", re.ASCII)
_CCN_PROVIDER_RE = re.compile(r"[0-9]{2}[0-9A-Z][0-9]{3}", re.ASCII)
_CCN_SUPPLIER_RE = re.compile(r"[0-9]{2}[A-Z][0-9]{7}", re.ASCII)
_CNES_RE = re.compile(r"[0-9]{7}", re.ASCII)
_CNPJ_CHARS_RE = re.compile(r"[0-9A-Z]*", re.ASCII)
_HFR_ID_RE = re.compile(r"IN[0-9]{10}", re.ASCII)

# The facility type allowed a 10-character supplier CCN (vocabularies.FACILITY_TYPES).
_AMBULATORY_SURGERY_CENTRE = "ambulatory_surgery_centre"

# An NPI's check digit is computed as if the number carried this prefix (facts §6).
_NPI_PREFIX = "80840"

_CNES_WEIGHTS = (7, 6, 5, 4, 3, 2)


def normalize(value: str) -> str:
    """Strip whitespace, dots, dashes and slashes, and upper-case the rest.

    Registries print identifiers with separators ("05-0001", "11.222.333/0001-81"); the
    normalised form is the one stored and compared.
    """
    return "".join(char for char in value if not char.isspace() and char not in _SEPARATORS).upper()


def _result(kind: str, normalized: str, outcome: Outcome, message: str = "") -> IdentifierResult:
    return IdentifierResult(kind=kind, normalized=normalized, outcome=outcome, message=message)


def _luhn_check_digit(payload: str) -> str:
    """Return the Luhn digit that makes `payload` + digit pass ("double-add-double")."""
    total = 0
    # The digit next to the future check digit is doubled, then every second one leftwards.
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def npi_check_digit(first_nine: str) -> str:
    """Return the NPI check digit for the first nine digits (CMS "Requirements for NPI Check
    Digit", facts §6: Luhn computed as if the number were prefixed by 80840)."""
    if not re.fullmatch(r"[0-9]{9}", first_nine, re.ASCII):
        raise ValueError(f"expected 9 digits, got {first_nine!r}")
    return _luhn_check_digit(_NPI_PREFIX + first_nine)


def validate_npi(value: str) -> IdentifierResult:
    """US National Provider Identifier: 10 digits, starting with 1 or 2, Luhn check digit
    under the 80840 prefix (facts §4.1, §6) [V algorithm]."""
    normalized = normalize(value)
    if not _NPI_RE.fullmatch(normalized):
        return _result("npi", normalized, Outcome.INVALID, _("NPI must be 10 digits."))
    if normalized[0] not in "12":
        return _result("npi", normalized, Outcome.INVALID, _("NPI must start with 1 or 2."))
    if npi_check_digit(normalized[:9]) != normalized[9]:
        return _result("npi", normalized, Outcome.INVALID, _("NPI check digit does not match."))
    return _result("npi", normalized, Outcome.VALID)


def validate_ccn(value: str, *, facility_type: str | None = None) -> IdentifierResult:
    """CMS Certification Number: 6 characters for providers, no check digit (CMS S&C 16-09-ALL,
    SOM §2779A; facts §4.1, §6) [V structure].

    Suppliers such as ambulatory surgery centres have a 10-character number; that shape is [M],
    so it is accepted only for an ambulatory surgery centre, and then with a warning.
    """
    normalized = normalize(value)
    if _CCN_PROVIDER_RE.fullmatch(normalized):
        return _result("ccn", normalized, Outcome.VALID)
    is_supplier_shape = _CCN_SUPPLIER_RE.fullmatch(normalized) is not None
    if facility_type == _AMBULATORY_SURGERY_CENTRE:
        if is_supplier_shape:
            return _result(
                "ccn",
                normalized,
                Outcome.WARNING,
                _("Supplier CCN format is unverified; check it against the CMS record."),
            )
        return _result(
            "ccn",
            normalized,
            Outcome.INVALID,
            _(
                "CCN must be 6 characters (2 digits, a digit or letter, 3 digits) or, for an "
                "ambulatory surgery centre, 10 characters (2 digits, a letter, 7 digits)."
            ),
        )
    if is_supplier_shape:
        return _result(
            "ccn",
            normalized,
            Outcome.INVALID,
            _("A 10-character supplier CCN is accepted only for an ambulatory surgery centre."),
        )
    return _result(
        "ccn",
        normalized,
        Outcome.INVALID,
        _("CCN must be 6 characters: 2 digits, a digit or letter, then 3 digits."),
    )


def _cnes_check_digit_matches(code: str) -> bool:
    """The empirical CNES rule: mod 11 with weights 7..2, remainder 0 gives 0 (facts §6) [C].

    It matched 46 of 47 real codes; the one miss had remainder 1, whose rule is unknown, so any
    digit is accepted there.
    """
    remainder = (
        sum(int(digit) * weight for digit, weight in zip(code[:6], _CNES_WEIGHTS, strict=True)) % 11
    )
    if remainder == 1:
        return True
    expected = 0 if remainder == 0 else 11 - remainder
    return int(code[6]) == expected


def validate_cnes(value: str) -> IdentifierResult:
    """Brazil CNES: 7 digits, leading zeros kept (Portaria SAS 403/2000 art. 3; facts §6, §9).

    The Portaria says the 7th digit is a check digit but publishes no algorithm [M], so a
    mismatch with the usual rule is a warning, never a rejection.
    """
    normalized = normalize(value)
    if not _CNES_RE.fullmatch(normalized):
        return _result("cnes", normalized, Outcome.INVALID, _("CNES must be exactly 7 digits."))
    if not _cnes_check_digit_matches(normalized):
        return _result(
            "cnes",
            normalized,
            Outcome.WARNING,
            _("CNES check digit does not match the usual rule; verify the number in CNES."),
        )
    return _result("cnes", normalized, Outcome.VALID)


def validate_cnpj(value: str) -> IdentifierResult:
    """Brazil CNPJ, numeric or alphanumeric (IN RFB 2.229/2024, from July 2026): 12 characters
    of digits or letters and two numeric mod-11 check digits (facts §6) [V + C].

    The check digits are computed by python-stdnum (`stdnum.br.cnpj`), which supports both
    forms; the shape is checked here first so that each failure names its own rule.
    """
    normalized = normalize(value)
    if not _CNPJ_CHARS_RE.fullmatch(normalized):
        return _result(
            "cnpj",
            normalized,
            Outcome.INVALID,
            _("CNPJ may contain only digits and the letters A to Z."),
        )
    if len(normalized) != 14:
        return _result("cnpj", normalized, Outcome.INVALID, _("CNPJ must have 14 characters."))
    if not normalized[12:].isdigit():
        return _result(
            "cnpj", normalized, Outcome.INVALID, _("CNPJ must end in two numeric check digits.")
        )
    if len(set(normalized)) == 1:
        return _result(
            "cnpj", normalized, Outcome.INVALID, _("CNPJ cannot be one character repeated.")
        )
    try:
        stdnum_cnpj.validate(normalized)
    except StdnumValidationError:
        # Past the checks above, stdnum rejects only on the check digits: its other rule, a
        # root of twelve zeros, has check digits "00", so any other pair fails the check and
        # "00" itself was rejected as a repeated character.
        return _result("cnpj", normalized, Outcome.INVALID, _("CNPJ check digits do not match."))
    return _result("cnpj", normalized, Outcome.VALID)


def validate_hfr_id(value: str) -> IdentifierResult:
    """India ABDM Health Facility Registry ID: "IN" and 10 digits, no published check digit
    (NHA HFR deck, 2023; facts §3.1, §6) [V observed, C pattern]."""
    normalized = normalize(value)
    if not _HFR_ID_RE.fullmatch(normalized):
        return _result(
            "hfr_id",
            normalized,
            Outcome.INVALID,
            _("HFR ID must be IN followed by 10 digits."),
        )
    return _result("hfr_id", normalized, Outcome.VALID)


# The CCN validator here runs without a facility type, so it accepts provider numbers only;
# callers that know the facility type call validate_ccn with it.
VALIDATORS: Mapping[str, Callable[[str], IdentifierResult]] = MappingProxyType(
    {
        "npi": validate_npi,
        "ccn": validate_ccn,
        "cnes": validate_cnes,
        "cnpj": validate_cnpj,
        "hfr_id": validate_hfr_id,
    }
)
