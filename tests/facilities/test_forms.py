import datetime

import pytest
from django.core.exceptions import ValidationError

from facilities.forms import (
    AccreditationCreateForm,
    FacilityForm,
    LicenseCreateForm,
    MemberAddForm,
)
from facilities.services import FACILITY_FIELDS
from geography.models import Country, State
from tests.factories import FacilityFactory, OrganizationFactory


def _facility_data(**overrides):
    state = State.objects.get(code="BR-SP")
    data = {
        "facility_name": "Hospital Paulista",
        "facility_type": "hospital",
        "ownership": "private",
        "bed_count": "80",
        "country": str(state.country_id),
        "state": str(state.pk),
        "cnpj": "11.222.333/0001-81",
        "cnes_number": "2077485",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_facility_form_cleans_identifiers_to_their_stored_form():
    form = FacilityForm(data=_facility_data())

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["cnpj"], form.cleaned_data["cnes_number"]) == (
        "11222333000181",
        "2077485",
    )
    assert set(form.service_data()) == set(FACILITY_FIELDS)


@pytest.mark.django_db
def test_facility_form_narrows_states_and_districts_from_the_initial_values():
    facility = FacilityFactory(state_code="US-NY")

    form = FacilityForm(instance=facility)

    assert set(form.fields["state"].queryset) == set(State.objects.filter(country__code="US"))
    assert set(form.fields["district"].queryset) == set(facility.state.districts.all())


@pytest.mark.django_db
def test_facility_form_without_a_country_offers_no_state_and_no_district():
    form = FacilityForm(data={"country": "not-a-number", "state": "12"})

    assert (list(form.fields["state"].queryset), list(form.fields["district"].queryset)) == (
        [],
        [],
    )


@pytest.mark.django_db
def test_facility_form_validation_leaves_the_edited_facility_untouched():
    facility = FacilityFactory(facility_name="Stored Name")

    form = FacilityForm(
        instance=facility,
        data=_facility_data(
            facility_name="Typed Name",
            country=str(facility.country_id),
            state=str(facility.state_id),
            cnpj="",
            cnes_number="",
        ),
    )

    assert form.is_valid(), form.errors
    assert facility.facility_name == "Stored Name"
    assert form.cleaned_data["facility_name"] == "Typed Name"


@pytest.mark.django_db
def test_facility_form_refresh_keeps_the_typed_values_without_errors():
    brazil = Country.objects.get(code="BR")
    form = FacilityForm(data={"facility_name": "Draft", "country": str(brazil.pk)})

    refreshed = form.refreshed()

    assert (refreshed.is_bound, refreshed.errors) == (False, {})
    assert refreshed.initial["facility_name"] == "Draft"
    assert refreshed.fields["state"].widget.attrs["autofocus"] is True


@pytest.mark.django_db
def test_facility_form_marks_the_fields_that_refresh_the_choices():
    form = FacilityForm()

    marked = [
        name for name, field in form.fields.items() if "data-refresh-choices" in field.widget.attrs
    ]

    assert marked == ["country", "state"]


@pytest.mark.django_db
def test_license_form_fills_a_blank_issuer_from_the_catalog():
    facility = FacilityFactory(state_code="BR-SP", facility_type="clinic")
    form = LicenseCreateForm(
        facility=facility,
        data={
            "license_type": "BR-AVCB",
            "license_number": "AVCB-1",
            "issued_date": "2026-01-01",
            "expiry_date": "2027-01-01",
            "status": "active",
        },
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["issued_by"] == "Corpo de Bombeiros Militar of the state"
    assert form.cleaned_data["issued_date"] == datetime.date(2026, 1, 1)


@pytest.mark.django_db
def test_license_form_offers_the_types_of_the_facilitys_country_state_and_type():
    facility = FacilityFactory(state_code="BR-SP", facility_type="pharmacy")

    form = LicenseCreateForm(facility=facility)

    assert [code for code, _label in form.fields["license_type"].choices] == [
        "",
        "BR-ALVARA-SANITARIO",
        "BR-AVCB",
        "BR-ALVARA-FUNCIONAMENTO",
    ]


@pytest.mark.django_db
def test_license_form_scopes_responsible_members_to_the_facilitys_organization():
    facility = FacilityFactory()

    form = LicenseCreateForm(facility=facility)

    assert {m.organization for m in form.fields["responsible"].queryset} <= {facility.organization}


@pytest.mark.django_db
def test_accreditation_form_offers_the_bodies_of_india():
    facility = FacilityFactory(state_code="IN-MH")

    form = AccreditationCreateForm(facility=facility)

    assert [code for code, _name in form.fields["accreditation_body"].choices] == [
        "",
        "JCI",
        "NABH",
        "NABL",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ValidationError({"user": "Unknown."}), {"user": ["Unknown."]}),
        (ValidationError({"reason": "Why?"}), {"__all__": ["Why?"]}),
        (ValidationError("Refused."), {"__all__": ["Refused."]}),
    ],
)
def test_service_errors_land_at_their_field_or_above_the_form(error, expected):
    OrganizationFactory()
    form = MemberAddForm(data={"user": "someone", "role": "viewer"})
    assert form.is_valid()

    form.add_service_error(error)

    assert form.errors == expected
