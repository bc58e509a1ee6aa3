import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from facilities.models import Accreditation, Membership
from tests.factories import AccreditationFactory, FacilityFactory
from tests.factories.tenancy import make_tenancy


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


def _reasons(accreditation):
    return list(
        Accreditation.history.filter(id=accreditation.pk)
        .order_by("history_id")
        .values_list("history_change_reason", flat=True)
    )


def _accreditation_post(**overrides):
    data = {
        "accreditation_body": "TJC",
        "accreditation_level": "accredited_with_follow_up",
        "certificate_number": "TJC-77",
        "certified_date": "2025-03-01",
        "expiry_date": "2028-02-29",
        "status": "active",
        "responsible": "",
        "note": "survey passed",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_accreditation_create_saves_it_with_its_history_row(client, tenancy, facility):
    client.force_login(tenancy.officer)

    response = client.post(
        _url("accreditation-create", tenancy, facility.pk), _accreditation_post()
    )

    accreditation = Accreditation.objects.get()
    assert response["Location"] == facility.get_absolute_url()
    assert (
        accreditation.organization,
        accreditation.accreditation_body,
        accreditation.accreditation_level,
        accreditation.expiry_date,
    ) == (tenancy.organization, "TJC", "accredited_with_follow_up", datetime.date(2028, 2, 29))
    assert _reasons(accreditation) == ["web: accreditation add — survey passed"]
    assert _messages(response) == ["Accreditation “The Joint Commission TJC-77” added."]


@pytest.mark.django_db
def test_accreditation_create_offers_the_bodies_of_the_country_and_their_levels_by_body(
    client, tenancy, facility
):
    client.force_login(tenancy.officer)

    response = client.get(_url("accreditation-create", tenancy, facility.pk))

    fields = response.context["form"].fields
    assert [code for code, _name in fields["accreditation_body"].choices] == [
        "",
        "JCI",
        "TJC",
        "DNV",
        "ACHC",
    ]
    groups = fields["accreditation_level"].choices[1:]
    assert [(group, [code for code, _label in levels]) for group, levels in groups] == [
        ("Joint Commission International", ["accredited"]),
        (
            "The Joint Commission",
            ["accredited", "accredited_with_follow_up", "preliminary_denial"],
        ),
        ("DNV Healthcare (NIAHO)", ["accredited"]),
        ("Accreditation Commission for Health Care", ["accredited"]),
    ]
    assert "<optgroup" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"accreditation_body": "JCI"},
            "accreditation_level",
            "Not a level of this body.",
        ),
        (
            {"accreditation_body": "NABH", "accreditation_level": ""},
            "accreditation_body",
            "This body does not accredit facilities in this country.",
        ),
        (
            {"expiry_date": "2025-03-01"},
            "expiry_date",
            "The expiry date must be after the certification date.",
        ),
        (
            {"responsible": "other-organization"},
            "responsible",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
)
def test_accreditation_create_with_bad_input_shows_the_error_at_the_field_and_saves_nothing(
    client, tenancy, facility, overrides, field, message
):
    if overrides.get("responsible") == "other-organization":
        foreign = Membership.objects.get(organization=tenancy.other_organization)
        overrides = {"responsible": str(foreign.pk)}
    client.force_login(tenancy.officer)

    response = client.post(
        _url("accreditation-create", tenancy, facility.pk), _accreditation_post(**overrides)
    )

    assert response.context["form"].errors == {field: [message]}
    assert Accreditation.objects.count() == 0


@pytest.mark.django_db
def test_accreditation_edit_of_the_dates_needs_a_reason(client, tenancy, facility):
    accreditation = AccreditationFactory(
        facility=facility,
        certificate_number="TJC-77",
        certified_date=datetime.date(2025, 3, 1),
        expiry_date=datetime.date(2028, 2, 29),
    )
    data = _accreditation_post(accreditation_level="accredited", expiry_date="2028-03-31")
    del data["note"]
    client.force_login(tenancy.officer)

    refused = client.post(_url("accreditation-edit", tenancy, accreditation.pk), data)
    saved = client.post(
        _url("accreditation-edit", tenancy, accreditation.pk),
        {**data, "reason": "Certificate reissued"},
    )

    accreditation.refresh_from_db()
    assert refused.context["form"].errors == {
        "reason": ["Say why the dates or status of this accreditation change."]
    }
    assert saved["Location"] == facility.get_absolute_url()
    assert accreditation.expiry_date == datetime.date(2028, 3, 31)
    assert _reasons(accreditation) == [
        "test: factory",
        "web: accreditation edit — Certificate reissued",
    ]
