"""The admin of the registry: what it lists, what it saves with which history row, and what a
staff member who is not a superuser can reach (only their organizations, nothing of users,
groups or reference data, and nothing deleted by anyone)."""

import datetime

import pytest
from django import forms
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.db.models import Q
from django.urls import reverse

from compliance.models import CheckRun, ComplianceCheck
from facilities import services
from facilities.models import (
    Facility,
    FacilityLicense,
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

TODAY = datetime.date.today()


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
    """A staff officer of organization A, granted every permission of the facilities app and
    the view permissions of geography: the admin itself must keep them to organization A."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label="facilities")
            | Q(content_type__app_label="geography", codename__startswith="view_")
        )
    )
    MembershipFactory(organization=org_a, user=user, role=Membership.Role.OFFICER)
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _admin_url(model, view, *args):
    return reverse(f"admin:facilities_{model}_{view}", args=args)


def _form_data(response, **changes):
    """The POST data of the admin form in `response` as it stands, with `changes` applied."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _history(model, pk):
    return list(
        model.history.filter(id=pk)
        .order_by("history_id")
        .values_list("history_type", "history_user", "history_change_reason")
    )


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Changelists ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["user", "organization", "membership", "facility", "facilitylicense", "accreditation"]
)
def test_changelist_of_every_model_lists_the_rows_for_a_superuser(superuser_client, model):
    license = FacilityLicenseFactory()
    accreditation = AccreditationFactory(facility=license.facility)
    membership = MembershipFactory(organization=license.organization)
    expected = {
        "user": {membership.user},
        "organization": {license.organization},
        "membership": {membership},
        "facility": {license.facility},
        "facilitylicense": {license},
        "accreditation": {accreditation},
    }[model]

    response = superuser_client.get(_admin_url(model, "changelist"))

    assert response.status_code == 200
    assert expected <= set(response.context["cl"].result_list)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "search"), [("facility", "Riverside"), ("facilitylicense", "RV")]
)
def test_changelist_search_finds_by_name_and_number(superuser_client, model, search):
    riverside = FacilityFactory(facility_name="Riverside Hospital")
    license = FacilityLicenseFactory(facility=riverside, license_number="RV-1")
    FacilityLicenseFactory()

    response = superuser_client.get(_admin_url(model, "changelist"), {"q": search})

    expected = {"facility": [riverside], "facilitylicense": [license]}[model]
    assert list(response.context["cl"].result_list) == expected


@pytest.mark.django_db
def test_facility_changelist_query_count_is_constant_from_1_to_20_rows(
    superuser_client, django_assert_num_queries
):
    organization = OrganizationFactory()
    FacilityFactory(organization=organization)
    url = _admin_url("facility", "changelist")
    superuser_client.get(url)  # warm the content-type cache

    # session, user, the filtered count, the total count, the page of facilities with their
    # organization and state joined, the organization and country filter choices.
    with django_assert_num_queries(7):
        one = superuser_client.get(url)
    FacilityFactory.create_batch(19, organization=organization)
    with django_assert_num_queries(7):
        twenty = superuser_client.get(url)

    assert (len(one.context["cl"].result_list), len(twenty.context["cl"].result_list)) == (1, 20)


@pytest.mark.django_db
def test_license_changelist_query_count_is_constant_from_1_to_20_rows(
    superuser_client, django_assert_num_queries
):
    facility = FacilityFactory()
    FacilityLicenseFactory(facility=facility)
    url = _admin_url("facilitylicense", "changelist")
    superuser_client.get(url)  # warm the content-type cache

    # session, user, the filtered count, the total count, the page of licences with their
    # facility and organization joined, the organization and country filter choices.
    with django_assert_num_queries(7):
        one = superuser_client.get(url)
    FacilityLicenseFactory.create_batch(19, facility=facility)
    with django_assert_num_queries(7):
        twenty = superuser_client.get(url)

    assert (len(one.context["cl"].result_list), len(twenty.context["cl"].result_list)) == (1, 20)


