"""Standing users for access and view tests (STYLE.md, "Tests"): an organization with an admin,
an officer and a viewer, and an outsider who belongs only to another organization."""

from dataclasses import dataclass

from facilities.models import Membership, Organization, User
from tests.factories.facilities import MembershipFactory, OrganizationFactory
from tests.factories.users import UserFactory


@dataclass
class Tenancy:
    organization: Organization
    admin: User
    officer: User
    viewer: User
    outsider: User
    other_organization: Organization

    def membership(self, user: User) -> Membership:
        return Membership.objects.get(organization=self.organization, user=user)


def make_tenancy() -> Tenancy:
    organization = OrganizationFactory(name="Acme Health", slug="acme")
    other_organization = OrganizationFactory(name="Other Health", slug="other")
    users = {}
    for role in Membership.Role.values:
        users[role] = UserFactory(username=role, first_name=role.title(), last_name="Acme")
        MembershipFactory(organization=organization, user=users[role], role=role)
    outsider = UserFactory(username="outsider", first_name="Otto", last_name="Other")
    MembershipFactory(organization=other_organization, user=outsider, role=Membership.Role.ADMIN)
    return Tenancy(
        organization=organization,
        admin=users["admin"],
        officer=users["officer"],
        viewer=users["viewer"],
        outsider=outsider,
        other_organization=other_organization,
    )
