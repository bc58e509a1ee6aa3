"""Custom rules: admins write, dry-run, activate and deactivate; every member reads."""

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from compliance import services
from compliance.models import CustomComplianceRule
from geography.models import Country, State
from tests.factories import AccreditationFactory, FacilityFactory
from tests.factories.compliance import CustomComplianceRuleFactory
from tests.factories.tenancy import make_tenancy

LOGIC = {
    "when": {">=": [{"fact": "facility.beds"}, 200]},
    "require": {"accredited": {"body": "JCI"}},
}


@pytest.fixture
def tenancy(db):
    return make_tenancy()


def _url(name, tenancy, **kwargs):
    return reverse(f"compliance:{name}", kwargs={"org": tenancy.organization.slug, **kwargs})


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _data(**overrides):
    data = {
        "code": "CUSTOM-BIG-SITES-JCI",
        "name": "Large sites hold JCI",
        "description": "Sites of 200 beds or more are JCI-accredited.",
        "country": "",
        "state": "",
        "logic": json.dumps(LOGIC),
        "note": "board decision",
    }
    data.update(overrides)
    return data


def _history(rule):
    return list(
        CustomComplianceRule.history.filter(id=rule.pk)
        .order_by("history_id")
        .values_list("history_change_reason", "history_user", "is_active", "version")
    )


