"""Every write to an operational model leaves a history row naming an actor and a reason,
whatever the path (issue 6, item 1; DESIGN.md §9): services, web views, the admin, management
commands, background tasks and the bulk paths. One test per write path, and tests that walk the
registries (tracked models, service functions, admin classes) so that a model, a service or an
admin added later without a history test fails here.
"""

from __future__ import annotations

import datetime
import inspect
import io
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import Model
from django.test import override_settings
from django.urls import reverse

from compliance import benchmark
from compliance import services as compliance_services
from compliance.engine import create_run
from compliance.models import (
    Attestation,
    CheckRun,
    ComplianceCheck,
    CustomComplianceRule,
    EvidenceFile,
)
from compliance.tasks import execute_check_run
from facilities import services
from facilities.actors import SYSTEM_USERNAME, os_user, system_user
from facilities.history import TrackedModel, bulk_create_tracked, bulk_update_tracked
from facilities.models import (
    Accreditation,
    Facility,
    FacilityLicense,
    LeadTimeOverride,
    Membership,
    Organization,
    RecordStatus,
    User,
)
from geography.models import Country, State
from tests.factories import (
    AccreditationFactory,
    FacilityFactory,
    FacilityLicenseFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.factories.compliance import AttestationFactory, CustomComplianceRuleFactory
from tests.factories.tenancy import Tenancy, make_tenancy

PDF = b"%PDF-1.4\n%%EOF\n"
TODAY = datetime.date.today()


@pytest.fixture
def tenancy(db):
    return make_tenancy()


@pytest.fixture
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


def _latest(record: Model) -> Any:
    history = type(record).history  # type: ignore[attr-defined]
    return history.filter(id=record.pk).order_by("-history_date", "-history_id").first()


def _trail(record: Model) -> tuple[Any, str]:
    row = _latest(record)
    return row.history_user, row.history_change_reason


def _tracked_models() -> list[type[Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, TrackedModel)]


# --- Registries -------------------------------------------------------------------------------


def test_every_tracked_model_has_a_history_table_scoped_to_its_organization():
    models = _tracked_models()

    missing = [m.__name__ for m in models if not hasattr(m, "history")]
    # The audit log scopes every history table by its organization column (the organization's
    # own table by its id).
    unscoped = [
        m.__name__
        for m in models
        if m is not Organization
        and "organization_id" not in {f.attname for f in m.history.model._meta.concrete_fields}
    ]

    assert missing == []
    assert unscoped == []
    assert {m.__name__ for m in models} >= {
        "Organization",
        "Membership",
        "Facility",
        "FacilityLicense",
        "Accreditation",
        "Attestation",
        "EvidenceFile",
        "CustomComplianceRule",
    }


def test_only_checks_runs_and_projections_are_written_outside_history():
    """Models of the two apps without history are the append-only or derived ones, each
    carrying its own actor or none by design (a projection, a delivery log, a seal, the
    catalog a rules version names)."""
    from django.apps import apps

    untracked = {
        m.__name__
        for app in ("facilities", "compliance")
        for m in apps.get_app_config(app).get_models()
        if not issubclass(m, TrackedModel) and not m.__name__.startswith("Historical")
    }

    assert untracked <= {
        "User",
        "CheckRun",
        "ComplianceCheck",
        "FacilityStatus",
        "ReminderDelivery",
        "AuditSeal",
        "RulesCatalog",
    }


# --- Services: one case per service function ------------------------------------------------

Case = Callable[[Tenancy], tuple[User, list[tuple[Model, str]]]]


def _facility_data() -> dict[str, Any]:
    state = State.objects.get(code="US-CA")
    return {
        "facility_name": "Harbor",
        "facility_type": "hospital",
        "ownership": "private",
        "country": Country.objects.get(pk=state.country_id),
        "state": state,
    }


def _license_data(number: str = "CA-9") -> dict[str, Any]:
    return {
        "license_type": "US-CA-HOSPITAL",
        "license_number": number,
        "issued_date": TODAY - datetime.timedelta(days=100),
        "expiry_date": TODAY + datetime.timedelta(days=200),
    }


def _facility(t: Tenancy) -> Facility:
    return FacilityFactory(organization=t.organization)


def _organization_create(t: Tenancy):
    org = services.organization_create(
        actor=t.admin, name="New Health", slug="new-health", via="web", note="spin-off"
    )
    membership = Membership.objects.get(organization=org)
    return t.admin, [
        (org, "web: organization create — spin-off"),
        (membership, "web: member add — spin-off"),
    ]


def _membership_add(t: Tenancy):
    membership = services.membership_add(
        actor=t.admin,
        organization=t.organization,
        user_identifier=t.outsider.username,
        role="viewer",
        via="web",
    )
    return t.admin, [(membership, "web: member add")]


def _membership_change_role(t: Tenancy):
    membership = services.membership_change_role(
        actor=t.admin, membership=t.membership(t.viewer), role="officer", via="web"
    )
    return t.admin, [(membership, "web: member change role")]


def _membership_deactivate(t: Tenancy):
    membership = services.membership_deactivate(
        actor=t.admin, membership=t.membership(t.viewer), via="web", note="left"
    )
    return t.admin, [(membership, "web: member deactivate — left")]


def _membership_preferences_update(t: Tenancy):
    membership = services.membership_preferences_update(
        actor=t.viewer,
        membership=t.membership(t.viewer),
        data={"reminders_enabled": False},
        via="web",
    )
    return t.viewer, [(membership, "web: preferences")]


def _facility_create(t: Tenancy):
    facility = services.facility_create(
        actor=t.officer, organization=t.organization, data=_facility_data(), via="web"
    )
    return t.officer, [(facility, "web: facility create")]


def _facility_update(t: Tenancy):
    facility = services.facility_update(
        actor=t.officer, facility=_facility(t), data={"bed_count": 3}, via="web", note="count"
    )
    return t.officer, [(facility, "web: facility edit — count")]


def _facility_close(t: Tenancy):
    facility = services.facility_close(
        actor=t.officer, facility=_facility(t), closed_on=TODAY, via="web", note="merged"
    )
    return t.officer, [(facility, "web: facility close — merged")]


def _facility_reopen(t: Tenancy):
    facility = services.facility_close(
        actor=t.admin, facility=_facility(t), closed_on=TODAY, via="web", note="merged"
    )
    services.facility_reopen(actor=t.officer, facility=facility, via="web", note="undone")
    return t.officer, [(facility, "web: facility reopen — undone")]


def _license_create(t: Tenancy):
    license = services.license_create(
        actor=t.officer, facility=_facility(t), data=_license_data(), via="web"
    )
    return t.officer, [(license, "web: licence add")]


def _license_update(t: Tenancy):
    license = FacilityLicenseFactory(facility=_facility(t))
    services.license_update(
        actor=t.officer, license=license, data={"issued_by": "CDPH"}, via="web", note="typo"
    )
    return t.officer, [(license, "web: licence edit — typo")]


def _license_renew(t: Tenancy):
    license = FacilityLicenseFactory(facility=_facility(t))
    renewal = services.license_renew(
        actor=t.officer,
        license=license,
        data={
            "license_number": "CA-NEW",
            "issued_date": TODAY,
            "expiry_date": license.expiry_date + datetime.timedelta(days=365),
        },
        via="web",
    )
    return t.officer, [(license, "web: licence renew"), (renewal, "web: licence renew")]


def _accreditation_create(t: Tenancy):
    accreditation = services.accreditation_create(
        actor=t.officer,
        facility=_facility(t),
        data={
            "accreditation_body": "TJC",
            "certified_date": TODAY - datetime.timedelta(days=10),
            "expiry_date": TODAY + datetime.timedelta(days=700),
        },
        via="web",
    )
    return t.officer, [(accreditation, "web: accreditation add")]


def _accreditation_update(t: Tenancy):
    accreditation = AccreditationFactory(facility=_facility(t))
    services.accreditation_update(
        actor=t.officer,
        accreditation=accreditation,
        data={"status": RecordStatus.SUSPENDED},
        via="web",
        note="survey",
    )
    return t.officer, [(accreditation, "web: accreditation edit — survey")]


def _lead_time_override_set(t: Tenancy):
    override = services.lead_time_override_set(
        actor=t.admin,
        organization=t.organization,
        license_type="US-CA-HOSPITAL",
        file_by_days=300,
        via="web",
        note="county practice",
    )
    return t.admin, [(override, "web: lead time set — county practice")]


def _lead_time_override_reset(t: Tenancy):
    override = services.lead_time_override_set(
        actor=t.admin,
        organization=t.organization,
        license_type="US-CA-HOSPITAL",
        file_by_days=300,
        via="web",
        note="county practice",
    )
    services.lead_time_override_reset(
        actor=t.officer,
        organization=t.organization,
        license_type="US-CA-HOSPITAL",
        via="web",
        note="back to code",
    )
    return t.officer, [(override, "web: lead time reset — back to code")]


def _records_expire(t: Tenancy):
    license = FacilityLicenseFactory(
        facility=_facility(t),
        issued_date=TODAY - datetime.timedelta(days=400),
        expiry_date=TODAY - datetime.timedelta(days=30),
    )
    actor = system_user()
    services.records_expire(actor=actor, organization=t.organization, via="task")
    return actor, [(license, "task: expiry sweep — past its expiry date")]


def _organization_rotate_calendar_token(t: Tenancy):
    organization = services.organization_rotate_calendar_token(
        actor=t.admin, organization=t.organization, via="web", note="leaked"
    )
    return t.admin, [(organization, "web: calendar token rotated — leaked")]


def _organization_update(t: Tenancy):
    organization = services.organization_update(
        actor=t.admin,
        organization=t.organization,
        data={"name": "Acme Health Group"},
        via="web",
        note="rebranded",
    )
    return t.admin, [(organization, "web: organization edit — rebranded")]


def _evidence_attach(t: Tenancy):
    evidence = compliance_services.evidence_attach(
        actor=t.officer,
        organization=t.organization,
        upload=SimpleUploadedFile("a.pdf", PDF),
        license=FacilityLicenseFactory(facility=_facility(t)),
        via="web",
    )
    return t.officer, [(evidence, "web: evidence upload")]


def _attestation_create(t: Tenancy):
    attestation = compliance_services.attestation_create(
        actor=t.officer,
        organization=t.organization,
        facility=None,
        requirement_code="HIPAA-164.308(a)(1)(ii)(A)",
        outcome="implemented",
        attested_on=TODAY - datetime.timedelta(days=1),
        note="annual",
        evidence=[SimpleUploadedFile("risk.pdf", PDF)],
        via="web",
    )
    evidence = EvidenceFile.objects.get(attestation=attestation)
    return t.officer, [(attestation, "web: attest — annual"), (evidence, "web: evidence upload")]


def _custom_rule_save(t: Tenancy):
    rule = compliance_services.custom_rule_save(
        actor=t.admin,
        organization=t.organization,
        data={
            "code": "CUSTOM-DRILL",
            "name": "Fire drill",
            "description": "",
            "country": None,
            "state": None,
            "logic": {"require": {"accredited": {"body": "JCI"}}},
        },
        via="web",
        note="board",
    )
    return t.admin, [(rule, "web: custom rule create — board")]


def _custom_rule_set_active(t: Tenancy):
    rule = compliance_services.custom_rule_set_active(
        actor=t.admin,
        rule=CustomComplianceRuleFactory(organization=t.organization),
        active=True,
        via="web",
    )
    return t.admin, [(rule, "web: custom rule activate")]


SERVICE_CASES: dict[str, Case] = {
    "facilities.services.organization_create": _organization_create,
    "facilities.services.membership_add": _membership_add,
    "facilities.services.membership_change_role": _membership_change_role,
    "facilities.services.membership_deactivate": _membership_deactivate,
    "facilities.services.membership_preferences_update": _membership_preferences_update,
    "facilities.services.facility_create": _facility_create,
    "facilities.services.facility_update": _facility_update,
    "facilities.services.facility_close": _facility_close,
    "facilities.services.facility_reopen": _facility_reopen,
    "facilities.services.license_create": _license_create,
    "facilities.services.license_update": _license_update,
    "facilities.services.license_renew": _license_renew,
    "facilities.services.accreditation_create": _accreditation_create,
    "facilities.services.accreditation_update": _accreditation_update,
    "facilities.services.lead_time_override_set": _lead_time_override_set,
    "facilities.services.lead_time_override_reset": _lead_time_override_reset,
    "facilities.services.records_expire": _records_expire,
    "facilities.services.organization_rotate_calendar_token": (_organization_rotate_calendar_token),
    "facilities.services.organization_update": _organization_update,
    "compliance.services.evidence_attach": _evidence_attach,
    "compliance.services.attestation_create": _attestation_create,
    "compliance.services.custom_rule_save": _custom_rule_save,
    "compliance.services.custom_rule_set_active": _custom_rule_set_active,
}

# Public functions of the services modules that write no tracked row, and where what they do
# write is proven instead.
NOT_TRACKED = {
    # Reads.
    "facilities.services.records_past_expiry": "a read: the sweep's dry run",
    "compliance.services.custom_rule_dry_run": "a read: saves nothing",
    # A CheckRun is not history-tracked: it carries its own actor and path.
    "compliance.services.check_run_start": "test_check_run_start_records_its_actor_and_path",
}


def _service_functions(*modules: ModuleType) -> set[str]:
    return {
        f"{module.__name__}.{name}"
        for module in modules
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    }


def test_every_service_function_has_a_history_case():
    functions = _service_functions(services, compliance_services)

    assert functions - set(SERVICE_CASES) - set(NOT_TRACKED) == set(), (
        "A new service: add its case to SERVICE_CASES (or NOT_TRACKED, saying why)."
    )
    assert set(SERVICE_CASES) | set(NOT_TRACKED) <= functions


@pytest.mark.django_db
@pytest.mark.parametrize("service", sorted(SERVICE_CASES))
def test_service_leaves_history_rows_with_its_actor_and_reason(tenancy, evidence_root, service):
    actor, expected = SERVICE_CASES[service](tenancy)

    trails = [_trail(record) for record, _reason in expected]

    assert trails == [(actor, reason) for _record, reason in expected]


@pytest.mark.django_db
def test_check_run_start_records_its_actor_and_path(tenancy):
    facility = _facility(tenancy)

    run = compliance_services.check_run_start(
        actor=tenancy.officer,
        organization=tenancy.organization,
        filters={"facility_ids": [facility.pk]},
        via="web",
    )

    assert (run.actor, run.via) == (tenancy.officer, "web")


@pytest.mark.django_db
def test_a_long_note_is_kept_whole_in_the_history(tenancy):
    license = FacilityLicenseFactory(facility=_facility(tenancy))
    note = "Renewal delayed by the state agency; " * 10

    services.license_update(
        actor=tenancy.officer, license=license, data={"issued_by": "CDPH"}, via="web", note=note
    )

    assert _trail(license)[1].endswith(note.strip())


# --- Bulk paths -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_bulk_wrappers_record_the_actor_and_reason_on_every_row(tenancy):
    template = _facility(tenancy)
    rows = [
        Facility(
            organization=tenancy.organization,
            facility_name=f"Bulk {n}",
            facility_type="clinic",
            ownership="public",
            country=template.country,
            state=template.state,
        )
        for n in range(3)
    ]

    created = bulk_create_tracked(rows, actor=tenancy.admin, reason="command: import")
    created_trails = [_trail(f) for f in created]
    for facility in created:
        facility.bed_count = 4
    bulk_update_tracked(created, ["bed_count"], actor=tenancy.officer, reason="command: beds")

    assert created_trails == [(tenancy.admin, "command: import")] * 3
    assert [_trail(f) for f in created] == [(tenancy.officer, "command: beds")] * 3


@pytest.mark.django_db
def test_benchmark_data_is_written_in_bulk_with_the_actor_and_a_reason(tenancy):
    actor = system_user()

    benchmark.generate(organization=tenancy.organization, actor=actor, count=3)

    rows = [
        row
        for model in (Facility, FacilityLicense, Accreditation, Attestation)
        for row in model.history.filter(organization=tenancy.organization)
    ]
    assert rows
    assert {(row.history_user, bool(row.history_change_reason)) for row in rows} == {(actor, True)}


# --- Web views ------------------------------------------------------------------------------
# Each view calls one service with the signed-in user as the actor and "web" as the path; the
# services are proven above, and these prove the views pass the right user and path.


@pytest.mark.django_db
def test_web_facility_edit_records_the_signed_in_user(client, tenancy):
    facility = _facility(tenancy)
    client.force_login(tenancy.officer)
    data = {
        **{k: getattr(v, "pk", v) for k, v in _facility_data().items()},
        "facility_name": facility.facility_name,
        "bed_count": 7,
        "note": "recount",
    }

    client.post(reverse("facilities:facility-edit", args=["acme", facility.pk]), data)

    assert _trail(facility) == (tenancy.officer, "web: facility edit — recount")


@pytest.mark.django_db
def test_web_facility_close_records_the_signed_in_user(client, tenancy):
    facility = _facility(tenancy)
    client.force_login(tenancy.officer)

    client.post(
        reverse("facilities:facility-close", args=["acme", facility.pk]),
        {"closed_on": TODAY.isoformat(), "reason": "merged"},
    )

    assert _trail(facility) == (tenancy.officer, "web: facility close — merged")


@pytest.mark.django_db
def test_web_member_role_change_records_the_signed_in_admin(client, tenancy):
    membership = tenancy.membership(tenancy.viewer)
    client.force_login(tenancy.admin)

    client.post(
        reverse("facilities:member-role", args=["acme", membership.pk]),
        {"role": "officer", "note": "promoted"},
    )

    assert _trail(membership) == (tenancy.admin, "web: member change role — promoted")


@pytest.mark.django_db
def test_web_rule_activation_records_the_signed_in_admin(client, tenancy):
    rule = CustomComplianceRuleFactory(organization=tenancy.organization)
    client.force_login(tenancy.admin)

    client.post(reverse("compliance:rule-activate", args=["acme", rule.pk]))

    assert _trail(rule) == (tenancy.admin, "web: custom rule activate")


@pytest.mark.django_db
def test_web_evidence_upload_records_the_signed_in_user(client, tenancy, evidence_root):
    license = FacilityLicenseFactory(facility=_facility(tenancy))
    client.force_login(tenancy.officer)

    client.post(
        reverse("compliance:license-evidence", args=["acme", license.pk]),
        {"evidence": SimpleUploadedFile("permit.pdf", PDF)},
    )

    evidence = EvidenceFile.objects.get(license=license)
    assert _trail(evidence) == (tenancy.officer, "web: evidence upload")


# --- Admin ----------------------------------------------------------------------------------
# Every tracked model the admin can add or change, through its real forms: the history row
# names the staff user and "admin: add" / "admin: change" with the change note.

ADMIN_OBJECTS: dict[type[Model], Callable[[Organization], Model]] = {
    Organization: lambda org: org,
    Membership: lambda org: MembershipFactory(organization=org),
    Facility: lambda org: FacilityFactory(organization=org),
    FacilityLicense: lambda org: FacilityLicenseFactory(facility=FacilityFactory(organization=org)),
    Accreditation: lambda org: AccreditationFactory(facility=FacilityFactory(organization=org)),
    Attestation: lambda org: AttestationFactory(organization=org),
    CustomComplianceRule: lambda org: CustomComplianceRuleFactory(organization=org),
    LeadTimeOverride: lambda org: LeadTimeOverride.objects.create(
        organization=org, license_type="US-CA-HOSPITAL", file_by_days=300
    ),
}
# What makes a copy of the object above a new, valid row when posted to the add form.
ADMIN_ADD_CHANGES: dict[type[Model], Callable[[Model], dict[str, Any]]] = {
    Organization: lambda o: {"name": "Added Org", "slug": "added-org"},
    Membership: lambda o: {"user": UserFactory().pk},
    Facility: lambda o: {"facility_name": "Added facility"},
    FacilityLicense: lambda o: {"license_number": "ADDED-1"},
    Accreditation: lambda o: {"certificate_number": "ADDED-1"},
    Attestation: lambda o: {},
    CustomComplianceRule: lambda o: {"code": "CUSTOM-ADDED"},
    LeadTimeOverride: lambda o: {"license_type": "US-TX-HOSPITAL"},
}


def test_every_tracked_model_the_admin_writes_has_an_admin_history_case(superuser, rf):
    request = rf.get("/admin/")
    request.user = superuser

    writable = {
        model
        for model, model_admin in admin.site._registry.items()
        if issubclass(model, TrackedModel)
        and (model_admin.has_add_permission(request) or model_admin.has_change_permission(request))
    }

    # Evidence is uploaded through the app's service only; its admin shows uploads.
    assert EvidenceFile not in writable
    assert writable == set(ADMIN_OBJECTS)
    assert set(ADMIN_ADD_CHANGES) == set(ADMIN_OBJECTS)


def _form_data(response: Any, **changes: Any) -> dict[str, Any]:
    from django import forms

    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(ADMIN_OBJECTS), ids=lambda m: m.__name__)
