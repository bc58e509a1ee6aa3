"""The admin of compliance records: attestations, evidence and custom rules scoped like the
registry, with history rows for every save; check runs and checks read-only for everyone."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse

from compliance import services
from compliance.engine import run_checks
from compliance.models import Attestation, CheckRun, ComplianceCheck, CustomComplianceRule
from facilities.models import Facility, Membership
from tests.factories import FacilityFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.factories.compliance import AttestationFactory, CustomComplianceRuleFactory

ADDRESSABLE = "HIPAA-164.308(a)(3)(ii)(A)"


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def org_a():
    return OrganizationFactory(name="Alpha Health")


@pytest.fixture
def org_b():
    return OrganizationFactory(name="Beta Care")


@pytest.fixture
def officer(org_a):
    """A staff officer of organization A with every permission of the compliance app: the
    admin itself must keep them to organization A."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label="compliance")
            | Q(content_type__app_label="facilities", codename__startswith="view_")
        )
    )
    MembershipFactory(organization=org_a, user=user, role=Membership.Role.OFFICER)
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _admin_url(model, view, *args):
    return reverse(f"admin:compliance_{model}_{view}", args=args)


def _check(facility):
    [run] = run_checks(Facility.objects.filter(pk=facility.pk), actor=UserFactory(), via="test")
    return run.checks.get()


def _history(model, pk):
    return list(
        model.history.filter(id=pk)
        .order_by("history_id")
        .values_list("history_type", "history_user", "history_change_reason")
    )


# --- Changelists ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["attestation", "evidencefile", "customcompliancerule", "checkrun", "compliancecheck"]
)
def test_changelist_of_every_compliance_model_lists_the_rows_for_a_superuser(
    superuser_client, evidence_root, model
):
    facility = FacilityFactory()
    attestation = AttestationFactory(organization=facility.organization)
    evidence = services.evidence_attach(
        actor=attestation.attested_by,
        organization=facility.organization,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"),
        attestation=attestation,
        via="test",
    )
    rule = CustomComplianceRuleFactory(organization=facility.organization)
    check = _check(facility)
    expected = {
        "attestation": attestation,
        "evidencefile": evidence,
        "customcompliancerule": rule,
        "checkrun": check.run,
        "compliancecheck": check,
    }[model]

    response = superuser_client.get(_admin_url(model, "changelist"))

    assert list(response.context["cl"].result_list) == [expected]


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["attestation", "customcompliancerule", "compliancecheck"])
def test_officer_changelists_hide_other_organizations(officer_client, org_a, org_b, model):
    mine, theirs = FacilityFactory(organization=org_a), FacilityFactory(organization=org_b)
    rows = {
        "attestation": lambda f: AttestationFactory(organization=f.organization, facility=f),
        "customcompliancerule": lambda f: CustomComplianceRuleFactory(organization=f.organization),
        "compliancecheck": _check,
    }[model]
    expected, _other = rows(mine), rows(theirs)

    response = officer_client.get(_admin_url(model, "changelist"))

    assert list(response.context["cl"].result_list) == [expected]


# --- Checks are read-only, for superusers too -----------------------------------------------


@pytest.mark.django_db
def test_compliance_check_change_and_delete_are_refused_even_to_a_superuser(superuser_client):
    check = _check(FacilityFactory())
    change = _admin_url("compliancecheck", "change", check.pk)

    shown = superuser_client.get(change)
    posted = superuser_client.post(change, {"overall_status": "compliant"})
    delete_page = superuser_client.get(_admin_url("compliancecheck", "delete", check.pk))
    delete_post = superuser_client.post(
        _admin_url("compliancecheck", "delete", check.pk), {"post": "yes"}
    )
    add = superuser_client.get(_admin_url("compliancecheck", "add"))

    assert (posted.status_code, delete_page.status_code, delete_post.status_code) == (
        403,
        403,
        403,
    )
    assert add.status_code == 403
    assert shown.context["has_change_permission"] is False
    assert 'name="_save"' not in shown.content.decode()
    assert ComplianceCheck.objects.get().overall_status == check.overall_status


@pytest.mark.django_db
def test_check_run_change_and_delete_are_refused_even_to_a_superuser(superuser_client):
    run = _check(FacilityFactory()).run

    posted = superuser_client.post(_admin_url("checkrun", "change", run.pk), {"status": "failed"})
    deleted = superuser_client.post(_admin_url("checkrun", "delete", run.pk), {"post": "yes"})

    assert (posted.status_code, deleted.status_code) == (403, 403)
    assert CheckRun.objects.get().status == "finished"


@pytest.mark.django_db
def test_check_changelists_offer_no_actions(superuser_client):
    _check(FacilityFactory())

    responses = [
        superuser_client.get(_admin_url(model, "changelist"))
        for model in ("compliancecheck", "checkrun")
    ]

    assert [response.context["action_form"] for response in responses] == [None, None]


@pytest.mark.django_db
def test_officer_gets_doesnt_exist_for_another_organizations_check(officer_client, org_b):
    check = _check(FacilityFactory(organization=org_b))

    response = officer_client.get(_admin_url("compliancecheck", "change", check.pk))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


