"""Tenant isolation as a matrix over every URL pattern of the project (issue 6, part 6;
DESIGN.md §8).

Two organizations, Acme and Rival, each with a full set of distinctive records (facility name,
licence and certificate numbers, member e-mail, attestation note, rule, evidence file, checks).
Acme's people walk every URL of the project, the web app as an organization admin (every page
lets that role in) and the Django admin as a staff officer of Acme only, and:

- no response (body or headers, CSV exports included) contains any of Rival's markers;
- every object URL naming one of Rival's objects answers 404 in the web app; in the admin it
  answers what Django's admin answers for a missing object (a redirect to the admin index with
  a "doesn't exist" warning), never the object;
- anonymous requests are sent to the login page, except the pages open to everyone.

`test_every_url_pattern_has_a_rule` fails for a URL pattern (or an admin model) added to the
project without a row here. Every form's foreign-key choices are scoped to the organization:
posting Rival's ids to Acme's forms is refused and saves nothing.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from compliance import services as compliance_services
from compliance.engine import run_checks
from compliance.models import ReminderDelivery
from compliance.tasks import execute_check_run
from facilities.models import (
    Accreditation,
    Facility,
    FacilityLicense,
    LeadTimeOverride,
    Membership,
    Organization,
)
from tests.factories import (
    AccreditationFactory,
    FacilityFactory,
    FacilityLicenseFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.factories.compliance import AttestationFactory, CustomComplianceRuleFactory

Role = Membership.Role
PDF = b"%PDF-1.4\n%%EOF\n"


# --- The two organizations -------------------------------------------------------------------


@dataclass
class Tenant:
    organization: Organization
    admin: Any
    officer: Any
    staff: Any
    objects: dict[str, Any] = field(default_factory=dict)
    markers: list[str] = field(default_factory=list)


def _tenant(key: str, title: str) -> Tenant:
    """An organization with one of everything, each carrying `key` in a distinctive value."""
    upper = key.upper()
    organization = OrganizationFactory(name=f"{title} Group", slug=f"{key}-care")
    admin_user = UserFactory(username=f"{key}admin", email=f"{key}.admin@{key}-care.example")
    officer = UserFactory(username=f"{key}officer", email=f"{key}.officer@{key}-care.example")
    staff = UserFactory(username=f"{key}staff", email=f"{key}.staff@{key}-care.example")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    # Every permission of the project's apps: the admin itself must keep staff to their
    # organization, whatever a superuser grants them.
    staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["facilities", "compliance"])
    )
    admin_membership = MembershipFactory(
        organization=organization, user=admin_user, role=Role.ADMIN
    )
    MembershipFactory(organization=organization, user=officer, role=Role.OFFICER)
    MembershipFactory(organization=organization, user=staff, role=Role.OFFICER)
    facility = FacilityFactory(
        organization=organization, facility_name=f"{title} Saint Jude Hospital"
    )
    license = FacilityLicenseFactory(
        facility=facility, license_number=f"{upper}-LIC-7731", responsible=admin_membership
    )
    accreditation = AccreditationFactory(facility=facility, certificate_number=f"{upper}-CERT-9911")
    attestation = AttestationFactory(
        organization=organization, facility=facility, note=f"{upper}-NOTE-3321"
    )
    rule = CustomComplianceRuleFactory(
        organization=organization, code=f"CUSTOM-{upper}-5521", name=f"{title} rule 5521"
    )
    evidence = compliance_services.evidence_attach(
        actor=officer,
        organization=organization,
        upload=SimpleUploadedFile(f"{key}-evidence-8812.pdf", PDF),
        license=license,
        via="test",
    )
    [run] = run_checks(Facility.objects.filter(pk=facility.pk), actor=officer, via="test")
    lead_time = LeadTimeOverride(
        organization=organization, license_type="US-CA-HOSPITAL", file_by_days=120
    )
    lead_time._change_reason = "test: factory"
    lead_time.save()
    reminder = ReminderDelivery.objects.create(
        organization=organization,
        recipient=admin_user,
        item_kind=ReminderDelivery.ItemKind.LICENSE,
        item_id=license.pk,
        deadline=license.expiry_date,
        window=30,
    )
    return Tenant(
        organization=organization,
        admin=admin_user,
        officer=officer,
        staff=staff,
        objects={
            "facility": facility,
            "license": license,
            "accreditation": accreditation,
            "attestation": attestation,
            "rule": rule,
            "evidence": evidence,
            "run": run,
            "check": run.checks.get(),
            "member": admin_membership,
            "membership": admin_membership,
            "organization": organization,
            "user": officer,
            "lead_time": lead_time,
            "reminder": reminder,
        },
        markers=[
            f"{title} Group",
            f"/o/{key}-care/",
            f"{title} Saint Jude",
            f"{upper}-LIC-7731",
            f"{upper}-CERT-9911",
            f"{upper}-NOTE-3321",
            f"CUSTOM-{upper}-5521",
            f"{title} rule 5521",
            f"{key}-evidence-8812",
            f"{key}.officer@",
            f"{key}.admin@",
            f"{key}officer",
            f"{key}admin",
        ],
    )


@dataclass
class World:
    mine: Tenant
    theirs: Tenant


@pytest.fixture
def world(db, settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    # A queue kept in the database, as in production, for a task result row to open.
    settings.TASKS = {**settings.TASKS, "database": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    world = World(mine=_tenant("acme", "Acme"), theirs=_tenant("rival", "Rival"))
    _rows_outside_organizations(world.theirs)
    return world


def _rows_outside_organizations(theirs: Tenant) -> None:
    """A row in each admin table that belongs to no organization (groups, login attempts, task
    results, seals), naming the other organization, so that their admin pages are opened too."""
    Group.objects.create(name="Rival auditors")
    attempt = {
        "user_agent": "test",
        "ip_address": "203.0.113.9",
        "username": theirs.markers[0],
        "http_accept": "text/html",
        "path_info": "/accounts/login/",
    }
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt, locked_out=False)
    execute_check_run.using(backend="database").enqueue(0)
    call_command("seal_audit_trail", stdout=io.StringIO())


def _text(response) -> str:
    """Everything a response tells: its headers and its body (streamed or not)."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items())
    return headers + "\n" + body.decode("utf-8", errors="replace")


