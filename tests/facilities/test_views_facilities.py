import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from facilities import services
from facilities.models import Facility
from geography.models import Country, District, State
from tests.factories import FacilityFactory, FacilityLicenseFactory
from tests.factories.tenancy import make_tenancy

VALID_NPI, VALID_CNPJ = "1234567893", "11222333000181"


@pytest.fixture
def tenancy(db):
    return make_tenancy()


def _url(name, tenancy, **kwargs):
    return reverse(f"facilities:{name}", kwargs={"org": tenancy.organization.slug, **kwargs})


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _names(response):
    return [row.record.facility_name for row in response.context["table"].paginated_rows]


def _last_history(facility):
    return Facility.history.filter(id=facility.pk).order_by("-history_id").first()


def _facility_post(**overrides):
    state = State.objects.get(code="US-TX")
    data = {
        "facility_name": "Houston General",
        "facility_type": "hospital",
        "ownership": "private",
        "bed_count": "250",
        "services": ["laboratory", "ultrasound"],
        "country": str(state.country_id),
        "state": str(state.pk),
        "district": str(District.objects.get(official_code="48201").pk),
        "address": "1 Main St, Houston",
        "npi_number": "123-456-7893",
        "ccn": "",
        "cnes_number": "",
        "cnes_updated_on": "",
        "cnpj": "",
        "hfr_id": "",
        "note": "opened in May",
    }
    data.update(overrides)
    return data


# --- List -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_facility_list_shows_only_the_organizations_facilities_sorted_by_name(client, tenancy):
    FacilityFactory(organization=tenancy.organization, facility_name="Zeta Clinic")
    FacilityFactory(organization=tenancy.organization, facility_name="Alpha Hospital")
    FacilityFactory(organization=tenancy.other_organization, facility_name="Other Hospital")
    client.force_login(tenancy.viewer)

    response = client.get(_url("facility-list", tenancy))

    assert _names(response) == ["Alpha Hospital", "Zeta Clinic"]
    assert b"New facility" not in response.content


@pytest.mark.django_db
def test_facility_list_shows_the_licence_count_and_next_expiry(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    today = tenancy.organization.today()
    for days in (40, 10):
        FacilityLicenseFactory(
            facility=facility,
            license_type="US-CLIA",
            issued_date=today - datetime.timedelta(days=300),
            expiry_date=today + datetime.timedelta(days=days),
        )
    client.force_login(tenancy.officer)

    response = client.get(_url("facility-list", tenancy))

    row = response.context["table"].paginated_rows[0]
    assert (row.get_cell_value("license_count"), row.record.next_expiry) == (
        2,
        today + datetime.timedelta(days=10),
    )
    assert b"New facility" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["11.222.333/0001-81", "11222333000181", "123-456-7893", "houston"]
)
def test_facility_list_search_finds_a_facility_by_name_or_formatted_identifier(
    client, tenancy, query
):
    FacilityFactory(organization=tenancy.organization, facility_name="Filler Clinic")
    expected = "São Paulo Hospital"
    if query == "123-456-7893":
        FacilityFactory(
            organization=tenancy.organization, facility_name=expected, npi_number=VALID_NPI
        )
    elif query == "houston":
        expected = "Houston General"
        FacilityFactory(organization=tenancy.organization, facility_name=expected)
    else:
        FacilityFactory(
            organization=tenancy.organization,
            facility_name=expected,
            state_code="BR-SP",
            cnpj=VALID_CNPJ,
        )
    client.force_login(tenancy.viewer)

    response = client.get(_url("facility-list", tenancy), {"q": query})

    assert _names(response) == [expected]


@pytest.mark.django_db
def test_facility_list_filters_by_country_and_narrows_the_state_choices(client, tenancy):
    FacilityFactory(organization=tenancy.organization, facility_name="California Hospital")
    FacilityFactory(
        organization=tenancy.organization, facility_name="Paulista Hospital", state_code="BR-SP"
    )
    brazil = Country.objects.get(code="BR")
    client.force_login(tenancy.viewer)

    response = client.get(_url("facility-list", tenancy), {"country": brazil.pk})

    form = response.context["filter"].form
    assert _names(response) == ["Paulista Hospital"]
    assert set(form.fields["state"].queryset) == set(State.objects.filter(country=brazil))
    assert "district" not in form.fields