@pytest.mark.django_db
def test_rule_create_saves_an_inactive_rule_with_its_history(client, tenancy):
    client.force_login(tenancy.admin)

    response = client.post(_url("rule-create", tenancy), _data())

    rule = CustomComplianceRule.objects.get()
    assert response["Location"] == _url("rule-list", tenancy)
    assert _messages(response) == [
        "Rule “CUSTOM-BIG-SITES-JCI: Large sites hold JCI” created. "
        "It is inactive until you activate it."
    ]
    assert (rule.organization, rule.code, rule.logic, rule.is_active, rule.version) == (
        tenancy.organization,
        "CUSTOM-BIG-SITES-JCI",
        LOGIC,
        False,
        1,
    )
    assert _history(rule) == [
        ("web: custom rule create — board decision", tenancy.admin.pk, False, 1)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("logic", "message"),
    [
        ('{"require": ', "This is not valid JSON: Expecting value: line 1 column 12 (char 11)."),
        (
            json.dumps({"require": {"xor": [True, False]}}),
            "require: unknown operator 'xor'.",
        ),
        (
            json.dumps(
                {
                    "require": {
                        "not": {
                            "not": {
                                "not": {
                                    "not": {
                                        "not": {
                                            "not": {
                                                "not": {"not": {"not": {"not": {"==": [1, 1]}}}}
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            ),
            "require.not.not.not.not.not.not.not.not.not.not: the rule is nested deeper than "
            "10 levels.",
        ),
        (
            '{"require": ' + '{"not": ' * 1000 + '{"==": [1, 1]}' + "}" * 1001,
            "require" + ".not" * 10 + ": the rule is nested deeper than 10 levels.",
        ),
        (
            json.dumps({"require": {"in": ["x", ["y" * 90] * 120]}}),
            "The rule is 11308 bytes long; the limit is 10000.",
        ),
        ('["require"]', 'The rule must be an object with a "require" expression.'),
    ],
    ids=["malformed", "unknown-operator", "too-deep", "a-thousand-levels", "too-long", "list"],
)
def test_rule_create_with_bad_logic_shows_the_error_at_the_logic_and_saves_nothing(
    client, tenancy, logic, message
):
    client.force_login(tenancy.admin)

    response = client.post(_url("rule-create", tenancy), _data(logic=logic))

    assert response.status_code == 200
    assert response.context["form"].errors == {"logic": [message]}
    assert not CustomComplianceRule.objects.exists()


@pytest.mark.django_db
def test_rule_create_refuses_a_state_of_another_country_and_a_taken_code(client, tenancy):
    CustomComplianceRuleFactory(organization=tenancy.organization, code="CUSTOM-TAKEN")
    client.force_login(tenancy.admin)

    response = client.post(
        _url("rule-create", tenancy),
        _data(
            code="custom-taken",
            country=Country.objects.get(code="US").pk,
            state=State.objects.get(code="BR-SP").pk,
        ),
    )

    assert response.context["form"].errors == {
        "code": ["Another rule of this organization has this code."],
        "state": ["Choose a state of the chosen country."],
    }
    assert CustomComplianceRule.objects.count() == 1


@pytest.mark.django_db
def test_rule_create_refuses_a_code_without_the_custom_prefix(client, tenancy):
    client.force_login(tenancy.admin)

    response = client.post(_url("rule-create", tenancy), _data(code="FIRE-DRILL"))

    assert response.context["form"].errors == {
        "code": ["Start with CUSTOM- and use only letters, digits and dashes."]
    }
    assert not CustomComplianceRule.objects.exists()


@pytest.mark.django_db
def test_rule_form_update_choices_narrows_the_states_to_the_country_and_saves_nothing(
    client, tenancy
):
    brazil = Country.objects.get(code="BR")
    client.force_login(tenancy.admin)

    response = client.post(
        _url("rule-create", tenancy), _data(country=brazil.pk, logic="{", _refresh="1")
    )

    form = response.context["form"]
    assert not form.is_bound
    assert set(form.fields["state"].queryset.values_list("country__code", flat=True)) == {"BR"}
    assert not CustomComplianceRule.objects.exists()


@pytest.mark.django_db
def test_rule_dry_run_shows_each_facility_and_saves_nothing(client, tenancy):
    large = FacilityFactory(organization=tenancy.organization, facility_name="Large", bed_count=300)
    AccreditationFactory(facility=large, accreditation_body="JCI", certificate_number="J-1")
    FacilityFactory(organization=tenancy.organization, facility_name="Unaccredited", bed_count=250)
    FacilityFactory(organization=tenancy.organization, facility_name="Small", bed_count=20)
    FacilityFactory(organization=tenancy.other_organization, facility_name="Theirs", bed_count=900)
    client.force_login(tenancy.admin)

    response = client.post(_url("rule-create", tenancy), _data(_dry_run="1"))

    rows = sorted((row.facility_name, row.applies, row.met) for row in response.context["dry_run"])
    assert rows == [
        ("Large", True, True),
        ("Small", False, False),
        ("Unaccredited", True, False),
    ]
    assert "Dry run: what this rule says today" in response.content.decode()
    assert not CustomComplianceRule.objects.exists()


@pytest.mark.django_db
def test_rule_dry_run_of_an_edit_leaves_the_rule_as_it_was(client, tenancy):
    rule = CustomComplianceRuleFactory(organization=tenancy.organization)
    FacilityFactory(organization=tenancy.organization, bed_count=10)
    client.force_login(tenancy.admin)

    response = client.post(
        _url("rule-edit", tenancy, pk=rule.pk),
        _data(
            code=rule.code,
            logic=json.dumps({"require": {"accredited": {"body": "TJC"}}}),
            _dry_run="1",
        ),
    )

    rule.refresh_from_db()
    assert [(row.applies, row.met) for row in response.context["dry_run"]] == [(True, False)]
    assert (rule.logic, rule.version) == (
        {
            "when": {">=": [{"fact": "facility.beds"}, 200]},
            "require": {"accredited": {"body": "JCI"}},
        },
        1,
    )


@pytest.mark.django_db
def test_rule_edit_saves_a_new_version_with_its_history(client, tenancy):
    rule = CustomComplianceRuleFactory(organization=tenancy.organization, code="CUSTOM-A")
    client.force_login(tenancy.admin)

    response = client.post(
        _url("rule-edit", tenancy, pk=rule.pk),
        _data(code="CUSTOM-A", name="Renamed", logic=json.dumps(LOGIC), note="clarified"),
    )

    rule.refresh_from_db()
    assert response["Location"] == _url("rule-list", tenancy)
    assert (rule.name, rule.version) == ("Renamed", 2)
    assert _history(rule)[-1] == ("web: custom rule edit — clarified", tenancy.admin.pk, False, 2)


@pytest.mark.django_db
def test_rule_edit_form_shows_the_logic_as_json(client, tenancy):
    rule = CustomComplianceRuleFactory(organization=tenancy.organization)
    client.force_login(tenancy.admin)

    response = client.get(_url("rule-edit", tenancy, pk=rule.pk))

    assert json.loads(response.context["form"]["logic"].value()) == rule.logic


@pytest.mark.django_db
def test_rule_activate_and_deactivate_record_history(client, tenancy):
    rule = CustomComplianceRuleFactory(organization=tenancy.organization, code="CUSTOM-A")
    client.force_login(tenancy.admin)

    activated = client.post(_url("rule-activate", tenancy, pk=rule.pk))
    rule.refresh_from_db()
    active_after_activate = rule.is_active
    deactivated = client.post(_url("rule-deactivate", tenancy, pk=rule.pk))

    rule.refresh_from_db()
    assert (active_after_activate, rule.is_active) == (True, False)
    assert _messages(activated) == ["Rule CUSTOM-A is active: the next checks apply it."]
    # Nothing was displayed in between: the second response still holds the first message.
    assert _messages(deactivated) == [
        "Rule CUSTOM-A is active: the next checks apply it.",
        "Rule CUSTOM-A is inactive: checks no longer apply it.",
    ]
    assert _history(rule)[1:] == [
        ("web: custom rule activate", tenancy.admin.pk, True, 1),
        ("web: custom rule deactivate", tenancy.admin.pk, False, 1),
    ]


@pytest.mark.django_db
def test_rule_pages_refuse_an_officer_any_write(client, tenancy):
    rule = CustomComplianceRuleFactory(organization=tenancy.organization)
    client.force_login(tenancy.officer)

    answers = [
        client.post(_url("rule-create", tenancy), _data()).status_code,
        client.post(_url("rule-edit", tenancy, pk=rule.pk), _data()).status_code,
        client.post(_url("rule-activate", tenancy, pk=rule.pk)).status_code,
    ]

    assert answers == [403, 403, 403]
    assert list(CustomComplianceRule.objects.values_list("code", "is_active")) == [
        (rule.code, False)
    ]


@pytest.mark.django_db
def test_rule_list_shows_the_rules_and_offers_changes_to_admins_only(client, tenancy):
    rule = CustomComplianceRuleFactory(
        organization=tenancy.organization,
        code="CUSTOM-SP",
        country=Country.objects.get(code="BR"),
        state=State.objects.get(code="BR-SP"),
    )
    CustomComplianceRuleFactory(organization=tenancy.other_organization, code="CUSTOM-THEIRS")

    client.force_login(tenancy.viewer)
    as_viewer = client.get(_url("rule-list", tenancy))
    client.force_login(tenancy.admin)
    as_admin = client.get(_url("rule-list", tenancy))

    assert [row.record for row in as_viewer.context["table"].paginated_rows] == [rule]
    assert "São Paulo" in as_viewer.content.decode()
    assert _url("rule-edit", tenancy, pk=rule.pk) not in as_viewer.content.decode()
    assert _url("rule-edit", tenancy, pk=rule.pk) in as_admin.content.decode()
    assert _url("rule-activate", tenancy, pk=rule.pk) in as_admin.content.decode()


@pytest.mark.django_db
def test_rule_history_lists_every_change_newest_first(client, tenancy):
    rule = CustomComplianceRuleFactory(organization=tenancy.organization)
    services.custom_rule_set_active(actor=tenancy.admin, rule=rule, active=True, via="web")
    client.force_login(tenancy.viewer)

    response = client.get(_url("rule-history", tenancy, pk=rule.pk))

    entries = response.context["entries"]
    assert [(e.action, e.reason) for e in entries] == [
        ("changed", "web: custom rule activate"),
        ("created", "test: factory"),
    ]
    assert [(c.field, c.old, c.new) for c in entries[0].changes] == [("Active", "no", "yes")]