def _leaks(response, tenant: Tenant) -> list[str]:
    text = _text(response)
    return [marker for marker in tenant.markers if marker in text]


# --- Every URL pattern of the project --------------------------------------------------------


def _patterns(patterns=None, prefix="", namespace=None):
    """(full name or None, full route) for every pattern of the URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern)


# Pages open to anonymous users (they carry `@login_not_required`).
ANONYMOUS_PAGES = {
    "health",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "admin:login",
    # The iCalendar feed: its secret token names the organization.
    "calendar-feed",
}

# Web pages under /o/<org>/: URL name → the object its `pk` names (None: none), and the methods
# to try. Every page is tried by an organization admin of Acme.
GET, POST, BOTH = ("get",), ("post",), ("get", "post")
WEB_ROUTES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "facilities:organization": (None, GET),
    "facilities:facility-list": (None, GET),
    "facilities:facility-create": (None, BOTH),
    "facilities:facility-detail": ("facility", GET),
    "facilities:facility-history": ("facility", GET),
    "facilities:facility-edit": ("facility", BOTH),
    "facilities:facility-close": ("facility", BOTH),
    "facilities:facility-reopen": ("facility", BOTH),
    "facilities:license-create": ("facility", BOTH),
    "facilities:license-edit": ("license", BOTH),
    "facilities:license-renew": ("license", BOTH),
    "facilities:accreditation-create": ("facility", BOTH),
    "facilities:accreditation-edit": ("accreditation", BOTH),
    "facilities:member-list": (None, GET),
    "facilities:member-add": (None, BOTH),
    "facilities:member-role": ("member", BOTH),
    "facilities:member-deactivate": ("member", BOTH),
    "facilities:member-history": ("member", GET),
    "facilities:organization-settings": (None, BOTH),
    "facilities:preferences": (None, BOTH),
    "compliance:check-run": ("facility", POST),
    "compliance:facility-checks": ("facility", GET),
    "compliance:check-detail": ("check", GET),
    "compliance:attestation-create": (None, BOTH),
    "compliance:attestation-list": (None, GET),
    "compliance:attestation-detail": ("attestation", GET),
    "compliance:attestation-history": ("attestation", GET),
    "compliance:attestation-evidence": ("attestation", BOTH),
    "compliance:license-evidence": ("license", BOTH),
    "compliance:license-history": ("license", GET),
    "compliance:accreditation-evidence": ("accreditation", BOTH),
    "compliance:accreditation-history": ("accreditation", GET),
    "compliance:evidence-download": ("evidence", GET),
    "compliance:catalog": (None, GET),
    "compliance:run-list": (None, GET),
    "compliance:run-start": (None, BOTH),
    "compliance:run-detail": ("run", GET),
    "compliance:run-progress": ("run", GET),
    "compliance:rule-list": (None, GET),
    "compliance:rule-create": (None, BOTH),
    "compliance:rule-edit": ("rule", BOTH),
    "compliance:rule-activate": ("rule", POST),
    "compliance:rule-deactivate": ("rule", POST),
    "compliance:rule-history": ("rule", GET),
    "compliance:audit-log": (None, GET),
    "compliance:expiries": (None, GET),
    "compliance:calendar-rotate": (None, POST),
}
# Signed-in pages outside any organization: they list only the user's own memberships.
GLOBAL_PAGES = {
    "facilities:home",
    "logout",
    "password_change",
    "password_change_done",
}

# Admin models: the attribute of a tenant naming its object. Reference data and superuser-only
# models hold no organization's data a staff officer could reach.
ADMIN_TENANT_MODELS = {
    "facilities.user": "user",
    "facilities.organization": "organization",
    "facilities.membership": "membership",
    "facilities.facility": "facility",
    "facilities.facilitylicense": "license",
    "facilities.accreditation": "accreditation",
    "compliance.attestation": "attestation",
    "compliance.evidencefile": "evidence",
    "compliance.customcompliancerule": "rule",
    "compliance.checkrun": "run",
    "compliance.compliancecheck": "check",
    "facilities.leadtimeoverride": "lead_time",
    "compliance.reminderdelivery": "reminder",
}
# Reference data, and the audit seals (digests and row counts of the whole trail, no
# organization's records).
ADMIN_SHARED_MODELS = {
    "geography.country",
    "geography.state",
    "geography.district",
    "compliance.auditseal",
}
ADMIN_SUPERUSER_MODELS = {
    "auth.group",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_database.dbtaskresult",
}
# Admin pages that are not a model's.
ADMIN_SITE_PAGES = {
    "admin:index",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:app_list",
}
ADMIN_VIEWS = ("changelist", "add", "change", "history", "delete", "simple_history")


def _admin_model_key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _admin_models() -> dict[str, type]:
    return {_admin_model_key(model): model for model in admin.site._registry}


def _admin_url_names() -> dict[str, tuple[str, str]]:
    """admin URL name → (model key, view) for every registered model's views."""
    names = {}
    for key, model in _admin_models().items():
        for view in ADMIN_VIEWS:
            names[f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"] = (key, view)
    # The user admin's password page.
    names["admin:auth_user_password_change"] = ("facilities.user", "password")
    routed = _names_in_urlconf()
    return {name: rule for name, rule in names.items() if name in routed}


def test_every_url_pattern_has_a_rule():
    admin_names = _admin_url_names()
    known = ANONYMOUS_PAGES | set(WEB_ROUTES) | GLOBAL_PAGES | ADMIN_SITE_PAGES | set(admin_names)
    # Unnamed patterns: the admin's "object id without /change/" redirects and its catch-all.
    unnamed_ok = {
        f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"
        for model in _admin_models().values()
    } | {"admin/(?P<url>.*)$"}

    missing = sorted(
        name or route
        for name, route in _patterns()
        if (name not in known if name else route not in unnamed_ok)
    )
    unclassified_models = sorted(
        set(_admin_models())
        - set(ADMIN_TENANT_MODELS)
        - ADMIN_SHARED_MODELS
        - ADMIN_SUPERUSER_MODELS
    )

    assert missing == []
    assert unclassified_models == []


def _names_in_urlconf() -> set[str]:
    return {name for name, _route in _patterns() if name}


# --- Anonymous users --------------------------------------------------------------------------


def _sample_url(route: str) -> str:
    """A URL matching `route`, with placeholder values for its parameters."""
    samples = {
        "<slug:org>": "acme-care",
        "<int:pk>": "1",
        "<path:object_id>": "1",
        "<path:content_type_id>": "1",
        "<id>": "1",
        "<uidb64>": "MQ",
        "<token>": "set-password",
        "^([^/]+)/history/([^/]+)/$": "1/history/1/",
        "^(?P<app_label>": "",
    }
    url = route
    for placeholder, value in samples.items():
        url = url.replace(placeholder, value)
    if "(?P<app_label>" in route:
        url = route.split("^", 1)[0] + "facilities/"
    if url.endswith("(?P<url>.*)$"):
        url = url.replace("(?P<url>.*)$", "nowhere/")
    # Routes that take any other parameter (calendar token, ...) get a placeholder too.
    while "<" in url:
        start, end = url.index("<"), url.index(">")
        url = url[:start] + "x" + url[end + 1 :]
    return "/" + url


def _anonymous_cases():
    for name, route in _patterns():
        yield pytest.param(name, route, id=name or route)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), list(_anonymous_cases()))
