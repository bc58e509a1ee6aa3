"""Services and selectors of the organization settings and the member preferences."""

import pytest
from django.core.exceptions import ValidationError

from facilities import selectors, services
from facilities.models import LeadTimeOverride, Membership
from geography.models import Country, State
from tests.factories.tenancy import make_tenancy


@pytest.fixture
def tenancy(db):
    return make_tenancy()


def _set(tenancy, license_type="US-DEA", days=60, note="Local practice"):
    return services.lead_time_override_set(
        actor=tenancy.admin,
        organization=tenancy.organization,
        license_type=license_type,
        file_by_days=days,
        via="web",
        note=note,
    )


@pytest.mark.django_db
def test_lead_time_override_set_creates_then_lengthens_one_row(tenancy):
    _set(tenancy, days=60, note="Backlog")

    override = _set(tenancy, days=75, note="Worse backlog")

    assert LeadTimeOverride.objects.get() == override
    assert override.file_by_days == 75
    history = list(
        override.history.order_by("history_id").values_list(
            "history_user__username", "history_change_reason", "file_by_days"
        )
    )
    assert history == [
        ("admin", "web: lead time set — Backlog", 60),
        ("admin", "web: lead time set — Worse backlog", 75),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("license_type", "days", "note", "errors"),
    [
        (
            "US-DEA",
            44,
            "x",
            {
                "file_by_days": [
                    "An override may only lengthen the lead: DEA registration must be filed at "
                    "least 45 days before expiry."
                ]
            },
        ),
        ("XX-NOPE", 60, "x", {"license_type": ["Unknown licence type."]}),
        ("US-DEA", 366, "x", {"file_by_days": ["A lead time is at most 365 days."]}),
        ("US-DEA", 45, "x", {"file_by_days": ["The lead time is already 45 days."]}),
        ("US-DEA", 60, "  ", {"reason": ["Say why the lead time changes."]}),
    ],
)
def test_lead_time_override_set_refuses_bad_input_and_saves_nothing(
    tenancy, license_type, days, note, errors
):
    with pytest.raises(ValidationError) as refused:
        _set(tenancy, license_type=license_type, days=days, note=note)

    assert refused.value.message_dict == errors
    assert not LeadTimeOverride.objects.exists()
    assert not LeadTimeOverride.history.exists()


@pytest.mark.django_db
def test_lead_time_override_reset_returns_to_the_code_and_refuses_twice(tenancy):
    _set(tenancy, days=60)

    override = services.lead_time_override_reset(
        actor=tenancy.admin,
        organization=tenancy.organization,
        license_type="US-DEA",
        via="admin",
        note="Back to normal",
    )

    assert override.file_by_days == 45
    assert (
        override.history.latest().history_change_reason == "admin: lead time reset — Back to normal"
    )
    with pytest.raises(ValidationError) as refused:
        services.lead_time_override_reset(
            actor=tenancy.admin,
            organization=tenancy.organization,
            license_type="US-DEA",
            via="admin",
            note="Again",
        )
    assert refused.value.message_dict == {
        "license_type": ["This licence type already follows the code's lead time."]
    }


@pytest.mark.django_db
def test_organization_lead_times_keep_a_type_whose_places_the_organization_left(tenancy):
    _set(tenancy, license_type="IN-BMW-AUTHORISATION", days=100)

    rows = selectors.organization_lead_times(tenancy.organization)

    assert [(row.code, row.override_days) for row in rows] == [("IN-BMW-AUTHORISATION", 100)]


def _update(tenancy, data, membership=None):
    return services.membership_preferences_update(
        actor=tenancy.viewer,
        membership=membership or tenancy.membership(tenancy.viewer),
        data=data,
        via="web",
    )


@pytest.mark.django_db
def test_membership_preferences_update_saves_sorted_windows_with_history(tenancy):
    membership = _update(tenancy, {"reminder_windows": [7, 90, 7], "reminders_enabled": True})

    assert membership.reminder_windows == [90, 7]
    latest = membership.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        tenancy.viewer,
        "web: preferences",
    )


@pytest.mark.django_db
def test_membership_preferences_update_without_a_change_writes_no_history(tenancy):
    membership = tenancy.membership(tenancy.viewer)
    before = membership.history.count()

    _update(tenancy, {"reminders_enabled": True, "reminder_windows": []}, membership)

    assert membership.history.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"reminder_windows": ["30"]},
            {
                "reminder_windows": [
                    "“30” is not a number of days: reminder windows are whole days."
                ]
            },
        ),
        (
            {"reminder_windows": [True]},
            {
                "reminder_windows": [
                    "“True” is not a number of days: reminder windows are whole days."
                ]
            },
        ),
        (
            {"reminder_windows": [14]},
            {
                "reminder_windows": [
                    "14 days is not a reminder window; choose among 90, 60, 30, 7, 0."
                ]
            },
        ),
        (
            {"reminder_windows": "30"},
            {"reminder_windows": ["Choose reminder windows from the list."]},
        ),
        ({"reminder_frequency": "hourly"}, None),
        ({"default_state_code": "US-CA"}, None),
    ],
)
def test_membership_preferences_update_refuses_bad_input(tenancy, data, errors):
    membership = tenancy.membership(tenancy.viewer)
    if "default_state_code" in data:
        data = {
            "default_country": Country.objects.get(code="BR"),
            "default_state": State.objects.get(code=data["default_state_code"]),
        }
        errors = {"default_state": ["This state is not in the chosen country."]}
    before = membership.history.count()

    with pytest.raises(ValidationError) as refused:
        _update(tenancy, data, membership)

    if errors:
        assert refused.value.message_dict == errors
    else:
        assert list(refused.value.message_dict) == ["reminder_frequency"]
    assert membership.history.count() == before
    assert Membership.objects.get(pk=membership.pk).reminder_windows == []


@pytest.mark.django_db
def test_default_filters_give_iso_codes(tenancy, django_assert_num_queries):
    membership = tenancy.membership(tenancy.viewer)
    with django_assert_num_queries(0):
        assert selectors.default_filters(membership) == {}

    membership.default_country = Country.objects.get(code="BR")
    with django_assert_num_queries(1):
        assert selectors.default_filters(membership) == {"country": "BR"}

    membership.default_state = State.objects.get(code="BR-SP")
    with django_assert_num_queries(1):
        assert selectors.default_filters(membership) == {"country": "BR", "state": "BR-SP"}