@pytest.mark.django_db
def test_officer_facility_changelist_query_count_is_constant(
    officer_client, org_a, django_assert_num_queries
):
    FacilityFactory(organization=org_a)
    url = _admin_url("facility", "changelist")
    officer_client.get(url)  # warm the content-type cache

    # As for a superuser, plus the officer's permissions (their own and their groups') and
    # their admin memberships, read once per request.
    with django_assert_num_queries(10):
        officer_client.get(url)
    FacilityFactory.create_batch(19, organization=org_a)
    with django_assert_num_queries(10):
        response = officer_client.get(url)

    assert len(response.context["cl"].result_list) == 20


# --- History rows of admin writes -----------------------------------------------------------


@pytest.mark.django_db
def test_facility_admin_change_records_the_staff_user_and_the_note(officer_client, officer, org_a):
    facility = FacilityFactory(organization=org_a, bed_count=120)
    url = _admin_url("facility", "change", facility.pk)
    data = _form_data(officer_client.get(url), bed_count=140, change_note="Recounted  beds")

    response = officer_client.post(url, data)

    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.bed_count == 140
    assert _history(Facility, facility.pk)[-1] == (
        "~",
        officer.pk,
        "admin: change — Recounted beds",
    )


@pytest.mark.django_db
def test_facility_admin_add_records_admin_add(superuser_client, superuser, org_a):
    texas = State.objects.get(code="US-TX")
    url = _admin_url("facility", "add")
    data = _form_data(
        superuser_client.get(url),
        organization=org_a.pk,
        facility_name="New Clinic",
        facility_type="clinic",
        ownership="public",
        bed_count=0,
        country=texas.country_id,
        state=texas.pk,
        status="active",
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    created = Facility.objects.get(facility_name="New Clinic")
    assert created.organization == org_a
    assert _history(Facility, created.pk) == [("+", superuser.pk, "admin: add")]


@pytest.mark.django_db
def test_license_admin_expiry_change_without_a_note_is_refused(superuser_client):
    license = FacilityLicenseFactory()
    expiry = license.expiry_date
    url = _admin_url("facilitylicense", "change", license.pk)
    data = _form_data(superuser_client.get(url), expiry_date=expiry + datetime.timedelta(days=30))

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "change_note": ["Say why the dates or status of this licence change."]
    }
    license.refresh_from_db()
    assert license.expiry_date == expiry
    assert _history(FacilityLicense, license.pk) == [("+", None, "test: factory")]