@pytest.mark.django_db
def test_facility_list_offers_the_districts_of_the_chosen_state(client, tenancy):
    state = State.objects.get(code="US-TX")
    harris = District.objects.get(state=state, official_code="48201")
    FacilityFactory(organization=tenancy.organization, facility_name="Houston", state_code="US-TX")
    FacilityFactory(
        organization=tenancy.organization,
        facility_name="Houston Harris",
        state_code="US-TX",
        district=harris,
    )
    client.force_login(tenancy.viewer)

    response = client.get(
        _url("facility-list", tenancy),
        {"country": state.country_id, "state": state.pk, "district": harris.pk},
    )

    form = response.context["filter"].form
    assert _names(response) == ["Houston Harris"]
    assert set(form.fields["district"].queryset) == set(District.objects.filter(state=state))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"country": "999999"},
        {"country": "not-a-number"},
        {"status": "demolished"},
        {"facility_type": "spaceport"},
        # A state of Brazil with the United States chosen (codes become ids below).
        {"country": "US", "state": "BR-SP"},
    ],
)
def test_facility_list_with_unknown_filter_values_lists_nothing_and_says_why(
    client, tenancy, params
):
    if params.get("state") == "BR-SP":
        params = {
            "country": Country.objects.get(code="US").pk,
            "state": State.objects.get(code="BR-SP").pk,
        }
    FacilityFactory(organization=tenancy.organization)
    client.force_login(tenancy.viewer)

    response = client.get(_url("facility-list", tenancy), params)

    assert response.status_code == 200
    assert _names(response) == []
    assert b"Some filters are not valid, so no facility is listed." in response.content


@pytest.mark.django_db
def test_facility_list_paginates_by_25(client, tenancy):
    for number in range(27):
        FacilityFactory(organization=tenancy.organization, facility_name=f"Facility {number:02}")
    client.force_login(tenancy.viewer)

    first = client.get(_url("facility-list", tenancy))
    second = client.get(_url("facility-list", tenancy), {"page": 2})

    assert len(_names(first)) == 25
    assert _names(second) == ["Facility 25", "Facility 26"]


@pytest.mark.django_db
def test_facility_list_csv_export_holds_the_filtered_rows_of_the_organization(client, tenancy):
    facility = FacilityFactory(
        organization=tenancy.organization, facility_name="Active Hospital", npi_number=VALID_NPI
    )
    FacilityLicenseFactory(facility=facility, expiry_date=datetime.date(2031, 5, 1))
    closed = FacilityFactory(organization=tenancy.organization, facility_name="Closed Clinic")
    services.facility_close(
        actor=tenancy.officer,
        facility=closed,
        closed_on=datetime.date(2026, 1, 31),
        via="test",
        note="merged",
    )
    FacilityFactory(organization=tenancy.other_organization, facility_name="Other Hospital")
    client.force_login(tenancy.viewer)

    response = client.get(_url("facility-list", tenancy), {"status": "active", "_export": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="facilities-acme-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        [
            "Name",
            "Type",
            "Country",
            "State",
            "District",
            "Ownership",
            "Status",
            "Current licences",
            "Next expiry",
        ],
        [
            "Active Hospital",
            "Hospital",
            "United States",
            "California",
            "",
            "Private",
            "Active",
            "1",
            "2031-05-01",
        ],
    ]


@pytest.mark.django_db
def test_facility_list_xlsx_export_is_a_workbook_of_the_filtered_rows(client, tenancy):
    FacilityFactory(organization=tenancy.organization, facility_name="Alpha Hospital")
    FacilityFactory(organization=tenancy.organization, facility_name="Beta Hospital")
    client.force_login(tenancy.viewer)

    response = client.get(_url("facility-list", tenancy), {"q": "beta", "_export": "xlsx"})

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Name", "Beta Hospital"]


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_facility_list_export_neutralises_a_name_that_a_spreadsheet_would_run(
    client, tenancy, export_format
):
    FacilityFactory(organization=tenancy.organization, facility_name='=HYPERLINK("http://x")')
    FacilityFactory(organization=tenancy.organization, facility_name="-Minus Clinic")
    client.force_login(tenancy.viewer)

    response = client.get(_url("facility-list", tenancy), {"_export": export_format})

    if export_format == "csv":
        names = [row[0] for row in csv.reader(io.StringIO(response.content.decode()))]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert names == ["Name", "'-Minus Clinic", '\'=HYPERLINK("http://x")']


