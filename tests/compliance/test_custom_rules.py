import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance import custom_rules
from compliance.custom_rules import RuleError, applies, satisfied, validate
from tests.compliance.regulations.builders import (
    AS_OF,
    accreditation,
    attestation,
    day,
    facility,
    license,
    snapshot,
)

CLIA_FOR_LABS = {
    "when": {"in": ["laboratory", {"fact": "facility.services"}]},
    "require": {"holds_license": {"type": "US-CLIA", "min_days": 30}},
}


@pytest.mark.parametrize(
    ("licence_expiry", "expected"),
    [(day(30), True), (day(29), False), (None, True)],
)
def test_holds_license_needs_the_licence_for_at_least_n_more_days(licence_expiry, expected):
    state = snapshot(licenses=[license("US-CLIA", expiry_date=licence_expiry)])

    validate(CLIA_FOR_LABS)

    assert satisfied(CLIA_FOR_LABS, state, AS_OF) is expected


def test_when_limits_the_rule_to_matching_facilities():
    lab = snapshot(facility(services={"laboratory"}))
    clinic = snapshot(facility(services=set()))

    assert (applies(CLIA_FOR_LABS, lab, AS_OF), applies(CLIA_FOR_LABS, clinic, AS_OF)) == (
        True,
        False,
    )


def test_comparisons_facts_and_logic_combine():
    document = {
        "require": {
            "or": [
                {"<": [{"fact": "facility.beds"}, 50]},
                {
                    "and": [
                        {"accredited": {"body": "JCI"}},
                        {"not": {"==": [{"fact": "facility.ownership"}, "public"]}},
                    ]
                },
            ]
        }
    }
    big_accredited = snapshot(facility(bed_count=300), accreditations=[accreditation("JCI")])
    big_plain = snapshot(facility(bed_count=300))

    validate(document)

    assert satisfied(document, big_accredited, AS_OF) is True
    assert satisfied(document, big_plain, AS_OF) is False
    assert satisfied(document, snapshot(facility(bed_count=10)), AS_OF) is True


def test_attested_within_days():
    document = {"require": {"attested": {"code": "CUSTOM-DRILL", "within_days": 180}}}
    recent = snapshot(attestations=[attestation("CUSTOM-DRILL", attested_on=day(-180))])
    old = snapshot(attestations=[attestation("CUSTOM-DRILL", attested_on=day(-181))])

    validate(document)

    assert (satisfied(document, recent, AS_OF), satisfied(document, old, AS_OF)) == (True, False)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], 'must be an object with a "require"'),
        ({"require": {"eval": "1"}}, "unknown operator 'eval'"),
        ({"require": {"and": []}}, "expects a list of 1 to 50"),
        ({"require": {"==": [{"fact": "facility.name.__class__"}, 1]}}, "unknown fact"),
        ({"require": {"<": [{"fact": "facility.beds"}, "ten"]}}, "different or unsupported"),
        ({"require": {"holds_license": {"type": "X", "min_days": -1}}}, "between 0 and 3660"),
        ({"require": {"holds_license": {"min_days": 3}}}, "missing arguments type"),
        ({"require": {"==": [1, 1]}, "extra": 1}, "Unknown top-level keys"),
        ({"require": {"in": [{"fact": "facility.services"}, ["a"]]}}, "single value"),
        ({"require": {"==": [True, {"fact": "facility.beds"}]}}, "different or unsupported"),
    ],
)
def test_validate_rejects_bad_documents_with_a_message(document, message):
    with pytest.raises(RuleError, match=message):
        validate(document)


def test_validate_rejects_a_document_nested_too_deep():
    node = {"==": [1, 1]}
    for _ in range(custom_rules.MAX_DEPTH + 1):
        node = {"not": node}

    with pytest.raises(RuleError, match="nested deeper than 10 levels"):
        validate({"require": node})


def test_validate_rejects_an_oversized_document():
    document = {"require": {"or": [{"==": ["x" * 99, "y" * 99]}] * 50}}

    with pytest.raises(RuleError, match="the limit is 10000"):
        validate(document)


# --- Property-based: random documents are rejected with a message or evaluated, never crash ---

_scalars = st.one_of(
    st.integers(min_value=-(10**10), max_value=10**10),
    st.text(max_size=120),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True),
)
_facts = st.builds(lambda name: {"fact": name}, st.sampled_from([*custom_rules.FACTS, "nope"]))
_operators = st.sampled_from(
    [
        "and",
        "or",
        "not",
        "==",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "in",
        "holds_license",
        "accredited",
        "attested",
        "exec",
    ]
)


def _expressions():
    return st.recursive(
        st.one_of(_scalars, _facts),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(_operators, children, min_size=1, max_size=2),
            st.dictionaries(
                st.sampled_from(["type", "min_days", "body", "code", "within_days", "x"]),
                children,
                max_size=3,
            ),
        ),
        max_leaves=40,
    )


_documents = st.one_of(
    _expressions(),
    st.fixed_dictionaries({"require": _expressions()}),
    st.fixed_dictionaries({"require": _expressions(), "when": _expressions()}),
)


@settings(max_examples=400, deadline=None)
@given(document=_documents)
def test_random_documents_are_rejected_with_a_message_or_evaluated(document):
    state = snapshot(
        facility(services={"laboratory"}),
        licenses=[license("US-CLIA")],
        accreditations=[accreditation("JCI")],
        attestations=[attestation("CUSTOM-X")],
    )
    try:
        validate(document)
    except RuleError as error:
        rejection = str(error)
    else:
        rejection = None
    if rejection is not None:
        assert rejection.strip()  # rejected with a message, not a crash
        return

    assert isinstance(applies(document, state, AS_OF), bool)
    assert isinstance(satisfied(document, state, AS_OF), bool)


@settings(max_examples=50, deadline=None)
@given(depth=st.integers(min_value=1, max_value=3000))
def test_deep_documents_never_crash(depth):
    document = {"require": json.loads('{"not":' * depth + '{"==":[1,1]}' + "}" * depth)}
    levels = depth + 1  # the comparison inside the last "not" is a level of its own

    if levels > custom_rules.MAX_DEPTH:
        with pytest.raises(RuleError, match=r"deeper than|the limit is"):
            validate(document)
    else:
        validate(document)
        assert satisfied(document, snapshot(), AS_OF) is (depth % 2 == 0)