def test_admin_change_records_the_staff_user_and_the_change_note(client, superuser, model):
    obj = ADMIN_OBJECTS[model](OrganizationFactory())
    client.force_login(superuser)
    url = _admin_url(model, "change", obj.pk)

    response = client.post(url, _form_data(client.get(url), change_note="checked on site"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _trail(obj) == (superuser, "admin: change — checked on site")


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(ADMIN_OBJECTS), ids=lambda m: m.__name__)
def test_admin_add_records_the_staff_user_and_the_change_note(client, superuser, model):
    obj = ADMIN_OBJECTS[model](OrganizationFactory())
    client.force_login(superuser)
    data = _form_data(client.get(_admin_url(model, "change", obj.pk)), change_note="new row")
    if "organization" in data or model is not Organization:
        data["organization"] = getattr(obj, "organization_id", obj.pk)
    data.update(ADMIN_ADD_CHANGES[model](obj))

    response = client.post(_admin_url(model, "add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    added = model._default_manager.exclude(pk=obj.pk).order_by("-pk").first()
    assert _trail(added) == (superuser, "admin: add — new row")


# --- Management commands --------------------------------------------------------------------


@pytest.mark.django_db
def test_expire_licenses_command_acts_as_the_named_operator(tenancy):
    license = FacilityLicenseFactory(
        facility=_facility(tenancy),
        issued_date=TODAY - datetime.timedelta(days=400),
        expiry_date=TODAY - datetime.timedelta(days=30),
    )

    call_command("expire_licenses", actor=tenancy.admin.username, stdout=io.StringIO())

    assert _trail(license) == (tenancy.admin, "command: expiry sweep — past its expiry date")


@pytest.mark.django_db
def test_expire_licenses_command_without_actor_names_the_os_user(tenancy):
    license = FacilityLicenseFactory(
        facility=_facility(tenancy),
        issued_date=TODAY - datetime.timedelta(days=400),
        expiry_date=TODAY - datetime.timedelta(days=30),
    )

    call_command("expire_licenses", stdout=io.StringIO())

    assert _trail(license) == (
        system_user(),
        f"command: expiry sweep — run by OS user {os_user()}",
    )


@pytest.mark.django_db
def test_run_compliance_checks_command_records_the_operator_on_the_run_and_checks(tenancy):
    facility = _facility(tenancy)

    call_command(
        "run_compliance_checks",
        organization="acme",
        actor=tenancy.officer.username,
        stdout=io.StringIO(),
    )

    run = CheckRun.objects.get()
    check = ComplianceCheck.objects.get(facility=facility)
    assert (run.actor, run.via, check.checked_by) == (tenancy.officer, "command", tenancy.officer)


@pytest.mark.django_db
def test_seed_demo_data_writes_every_history_row_with_the_operator_and_a_reason(tmp_path):
    operator = UserFactory(username="operator")

    with override_settings(BASE_DIR=tmp_path, DEBUG=False):
        call_command("seed_demo_data", force=True, actor="operator", stdout=io.StringIO())

    rows = [
        (model.__name__, row.history_user_id, row.history_change_reason)
        for model in _tracked_models()
        for row in model.history.all()
    ]
    assert rows
    assert {user for _name, user, _reason in rows} == {operator.pk}
    assert all(reason and reason.startswith("command: ") for _n, _u, reason in rows)


# --- Background tasks -----------------------------------------------------------------------


@pytest.mark.django_db
def test_check_run_task_writes_checks_as_the_runs_actor(tenancy):
    facility = _facility(tenancy)
    run = create_run(
        organization=tenancy.organization,
        actor=system_user(),
        filters={"facility_ids": [facility.pk]},
        via="task",
    )

    execute_check_run.call(run.pk)

    check = ComplianceCheck.objects.get(run=run)
    assert (check.checked_by.username, check.run.via) == (SYSTEM_USERNAME, "task")


def test_the_system_actor_has_no_usable_password(db):
    assert not system_user().has_usable_password()


def test_history_tables_exist_in_the_database(db):
    tables = set(connection.introspection.table_names())

    assert {m.history.model._meta.db_table for m in _tracked_models()} <= tables
