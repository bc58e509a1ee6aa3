"""The organization settings page: lead times per licence type, overrides and their history."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from facilities import services
from facilities.models import LeadTimeOverride, Organization
from facilities.selectors import FieldChange
from tests.facilities.test_query_counts import SESSION_USER_MEMBERSHIP
from tests.factories import FacilityFactory
from tests.factories.tenancy import make_tenancy


@pytest.fixture
def tenancy(db):
    tenancy = make_tenancy()
    FacilityFactory(organization=tenancy.organization, state_code="US-CA")
    return tenancy


def _url(tenancy):
    return reverse("facilities:organization-settings", kwargs={"org": tenancy.organization.slug})


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _history(override):
    return list(
        LeadTimeOverride.history.filter(id=override.pk)
        .order_by("history_id")
        .values_list("history_user__username", "history_change_reason", "file_by_days")
    )


@pytest.mark.django_db
def test_settings_lists_every_licence_type_of_the_organizations_places(client, tenancy):
    FacilityFactory(organization=tenancy.organization, state_code="BR-SP")
    # A closed facility's place does not count; another organization's places never do.
    closed = FacilityFactory(organization=tenancy.organization, state_code="IN-MH")
    closed.status, closed.closed_on, closed._change_reason = "closed", "2025-01-01", "test"
    closed.save()
    FacilityFactory(organization=tenancy.other_organization, state_code="US-NY")
    client.force_login(tenancy.admin)

    response = client.get(_url(tenancy))

    rows = [(row.code, row.code_days, row.override_days) for row in response.context["lead_times"]]
    assert rows == [
        ("US-CLIA", 30, None),
        ("US-DEA", 45, None),
        ("US-CMS-CERTIFICATION", 0, None),
        ("US-CA-HOSPITAL", 30, None),
        ("BR-ALVARA-SANITARIO", 30, None),
        ("BR-AVCB", 30, None),
        ("BR-CRM-PJ", 30, None),
        ("BR-ALVARA-FUNCIONAMENTO", 0, None),
    ]
    assert "California hospital licence" in response.content.decode()


@pytest.mark.django_db
def test_settings_set_override_saves_the_row_with_its_history(client, tenancy):
    client.force_login(tenancy.admin)

    response = client.post(
        _url(tenancy),
        {"license_type": "US-CA-HOSPITAL", "file_by_days": "60", "reason": "County practice"},
    )

    override = LeadTimeOverride.objects.get(organization=tenancy.organization)
    assert response["Location"] == _url(tenancy)
    assert (override.license_type, override.file_by_days) == ("US-CA-HOSPITAL", 60)
    assert _history(override) == [("admin", "web: lead time set — County practice", 60)]
    assert _messages(response) == [
        "California hospital licence: file at least 60 days before expiry."
    ]


@pytest.mark.django_db
def test_settings_page_shows_each_change_with_actor_reason_and_old_to_new(client, tenancy):
    admin = tenancy.admin
    services.lead_time_override_set(
        actor=admin,
        organization=tenancy.organization,
        license_type="US-CA-HOSPITAL",
        file_by_days=60,
        via="web",
        note="County practice",
    )
    services.lead_time_override_set(
        actor=admin,
        organization=tenancy.organization,
        license_type="US-CA-HOSPITAL",
        file_by_days=90,
        via="web",
        note="Slower county",
    )
    client.force_login(admin)

    response = client.get(_url(tenancy))

    label = "File by (days before expiry)"
    entries = [
        (entry.object_label, entry.who, entry.reason, entry.changes)
        for entry in response.context["entries"]
    ]
    # Newest first; the organization's own creation comes last.
    assert entries[-1][0] == "Acme Health"
    assert entries[:-1] == [
        (
            "California hospital licence",
            "Admin Acme",
            "web: lead time set — Slower county",
            [FieldChange(label, "60", "90")],
        ),
        (
            "California hospital licence",
            "Admin Acme",
            "web: lead time set — County practice",
            [FieldChange(label, "30", "60")],
        ),
    ]
    row = next(row for row in response.context["lead_times"] if row.code == "US-CA-HOSPITAL")
    assert (row.code_days, row.override_days, row.days) == (30, 90, 90)
    assert "Slower county" in response.content.decode()


@pytest.mark.django_db
def test_settings_refuses_an_override_shorter_than_the_code(client, tenancy):
    client.force_login(tenancy.admin)

    response = client.post(
        _url(tenancy),
        {"license_type": "US-DEA", "file_by_days": "20", "reason": "Faster"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file_by_days": [
            "An override may only lengthen the lead: DEA registration must be filed at least "
            "45 days before expiry."
        ]
    }
    assert "at least 45 days before expiry" in response.content.decode()
    assert not LeadTimeOverride.objects.exists()
    assert not LeadTimeOverride.history.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "license_type",
    [
        "XX-NOT-A-TYPE",
        # In the catalog, but of a country where the organization has no facility.
        "BR-AVCB",
    ],
)
def test_settings_refuses_a_licence_type_outside_the_organizations_places(
    client, tenancy, license_type
):
    client.force_login(tenancy.admin)

    response = client.post(
        _url(tenancy),
        {"license_type": license_type, "file_by_days": "60", "reason": "Why not"},
    )

    assert response.context["form"].errors == {
        "license_type": [
            f"“{license_type}” is not a licence type of your facilities' countries and states."
        ]
    }
    assert not LeadTimeOverride.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"license_type": "US-DEA", "file_by_days": "60", "reason": " "},
            {"reason": ["This field is required."]},
        ),
        (
            {"license_type": "US-DEA", "file_by_days": "sixty", "reason": "x"},
            {"file_by_days": ["Enter a whole number."]},
        ),
        (
            {"license_type": "US-DEA", "file_by_days": "400", "reason": "x"},
            {"file_by_days": ["A lead time is at most 365 days."]},
        ),
        (
            {"license_type": "US-DEA", "file_by_days": "45", "reason": "x"},
            {"file_by_days": ["The lead time is already 45 days."]},
        ),
    ],
)
def test_settings_refuses_bad_input_with_a_message(client, tenancy, data, errors):
    client.force_login(tenancy.admin)

    response = client.post(_url(tenancy), data)

    assert response.context["form"].errors == errors
    assert not LeadTimeOverride.objects.exists()


@pytest.mark.django_db
def test_settings_return_to_the_code_keeps_the_row_and_records_why(client, tenancy):
    override = services.lead_time_override_set(
        actor=tenancy.admin,
        organization=tenancy.organization,
        license_type="US-DEA",
        file_by_days=60,
        via="web",
        note="Backlog",
    )
    client.force_login(tenancy.admin)

    response = client.post(
        _url(tenancy),
        {"action": "reset", "license_type": "US-DEA", "reason": "Backlog cleared"},
    )

    override.refresh_from_db()
    assert response["Location"] == _url(tenancy)
    assert override.file_by_days == 45
    assert _history(override) == [
        ("admin", "web: lead time set — Backlog", 60),
        ("admin", "web: lead time reset — Backlog cleared", 45),
    ]
    assert _messages(response) == ["DEA registration follows the code's lead time again (45 days)."]
    page = client.get(_url(tenancy))
    row = next(row for row in page.context["lead_times"] if row.code == "US-DEA")
    assert (row.override_days, row.days) == (None, 45)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "reset", "license_type": "US-DEA", "reason": ""}, "This field is required."),
        (
            {"action": "reset", "license_type": "US-CLIA", "reason": "x"},
            "“US-CLIA” is not an overridden licence type.",
        ),
    ],
)
def test_settings_return_to_the_code_refuses_bad_input(client, tenancy, data, message):
    override = services.lead_time_override_set(
        actor=tenancy.admin,
        organization=tenancy.organization,
        license_type="US-DEA",
        file_by_days=60,
        via="web",
        note="Backlog",
    )
    client.force_login(tenancy.admin)

    response = client.post(_url(tenancy), data)

    override.refresh_from_db()
    assert response.status_code == 200
    assert message in response.content.decode()
    assert override.file_by_days == 60
    assert len(_history(override)) == 1


@pytest.mark.django_db
def test_settings_never_shows_another_organizations_overrides(client, tenancy):
    FacilityFactory(organization=tenancy.other_organization, state_code="US-CA")
    services.lead_time_override_set(
        actor=tenancy.outsider,
        organization=tenancy.other_organization,
        license_type="US-CA-HOSPITAL",
        file_by_days=120,
        via="web",
        note="Other secret",
    )
    client.force_login(tenancy.admin)

    response = client.get(_url(tenancy))

    assert [entry.object_label for entry in response.context["entries"]] == ["Acme Health"]
    assert all(row.override_days is None for row in response.context["lead_times"])
    assert "Other secret" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("overrides", [1, 4])
def test_settings_query_count_does_not_grow_with_overrides_and_facilities(
    client, tenancy, django_assert_num_queries, overrides
):
    for state_code in ["US-NY", "US-TX", "BR-SP", "IN-MH"][:overrides]:
        FacilityFactory(organization=tenancy.organization, state_code=state_code)
    for license_type in ["US-CLIA", "US-DEA", "US-CA-HOSPITAL", "US-NY-OPERATING-CERTIFICATE"][
        :overrides
    ]:
        for days in (100, 110):
            services.lead_time_override_set(
                actor=tenancy.admin,
                organization=tenancy.organization,
                license_type=license_type,
                file_by_days=days,
                via="web",
                note="Local practice",
            )
    client.force_login(tenancy.admin)

    # Session, user, membership; the places of the facilities; the overrides; their history;
    # the organization's history.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 4):
        response = client.get(_url(tenancy))

    assert len(response.context["entries"]) == 2 * overrides + 1


@pytest.mark.django_db
def test_settings_organization_name_and_time_zone_change_with_a_reason(client, tenancy):
    client.force_login(tenancy.admin)

    response = client.post(
        _url(tenancy),
        {
            "action": "organization",
            "name": "Acme Health West",
            "time_zone": "America/Los_Angeles",
            "note": "Moved headquarters",
        },
    )

    organization = Organization.objects.get(pk=tenancy.organization.pk)
    assert response["Location"] == _url(tenancy)
    assert (organization.name, organization.time_zone) == (
        "Acme Health West",
        "America/Los_Angeles",
    )
    latest = organization.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        tenancy.admin,
        "web: organization edit — Moved headquarters",
    )
    page = client.get(_url(tenancy))
    changes = page.context["entries"][0].changes
    assert FieldChange("Time zone", "America/New_York", "America/Los_Angeles") in changes
    assert FieldChange("Name", "Acme Health", "Acme Health West") in changes


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "Acme", "time_zone": "Mars/Olympus", "note": "x"}, "time_zone", "Select a valid"),
        ({"name": "Acme", "time_zone": "UTC", "note": ""}, "note", "This field is required."),
        ({"name": "", "time_zone": "UTC", "note": "x"}, "name", "This field is required."),
    ],
)
def test_settings_organization_change_refuses_bad_input(client, tenancy, data, field, message):
    client.force_login(tenancy.admin)
    before = tenancy.organization.history.count()

    response = client.post(_url(tenancy), {"action": "organization", **data})

    errors = response.context["organization_form"].errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    organization = Organization.objects.get(pk=tenancy.organization.pk)
    assert (organization.name, organization.time_zone) == ("Acme Health", "America/New_York")
    assert organization.history.count() == before
