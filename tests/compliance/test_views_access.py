"""Every URL of the compliance app, for every role (STYLE.md, "Tests"; DESIGN.md §8).

Anonymous users are sent to the login page; a member of another organization gets a 404, as
for an organization that does not exist; viewers read; officers also run checks, attest and
upload evidence; only organization admins write custom rules. Objects of another organization
answer 404 under this one.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from compliance import services
from compliance.engine import run_checks
from facilities.models import Facility, Membership
from tests.factories import AccreditationFactory, FacilityFactory, FacilityLicenseFactory
from tests.factories.compliance import AttestationFactory, CustomComplianceRuleFactory
from tests.factories.tenancy import make_tenancy

VIEWER, OFFICER, ADMIN = "viewer", "officer", "admin"
RANK = {VIEWER: 0, OFFICER: 1, ADMIN: 2}
GET, FORM, POST_ONLY = ("get",), ("get", "post"), ("post",)

# URL name → (the role it needs, the object its `pk` names, the methods it answers).
ROUTES = {
    "check-run": (OFFICER, "facility", POST_ONLY),
    "facility-checks": (VIEWER, "facility", GET),
    "check-detail": (VIEWER, "check", GET),
    "attestation-create": (OFFICER, None, FORM),
    "attestation-list": (VIEWER, None, GET),
    "attestation-detail": (VIEWER, "attestation", GET),
    "attestation-evidence": (OFFICER, "attestation", FORM),
    "license-evidence": (OFFICER, "license", FORM),
    "accreditation-evidence": (OFFICER, "accreditation", FORM),
    "evidence-download": (VIEWER, "evidence", GET),
    "catalog": (VIEWER, None, GET),
    "rule-list": (VIEWER, None, GET),
    "rule-create": (ADMIN, None, FORM),
    "rule-edit": (ADMIN, "rule", FORM),
    "rule-activate": (ADMIN, "rule", POST_ONLY),
    "rule-deactivate": (ADMIN, "rule", POST_ONLY),
    "rule-history": (VIEWER, "rule", GET),
    "run-list": (VIEWER, None, GET),
    "run-start": (OFFICER, None, FORM),
    "run-detail": (VIEWER, "run", GET),
    "run-progress": (VIEWER, "run", GET),
    "audit-log": (OFFICER, None, GET),
    "license-history": (VIEWER, "license", GET),
    "accreditation-history": (VIEWER, "accreditation", GET),
    "attestation-history": (VIEWER, "attestation", GET),
    "expiries": (VIEWER, None, GET),
    "calendar-rotate": (ADMIN, None, POST_ONLY),
}

# An empty POST to a one-shot action does it and redirects; to a form page it shows the form
# with its errors (200).
POST_SUCCESS = {
    "check-run": 302,
    "run-start": 302,
    "rule-activate": 302,
    "rule-deactivate": 302,
    "calendar-rotate": 302,
}


def _objects(organization, actor):
    facility = FacilityFactory(organization=organization)
    license = FacilityLicenseFactory(facility=facility)
    [run] = run_checks(Facility.objects.filter(pk=facility.pk), actor=actor, via="test")
    return {
        "facility": facility,
        "license": license,
        "accreditation": AccreditationFactory(facility=facility),
        "attestation": AttestationFactory(organization=organization),
        "evidence": services.evidence_attach(
            actor=actor,
            organization=organization,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
            license=license,
            via="test",
        ),
        "check": run.checks.get(),
        "run": run,
        "rule": CustomComplianceRuleFactory(organization=organization),
    }


def _url(name, organization, objects):
    _role, target, _methods = ROUTES[name]
    kwargs = {"org": organization.slug}
    if target:
        kwargs["pk"] = objects[target].pk
    return reverse(f"compliance:{name}", kwargs=kwargs)


def _expected(name, role, method):
    needed, _target, _methods = ROUTES[name]
    if role == "anonymous":
        return 302
    if role == "outsider":
        return 404
    if RANK[role] < RANK[needed]:
        return 403
    return POST_SUCCESS.get(name, 200) if method == "post" else 200


def _cases():
    for name, (_needed, _target, methods) in ROUTES.items():
        for method in methods:
            for role in ("anonymous", "outsider", VIEWER, OFFICER, ADMIN):
                yield pytest.param(name, method, role, id=f"{name}-{method}-{role}")


@pytest.fixture
def tenancy(db):
    return make_tenancy()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "role"), list(_cases()))
def test_url_answers_each_role_as_the_matrix_says(
    client, tenancy, evidence_root, name, method, role
):
    objects = _objects(tenancy.organization, tenancy.officer)
    url = _url(name, tenancy.organization, objects)
    if role != "anonymous":
        client.force_login(getattr(tenancy, role))

    response = getattr(client, method)(url)

    assert response.status_code == _expected(name, role, method)
    if role == "anonymous":
        assert response["Location"].startswith(f"{reverse('login')}?next=")


OBJECT_CASES = [
    pytest.param(name, method, id=f"{name}-{method}")
    for name, (_needed, target, methods) in ROUTES.items()
    if target
    for method in methods
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), OBJECT_CASES)
def test_object_of_another_organization_answers_404_under_this_organization(
    client, tenancy, evidence_root, name, method
):
    other_admin = Membership.objects.get(organization=tenancy.other_organization).user
    foreign = _objects(tenancy.other_organization, other_admin)
    url = _url(name, tenancy.organization, foreign)
    client.force_login(tenancy.admin)

    response = getattr(client, method)(url)

    assert response.status_code == 404


def test_every_compliance_url_has_a_row_in_the_matrix():
    _prefix, resolver = get_resolver().namespace_dict["compliance"]

    names = {key for key in resolver.reverse_dict if isinstance(key, str)}

    assert names == set(ROUTES)