def test_anonymous_request_is_sent_to_login_except_on_open_pages(client, name, route):
    url = _sample_url(route)

    response = client.get(url)

    if name in ANONYMOUS_PAGES:
        assert response.status_code in {200, 302, 404}
        if response.status_code == 302:
            assert "login" not in response["Location"] or name == "password_reset_confirm"
    elif route.startswith("admin/"):
        # The admin index sends to its own login form; the other admin pages are behind
        # LoginRequiredMiddleware, which sends to the site's.
        assert response.status_code == 302
        assert response["Location"].startswith(("/admin/login/?next=", "/accounts/login/?next="))
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


# --- The web app ------------------------------------------------------------------------------


def _web_url(name: str, tenant: Tenant, objects: dict[str, Any], query: str = "") -> str:
    target, _methods = WEB_ROUTES[name]
    kwargs: dict[str, Any] = {"org": tenant.organization.slug}
    if target:
        kwargs["pk"] = objects[target].pk
    return reverse(name, kwargs=kwargs) + query


def _web_cases():
    for name in sorted(WEB_ROUTES):
        for method in WEB_ROUTES[name][1]:
            yield pytest.param(name, method, id=f"{name}-{method}")


def _skip_unless_routed(name):
    # Pages being added in parallel: the completeness check above fails if one exists without
    # a rule; a rule for a page not yet routed is skipped rather than failed.
    if name not in _names_in_urlconf():
        pytest.skip(f"{name} is not in the URLconf yet")


