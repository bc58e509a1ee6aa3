"""The admin of lead-time overrides: scoped to the staff member's organizations, changed by
their admins only, with a required note, never shorter than the code's lead and at most a
year."""

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.urls import reverse

from facilities import services
from facilities.models import LeadTimeOverride, Membership
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def organizations(db):
    return OrganizationFactory(name="Alpha Health"), OrganizationFactory(name="Beta Care")


def _staff(organization, role):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="facilities"))
    MembershipFactory(organization=organization, user=user, role=role)
    return user


def _override(organization, days=60):
    return services.lead_time_override_set(
        actor=UserFactory(),
        organization=organization,
        license_type="US-DEA",
        file_by_days=days,
        via="test",
        note="arranged",
    )


def _change_url(override):
    return reverse("admin:facilities_leadtimeoverride_change", args=[override.pk])


@pytest.mark.django_db
def test_admin_add_needs_a_note_and_a_lead_no_shorter_than_the_code(client, organizations):
    alpha, _beta = organizations
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:facilities_leadtimeoverride_add")
    data = {"organization": alpha.pk, "license_type": "US-DEA", "file_by_days": "30"}

    refused = client.post(url, {**data, "change_note": ""})

    errors = refused.context["adminform"].form.errors
    assert errors["change_note"] == ["Say why the lead time changes."]
    assert errors["file_by_days"] == [
        "An override may only lengthen the lead: DEA registration must be filed at least 45 "
        "days before expiry."
    ]
    assert not LeadTimeOverride.objects.exists()

    saved = client.post(url, {**data, "file_by_days": "50", "change_note": "State backlog"})

    override = LeadTimeOverride.objects.get()
    assert saved.status_code == 302
    assert (override.organization, override.file_by_days) == (alpha, 50)
    assert override.history.get().history_change_reason == "admin: add — State backlog"


@pytest.mark.django_db
def test_admin_of_the_organization_changes_its_lead_with_a_note(client, organizations):
    alpha, _beta = organizations
    staff_admin = _staff(alpha, Membership.Role.ADMIN)
    override = _override(alpha)
    client.force_login(staff_admin)

    response = client.post(
        _change_url(override), {"file_by_days": "70", "change_note": "Slower this year"}
    )

    override.refresh_from_db()
    latest = override.history.latest()
    assert response.status_code == 302
    assert override.file_by_days == 70
    assert (latest.history_user, latest.history_change_reason) == (
        staff_admin,
        "admin: change — Slower this year",
    )


@pytest.mark.django_db
def test_officer_sees_but_cannot_change_and_other_organizations_stay_hidden(client, organizations):
    alpha, beta = organizations
    officer = _staff(alpha, Membership.Role.OFFICER)
    mine, theirs = _override(alpha), _override(beta, days=90)
    client.force_login(officer)

    changelist = client.get(reverse("admin:facilities_leadtimeoverride_changelist"))
    post = client.post(_change_url(mine), {"file_by_days": "80", "change_note": "x"})
    foreign = client.get(_change_url(theirs))

    assert list(changelist.context["cl"].queryset) == [mine]
    assert post.status_code == 403
    mine.refresh_from_db()
    assert mine.file_by_days == 60
    assert foreign.status_code == 302  # Django admin's "does not exist" redirect


@pytest.mark.django_db
def test_admin_refuses_a_lead_longer_than_a_year_on_add_and_change(client, organizations):
    alpha, _beta = organizations
    staff_admin = _staff(alpha, Membership.Role.ADMIN)
    client.force_login(staff_admin)
    data = {"organization": alpha.pk, "license_type": "US-DEA", "change_note": "Typo"}

    added = client.post(
        reverse("admin:facilities_leadtimeoverride_add"), {**data, "file_by_days": "1000"}
    )

    assert added.status_code == 200
    assert added.context["adminform"].form.errors == {
        "file_by_days": ["A lead time is at most 365 days."]
    }
    assert not LeadTimeOverride.objects.exists()
    assert not LeadTimeOverride.history.exists()

    override = _override(alpha)
    changed = client.post(_change_url(override), {"file_by_days": "366", "change_note": "Typo"})

    assert changed.context["adminform"].form.errors == {
        "file_by_days": ["A lead time is at most 365 days."]
    }
    override.refresh_from_db()
    assert override.file_by_days == 60
    assert override.history.count() == 1


@pytest.mark.django_db
def test_database_refuses_a_lead_longer_than_a_year(organizations):
    alpha, _beta = organizations
    override = LeadTimeOverride(organization=alpha, license_type="US-DEA", file_by_days=366)
    override._change_reason = "test: unchecked save"

    with (
        pytest.raises(IntegrityError, match="lead_time_override_at_most_a_year"),
        transaction.atomic(),
    ):
        override.save()

    assert not LeadTimeOverride.objects.exists()
