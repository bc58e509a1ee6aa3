import datetime

import pytest
from django.core.exceptions import ValidationError

from facilities import services
from facilities.models import Facility, FacilityLicense, Membership, RecordStatus
from geography.models import District, State
from tests.factories import (
    AccreditationFactory,
    FacilityFactory,
    FacilityLicenseFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

TODAY = datetime.date.today()


def _facility_data(**overrides):
    state = State.objects.get(code="US-TX")
    data = {
        "facility_name": "Houston General",
        "facility_type": "hospital",
        "ownership": "private",
        "bed_count": 250,
        "services": ["laboratory"],
        "country": state.country,
        "state": state,
        "district": District.objects.get(official_code="48201"),
        "address": "1 Main St, Houston",
        "npi_number": "1234567893",
    }
    data.update(overrides)
    return data


def _last_history(model, pk):
    return model.history.filter(id=pk).order_by("-history_id").first()


@pytest.mark.django_db
def test_facility_create_saves_the_facility_with_actor_and_reason():
    actor, organization = UserFactory(), OrganizationFactory()

    facility = services.facility_create(
        actor=actor, organization=organization, data=_facility_data(), via="web", note="opened"
    )

    history = _last_history(Facility, facility.pk)
    assert (history.history_type, history.history_user, history.history_change_reason) == (
        "+",
        actor,
        "web: facility create — opened",
    )
    assert facility.organization == organization
    assert facility.npi_number == "1234567893"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"npi_number": "1234567890"}, "npi_number", "NPI check digit does not match."),
        ({"state": "BR-SP"}, "state", "This state is not in the chosen country."),
        ({"district": "06037"}, "district", "This district is not in the chosen state."),
        ({"hfr_id": "IN2710004269"}, "hfr_id", "only to facilities in IN"),
    ],
)
def test_facility_create_rejects_bad_input_and_saves_nothing(overrides, field, message):
    if overrides.get("state") == "BR-SP":
        overrides = {"state": State.objects.get(code="BR-SP"), "district": None}
    if overrides.get("district") == "06037":
        overrides = {"district": District.objects.get(official_code="06037")}

    with pytest.raises(ValidationError) as error:
        services.facility_create(
            actor=UserFactory(),
            organization=OrganizationFactory(),
            data=_facility_data(**overrides),
            via="web",
        )

    assert any(message in m for m in error.value.message_dict[field])
    assert not Facility.objects.exists()


@pytest.mark.django_db
def test_facility_close_requires_a_reason_and_records_it():
    facility, actor = FacilityFactory(), UserFactory()

    with pytest.raises(ValidationError, match="Say why the facility is closed"):
        services.facility_close(actor=actor, facility=facility, closed_on=TODAY, via="web", note="")
    services.facility_close(
        actor=actor, facility=facility, closed_on=TODAY, via="web", note="Merged into HQ"
    )

    facility.refresh_from_db()
    assert (facility.status, facility.closed_on, facility.closed_reason) == (
        "closed",
        TODAY,
        "Merged into HQ",
    )
    assert _last_history(Facility, facility.pk).history_change_reason == (
        "web: facility close — Merged into HQ"
    )


@pytest.mark.django_db
def test_facility_reopen_clears_the_closure():
    facility, actor = FacilityFactory(), UserFactory()
    services.facility_close(actor=actor, facility=facility, closed_on=TODAY, via="web", note="x")

    services.facility_reopen(actor=actor, facility=facility, via="web", note="Reopened")

    facility.refresh_from_db()
    assert (facility.status, facility.closed_on, facility.closed_reason) == ("active", None, "")


@pytest.mark.django_db
def test_license_create_rejects_a_type_the_jurisdiction_cannot_hold():
    facility = FacilityFactory(state_code="US-TX")

    with pytest.raises(ValidationError) as error:
        services.license_create(
            actor=UserFactory(),
            facility=facility,
            data={
                "license_type": "US-CA-HOSPITAL",
                "license_number": "CA-1",
                "issued_date": TODAY,
                "expiry_date": TODAY + datetime.timedelta(days=365),
            },
            via="web",
        )

    assert "cannot hold this licence" in error.value.message_dict["license_type"][0]
    assert not FacilityLicense.objects.exists()


@pytest.mark.django_db
def test_license_create_rejects_expiry_before_issue():
    facility = FacilityFactory()

    with pytest.raises(ValidationError) as error:
        services.license_create(
            actor=UserFactory(),
            facility=facility,
            data={
                "license_type": "US-CA-HOSPITAL",
                "license_number": "CA-1",
                "issued_date": TODAY,
                "expiry_date": TODAY - datetime.timedelta(days=1),
            },
            via="web",
        )

    assert "expiry date must be after the issue date" in str(error.value)
    assert not FacilityLicense.objects.exists()


@pytest.mark.django_db
def test_license_create_rejects_a_duplicate_active_licence():
    existing = FacilityLicenseFactory()

    with pytest.raises(ValidationError, match="already has an active licence"):
        services.license_create(
            actor=UserFactory(),
            facility=existing.facility,
            data={
                "license_type": existing.license_type,
                "license_number": existing.license_number,
                "issued_date": TODAY,
                "expiry_date": TODAY + datetime.timedelta(days=30),
            },
            via="web",
        )

    assert FacilityLicense.objects.count() == 1