@pytest.mark.parametrize("role", ["admin", "officer"])
@pytest.mark.parametrize(("name", "method"), list(_web_cases()))
def test_web_page_of_one_organization_shows_nothing_of_the_other(client, world, name, method, role):
    _skip_unless_routed(name)
    mine = world.mine
    client.force_login(getattr(mine, role))
    responses = []

    for query in ("", "?_export=csv") if method == "get" else ("",):
        url = _web_url(name, mine, mine.objects, query)
        responses.append(getattr(client, method)(url))

    for response in responses:
        assert response.status_code not in {404, 500}, response.status_code
        assert _leaks(response, world.theirs) == []


# Pages that show each marker of their own organization: the markers are real, so their
# absence above means something.
OWN_MARKERS = [
    ("facilities:facility-list", None, "Acme Saint Jude"),
    ("facilities:facility-detail", "facility", "ACME-LIC-7731"),
    ("facilities:facility-detail", "facility", "ACME-CERT-9911"),
    ("facilities:member-list", None, "acme.officer@"),
    ("compliance:attestation-detail", "attestation", "ACME-NOTE-3321"),
    ("compliance:rule-list", None, "Acme rule 5521"),
    ("compliance:license-evidence", "license", "acme-evidence-8812"),
    ("compliance:check-detail", "check", "Acme Saint Jude"),
]