# --- Detail ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_facility_detail_shows_each_identifier_with_its_validation_state(client, tenancy):
    # The factory saves without validation, as an old import might have: the page still checks.
    facility = FacilityFactory(
        organization=tenancy.organization, npi_number="1234567890", ccn="050001"
    )
    client.force_login(tenancy.viewer)

    response = client.get(_url("facility-detail", tenancy, pk=facility.pk))

    assert [
        (state.label, state.value, state.outcome, state.message)
        for state in response.context["identifiers"]
    ] == [
        ("NPI", "1234567890", "invalid", "NPI check digit does not match."),
        ("CMS certification number", "050001", "valid", ""),
    ]
    assert b"NPI check digit does not match." in response.content


@pytest.mark.django_db
def test_facility_detail_lists_licences_with_days_to_expiry_as_of_the_organizations_today(
    client, tenancy
):
    facility = FacilityFactory(
        organization=tenancy.organization, services=["laboratory", "controlled_substances"]
    )
    today = tenancy.organization.today()
    FacilityLicenseFactory(
        facility=facility,
        license_number="CA-1",
        issued_date=today - datetime.timedelta(days=200),
        expiry_date=today + datetime.timedelta(days=30),
    )
    FacilityLicenseFactory(
        facility=facility,
        license_type="US-CLIA",
        license_number="CLIA-1",
        issued_date=today - datetime.timedelta(days=800),
        expiry_date=today - datetime.timedelta(days=3),
    )
    FacilityLicenseFactory(
        facility=facility,
        license_type="US-CMS-CERTIFICATION",
        license_number="CMS-1",
        issued_date=today - datetime.timedelta(days=10),
        expiry_date=None,
    )
    client.force_login(tenancy.viewer)

    response = client.get(_url("facility-detail", tenancy, pk=facility.pk))

    table = response.context["license_table"]
    assert [
        (row.get_cell_value("license_number"), row.get_cell_value("days_to_expiry"))
        for row in table.rows
    ] == [
        ("CLIA-1", "expired 3 days ago"),
        ("CA-1", "30 days"),
        ("CMS-1", "no expiry"),
    ]
    assert response.context["labels"]["services"] == [
        "Laboratory testing",
        "Dispensing or administering controlled substances",
    ]
    assert "actions" not in [column.name for column in table.columns]
    assert b"Add licence" not in response.content


