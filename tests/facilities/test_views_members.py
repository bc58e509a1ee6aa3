import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from facilities import services
from facilities.models import Membership
from tests.factories import MembershipFactory, UserFactory
from tests.factories.tenancy import make_tenancy


@pytest.fixture
def tenancy(db):
    return make_tenancy()


def _url(name, tenancy, **kwargs):
    return reverse(f"facilities:{name}", kwargs={"org": tenancy.organization.slug, **kwargs})


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _reasons(membership):
    return list(
        Membership.history.filter(id=membership.pk)
        .order_by("history_id")
        .values_list("history_change_reason", flat=True)
    )


@pytest.mark.django_db
def test_member_list_shows_the_organizations_members_with_their_roles(client, tenancy):
    client.force_login(tenancy.admin)

    response = client.get(_url("member-list", tenancy))

    rows = [
        (row.get_cell_value("username"), row.get_cell_value("role"), row.record.is_active)
        for row in response.context["table"].paginated_rows
    ]
    assert rows == [
        ("admin", "Organization admin", True),
        ("officer", "Compliance officer", True),
        ("viewer", "Viewer", True),
    ]
    assert _url("member-history", tenancy, pk=tenancy.membership(tenancy.viewer).pk) in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_member_add_adds_an_existing_user_by_email(client, tenancy):
    newcomer = UserFactory(username="nina", first_name="Nina", last_name="Novak")
    client.force_login(tenancy.admin)

    response = client.post(
        _url("member-add", tenancy),
        {"user": "NINA@example.com", "role": "officer", "note": "new hire"},
    )

    membership = Membership.objects.get(organization=tenancy.organization, user=newcomer)
    assert response["Location"] == _url("member-list", tenancy)
    assert (membership.role, membership.is_active) == ("officer", True)
    assert _reasons(membership) == ["web: member add — new hire"]
    assert _messages(response) == ["Nina Novak is now a member (Compliance officer)."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("identifier", "message"),
    [
        ("nobody@example.com", "No active user has this username or e-mail."),
        ("officer", "This user is already a member."),
    ],
)
def test_member_add_of_an_unknown_user_or_a_member_shows_the_error_at_the_field(
    client, tenancy, identifier, message
):
    client.force_login(tenancy.admin)

    response = client.post(
        _url("member-add", tenancy), {"user": identifier, "role": "viewer", "note": ""}
    )

    assert response.context["form"].errors == {"user": [message]}
    assert Membership.objects.filter(organization=tenancy.organization).count() == 3


@pytest.mark.django_db
def test_member_role_changes_the_role(client, tenancy):
    viewer = tenancy.membership(tenancy.viewer)
    client.force_login(tenancy.admin)

    response = client.post(
        _url("member-role", tenancy, pk=viewer.pk), {"role": "officer", "note": "promoted"}
    )

    viewer.refresh_from_db()
    assert viewer.role == "officer"
    assert _reasons(viewer)[-1] == "web: member change role — promoted"
    assert _messages(response) == ["Viewer Acme is now Compliance officer."]


@pytest.mark.django_db
def test_member_role_refuses_to_demote_the_last_admin(client, tenancy):
    admin = tenancy.membership(tenancy.admin)
    client.force_login(tenancy.admin)

    response = client.post(
        _url("member-role", tenancy, pk=admin.pk), {"role": "viewer", "note": ""}
    )

    admin.refresh_from_db()
    assert response.context["form"].non_field_errors() == [
        "The organization must keep at least one active admin."
    ]
    assert admin.role == "admin"


@pytest.mark.django_db
def test_member_deactivate_with_a_reason_deactivates_the_membership(client, tenancy):
    officer = tenancy.membership(tenancy.officer)
    client.force_login(tenancy.admin)

    response = client.post(
        _url("member-deactivate", tenancy, pk=officer.pk), {"reason": "Left the company"}
    )

    officer.refresh_from_db()
    assert response["Location"] == _url("member-list", tenancy)
    assert officer.is_active is False
    assert _reasons(officer)[-1] == "web: member deactivate — Left the company"
    assert _messages(response) == ["Officer Acme was deactivated."]


@pytest.mark.django_db
def test_member_deactivate_without_a_reason_changes_nothing(client, tenancy):
    officer = tenancy.membership(tenancy.officer)
    client.force_login(tenancy.admin)

    response = client.post(_url("member-deactivate", tenancy, pk=officer.pk), {"reason": " "})

    officer.refresh_from_db()
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    assert response.context["can_admin"] is True
    assert officer.is_active is True


@pytest.mark.django_db
def test_member_history_shows_the_role_changes_newest_first(client, tenancy):
    membership = MembershipFactory(organization=tenancy.organization, role="viewer")
    services.membership_change_role(
        actor=tenancy.admin, membership=membership, role="officer", via="web", note="promoted"
    )
    client.force_login(tenancy.admin)

    response = client.get(_url("member-history", tenancy, pk=membership.pk))

    assert [
        (entry.who, entry.action, entry.reason, [tuple(vars(c).values()) for c in entry.changes])
        for entry in response.context["entries"]
    ] == [
        (
            "Admin Acme",
            "changed",
            "web: member change role — promoted",
            [("Role", "Viewer", "Compliance officer")],
        ),
        ("", "created", "test: factory", []),
    ]