@pytest.mark.parametrize(("name", "target", "marker"), OWN_MARKERS)
def test_web_page_shows_its_own_organizations_markers(client, world, name, target, marker):
    _skip_unless_routed(name)
    client.force_login(world.mine.admin)

    response = client.get(_web_url(name, world.mine, world.mine.objects))

    assert response.status_code == 200
    assert marker in _text(response)


OBJECT_CASES = [
    pytest.param(name, method, id=f"{name}-{method}")
    for name in sorted(WEB_ROUTES)
    if WEB_ROUTES[name][0]
    for method in WEB_ROUTES[name][1]
]


@pytest.mark.parametrize(("name", "method"), OBJECT_CASES)
def test_web_object_url_of_the_other_organization_answers_404(client, world, name, method):
    _skip_unless_routed(name)
    client.force_login(world.mine.admin)
    url = _web_url(name, world.mine, world.theirs.objects)

    response = getattr(client, method)(url)

    assert response.status_code == 404
    assert _leaks(response, world.theirs) == []


@pytest.mark.parametrize(("name", "method"), list(_web_cases()))
def test_web_page_under_the_other_organizations_slug_answers_404(client, world, name, method):
    _skip_unless_routed(name)
    client.force_login(world.mine.admin)
    url = _web_url(name, world.theirs, world.theirs.objects)

    response = getattr(client, method)(url)

    assert response.status_code == 404
    assert _leaks(response, world.theirs) == []


@pytest.mark.parametrize("name", sorted(GLOBAL_PAGES))
def test_global_page_shows_nothing_of_other_organizations(client, world, name):
    client.force_login(world.mine.admin)

    response = client.get(reverse(name))

    assert response.status_code in {200, 405}
    assert _leaks(response, world.theirs) == []


def test_calendar_feed_of_one_organization_shows_nothing_of_the_other(client, world):
    _skip_unless_routed("calendar-feed")
    url = reverse("calendar-feed", kwargs={"token": world.mine.organization.calendar_token})

    response = client.get(url)

    assert response.status_code == 200
    assert "Acme Saint Jude Hospital" in _text(response)
    assert _leaks(response, world.theirs) == []


# --- The admin --------------------------------------------------------------------------------


def _admin_cases():
    for name, (key, view) in sorted(_admin_url_names().items()):
        yield pytest.param(name, key, view, id=name)


def _admin_url(name: str, view: str, obj: Any) -> str:
    if view in {"changelist", "add"}:
        return reverse(name)
    if view == "simple_history":
        return reverse(name, args=[obj.pk, obj.history.first().history_id])
    return reverse(name, args=[obj.pk])


def _some_row(key: str) -> Any:
    return _admin_models()[key]._default_manager.order_by("pk").first()


@pytest.mark.parametrize(("name", "key", "view"), list(_admin_cases()))
def test_admin_page_of_a_staff_officer_shows_nothing_of_the_other_organization(
    client, world, name, key, view
):
    client.force_login(world.mine.staff)
    if key in ADMIN_TENANT_MODELS:
        target = world.mine.objects[ADMIN_TENANT_MODELS[key]]
    else:
        target = _some_row(key)
    if target is None and view not in {"changelist", "add"}:
        pytest.skip(f"no {key} row to open")
    if view == "simple_history" and not hasattr(target, "history"):
        pytest.skip(f"{key} has no history")

    response = client.get(_admin_url(name, view, target))

    assert response.status_code < 500
    if key in ADMIN_SUPERUSER_MODELS:
        assert response.status_code == 403
    assert _leaks(response, world.theirs) == []