@pytest.mark.django_db
def test_license_update_of_dates_requires_a_reason():
    license, actor = FacilityLicenseFactory(), UserFactory()
    new_expiry = license.expiry_date + datetime.timedelta(days=10)

    with pytest.raises(ValidationError, match="Say why the dates or status"):
        services.license_update(
            actor=actor, license=license, data={"expiry_date": new_expiry}, via="web"
        )
    services.license_update(
        actor=actor,
        license=license,
        data={"expiry_date": new_expiry},
        via="web",
        note="Typo in the date",
    )

    license.refresh_from_db()
    assert license.expiry_date == new_expiry
    history = _last_history(FacilityLicense, license.pk)
    assert (history.history_user, history.history_change_reason) == (
        actor,
        "web: licence edit — Typo in the date",
    )


@pytest.mark.django_db
def test_license_update_of_the_number_needs_no_reason():
    license = FacilityLicenseFactory()

    services.license_update(
        actor=UserFactory(), license=license, data={"license_number": "NEW-1"}, via="web"
    )

    license.refresh_from_db()
    assert license.license_number == "NEW-1"


@pytest.mark.django_db
def test_license_renew_creates_a_linked_row_and_keeps_the_old_dates():
    old, actor = FacilityLicenseFactory(), UserFactory()
    old_dates = (old.issued_date, old.expiry_date)
    new_expiry = old.expiry_date + datetime.timedelta(days=365)

    renewal = services.license_renew(
        actor=actor,
        license=old,
        data={
            "license_number": "LIC-NEW",
            "issued_by": "CDPH",
            "issued_date": old.expiry_date,
            "expiry_date": new_expiry,
        },
        via="web",
    )

    old.refresh_from_db()
    assert (old.status, (old.issued_date, old.expiry_date)) == (RecordStatus.RENEWED, old_dates)
    assert (renewal.renews, renewal.status, renewal.license_type) == (
        old,
        RecordStatus.ACTIVE,
        old.license_type,
    )
    assert [h.history_change_reason for h in old.history.order_by("history_id")] == [
        "test: factory",
        "web: licence renew",
    ]
    assert _last_history(FacilityLicense, renewal.pk).history_user == actor


@pytest.mark.django_db
def test_license_renew_rejects_a_term_that_does_not_end_later():
    old = FacilityLicenseFactory()

    with pytest.raises(ValidationError, match="must end after the current one"):
        services.license_renew(
            actor=UserFactory(),
            license=old,
            data={
                "license_number": "X",
                "issued_date": old.issued_date,
                "expiry_date": old.expiry_date,
            },
            via="web",
        )

    old.refresh_from_db()
    assert old.status == RecordStatus.ACTIVE
    assert FacilityLicense.objects.count() == 1


@pytest.mark.django_db
def test_accreditation_update_of_status_requires_a_reason():
    accreditation = AccreditationFactory()

    with pytest.raises(ValidationError, match="Say why"):
        services.accreditation_update(
            actor=UserFactory(),
            accreditation=accreditation,
            data={"status": RecordStatus.SUSPENDED},
            via="web",
        )

    accreditation.refresh_from_db()
    assert accreditation.status == RecordStatus.ACTIVE


@pytest.mark.django_db
def test_accreditation_create_rejects_a_body_of_another_country():
    facility = FacilityFactory()

    with pytest.raises(ValidationError) as error:
        services.accreditation_create(
            actor=UserFactory(),
            facility=facility,
            data={
                "accreditation_body": "NABH",
                "accreditation_level": "full",
                "certified_date": TODAY,
                "expiry_date": TODAY + datetime.timedelta(days=900),
            },
            via="web",
        )

    assert "does not accredit facilities in this country" in str(error.value)


@pytest.mark.django_db
def test_membership_add_by_email_and_deactivate_with_reason():
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    newcomer = UserFactory(email="new.officer@example.com")

    membership = services.membership_add(
        actor=admin.user,
        organization=admin.organization,
        user_identifier="NEW.OFFICER@example.com",
        role=Membership.Role.OFFICER,
        via="web",
    )
    with pytest.raises(ValidationError, match="Say why"):
        services.membership_deactivate(actor=admin.user, membership=membership, via="web", note="")
    services.membership_deactivate(
        actor=admin.user, membership=membership, via="web", note="Left the company"
    )

    membership.refresh_from_db()
    assert (membership.user, membership.is_active) == (newcomer, False)
    assert [h.history_change_reason for h in membership.history.order_by("history_id")] == [
        "web: member add",
        "web: member deactivate — Left the company",
    ]


@pytest.mark.django_db
def test_membership_add_rejects_an_unknown_user_and_an_existing_member():
    admin = MembershipFactory(role=Membership.Role.ADMIN)

    with pytest.raises(ValidationError, match="No active user"):
        services.membership_add(
            actor=admin.user,
            organization=admin.organization,
            user_identifier="nobody",
            role="viewer",
            via="web",
        )
    with pytest.raises(ValidationError, match="already a member"):
        services.membership_add(
            actor=admin.user,
            organization=admin.organization,
            user_identifier=admin.user.username,
            role="viewer",
            via="web",
        )

    assert Membership.objects.count() == 1


@pytest.mark.django_db
def test_the_last_admin_cannot_be_demoted_or_removed():
    admin = MembershipFactory(role=Membership.Role.ADMIN)

    with pytest.raises(ValidationError, match="at least one active admin"):
        services.membership_change_role(
            actor=admin.user, membership=admin, role="viewer", via="web"
        )
    with pytest.raises(ValidationError, match="at least one active admin"):
        services.membership_deactivate(actor=admin.user, membership=admin, via="web", note="x")

    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == ("admin", True)


@pytest.mark.django_db
def test_organization_create_makes_the_actor_its_admin():
    actor = UserFactory()

    organization = services.organization_create(
        actor=actor, name="Rede Saúde", slug="rede-saude", time_zone="America/Sao_Paulo", via="web"
    )

    assert list(organization.memberships.values_list("user", "role")) == [(actor.pk, "admin")]
    assert organization.history.get().history_user == actor