@pytest.mark.django_db
def test_license_admin_expiry_change_with_a_note_is_saved_with_the_reason(
    superuser_client, superuser
):
    license = FacilityLicenseFactory()
    new_expiry = license.expiry_date + datetime.timedelta(days=30)
    url = _admin_url("facilitylicense", "change", license.pk)
    data = _form_data(
        superuser_client.get(url), expiry_date=new_expiry, change_note="Extended by CDPH"
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    license.refresh_from_db()
    assert license.expiry_date == new_expiry
    assert _history(FacilityLicense, license.pk)[-1] == (
        "~",
        superuser.pk,
        "admin: change — Extended by CDPH",
    )


@pytest.mark.django_db
def test_license_admin_number_change_needs_no_note(superuser_client):
    license = FacilityLicenseFactory(license_number="OLD-1")
    url = _admin_url("facilitylicense", "change", license.pk)
    data = _form_data(superuser_client.get(url), license_number="NEW-1")

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    license.refresh_from_db()
    assert license.license_number == "NEW-1"
    assert _history(FacilityLicense, license.pk)[-1][2] == "admin: change"


@pytest.mark.django_db
def test_accreditation_admin_status_change_without_a_note_is_refused(superuser_client):
    accreditation = AccreditationFactory()
    url = _admin_url("accreditation", "change", accreditation.pk)
    data = _form_data(superuser_client.get(url), status=RecordStatus.SUSPENDED)

    response = superuser_client.post(url, data)

    assert response.context["adminform"].form.errors == {
        "change_note": ["Say why the dates or status of this accreditation change."]
    }
    accreditation.refresh_from_db()
    assert accreditation.status == RecordStatus.ACTIVE


@pytest.mark.django_db
def test_license_admin_add_takes_the_organization_from_the_facility(superuser_client):
    facility = FacilityFactory()
    url = _admin_url("facilitylicense", "add")
    data = _form_data(
        superuser_client.get(url),
        facility=facility.pk,
        license_type="US-CA-HOSPITAL",
        license_number="CA-777",
        issued_date=TODAY - datetime.timedelta(days=10),
        expiry_date=TODAY + datetime.timedelta(days=355),
        status=RecordStatus.ACTIVE,
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    license = FacilityLicense.objects.get(license_number="CA-777")
    assert license.organization == facility.organization
    assert _history(FacilityLicense, license.pk)[0][2] == "admin: add"


@pytest.mark.django_db
def test_license_admin_refuses_a_responsible_member_of_another_organization(superuser_client):
    license = FacilityLicenseFactory()
    outsider = MembershipFactory()
    url = _admin_url("facilitylicense", "change", license.pk)
    data = _form_data(superuser_client.get(url), responsible=outsider.pk)

    response = superuser_client.post(url, data)

    assert response.context["adminform"].form.errors == {
        "responsible": ["Choose an active member of the facility's organization."]
    }
    license.refresh_from_db()
    assert license.responsible is None


@pytest.mark.django_db
def test_facility_admin_keeps_the_organization_of_an_existing_facility(superuser_client, org_b):
    facility = FacilityFactory()
    organization = facility.organization
    url = _admin_url("facility", "change", facility.pk)
    data = _form_data(superuser_client.get(url), organization=org_b.pk, bed_count=99)

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.organization, facility.bed_count) == (organization, 99)


@pytest.mark.django_db
def test_facility_admin_refuses_a_second_active_facility_of_the_same_name(superuser_client):
    first = FacilityFactory(facility_name="Central Hospital")
    second = FacilityFactory(organization=first.organization, facility_name="North Clinic")
    url = _admin_url("facility", "change", second.pk)
    data = _form_data(superuser_client.get(url), facility_name="Central Hospital")

    response = superuser_client.post(url, data)

    assert response.context["adminform"].form.non_field_errors() == [
        "This organization already has an active facility with this name."
    ]
    second.refresh_from_db()
    assert second.facility_name == "North Clinic"


@pytest.mark.django_db
def test_facility_admin_close_needs_a_note_and_a_date(superuser_client):
    facility = FacilityFactory()
    url = _admin_url("facility", "change", facility.pk)
    data = _form_data(superuser_client.get(url), status=Facility.Status.CLOSED)

    response = superuser_client.post(url, data)

    assert response.context["adminform"].form.errors == {
        "closed_on": ["Give the date the facility closed."],
        "change_note": ["Say why the facility is closed or reopened."],
    }
    facility.refresh_from_db()
    assert facility.status == Facility.Status.ACTIVE


@pytest.mark.django_db
def test_facility_admin_close_sets_the_date_and_the_reason(superuser_client):
    facility = FacilityFactory()
    url = _admin_url("facility", "change", facility.pk)
    data = _form_data(
        superuser_client.get(url),
        status=Facility.Status.CLOSED,
        closed_on=TODAY,
        change_note="Merged into the main campus",
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.status, facility.closed_on, facility.closed_reason) == (
        Facility.Status.CLOSED,
        TODAY,
        "Merged into the main campus",
    )
    assert _history(Facility, facility.pk)[-1][2] == "admin: change — Merged into the main campus"


@pytest.mark.django_db
def test_facility_admin_reopen_clears_the_closing(superuser_client):
    facility = FacilityFactory(
        status=Facility.Status.CLOSED, closed_on=TODAY, closed_reason="Flooded"
    )
    url = _admin_url("facility", "change", facility.pk)
    data = _form_data(
        superuser_client.get(url), status=Facility.Status.ACTIVE, change_note="Repaired"
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.status, facility.closed_on, facility.closed_reason) == ("active", None, "")


@pytest.mark.django_db
def test_membership_admin_deactivation_needs_a_note(superuser_client):
    membership = MembershipFactory(role=Membership.Role.OFFICER)
    url = _admin_url("membership", "change", membership.pk)
    data = _form_data(superuser_client.get(url))
    del data["is_active"]

    refused = superuser_client.post(url, data)
    saved = superuser_client.post(url, {**data, "change_note": "Left the hospital"})

    assert refused.context["adminform"].form.errors == {
        "change_note": ["Say why this member is removed."]
    }
    assert saved.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False
    assert _history(Membership, membership.pk)[-1][2] == "admin: change — Left the hospital"


# --- No deletion ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_facility_delete_url_is_forbidden_even_for_a_superuser(superuser_client):
    facility = FacilityFactory()

    response = superuser_client.post(_admin_url("facility", "delete", facility.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Facility.objects.filter(pk=facility.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["organization", "membership", "facility", "facilitylicense", "accreditation"]
)
def test_tracked_changelists_offer_no_delete_action(superuser_client, model):
    FacilityLicenseFactory()

    response = superuser_client.get(_admin_url(model, "changelist"))

    action_form = response.context["action_form"]
    actions = [] if action_form is None else [c for c, _ in action_form.fields["action"].choices]
    # Facilities offer one action, running a compliance check; nothing offers deletion.
    assert [a for a in actions if a] == (["run_compliance_check"] if model == "facility" else [])
    assert b"delete_selected" not in response.content


# --- Scoping of staff who are not superusers ------------------------------------------------


@pytest.mark.django_db
def test_officer_facility_changelist_lists_only_their_organizations(
    officer_client, officer, org_a, org_b
):
    org_c = OrganizationFactory(name="Gamma Clinics")
    MembershipFactory(organization=org_c, user=officer, role=Membership.Role.ADMIN)
    mine = [FacilityFactory(organization=org_a), FacilityFactory(organization=org_c)]
    FacilityFactory(organization=org_b)

    response = officer_client.get(_admin_url("facility", "changelist"))

    changelist = response.context["cl"]
    assert set(changelist.result_list) == set(mine)
    organization_filter = next(s for s in changelist.filter_specs if s.title == "organization")
    assert [choice["display"] for choice in organization_filter.choices(changelist)] == [
        "All",
        "Alpha Health",
        "Gamma Clinics",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "mine"),
    [
        ("organization", 1),
        ("membership", 1),
        ("facility", 0),
        ("facilitylicense", 0),
        ("accreditation", 0),
    ],
)
def test_officer_changelists_hide_other_organizations(officer_client, org_b, model, mine):
    license = FacilityLicenseFactory(facility=FacilityFactory(organization=org_b))
    AccreditationFactory(facility=license.facility)
    MembershipFactory(organization=org_b)

    response = officer_client.get(_admin_url(model, "changelist"))

    # Only the officer's own organization and membership are there.
    assert response.context["cl"].full_result_count == mine
    assert org_b.name not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["change", "history"])
def test_officer_gets_doesnt_exist_for_another_organizations_facility(officer_client, org_b, view):
    theirs = FacilityFactory(organization=org_b, facility_name="Beta General")

    response = officer_client.get(_admin_url("facility", view, theirs.pk))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert _messages(response) == [
        f"facility with ID \u201c{theirs.pk}\u201d doesn\u2019t exist. Perhaps it was deleted?"
    ]


@pytest.mark.django_db
def test_officer_cannot_open_a_history_version_of_another_organizations_facility(
    officer_client, org_b
):
    theirs = FacilityFactory(organization=org_b, facility_name="Beta General")
    version = theirs.history.get()

    response = officer_client.get(
        reverse("admin:facilities_facility_simple_history", args=(theirs.pk, version.pk))
    )

    assert (response.status_code, response.url) == (302, reverse("admin:index"))
    assert _messages(response) == [
        f"facility with ID \u201c{theirs.pk}\u201d doesn\u2019t exist. Perhaps it was deleted?"
    ]


@pytest.mark.django_db
def test_officer_post_to_another_organizations_facility_changes_nothing(officer_client, org_b):
    theirs = FacilityFactory(organization=org_b, facility_name="Beta General")

    response = officer_client.post(
        _admin_url("facility", "change", theirs.pk), {"facility_name": "Taken"}
    )

    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.facility_name == "Beta General"


@pytest.mark.django_db
def test_officer_sees_their_organizations_facility_history(officer_client, org_a):
    mine = FacilityFactory(organization=org_a)

    response = officer_client.get(_admin_url("facility", "history", mine.pk))

    assert response.status_code == 200
    assert [r.history_change_reason for r in response.context["page_obj"]] == ["test: factory"]


@pytest.mark.django_db
def test_history_version_cannot_be_reverted(superuser_client):
    facility = FacilityFactory(facility_name="Original")
    version = facility.history.get()
    facility.facility_name = "Renamed"
    facility._change_reason = "test: rename"
    facility.save()
    url = reverse("admin:facilities_facility_simple_history", args=(facility.pk, version.pk))
    data = _form_data(superuser_client.get(url))

    response = superuser_client.post(url, data)

    assert response.status_code == 403
    facility.refresh_from_db()
    assert facility.facility_name == "Renamed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model_name", "field_name", "term"),
    [
        ("facilitylicense", "facility", ""),
        ("accreditation", "facility", ""),
        ("facilitylicense", "responsible", ""),
        ("facility", "organization", ""),
    ],
)
def test_officer_autocomplete_offers_only_their_organization(
    officer_client, officer, org_a, org_b, model_name, field_name, term
):
    mine = FacilityFactory(organization=org_a, facility_name="Alpha General")
    FacilityFactory(organization=org_b, facility_name="Beta General")
    MembershipFactory(organization=org_b)
    expected = {
        "facility": [str(mine)],
        "responsible": [str(officer.memberships.get())],
        "organization": ["Alpha Health"],
    }[field_name]

    response = officer_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "facilities", "model_name": model_name, "field_name": field_name},
    )

    assert [result["text"] for result in response.json()["results"]] == expected