@pytest.mark.django_db
def test_facility_detail_gives_officers_renew_and_edit_links(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    license = FacilityLicenseFactory(facility=facility)
    client.force_login(tenancy.officer)

    response = client.get(_url("facility-detail", tenancy, pk=facility.pk))

    content = response.content.decode()
    assert _url("license-edit", tenancy, pk=license.pk) in content
    assert _url("license-renew", tenancy, pk=license.pk) in content
    assert _url("license-create", tenancy, pk=facility.pk) in content
    assert _url("facility-history", tenancy, pk=facility.pk) in content


# --- History --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_facility_history_lists_who_when_why_and_field_differences_newest_first(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization, facility_name="Old Name")
    services.facility_update(
        actor=tenancy.officer,
        facility=facility,
        data={"facility_name": "New Name", "state": State.objects.get(code="US-NY")},
        via="web",
        note="moved",
    )
    client.force_login(tenancy.viewer)

    response = client.get(_url("facility-history", tenancy, pk=facility.pk))

    assert [
        (entry.who, entry.action, entry.reason, [tuple(vars(c).values()) for c in entry.changes])
        for entry in response.context["entries"]
    ] == [
        (
            "Officer Acme",
            "changed",
            "web: facility edit — moved",
            [("Name", "Old Name", "New Name"), ("State", "California", "New York")],
        ),
        ("", "created", "test: factory", []),
    ]
    assert "California" in response.content.decode()


# --- Create and edit ------------------------------------------------------------------------


@pytest.mark.django_db
def test_facility_create_saves_the_facility_with_its_history_row(client, tenancy):
    client.force_login(tenancy.officer)

    response = client.post(_url("facility-create", tenancy), _facility_post())

    facility = Facility.objects.get()
    assert response["Location"] == facility.get_absolute_url()
    assert (facility.organization, facility.npi_number, facility.services) == (
        tenancy.organization,
        VALID_NPI,
        ["laboratory", "ultrasound"],
    )
    history = _last_history(facility)
    assert (history.history_type, history.history_user, history.history_change_reason) == (
        "+",
        tenancy.officer,
        "web: facility create — opened in May",
    )
    assert _messages(response) == ["Facility “Houston General” created."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"npi_number": "1234567890"}, "npi_number", "NPI check digit does not match."),
        ({"state": "BR-SP"}, "state", "Choose a state of the chosen country."),
        ({"district": "06037"}, "district", "Choose a district of the chosen state."),
        ({"hfr_id": "IN2710004269"}, "hfr_id", "only to facilities in IN"),
        ({"facility_type": "spaceport"}, "facility_type", "Select a valid choice."),
        ({"services": ["teleportation"]}, "services", "Select a valid choice."),
    ],
)
def test_facility_create_with_bad_input_shows_the_error_at_the_field_and_saves_nothing(
    client, tenancy, overrides, field, message
):
    if overrides.get("state") == "BR-SP":
        overrides = {"state": str(State.objects.get(code="BR-SP").pk), "district": ""}
    if overrides.get("district") == "06037":
        overrides = {"district": str(District.objects.get(official_code="06037").pk)}
    client.force_login(tenancy.officer)

    response = client.post(_url("facility-create", tenancy), _facility_post(**overrides))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert Facility.objects.count() == 0


@pytest.mark.django_db
def test_facility_create_with_the_name_of_an_active_facility_shows_the_error_at_the_name(
    client, tenancy
):
    FacilityFactory(organization=tenancy.organization, facility_name="Houston General")
    FacilityFactory(organization=tenancy.other_organization, facility_name="Elsewhere")
    client.force_login(tenancy.officer)

    duplicate = client.post(_url("facility-create", tenancy), _facility_post())
    elsewhere = client.post(
        _url("facility-create", tenancy), _facility_post(facility_name="Elsewhere")
    )

    assert duplicate.context["form"].errors == {
        "facility_name": ["This organization already has an active facility with this name."]
    }
    assert elsewhere.status_code == 302
    assert list(
        Facility.objects.filter(organization=tenancy.organization).values_list(
            "facility_name", flat=True
        )
    ) == ["Elsewhere", "Houston General"]


@pytest.mark.django_db
def test_facility_create_update_choices_saves_nothing_and_narrows_the_states(client, tenancy):
    brazil = Country.objects.get(code="BR")
    client.force_login(tenancy.officer)

    response = client.post(
        _url("facility-create", tenancy),
        {"facility_name": "Draft", "country": brazil.pk, "_refresh": "1"},
    )

    form = response.context["form"]
    assert Facility.objects.count() == 0
    assert (form.is_bound, form.initial["facility_name"]) == (False, "Draft")
    assert set(form.fields["state"].queryset) == set(State.objects.filter(country=brazil))
    assert list(form.fields["district"].queryset) == []
    assert b"This field is required." not in response.content


@pytest.mark.django_db
def test_facility_create_update_choices_narrows_the_districts_to_the_state(client, tenancy):
    state = State.objects.get(code="US-TX")
    client.force_login(tenancy.officer)

    response = client.post(
        _url("facility-create", tenancy),
        {"country": state.country_id, "state": state.pk, "_refresh": "1"},
    )

    districts = response.context["form"].fields["district"].queryset
    assert set(districts) == set(District.objects.filter(state=state))
    assert Facility.objects.count() == 0


@pytest.mark.django_db
def test_facility_form_page_loads_its_script_without_inline_code(client, tenancy):
    client.force_login(tenancy.officer)

    response = client.get(_url("facility-create", tenancy))

    content = response.content.decode()
    assert '<script src="/static/js/facility_form.js" defer></script>' in content
    assert "<script>" not in content
    assert "style=" not in content
    assert 'name="_refresh"' in content


