import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from facilities.models import FacilityLicense, Membership, RecordStatus
from tests.factories import FacilityFactory, FacilityLicenseFactory, MembershipFactory
from tests.factories.tenancy import make_tenancy

CDPH = (
    "California Department of Public Health, Center for Health Care Quality, "
    "Licensing and Certification"
)


@pytest.fixture
def tenancy(db):
    return make_tenancy()


@pytest.fixture
def facility(tenancy):
    return FacilityFactory(organization=tenancy.organization, facility_name="Bay Hospital")


def _url(name, tenancy, pk):
    return reverse(f"facilities:{name}", kwargs={"org": tenancy.organization.slug, "pk": pk})


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _reasons(license):
    return list(
        FacilityLicense.history.filter(id=license.pk)
        .order_by("history_id")
        .values_list("history_change_reason", flat=True)
    )


def _license_post(tenancy, **overrides):
    data = {
        "license_type": "US-CA-HOSPITAL",
        "license_number": "CA-2026-001",
        "issued_by": "",
        "issued_date": "2026-01-15",
        "expiry_date": "2027-01-14",
        "status": "active",
        "renewal_filed_on": "",
        "responsible": str(tenancy.membership(tenancy.officer).pk),
        "note": "first licence",
    }
    data.update(overrides)
    return data


# --- Add ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_license_create_saves_the_licence_with_the_catalogs_issuer_and_history(
    client, tenancy, facility
):
    client.force_login(tenancy.officer)

    response = client.post(_url("license-create", tenancy, facility.pk), _license_post(tenancy))

    license = FacilityLicense.objects.get()
    assert response["Location"] == facility.get_absolute_url()
    assert (
        license.facility,
        license.organization,
        license.license_type,
        license.license_number,
        license.issued_by,
        license.issued_date,
        license.expiry_date,
        license.responsible,
    ) == (
        facility,
        tenancy.organization,
        "US-CA-HOSPITAL",
        "CA-2026-001",
        CDPH,
        datetime.date(2026, 1, 15),
        datetime.date(2027, 1, 14),
        tenancy.membership(tenancy.officer),
    )
    assert _reasons(license) == ["web: licence add — first licence"]
    assert _messages(response) == ["Licence “California hospital licence CA-2026-001” added."]


@pytest.mark.django_db
def test_license_create_offers_only_the_types_the_facility_may_hold_and_active_members(
    client, tenancy, facility
):
    former = MembershipFactory(organization=tenancy.organization, is_active=False)
    client.force_login(tenancy.officer)

    response = client.get(_url("license-create", tenancy, facility.pk))

    form = response.context["form"]
    assert [code for code, _label in form.fields["license_type"].choices] == [
        "",
        "US-CLIA",
        "US-DEA",
        "US-CMS-CERTIFICATION",
        "US-CA-HOSPITAL",
    ]
    members = set(form.fields["responsible"].queryset)
    assert members == set(Membership.objects.filter(organization=tenancy.organization)) - {former}
    assert 'type="date"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"license_type": "BR-AVCB"},
            "license_type",
            "A facility of this type and jurisdiction cannot hold this licence.",
        ),
        (
            {"license_type": "US-TX-HOSPITAL"},
            "license_type",
            "A facility of this type and jurisdiction cannot hold this licence.",
        ),
        (
            {"license_type": ""},
            "license_type",
            "This field is required.",
        ),
        (
            {"expiry_date": "2026-01-10"},
            "expiry_date",
            "The expiry date must be after the issue date.",
        ),
        (
            {"license_number": "CA-OLD"},
            "license_number",
            "This facility already has an active licence of this type and number.",
        ),
        (
            {"responsible": "other-organization"},
            "responsible",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
)
def test_license_create_with_bad_input_shows_the_error_at_the_field_and_saves_nothing(
    client, tenancy, facility, overrides, field, message
):
    FacilityLicenseFactory(facility=facility, license_number="CA-OLD")
    if overrides.get("responsible") == "other-organization":
        foreign = Membership.objects.get(organization=tenancy.other_organization)
        overrides = {"responsible": str(foreign.pk)}
    client.force_login(tenancy.officer)

    response = client.post(
        _url("license-create", tenancy, facility.pk), _license_post(tenancy, **overrides)
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert list(FacilityLicense.objects.values_list("license_number", flat=True)) == ["CA-OLD"]


# --- Edit -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_license_edit_of_the_dates_without_a_reason_shows_the_services_message_at_reason(
    client, tenancy, facility
):
    license = FacilityLicenseFactory(
        facility=facility,
        issued_date=datetime.date(2026, 1, 15),
        expiry_date=datetime.date(2027, 1, 14),
    )
    data = _license_post(
        tenancy, license_number=license.license_number, expiry_date="2027-06-30", note=None
    )
    del data["note"]
    client.force_login(tenancy.officer)

    response = client.post(_url("license-edit", tenancy, license.pk), {**data, "reason": ""})

    license.refresh_from_db()
    assert response.context["form"].errors == {
        "reason": ["Say why the dates or status of this licence change."]
    }
    assert license.expiry_date == datetime.date(2027, 1, 14)


@pytest.mark.django_db
def test_license_edit_with_a_reason_saves_the_change(client, tenancy, facility):
    license = FacilityLicenseFactory(
        facility=facility,
        license_number="CA-1",
        issued_date=datetime.date(2026, 1, 15),
        expiry_date=datetime.date(2027, 1, 14),
    )
    data = _license_post(tenancy, license_number="CA-1", expiry_date="2027-06-30")
    del data["note"]
    client.force_login(tenancy.officer)

    response = client.post(
        _url("license-edit", tenancy, license.pk), {**data, "reason": "Typo on entry"}
    )

    license.refresh_from_db()
    assert response["Location"] == facility.get_absolute_url()
    assert (license.expiry_date, license.responsible) == (
        datetime.date(2027, 6, 30),
        tenancy.membership(tenancy.officer),
    )
    assert _reasons(license) == ["test: factory", "web: licence edit — Typo on entry"]
    assert _messages(response) == ["Licence “California hospital licence CA-1” saved."]


