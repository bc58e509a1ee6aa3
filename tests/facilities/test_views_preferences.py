"""A member's own preferences page, and the default place filter it sets on the facility list."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from facilities.models import Membership
from facilities.selectors import FieldChange, membership_history, readable_history
from geography.models import Country, State
from tests.facilities.test_query_counts import SESSION_USER_MEMBERSHIP
from tests.factories import FacilityFactory, MembershipFactory
from tests.factories.tenancy import make_tenancy


@pytest.fixture
def tenancy(db):
    return make_tenancy()


def _url(tenancy, name="facilities:preferences", organization=None):
    return reverse(name, kwargs={"org": (organization or tenancy.organization).slug})


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _reasons(membership):
    return list(
        Membership.history.filter(id=membership.pk)
        .order_by("history_id")
        .values_list("history_user__username", "history_change_reason")
    )


def _form(**overrides):
    data = {
        "reminders_enabled": "on",
        "reminder_windows": ["90", "60", "30", "7", "0"],
        "reminder_frequency": "daily",
        "default_country": "",
        "default_state": "",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_preferences_form_starts_from_the_members_values(client, tenancy):
    client.force_login(tenancy.viewer)

    response = client.get(_url(tenancy))

    form = response.context["form"]
    # No windows chosen means every window: all are ticked.
    assert form.initial == {
        "reminders_enabled": True,
        "reminder_windows": ["90", "60", "30", "7", "0"],
        "reminder_frequency": "daily",
        "default_country": None,
        "default_state": None,
    }
    assert [str(country) for country in form.fields["default_country"].queryset] == [
        "Brazil",
        "India",
        "United States",
    ]


@pytest.mark.django_db
def test_preferences_saved_by_a_viewer_with_history(client, tenancy):
    membership = tenancy.membership(tenancy.viewer)
    california = State.objects.get(code="US-CA")
    client.force_login(tenancy.viewer)

    response = client.post(
        _url(tenancy),
        _form(
            reminders_enabled="",
            reminder_windows=["30", "7"],
            reminder_frequency="weekly",
            default_country=str(california.country_id),
            default_state=str(california.pk),
        ),
    )

    membership.refresh_from_db()
    assert response["Location"] == _url(tenancy)
    assert (
        membership.reminders_enabled,
        membership.reminder_windows,
        membership.reminder_frequency,
        membership.default_country.code,
        membership.default_state.code,
    ) == (False, [30, 7], "weekly", "US", "US-CA")
    assert _reasons(membership)[-1] == ("viewer", "web: preferences")
    assert _messages(response) == ["Your preferences are saved."]
    latest = readable_history(membership_history(membership), (Membership,))[0]
    assert set(latest.changes) == {
        FieldChange("E-mail expiry reminders", "yes", "no"),
        FieldChange("Reminder windows (days before the deadline)", "—", "30, 7"),
        FieldChange("Reminder digest", "Daily digest", "Weekly digest (Mondays)"),
        FieldChange("Default country filter", "—", "United States"),
        FieldChange("Default state filter", "—", "California"),
    }


@pytest.mark.django_db
def test_preferences_every_window_ticked_follows_the_organizations_windows(client, tenancy):
    membership = tenancy.membership(tenancy.officer)
    membership.reminder_windows, membership._change_reason = [30], "test"
    membership.save()
    client.force_login(tenancy.officer)

    client.post(_url(tenancy), _form())

    membership.refresh_from_db()
    assert membership.reminder_windows == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("windows", "message"),
    [
        (["30", "abc"], "“abc” is not a number of days: reminder windows are whole days."),
        (["45"], "45 days is not a reminder window; choose among 90, 60, 30, 7, 0."),
        (["-1"], "-1 days is not a reminder window; choose among 90, 60, 30, 7, 0."),
        ([], "Choose at least one window, or turn reminders off."),
    ],
)
def test_preferences_bad_windows_are_refused_with_a_message(client, tenancy, windows, message):
    membership = tenancy.membership(tenancy.viewer)
    history_before = _reasons(membership)
    client.force_login(tenancy.viewer)

    response = client.post(_url(tenancy), _form(reminder_windows=windows))

    assert response.status_code == 200
    assert response.context["form"].errors == {"reminder_windows": [message]}
    assert message in response.content.decode()
    membership.refresh_from_db()
    assert membership.reminder_windows == []
    assert _reasons(membership) == history_before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "state", "field", "message"),
    [
        ("BR", "US-CA", "default_state", "California is not in the chosen country."),
        (None, "US-CA", "default_state", "California is not in the chosen country."),
        ("US", "999999", "default_state", "Select a valid choice."),
        ("US", "x", "default_state", "Select a valid choice."),
        ("999999", None, "default_country", "Select a valid choice."),
    ],
)
def test_preferences_refuse_a_state_outside_the_country(
    client, tenancy, country, state, field, message
):
    def pk(model, code):
        found = model.objects.filter(code=code).first()
        return str(found.pk) if found else code or ""

    membership = tenancy.membership(tenancy.viewer)
    client.force_login(tenancy.viewer)

    response = client.post(
        _url(tenancy),
        _form(default_country=pk(Country, country), default_state=pk(State, state)),
    )

    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    membership.refresh_from_db()
    assert (membership.default_country_id, membership.default_state_id) == (None, None)


@pytest.mark.django_db
def test_preferences_accept_any_country_of_the_reference_data(client, tenancy):
    # The organization has no facility in Brazil: reference data is shared, not tenant data.
    FacilityFactory(organization=tenancy.other_organization, state_code="BR-SP")
    sao_paulo = State.objects.get(code="BR-SP")
    membership = tenancy.membership(tenancy.viewer)
    client.force_login(tenancy.viewer)

    client.post(
        _url(tenancy),
        _form(default_country=str(sao_paulo.country_id), default_state=str(sao_paulo.pk)),
    )

    membership.refresh_from_db()
    assert membership.default_state == sao_paulo


@pytest.mark.django_db
def test_preferences_of_another_organization_answer_404_and_change_nothing(client, tenancy):
    other = Membership.objects.get(organization=tenancy.other_organization)
    client.force_login(tenancy.viewer)

    get = client.get(_url(tenancy, organization=tenancy.other_organization))
    post = client.post(
        _url(tenancy, organization=tenancy.other_organization),
        _form(reminders_enabled="", reminder_frequency="weekly"),
    )

    other.refresh_from_db()
    assert (get.status_code, post.status_code) == (404, 404)
    assert (other.reminders_enabled, other.reminder_frequency) == (True, "daily")


@pytest.mark.django_db
def test_preferences_change_only_the_members_own_membership(client, tenancy):
    officer = tenancy.membership(tenancy.officer)
    client.force_login(tenancy.viewer)

    client.post(_url(tenancy), _form(reminder_frequency="weekly"))

    officer.refresh_from_db()
    assert tenancy.membership(tenancy.viewer).reminder_frequency == "weekly"
    assert officer.reminder_frequency == "daily"


@pytest.mark.django_db
@pytest.mark.parametrize("members", [1, 20])
def test_preferences_query_count_does_not_grow_with_members(
    client, tenancy, django_assert_num_queries, members
):
    for _ in range(members):
        MembershipFactory(organization=tenancy.organization)
    client.force_login(tenancy.viewer)

    # Session, user, membership; the countries with coverage; the states of the choices.
    with django_assert_num_queries(SESSION_USER_MEMBERSHIP + 2):
        response = client.get(_url(tenancy))

    assert response.context["form"].initial["reminder_frequency"] == "daily"


# --- The default filter on the facility list ------------------------------------------------


def _set_default(membership, state_code=None, country_code=None):
    state = State.objects.get(code=state_code) if state_code else None
    membership.default_state = state
    membership.default_country = state.country if state else Country.objects.get(code=country_code)
    membership._change_reason = "test"
    membership.save()


@pytest.mark.django_db
def test_facility_list_applies_the_members_default_filter(client, tenancy):
    FacilityFactory(organization=tenancy.organization, facility_name="Sacramento General")
    FacilityFactory(
        organization=tenancy.organization, facility_name="Austin Clinic", state_code="US-TX"
    )
    _set_default(tenancy.membership(tenancy.viewer), state_code="US-CA")
    california = State.objects.get(code="US-CA")
    client.force_login(tenancy.viewer)
    url = _url(tenancy, "facilities:facility-list")

    redirect = client.get(url)
    response = client.get(redirect["Location"])

    assert redirect["Location"] == (
        f"{url}?country={california.country_id}&state={california.pk}&default=1"
    )
    names = [row.record.facility_name for row in response.context["table"].paginated_rows]
    assert names == ["Sacramento General"]
    content = response.content.decode()
    assert "Filtered by your default: United States, California." in content
    assert f'href="{url}?all=1"' in content


@pytest.mark.django_db
def test_facility_list_shows_everything_when_asked_or_filtered(client, tenancy):
    FacilityFactory(organization=tenancy.organization, facility_name="Sacramento General")
    FacilityFactory(
        organization=tenancy.organization, facility_name="Austin Clinic", state_code="US-TX"
    )
    _set_default(tenancy.membership(tenancy.viewer), country_code="US")
    client.force_login(tenancy.viewer)
    url = _url(tenancy, "facilities:facility-list")

    everything = client.get(url, {"all": "1"})
    searched = client.get(url, {"q": "austin"})

    assert everything.status_code == searched.status_code == 200
    assert [r.record.facility_name for r in everything.context["table"].paginated_rows] == [
        "Austin Clinic",
        "Sacramento General",
    ]
    assert [r.record.facility_name for r in searched.context["table"].paginated_rows] == [
        "Austin Clinic"
    ]
    assert "Filtered by your default" not in everything.content.decode()


@pytest.mark.django_db
def test_facility_list_without_a_default_is_not_redirected(client, tenancy):
    client.force_login(tenancy.viewer)

    response = client.get(_url(tenancy, "facilities:facility-list"))

    assert response.status_code == 200
    assert "Filtered by your default" not in response.content.decode()