@pytest.mark.django_db
def test_facility_edit_saves_the_changes_with_the_note(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization, facility_name="Old Name")
    data = _facility_post(
        facility_name="New Name",
        state=str(facility.state_id),
        district="",
        npi_number="",
        note="renamed by the board",
    )
    client.force_login(tenancy.officer)

    response = client.post(_url("facility-edit", tenancy, pk=facility.pk), data)

    facility.refresh_from_db()
    assert response["Location"] == facility.get_absolute_url()
    assert facility.facility_name == "New Name"
    history = _last_history(facility)
    assert (history.history_type, history.history_user, history.history_change_reason) == (
        "~",
        tenancy.officer,
        "web: facility edit — renamed by the board",
    )
    assert _messages(response) == ["Facility “New Name” saved."]


@pytest.mark.django_db
def test_facility_edit_form_starts_with_the_stored_values(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization, state_code="BR-SP")
    client.force_login(tenancy.officer)

    response = client.get(_url("facility-edit", tenancy, pk=facility.pk))

    form = response.context["form"]
    assert form["facility_name"].value() == facility.facility_name
    assert set(form.fields["state"].queryset) == set(State.objects.filter(country__code="BR"))


# --- Close and reopen -----------------------------------------------------------------------


@pytest.mark.django_db
def test_facility_close_closes_it_with_the_date_and_reason(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization, facility_name="Old Wing")
    client.force_login(tenancy.officer)

    response = client.post(
        _url("facility-close", tenancy, pk=facility.pk),
        {"closed_on": "2026-03-31", "reason": "Merged into the main campus"},
    )

    facility.refresh_from_db()
    assert response["Location"] == facility.get_absolute_url()
    assert (facility.status, facility.closed_on, facility.closed_reason) == (
        "closed",
        datetime.date(2026, 3, 31),
        "Merged into the main campus",
    )
    assert _last_history(facility).history_change_reason == (
        "web: facility close — Merged into the main campus"
    )
    assert _messages(response) == ["Facility “Old Wing” closed."]


@pytest.mark.django_db
def test_facility_close_form_defaults_to_the_organizations_today(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    client.force_login(tenancy.officer)

    response = client.get(_url("facility-close", tenancy, pk=facility.pk))

    assert response.context["form"]["closed_on"].value() == tenancy.organization.today()
    assert response.context["can_edit"] is True


@pytest.mark.django_db
def test_facility_close_without_a_reason_changes_nothing(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    client.force_login(tenancy.officer)

    response = client.post(
        _url("facility-close", tenancy, pk=facility.pk), {"closed_on": "2026-03-31"}
    )

    facility.refresh_from_db()
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    assert facility.status == "active"


@pytest.mark.django_db
def test_facility_close_of_a_closed_facility_shows_the_services_refusal(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    services.facility_close(
        actor=tenancy.officer,
        facility=facility,
        closed_on=datetime.date(2026, 1, 1),
        via="test",
        note="first",
    )
    client.force_login(tenancy.officer)

    response = client.post(
        _url("facility-close", tenancy, pk=facility.pk),
        {"closed_on": "2026-03-31", "reason": "again"},
    )

    facility.refresh_from_db()
    assert response.context["form"].non_field_errors() == ["This facility is already closed."]
    assert (facility.closed_on, facility.closed_reason) == (datetime.date(2026, 1, 1), "first")


@pytest.mark.django_db
def test_facility_reopen_reopens_a_closed_facility_with_a_reason(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization, facility_name="Old Wing")
    services.facility_close(
        actor=tenancy.officer,
        facility=facility,
        closed_on=datetime.date(2026, 1, 1),
        via="test",
        note="renovation",
    )
    client.force_login(tenancy.officer)

    response = client.post(
        _url("facility-reopen", tenancy, pk=facility.pk), {"reason": "Renovation finished"}
    )

    facility.refresh_from_db()
    assert (facility.status, facility.closed_on, facility.closed_reason) == ("active", None, "")
    assert _last_history(facility).history_change_reason == (
        "web: facility reopen — Renovation finished"
    )
    assert _messages(response) == ["Facility “Old Wing” reopened."]