@pytest.mark.django_db
def test_license_edit_form_starts_with_the_stored_values(client, tenancy, facility):
    license = FacilityLicenseFactory(facility=facility, expiry_date=datetime.date(2027, 1, 14))
    client.force_login(tenancy.officer)

    response = client.get(_url("license-edit", tenancy, license.pk))

    form = response.context["form"]
    assert (form["license_type"].value(), form["expiry_date"].value()) == (
        "US-CA-HOSPITAL",
        datetime.date(2027, 1, 14),
    )
    assert 'value="2027-01-14"' in response.content.decode()


# --- Renew ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_license_renew_adds_the_new_term_linked_to_the_old_one(client, tenancy, facility):
    old = FacilityLicenseFactory(
        facility=facility,
        license_number="CA-2025",
        issued_date=datetime.date(2025, 1, 15),
        expiry_date=datetime.date(2026, 1, 14),
        responsible=tenancy.membership(tenancy.officer),
    )
    client.force_login(tenancy.officer)

    response = client.post(
        _url("license-renew", tenancy, old.pk),
        {
            "license_number": "CA-2026",
            "issued_by": "CDPH",
            "issued_date": "2026-01-10",
            "expiry_date": "2027-01-14",
            "responsible": str(tenancy.membership(tenancy.admin).pk),
            "note": "renewed on time",
        },
    )

    old.refresh_from_db()
    new = FacilityLicense.objects.get(renews=old)
    assert response["Location"] == facility.get_absolute_url()
    assert old.status == RecordStatus.RENEWED
    assert (
        new.license_type,
        new.license_number,
        new.issued_date,
        new.expiry_date,
        new.status,
        new.responsible,
    ) == (
        "US-CA-HOSPITAL",
        "CA-2026",
        datetime.date(2026, 1, 10),
        datetime.date(2027, 1, 14),
        RecordStatus.ACTIVE,
        tenancy.membership(tenancy.admin),
    )
    assert _reasons(old)[-1] == _reasons(new)[-1] == "web: licence renew — renewed on time"
    assert _messages(response) == [
        "Licence renewed: “California hospital licence CA-2026” is the new term."
    ]


@pytest.mark.django_db
def test_license_renew_form_starts_from_the_current_term(client, tenancy, facility):
    old = FacilityLicenseFactory(
        facility=facility, license_number="CA-2025", responsible=tenancy.membership(tenancy.viewer)
    )
    client.force_login(tenancy.officer)

    response = client.get(_url("license-renew", tenancy, old.pk))

    form = response.context["form"]
    assert (form["license_number"].value(), form["responsible"].value()) == (
        "CA-2025",
        tenancy.membership(tenancy.viewer).pk,
    )


@pytest.mark.django_db
def test_license_renew_with_a_term_ending_before_the_current_one_saves_nothing(
    client, tenancy, facility
):
    old = FacilityLicenseFactory(
        facility=facility,
        issued_date=datetime.date(2025, 1, 15),
        expiry_date=datetime.date(2026, 1, 14),
    )
    client.force_login(tenancy.officer)

    response = client.post(
        _url("license-renew", tenancy, old.pk),
        {
            "license_number": "CA-2026",
            "issued_by": "CDPH",
            "issued_date": "2025-06-01",
            "expiry_date": "2025-12-31",
            "responsible": "",
            "note": "",
        },
    )

    old.refresh_from_db()
    assert response.context["form"].errors == {
        "expiry_date": ["The new term must end after the current one (2026-01-14)."]
    }
    assert old.status == RecordStatus.ACTIVE
    assert FacilityLicense.objects.count() == 1


@pytest.mark.django_db
def test_license_renew_of_a_renewed_licence_shows_the_services_refusal(client, tenancy, facility):
    old = FacilityLicenseFactory(facility=facility, status=RecordStatus.RENEWED)
    client.force_login(tenancy.officer)

    response = client.post(
        _url("license-renew", tenancy, old.pk),
        {
            "license_number": "CA-NEW",
            "issued_by": "CDPH",
            "issued_date": "2026-01-10",
            "expiry_date": "2030-01-14",
            "responsible": "",
            "note": "",
        },
    )

    assert response.context["form"].non_field_errors() == [
        "A renewed or revoked licence cannot be renewed."
    ]
    assert FacilityLicense.objects.count() == 1


@pytest.mark.django_db
def test_license_renewal_shows_in_the_facility_history_with_readable_statuses(
    client, tenancy, facility
):
    old = FacilityLicenseFactory(
        facility=facility,
        license_number="CA-2025",
        issued_date=datetime.date(2025, 1, 15),
        expiry_date=datetime.date(2026, 1, 14),
    )
    client.force_login(tenancy.officer)
    client.post(
        _url("license-renew", tenancy, old.pk),
        {
            "license_number": "CA-2026",
            "issued_by": "CDPH",
            "issued_date": "2026-01-10",
            "expiry_date": "2027-01-14",
            "responsible": "",
            "note": "on time",
        },
    )

    response = client.get(_url("facility-history", tenancy, facility.pk))

    assert [
        (entry.object_label, entry.action, [tuple(vars(c).values()) for c in entry.changes])
        for entry in response.context["entries"][:2]
    ] == [
        ("California hospital licence CA-2026", "created", []),
        ("California hospital licence CA-2025", "changed", [("Status", "Active", "Renewed")]),
    ]