@pytest.mark.django_db
def test_officer_cannot_pick_another_organizations_facility_in_a_form(officer_client, org_a, org_b):
    theirs = FacilityFactory(organization=org_b)
    url = _admin_url("facilitylicense", "add")
    data = _form_data(
        officer_client.get(url),
        facility=theirs.pk,
        license_type="US-CA-HOSPITAL",
        license_number="CA-1",
        issued_date=TODAY,
        status=RecordStatus.ACTIVE,
    )

    response = officer_client.post(url, data)

    assert list(response.context["adminform"].form.errors) == ["facility"]
    assert not FacilityLicense.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:facilities_user_add",
        "admin:auth_group_add",
        "admin:facilities_organization_add",
        "admin:geography_country_add",
        "admin:geography_state_add",
        "admin:geography_district_add",
    ],
)
def test_officer_cannot_open_add_forms_of_users_groups_organizations_or_geography(
    officer_client, url_name
):
    response = officer_client.get(reverse(url_name))

    assert response.status_code == 403


@pytest.mark.django_db
def test_officer_cannot_change_a_user_even_a_member_of_their_organization(officer_client, officer):
    url = reverse("admin:facilities_user_change", args=(officer.pk,))

    page = officer_client.get(url)
    response = officer_client.post(url, {"username": "renamed", "email": officer.email})

    assert page.context["has_change_permission"] is False
    assert response.status_code == 403
    officer.refresh_from_db()
    assert officer.username != "renamed"