@pytest.mark.parametrize(
    "key", sorted(key for key in ADMIN_TENANT_MODELS if key != "facilities.user")
)
def test_admin_changelist_search_finds_nothing_of_the_other_organization(client, world, key):
    client.force_login(world.mine.staff)
    model = _admin_models()[key]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    responses = [client.get(url, {"q": term}) for term in ("Rival", "RIVAL", "rival")]

    for response in responses:
        assert response.status_code == 200
        assert _leaks(response, world.theirs) == []


def _admin_object_cases():
    for name, (key, view) in sorted(_admin_url_names().items()):
        if key in ADMIN_TENANT_MODELS and view not in {"changelist", "add"}:
            yield pytest.param(name, key, view, id=name)


@pytest.mark.parametrize(("name", "key", "view"), list(_admin_object_cases()))
def test_admin_object_url_of_the_other_organization_does_not_exist_for_staff(
    client, world, name, key, view
):
    client.force_login(world.mine.staff)
    target = world.theirs.objects[ADMIN_TENANT_MODELS[key]]
    url = _admin_url(name, view, target)

    response = client.get(url, follow=True)

    first_status = response.redirect_chain[0][1] if response.redirect_chain else None
    if key == "facilities.user" and view in {"password", "delete"}:
        # Users are changed and deleted by superusers only: refused before any lookup.
        assert response.status_code == 403
    elif view == "delete":
        # Nothing tracked is deleted from the admin: refused before any lookup.
        assert response.status_code == 403
    else:
        # Django's admin answer for a missing object: back to the index with a warning.
        assert first_status == 302
        assert response.redirect_chain[0][0] == reverse("admin:index")
        assert [str(m) for m in response.context["messages"]] == [
            f"{target._meta.verbose_name} with ID \u201c{target.pk}\u201d "
            "doesn\u2019t exist. Perhaps it was deleted?"
        ]
    assert _leaks(response, world.theirs) == []


def _autocomplete_cases():
    for model, model_admin in admin.site._registry.items():
        for field_name in getattr(model_admin, "autocomplete_fields", ()):
            yield pytest.param(
                model._meta.app_label,
                model._meta.model_name,
                field_name,
                id=f"{model._meta.model_name}.{field_name}",
            )


@pytest.mark.parametrize(("app_label", "model_name", "field_name"), list(_autocomplete_cases()))
def test_admin_autocomplete_offers_nothing_of_the_other_organization(
    client, world, app_label, model_name, field_name
):
    client.force_login(world.mine.staff)
    params = {"app_label": app_label, "model_name": model_name, "field_name": field_name}

    responses = [
        client.get(reverse("admin:autocomplete"), {**params, "term": term})
        for term in ("", "Rival", "RIVAL", "rival")
    ]

    for response in responses:
        assert response.status_code in {200, 403}
        assert _leaks(response, world.theirs) == []


@pytest.mark.parametrize("key", sorted(ADMIN_TENANT_MODELS))
def test_admin_view_on_site_of_the_other_organization_answers_404(client, world, key):
    from django.contrib.contenttypes.models import ContentType

    client.force_login(world.mine.staff)
    target = world.theirs.objects[ADMIN_TENANT_MODELS[key]]
    content_type = ContentType.objects.get_for_model(target)

    response = client.get(reverse("admin:view_on_site", args=[content_type.pk, target.pk]))

    assert response.status_code == 404
    assert _leaks(response, world.theirs) == []


@pytest.mark.parametrize("name", ["admin:index", "admin:app_list"])
def test_admin_index_pages_show_nothing_of_the_other_organization(client, world, name):
    client.force_login(world.mine.staff)
    url = reverse(name, kwargs={"app_label": "facilities"} if name == "admin:app_list" else {})

    response = client.get(url)

    assert response.status_code == 200
    assert _leaks(response, world.theirs) == []


# --- Forms: another organization's ids --------------------------------------------------------


def _counts():
    return (
        FacilityLicense.objects.count(),
        Accreditation.objects.count(),
        FacilityLicense.history.count(),
        Accreditation.history.count(),
    )


TODAY = datetime.date.today()


