import pytest
from django.urls import reverse

from facilities.models import Membership
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.mark.django_db
def test_home_lists_the_users_active_organizations_with_links(client):
    user = UserFactory()
    beta = OrganizationFactory(name="Beta Care", slug="beta")
    alpha = OrganizationFactory(name="Alpha Health", slug="alpha")
    MembershipFactory(user=user, organization=beta, role=Membership.Role.VIEWER)
    MembershipFactory(user=user, organization=alpha, role=Membership.Role.ADMIN)
    MembershipFactory(user=user, is_active=False)
    client.force_login(user)

    response = client.get(reverse("facilities:home"))

    assert [m.organization for m in response.context["memberships"]] == [alpha, beta]
    content = response.content.decode()
    assert '<a href="/o/alpha/facilities/">Alpha Health</a>' in content
    assert "(Organization admin)" in content


@pytest.mark.django_db
def test_home_explains_what_to_do_without_an_organization(client):
    client.force_login(UserFactory())

    response = client.get(reverse("facilities:home"))

    assert list(response.context["memberships"]) == []
    assert b"You are not a member of any organization yet." in response.content


@pytest.mark.django_db
def test_organization_root_is_its_dashboard(client):
    membership = MembershipFactory(organization=OrganizationFactory(slug="acme", name="Acme"))
    client.force_login(membership.user)

    response = client.get(reverse("facilities:organization", kwargs={"org": "acme"}))

    assert response.templates[0].name == "compliance/dashboard.html"
    assert "<h1>Dashboard of Acme</h1>" in response.content.decode()


@pytest.mark.django_db
def test_navigation_names_the_organizations_pages_by_role(client):
    officer = MembershipFactory(organization=OrganizationFactory(slug="acme"))
    admin = MembershipFactory(organization=officer.organization, role=Membership.Role.ADMIN)
    url = reverse("facilities:facility-list", kwargs={"org": "acme"})

    client.force_login(officer.user)
    officer_page = client.get(url).content.decode()
    client.force_login(admin.user)
    admin_page = client.get(url).content.decode()

    assert '<a href="/o/acme/facilities/">Facilities</a>' in officer_page
    assert '<a href="/o/acme/members/">Members</a>' not in officer_page
    assert '<a href="/o/acme/members/">Members</a>' in admin_page