@pytest.mark.django_db
def test_officer_cannot_change_a_group_even_with_its_permissions(officer_client, officer):
    group = Group.objects.create(name="Editors")
    officer.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth"))

    response = officer_client.post(
        reverse("admin:auth_group_change", args=(group.pk,)), {"name": "Owners"}
    )

    assert response.status_code == 403
    group.refresh_from_db()
    assert group.name == "Editors"


@pytest.mark.django_db
def test_officer_user_changelist_lists_only_members_of_their_organizations(
    officer_client, officer, org_a, org_b
):
    colleague = MembershipFactory(organization=org_a).user
    MembershipFactory(organization=org_b)

    response = officer_client.get(reverse("admin:facilities_user_changelist"))

    assert set(response.context["cl"].result_list) == {officer, colleague}


@pytest.mark.django_db
def test_officer_sees_and_cannot_add_to_their_organizations(officer_client, org_a, org_b):
    response = officer_client.get(_admin_url("organization", "changelist"))

    assert list(response.context["cl"].result_list) == [org_a]
    assert response.context["has_add_permission"] is False


@pytest.mark.django_db
def test_officer_cannot_change_their_organization_or_its_members(officer_client, officer, org_a):
    membership = officer.memberships.get()

    organization_page = officer_client.get(_admin_url("organization", "change", org_a.pk))
    membership_post = officer_client.post(
        _admin_url("membership", "change", membership.pk), {"role": Membership.Role.ADMIN}
    )

    assert organization_page.context["has_change_permission"] is False
    assert membership_post.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Membership.Role.OFFICER


