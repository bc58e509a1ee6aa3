"""Every URL of the facilities app, for every role (STYLE.md, "Tests"; DESIGN.md §8).

Anonymous users are sent to the login page; a member of another organization only gets a 404,
as for an organization that does not exist; viewers read; officers also write, except on the
member pages; organization admins do everything. Objects of another organization answer 404.
"""

import pytest
from django.urls import get_resolver, reverse

from facilities.models import Membership
from tests.factories import AccreditationFactory, FacilityFactory, FacilityLicenseFactory
from tests.factories.tenancy import make_tenancy

VIEWER, OFFICER, ADMIN = "viewer", "officer", "admin"
RANK = {VIEWER: 0, OFFICER: 1, ADMIN: 2}
GET, POST = ("get",), ("get", "post")

# URL name → (the role it needs, the object its `pk` names, the methods it answers).
ORGANIZATION_ROUTES = {
    "organization": (VIEWER, None, GET),
    "facility-list": (VIEWER, None, GET),
    "facility-detail": (VIEWER, "facility", GET),
    "facility-history": (VIEWER, "facility", GET),
    "facility-create": (OFFICER, None, POST),
    "facility-edit": (OFFICER, "facility", POST),
    "facility-close": (OFFICER, "facility", POST),
    "facility-reopen": (OFFICER, "facility", POST),
    "license-create": (OFFICER, "facility", POST),
    "license-edit": (OFFICER, "license", POST),
    "license-renew": (OFFICER, "license", POST),
    "accreditation-create": (OFFICER, "facility", POST),
    "accreditation-edit": (OFFICER, "accreditation", POST),
    "member-list": (ADMIN, None, GET),
    "member-add": (ADMIN, None, POST),
    "member-role": (ADMIN, "member", POST),
    "member-deactivate": (ADMIN, "member", POST),
    "member-history": (ADMIN, "member", GET),
    "organization-settings": (ADMIN, None, POST),
    "preferences": (VIEWER, None, POST),
}
# Pages outside any organization, open to every signed-in user.
GLOBAL_ROUTES = {"home"}

# Pages answering a GET with something else than 200 (the organization's root is its
# dashboard now, no longer a redirect).
SUCCESS = {}


def _objects(organization, member):
    facility = FacilityFactory(organization=organization)
    return {
        "facility": facility,
        "license": FacilityLicenseFactory(facility=facility),
        "accreditation": AccreditationFactory(facility=facility),
        "member": member,
    }


def _url(name, organization, objects):
    _role, target, _methods = ORGANIZATION_ROUTES[name]
    kwargs = {"org": organization.slug}
    if target:
        kwargs["pk"] = objects[target].pk
    return reverse(f"facilities:{name}", kwargs=kwargs)


def _expected(name, role, method):
    needed, _target, _methods = ORGANIZATION_ROUTES[name]
    if role == "anonymous":
        return 302
    if role == "outsider":
        return 404
    if RANK[role] < RANK[needed]:
        return 403
    # An empty POST to a form page that lets the role in shows the form with its errors.
    return SUCCESS.get(name, 200) if method == "get" else 200


def _cases():
    for name, (_needed, _target, methods) in ORGANIZATION_ROUTES.items():
        for method in methods:
            for role in ("anonymous", "outsider", VIEWER, OFFICER, ADMIN):
                yield pytest.param(name, method, role, id=f"{name}-{method}-{role}")


@pytest.fixture
def tenancy(db):
    return make_tenancy()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "role"), list(_cases()))
def test_url_answers_each_role_as_the_matrix_says(client, tenancy, name, method, role):
    objects = _objects(tenancy.organization, tenancy.membership(tenancy.viewer))
    url = _url(name, tenancy.organization, objects)
    if role != "anonymous":
        client.force_login(getattr(tenancy, role))

    response = getattr(client, method)(url)

    assert response.status_code == _expected(name, role, method)
    if role == "anonymous":
        assert response["Location"].startswith(f"{reverse('login')}?next=")


OBJECT_CASES = [
    pytest.param(name, method, id=f"{name}-{method}")
    for name, (_needed, target, methods) in ORGANIZATION_ROUTES.items()
    if target
    for method in methods
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), OBJECT_CASES)
def test_object_of_another_organization_answers_404_under_this_organization(
    client, tenancy, name, method
):
    other_admin = Membership.objects.get(organization=tenancy.other_organization)
    foreign = _objects(tenancy.other_organization, other_admin)
    url = _url(name, tenancy.organization, foreign)
    needed, _target, _methods = ORGANIZATION_ROUTES[name]
    # Officers cannot open member pages at all (403 before any lookup): an admin tries those.
    client.force_login(tenancy.admin if needed == ADMIN else tenancy.officer)

    response = getattr(client, method)(url)

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["outsider", "viewer", "officer", "admin"])
def test_home_answers_every_signed_in_user(client, tenancy, role):
    client.force_login(getattr(tenancy, role))

    response = client.get(reverse("facilities:home"))

    assert response.status_code == 200
    assert [m.organization for m in response.context["memberships"]] == [
        tenancy.other_organization if role == "outsider" else tenancy.organization
    ]


def test_every_facilities_url_has_a_row_in_the_matrix():
    _prefix, resolver = get_resolver().namespace_dict["facilities"]

    names = {key for key in resolver.reverse_dict if isinstance(key, str)}

    assert names == set(ORGANIZATION_ROUTES) | GLOBAL_ROUTES
