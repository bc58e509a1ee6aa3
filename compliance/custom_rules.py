"""Custom compliance rules: a small, closed JSON logic evaluated without eval().

A rule document is `{"require": <expression>}`, optionally with `"when": <expression>` (the rule
applies only to facilities for which `when` holds). Expressions are JSON objects with exactly
one key, the operator:

- logic: `{"and": [e, ...]}`, `{"or": [e, ...]}`, `{"not": e}`
- comparison: `{"==": [a, b]}`, `!=`, `<`, `<=`, `>`, `>=`; membership: `{"in": [a, [..]]}` or
  `{"in": [a, {"fact": "facility.services"}]}`
- values: literals (strings, integers, booleans) or `{"fact": "<name>"}` from FACTS
- record predicates: `{"holds_license": {"type": "US-CLIA", "min_days": 30}}` (a valid licence
  of that type for at least N more days), `{"accredited": {"body": "JCI"}}`,
  `{"attested": {"code": "CUSTOM-FIRE-DRILL", "within_days": 180}}`

Documents are validated (shape, operators, fact names, operand types, depth, size) before they
are saved; a validated document evaluates without raising. Pure Python, no Django.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from compliance.regulations.evaluation import (
    Status,
    accreditation_finding,
    license_finding,
)
from compliance.regulations.facts import FacilitySnapshot

MAX_BYTES = 10_000
MAX_DEPTH = 10
MAX_NODES = 200
MAX_LIST = 50
MAX_STRING = 100

# The closed set of facts, with their types.
FACTS: dict[str, type] = {
    "facility.type": str,
    "facility.ownership": str,
    "facility.beds": int,
    "facility.country": str,
    "facility.state": str,
    "facility.services": list,
}
LOGICAL = ("and", "or", "not")
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
PREDICATES: dict[str, dict[str, type]] = {
    "holds_license": {"type": str, "min_days": int},
    "accredited": {"body": str},
    "attested": {"code": str, "within_days": int},
}
_REQUIRED_ARGUMENTS = {"holds_license": {"type"}, "accredited": {"body"}, "attested": {"code"}}


class RuleError(ValueError):
    """A rule document that cannot be accepted; the message says where and why."""


@dataclass
class _Budget:
    nodes: int = 0


def validate(document: object) -> None:
    """Raise RuleError unless `document` is a well-formed rule within the limits."""
    try:
        size = len(json.dumps(document))
    except RecursionError:
        raise RuleError(f"The rule is nested deeper than {MAX_DEPTH} levels.") from None
    except (TypeError, ValueError) as error:
        raise RuleError(f"The rule is not valid JSON data: {error}.") from None
    if size > MAX_BYTES:
        raise RuleError(f"The rule is {size} characters long; the limit is {MAX_BYTES}.")
    if not isinstance(document, dict) or "require" not in document:
        raise RuleError('The rule must be an object with a "require" expression.')
    unknown = set(document) - {"require", "when"}
    if unknown:
        raise RuleError(f"Unknown top-level keys: {', '.join(sorted(map(str, unknown)))}.")
    budget = _Budget()
    for key in ("when", "require"):
        if key in document:
            _check_boolean(document[key], key, 1, budget)


def _check_boolean(node: object, path: str, depth: int, budget: _Budget) -> None:
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        raise RuleError(f"The rule has more than {MAX_NODES} parts.")
    if depth > MAX_DEPTH:
        raise RuleError(f"{path}: the rule is nested deeper than {MAX_DEPTH} levels.")
    if not isinstance(node, dict) or len(node) != 1:
        raise RuleError(f"{path}: an expression is an object with exactly one operator.")
    ((operator, operand),) = node.items()
    where = f"{path}.{operator}"
    if operator in ("and", "or"):
        if not isinstance(operand, list) or not 1 <= len(operand) <= MAX_LIST:
            raise RuleError(f"{where}: expects a list of 1 to {MAX_LIST} expressions.")
        for index, item in enumerate(operand):
            _check_boolean(item, f"{where}[{index}]", depth + 1, budget)
    elif operator == "not":
        _check_boolean(operand, where, depth + 1, budget)
    elif operator in COMPARISONS:
        left, right = _pair(operand, where)
        left_type, right_type = _value_type(left, where), _value_type(right, where)
        if left_type is list or right_type is list or left_type is not right_type:
            raise RuleError(f"{where}: compares values of different or unsupported types.")
        if operator not in ("==", "!=") and left_type is bool:
            raise RuleError(f"{where}: true and false cannot be ordered.")
    elif operator == "in":
        left, right = _pair(operand, where)
        if _value_type(left, where) is list:
            raise RuleError(f"{where}: the left side must be a single value.")
        if isinstance(right, list):
            if len(right) > MAX_LIST:
                raise RuleError(f"{where}: lists hold at most {MAX_LIST} values.")
            for item in right:
                _literal_type(item, where)
        elif _value_type(right, where) is not list:
            raise RuleError(f"{where}: the right side must be a list or a list fact.")
    elif operator in PREDICATES:
        _check_predicate(operator, operand, where)
    else:
        raise RuleError(f"{path}: unknown operator {str(operator)[:MAX_STRING]!r}.")


def _pair(operand: object, where: str) -> tuple[object, object]:
    if not isinstance(operand, list) or len(operand) != 2:
        raise RuleError(f"{where}: expects a list of two values.")
    return operand[0], operand[1]


def _literal_type(value: object, where: str) -> type:
    if isinstance(value, bool):
        return bool
    if isinstance(value, int):
        if abs(value) > 10**9:
            raise RuleError(f"{where}: numbers must be between -10^9 and 10^9.")
        return int
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise RuleError(f"{where}: strings hold at most {MAX_STRING} characters.")
        return str
    raise RuleError(f"{where}: values are strings, whole numbers, true or false, or facts.")


def _value_type(value: object, where: str) -> type:
    if isinstance(value, dict):
        if set(value) != {"fact"} or not isinstance(value["fact"], str):
            raise RuleError(f'{where}: a fact is written {{"fact": "<name>"}}.')
        if value["fact"] not in FACTS:
            raise RuleError(
                f"{where}: unknown fact {value['fact'][:MAX_STRING]!r}; "
                f"known facts: {', '.join(FACTS)}."
            )
        return FACTS[value["fact"]]
    return _literal_type(value, where)


def _check_predicate(name: str, arguments: object, where: str) -> None:
    expected = PREDICATES[name]
    if not isinstance(arguments, dict):
        raise RuleError(f"{where}: expects an object of arguments.")
    given: dict[object, object] = arguments
    unknown = set(given) - set(expected)
    if unknown:
        raise RuleError(f"{where}: unknown arguments {', '.join(sorted(map(str, unknown)))}.")
    missing = _REQUIRED_ARGUMENTS[name] - set(map(str, given))
    if missing:
        raise RuleError(f"{where}: missing arguments {', '.join(sorted(missing))}.")
    for key, value in given.items():
        if expected[str(key)] is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise RuleError(f"{where}.{key}: expects a whole number.")
            if not 0 <= value <= 3660:
                raise RuleError(f"{where}.{key}: expects a number of days between 0 and 3660.")
        elif not isinstance(value, str) or not 0 < len(value) <= MAX_STRING:
            raise RuleError(f"{where}.{key}: expects a non-empty text.")


# --- Evaluation -------------------------------------------------------------------------------


def _fact(name: str, snapshot: FacilitySnapshot) -> object:
    facility = snapshot.facility
    values: dict[str, Callable[[], object]] = {
        "facility.type": lambda: facility.facility_type,
        "facility.ownership": lambda: facility.ownership,
        "facility.beds": lambda: facility.bed_count,
        "facility.country": lambda: facility.country,
        "facility.state": lambda: facility.state,
        "facility.services": lambda: sorted(facility.services),
    }
    return values[name]()


def _value(node: object, snapshot: FacilitySnapshot) -> Any:
    if isinstance(node, dict):
        return _fact(node["fact"], snapshot)
    return node


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _holds_license(
    arguments: dict[str, Any], snapshot: FacilitySnapshot, as_of: datetime.date
) -> bool:
    horizon = as_of + datetime.timedelta(days=arguments.get("min_days", 0))
    for license in snapshot.licenses:
        if license.license_type != arguments["type"]:
            continue
        finding = license_finding(license, as_of)
        valid = finding.status in (Status.MET, Status.EXPIRING)
        if valid and (license.expiry_date is None or license.expiry_date >= horizon):
            return True
    return False


def _accredited(
    arguments: dict[str, Any], snapshot: FacilitySnapshot, as_of: datetime.date
) -> bool:
    return any(
        record.body == arguments["body"]
        and accreditation_finding(record, as_of).status in (Status.MET, Status.EXPIRING)
        for record in snapshot.accreditations
    )


def _attested(arguments: dict[str, Any], snapshot: FacilitySnapshot, as_of: datetime.date) -> bool:
    within = arguments.get("within_days")
    for attestation in snapshot.attestations:
        if attestation.requirement_code != arguments["code"] or attestation.attested_on > as_of:
            continue
        if attestation.facility_id not in (None, snapshot.facility.id):
            continue
        if attestation.valid_until and attestation.valid_until < as_of:
            continue
        if within is None or (as_of - attestation.attested_on).days <= within:
            return True
    return False


_PREDICATES: dict[str, Callable[[dict[str, Any], FacilitySnapshot, datetime.date], bool]] = {
    "holds_license": _holds_license,
    "accredited": _accredited,
    "attested": _attested,
}


def _holds(node: dict[str, Any], snapshot: FacilitySnapshot, as_of: datetime.date) -> bool:
    ((operator, operand),) = node.items()
    if operator == "and":
        return all(_holds(item, snapshot, as_of) for item in operand)
    if operator == "or":
        return any(_holds(item, snapshot, as_of) for item in operand)
    if operator == "not":
        return not _holds(operand, snapshot, as_of)
    if operator in _COMPARE:
        return _COMPARE[operator](_value(operand[0], snapshot), _value(operand[1], snapshot))
    if operator == "in":
        return _value(operand[0], snapshot) in _value(operand[1], snapshot)
    return _PREDICATES[operator](operand, snapshot, as_of)


def applies(document: dict[str, Any], snapshot: FacilitySnapshot, as_of: datetime.date) -> bool:
    """Whether a validated rule applies to the facility (its `when`, if any, holds)."""
    return "when" not in document or _holds(document["when"], snapshot, as_of)


def satisfied(document: dict[str, Any], snapshot: FacilitySnapshot, as_of: datetime.date) -> bool:
    """Whether a validated rule's `require` expression holds for the facility on `as_of`."""
    return _holds(document["require"], snapshot, as_of)