@pytest.mark.django_db
def test_organization_admin_can_rename_their_organization(client, org_a):
    admin_user = UserFactory(is_staff=True)
    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label="facilities"))
    MembershipFactory(organization=org_a, user=admin_user, role=Membership.Role.ADMIN)
    client.force_login(admin_user)
    url = _admin_url("organization", "change", org_a.pk)
    data = _form_data(client.get(url), name="Alpha Health System")

    response = client.post(url, data)

    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.name == "Alpha Health System"
    assert _history(Organization, org_a.pk)[-1] == ("~", admin_user.pk, "admin: change")


@pytest.mark.django_db
def test_inactive_or_viewer_membership_gives_no_admin_access(client, org_a):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="facilities"))
    MembershipFactory(organization=org_a, user=user, role=Membership.Role.VIEWER)
    FacilityFactory(organization=org_a)
    client.force_login(user)

    response = client.get(_admin_url("facility", "changelist"))

    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "search", "expected"),
    [("country", "US", "United States"), ("state", "US-CA", "California")],
)
def test_officer_can_view_geography_changelists(officer_client, model, search, expected):
    response = officer_client.get(reverse(f"admin:geography_{model}_changelist"), {"q": search})

    assert [str(obj) for obj in response.context["cl"].result_list] == [expected]
    assert response.context["has_add_permission"] is False


@pytest.mark.django_db
def test_officer_cannot_change_a_country(officer_client):
    country = Country.objects.get(code="US")
    url = reverse("admin:geography_country_change", args=(country.pk,))

    response = officer_client.post(url, {"code": "US", "name": "Renamed"})

    assert response.status_code == 403
    country.refresh_from_db()
    assert country.name != "Renamed"


@pytest.mark.django_db
def test_officer_admin_index_shows_the_registry_and_geography_only(officer_client):
    response = officer_client.get(reverse("admin:index"))

    apps = {
        app["app_label"]: [model["object_name"] for model in app["models"]]
        for app in response.context["app_list"]
    }
    assert apps == {
        "facilities": [
            "Accreditation",
            "Facility",
            "LeadTimeOverride",
            "FacilityLicense",
            "Membership",
            "Organization",
            "User",
        ],
        "geography": ["Country", "District", "State"],
    }


@pytest.mark.django_db
def test_user_admin_add_asks_for_the_email(superuser_client):
    url = reverse("admin:facilities_user_add")
    data = {
        "username": "newofficer",
        "email": "newofficer@example.com",
        "usable_password": "true",
        "password1": "a long enough passphrase 42",
        "password2": "a long enough passphrase 42",
    }

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    assert User.objects.get(username="newofficer").email == "newofficer@example.com"


@pytest.mark.django_db
def test_user_admin_offers_no_delete_even_to_a_superuser(superuser_client):
    user = UserFactory()

    response = superuser_client.post(
        reverse("admin:facilities_user_delete", args=(user.pk,)), {"post": "yes"}
    )

    assert response.status_code == 403
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.django_db
def test_admin_action_runs_a_compliance_check_on_selected_active_facilities(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    first, second, closed = FacilityFactory(), FacilityFactory(), FacilityFactory()
    services.facility_close(
        actor=superuser,
        facility=closed,
        closed_on=closed.organization.today(),
        via="test",
        note="x",
    )
    client.force_login(superuser)

    response = client.post(
        reverse("admin:facilities_facility_changelist"),
        {"action": "run_compliance_check", "_selected_action": [first.pk, second.pk, closed.pk]},
        follow=True,
    )

    assert set(ComplianceCheck.objects.values_list("facility_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert set(CheckRun.objects.values_list("via", "actor", "status")) == {
        ("admin", superuser.pk, "finished")
    }
    assert "2 facilities checked (1 closed skipped)." in [
        str(m) for m in response.context["messages"]
    ]