# --- Attestations ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_attestation_admin_add_records_the_staff_user_as_attester_and_admin_add(
    officer_client, officer, org_a
):
    facility = FacilityFactory(organization=org_a)
    today = org_a.today()

    response = officer_client.post(
        _admin_url("attestation", "add"),
        {
            "organization": org_a.pk,
            "facility": facility.pk,
            "requirement_code": ADDRESSABLE,
            "outcome": "implemented",
            "attested_on": today.isoformat(),
            "change_note": "",
        },
    )

    attestation = Attestation.objects.get()
    assert response.status_code == 302
    assert (attestation.facility, attestation.attested_by) == (facility, officer)
    assert _history(Attestation, attestation.pk) == [("+", officer.pk, "admin: add")]


@pytest.mark.django_db
def test_attestation_admin_refuses_not_reasonable_without_the_alternative(superuser_client, org_a):
    response = superuser_client.post(
        _admin_url("attestation", "add"),
        {
            "organization": org_a.pk,
            "requirement_code": ADDRESSABLE,
            "outcome": "not_reasonable",
            "justification": "Small practice.",
            "attested_on": org_a.today().isoformat(),
        },
    )

    assert response.context["adminform"].form.errors == {
        "alternative": ["Describe the equivalent alternative adopted."]
    }
    assert not Attestation.objects.exists()


@pytest.mark.django_db
def test_attestation_admin_refuses_a_future_date(superuser_client, org_a):
    response = superuser_client.post(
        _admin_url("attestation", "add"),
        {
            "organization": org_a.pk,
            "requirement_code": ADDRESSABLE,
            "outcome": "implemented",
            "attested_on": (org_a.today() + datetime.timedelta(days=2)).isoformat(),
        },
    )

    assert response.context["adminform"].form.errors == {
        "attested_on": ["An attestation cannot be dated in the future."]
    }


@pytest.mark.django_db
def test_attestation_admin_change_records_admin_change_with_the_note(
    superuser_client, superuser, org_a
):
    attestation = AttestationFactory(organization=org_a)
    url = _admin_url("attestation", "change", attestation.pk)

    response = superuser_client.post(
        url,
        {
            "facility": "",
            "requirement_code": attestation.requirement_code,
            "outcome": "implemented",
            "attested_on": attestation.attested_on.isoformat(),
            "note": "signed copy on file",
            "change_note": "added the note",
        },
    )

    attestation.refresh_from_db()
    assert response.status_code == 302
    assert (attestation.organization, attestation.note) == (org_a, "signed copy on file")
    assert _history(Attestation, attestation.pk)[-1] == (
        "~",
        superuser.pk,
        "admin: change — added the note",
    )


# --- Evidence files -------------------------------------------------------------------------


@pytest.mark.django_db
def test_evidence_file_admin_adds_and_changes_nothing(superuser_client, evidence_root):
    attestation = AttestationFactory()
    evidence = services.evidence_attach(
        actor=attestation.attested_by,
        organization=attestation.organization,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"),
        attestation=attestation,
        via="test",
    )

    add = superuser_client.get(_admin_url("evidencefile", "add"))
    change = superuser_client.post(
        _admin_url("evidencefile", "change", evidence.pk), {"original_name": "b.pdf"}
    )
    shown = superuser_client.get(_admin_url("evidencefile", "change", evidence.pk))

    assert (add.status_code, change.status_code) == (403, 403)
    assert evidence.get_absolute_url() in shown.content.decode()


# --- Custom rules ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_custom_rule_admin_refuses_invalid_logic(superuser_client, org_a):
    response = superuser_client.post(
        _admin_url("customcompliancerule", "add"),
        {
            "organization": org_a.pk,
            "code": "CUSTOM-X",
            "name": "X",
            "logic": '{"require": {"eval": "rm -rf /"}}',
        },
    )

    assert response.context["adminform"].form.errors == {
        "logic": ["require: unknown operator 'eval'."]
    }
    assert not CustomComplianceRule.objects.exists()


@pytest.mark.django_db
def test_custom_rule_admin_change_makes_a_new_version_with_admin_change(
    superuser_client, superuser, org_a
):
    rule = CustomComplianceRuleFactory(organization=org_a, code="CUSTOM-A")

    response = superuser_client.post(
        _admin_url("customcompliancerule", "change", rule.pk),
        {
            "code": "CUSTOM-A",
            "name": "Renamed",
            "description": rule.description,
            "logic": '{"require": {"accredited": {"body": "TJC"}}}',
            "change_note": "TJC instead",
        },
    )

    rule.refresh_from_db()
    assert response.status_code == 302
    assert (rule.name, rule.logic, rule.version) == (
        "Renamed",
        {"require": {"accredited": {"body": "TJC"}}},
        2,
    )
    assert _history(CustomComplianceRule, rule.pk)[-1] == (
        "~",
        superuser.pk,
        "admin: change — TJC instead",
    )


@pytest.mark.django_db
def test_officer_can_read_but_not_write_custom_rules_in_the_admin(officer_client, org_a):
    rule = CustomComplianceRuleFactory(organization=org_a)

    shown = officer_client.get(_admin_url("customcompliancerule", "change", rule.pk))
    posted = officer_client.post(
        _admin_url("customcompliancerule", "change", rule.pk),
        {"code": rule.code, "name": "Mine now", "logic": '{"require": {"==": [1, 1]}}'},
    )
    add = officer_client.get(_admin_url("customcompliancerule", "add"))

    assert shown.status_code == 200
    assert (posted.status_code, add.status_code) == (403, 403)
    rule.refresh_from_db()
    assert rule.name != "Mine now"
