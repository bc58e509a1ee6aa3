import pytest

from facilities.history import (
    UntrackedWriteError,
    bulk_create_tracked,
    bulk_update_tracked,
    history_reason,
)
from facilities.models import Facility
from tests.factories import FacilityFactory, OrganizationFactory, UserFactory


@pytest.mark.django_db
def test_queryset_update_on_a_tracked_model_raises():
    facility = FacilityFactory()

    with pytest.raises(UntrackedWriteError, match=r"update\(\) on a tracked model"):
        Facility.objects.filter(pk=facility.pk).update(facility_name="Renamed")

    facility.refresh_from_db()
    assert facility.facility_name != "Renamed"


@pytest.mark.django_db
def test_plain_bulk_create_and_bulk_update_on_a_tracked_model_raise():
    facility = FacilityFactory()
    copy = Facility(
        organization=facility.organization,
        facility_name="Copy",
        facility_type="clinic",
        ownership="private",
        country=facility.country,
        state=facility.state,
    )

    with pytest.raises(UntrackedWriteError, match=r"bulk_create\(\)"):
        Facility.objects.bulk_create([copy])
    facility.facility_name = "Renamed"
    with pytest.raises(UntrackedWriteError, match=r"bulk_update\(\)"):
        Facility.objects.bulk_update([facility], ["facility_name"])

    assert Facility.objects.count() == 1
    assert Facility.objects.get().facility_name != "Renamed"


@pytest.mark.django_db
def test_deleting_a_tracked_row_or_queryset_raises():
    facility = FacilityFactory()

    with pytest.raises(UntrackedWriteError, match="never deleted"):
        facility.delete()
    with pytest.raises(UntrackedWriteError, match="never deleted"):
        Facility.objects.all().delete()

    assert Facility.objects.filter(pk=facility.pk).exists()


@pytest.mark.django_db
def test_bulk_wrappers_write_rows_with_one_history_row_each():
    actor = UserFactory()
    template = FacilityFactory()
    new = [
        Facility(
            organization=template.organization,
            facility_name=f"Bulk {n}",
            facility_type="clinic",
            ownership="public",
            country=template.country,
            state=template.state,
        )
        for n in range(3)
    ]

    created = bulk_create_tracked(new, actor=actor, reason="command: import")
    for facility in created:
        facility.bed_count = 5
    bulk_update_tracked(created, ["bed_count"], actor=actor, reason="command: fix beds")

    history = Facility.history.filter(facility_name__startswith="Bulk").order_by("history_id")
    assert [(h.history_type, h.history_user, h.history_change_reason) for h in history] == [
        ("+", actor, "command: import")
    ] * 3 + [("~", actor, "command: fix beds")] * 3
    assert set(
        Facility.objects.filter(facility_name__startswith="Bulk").values_list(
            "bed_count", flat=True
        )
    ) == {5}


@pytest.mark.django_db
def test_bulk_wrapper_leaves_the_guard_on_afterwards():
    actor = UserFactory()
    organization = OrganizationFactory()
    bulk_update_tracked([organization], ["name"], actor=actor, reason="test")

    with pytest.raises(UntrackedWriteError):
        type(organization).objects.filter(pk=organization.pk).update(name="x")


@pytest.mark.parametrize(
    ("via", "action", "note", "expected"),
    [
        ("web", "licence renew", "", "web: licence renew"),
        ("admin", "change", "  fixed   a typo ", "admin: change — fixed a typo"),
        ("command", "seed demo data", "", "command: seed demo data"),
    ],
)
def test_history_reason_joins_path_label_and_note(via, action, note, expected):
    assert history_reason(via, action, note) == expected