def _license_data(world, **changes):
    return {
        "license_type": "US-CA-HOSPITAL",
        "license_number": "ACME-NEW-1",
        "issued_by": "California Department of Public Health",
        "issued_date": (TODAY - datetime.timedelta(days=10)).isoformat(),
        "expiry_date": (TODAY + datetime.timedelta(days=300)).isoformat(),
        "status": "active",
        "change_note": "Test",
        "note": "Test",
        **changes,
    }


def _accreditation_data(world, **changes):
    return {
        "accreditation_body": "TJC",
        "accreditation_level": "accredited",
        "certificate_number": "ACME-NEW-CERT",
        "certified_date": (TODAY - datetime.timedelta(days=10)).isoformat(),
        "expiry_date": (TODAY + datetime.timedelta(days=300)).isoformat(),
        "status": "active",
        "change_note": "Test",
        "note": "Test",
        **changes,
    }


FORM_CASES = [
    ("facilities:license-create", "facility", _license_data),
    ("facilities:license-edit", "license", _license_data),
    ("facilities:license-renew", "license", _license_data),
    ("facilities:accreditation-create", "facility", _accreditation_data),
    ("facilities:accreditation-edit", "accreditation", _accreditation_data),
]


@pytest.mark.parametrize(
    ("name", "target", "data"), [pytest.param(*case, id=case[0]) for case in FORM_CASES]
)
def test_form_refuses_a_responsible_member_of_the_other_organization(
    client, world, name, target, data
):
    client.force_login(world.mine.admin)
    url = reverse(
        name, kwargs={"org": world.mine.organization.slug, "pk": world.mine.objects[target].pk}
    )
    foreign_member = world.theirs.objects["member"]
    before = _counts()

    response = client.post(url, data(world, responsible=foreign_member.pk))

    assert response.status_code == 200
    assert "responsible" in response.context["form"].errors
    assert _counts() == before
    assert _leaks(response, world.theirs) == []


def test_attestation_form_for_a_facility_of_the_other_organization_answers_404(client, world):
    from compliance.models import Attestation

    client.force_login(world.mine.admin)
    url = reverse("compliance:attestation-create", kwargs={"org": world.mine.organization.slug})
    before = Attestation.objects.count()

    response = client.post(
        f"{url}?facility={world.theirs.objects['facility'].pk}",
        {
            "requirement_code": "HIPAA-164.308(a)(1)(ii)(A)",
            "scope": "facility",
            "outcome": "implemented",
            "attested_on": TODAY.isoformat(),
        },
    )

    assert response.status_code == 404
    assert Attestation.objects.count() == before


def test_license_renew_cannot_name_a_licence_of_the_other_organization(client, world):
    """The licence renewed comes from the URL only; a posted `renews` is ignored."""
    client.force_login(world.mine.admin)
    mine = world.mine.objects["license"]
    url = reverse(
        "facilities:license-renew", kwargs={"org": world.mine.organization.slug, "pk": mine.pk}
    )

    client.post(url, _license_data(world, renews=world.theirs.objects["license"].pk))

    assert not FacilityLicense.objects.filter(renews=world.theirs.objects["license"]).exists()


@pytest.mark.parametrize(
    ("model", "field_name", "target"),
    [
        ("facilitylicense", "facility", "facility"),
        ("facilitylicense", "responsible", "member"),
        ("accreditation", "facility", "facility"),
        ("accreditation", "responsible", "member"),
        ("membership", "organization", "organization"),
        ("facility", "organization", "organization"),
    ],
)
def test_admin_add_form_refuses_the_other_organizations_ids(
    client, world, model, field_name, target
):
    client.force_login(world.mine.staff)
    url = reverse(f"admin:facilities_{model}_add")
    model_class = _admin_models()[f"facilities.{model}"]
    before = model_class._default_manager.count()

    response = client.post(url, {field_name: world.theirs.objects[target].pk})

    if model == "membership":
        # Memberships are managed by organization admins: a staff officer may not add one.
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert "Select a valid choice" in str(errors[field_name])
    assert model_class._default_manager.count() == before
