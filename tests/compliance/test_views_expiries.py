"""The expiries page: buckets, filters (and bad filter values), the member's default filter,
sorting, CSV/XLSX exports, renew links, and a constant number of queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from facilities.history import bulk_create_tracked
from facilities.models import Facility, FacilityLicense, Membership, RecordStatus
from geography.models import Country, State
from tests.factories import (
    AccreditationFactory,
    FacilityFactory,
    FacilityLicenseFactory,
    UserFactory,
)
from tests.factories.compliance import AttestationFactory
from tests.factories.tenancy import make_tenancy

CA_LEAD = 30
ISSUED = datetime.date(2020, 1, 1)


def _days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def tenancy(db):
    return make_tenancy()


@pytest.fixture
def items(tenancy):
    """Items of Acme around its today, one per bucket, plus a far-off one and another
    organization's."""
    organization = tenancy.organization
    today = organization.today()
    ca = FacilityFactory(organization=organization, facility_name="California General")
    sp = FacilityFactory(
        organization=organization,
        facility_name="Hospital Paulista",
        state_code="BR-SP",
        facility_type="clinic",
    )
    officer = tenancy.membership(tenancy.officer)

    def lic(facility, file_by_offset, **kwargs):
        return FacilityLicenseFactory(
            facility=facility,
            issued_date=ISSUED,
            expiry_date=today + _days(CA_LEAD + file_by_offset),
            **kwargs,
        )

    return {
        "today": today,
        "overdue": lic(ca, -2, license_number="OVERDUE-1", responsible=officer),
        "soon": lic(ca, 10, license_number="SOON-1"),
        "far": lic(ca, 200, license_number="FAR-1"),
        "lapsed": lic(ca, -CA_LEAD - 1, license_number="LAPSED-1"),
        "awaiting": lic(
            ca,
            5,
            license_number="AWAIT-1",
            status=RecordStatus.PENDING_RENEWAL,
            renewal_filed_on=today,
        ),
        "alvara": lic(sp, 45, license_type="BR-ALVARA-SANITARIO", license_number="ALV-1"),
        "accreditation": AccreditationFactory(
            facility=ca,
            certified_date=ISSUED,
            expiry_date=today + _days(184 + 70),
            certificate_number="TJC-9",
        ),
        "attestation": AttestationFactory(
            organization=organization,
            attested_on=today - _days(300),
            valid_until=today + _days(40),
        ),
        "foreign": FacilityLicenseFactory(
            facility=FacilityFactory(organization=tenancy.other_organization),
            issued_date=ISSUED,
            expiry_date=today + _days(CA_LEAD + 3),
            license_number="FOREIGN-1",
        ),
    }


def _url(tenancy, **query):
    url = reverse("compliance:expiries", kwargs={"org": tenancy.organization.slug})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _references(response):
    return [row.record.reference for row in response.context["table"].rows]


@pytest.mark.django_db
def test_expiries_lists_every_item_in_a_bucket_ordered_by_file_by(client, tenancy, items):
    client.force_login(tenancy.officer)

    response = client.get(_url(tenancy))

    assert response.status_code == 200
    assert _references(response) == [
        "California hospital licence LAPSED-1",
        "California hospital licence OVERDUE-1",
        "California hospital licence AWAIT-1",
        "HIPAA-164.308(a)(1)(ii)(A)",
        "California hospital licence SOON-1",
        "Sanitary licence (alvará sanitário / licença sanitária) ALV-1",
        "The Joint Commission TJC-9",
    ]
    assert response.context["bucket_counts"] == [
        ("Filing overdue", 1),
        ("0-30 days", 2),
        ("31-60 days", 1),
        ("61-90 days", 1),
        ("Lapsed (expired)", 1),
        ("Renewal filed, awaiting the authority", 1),
    ]
    content = response.content.decode()
    renew = reverse("facilities:license-renew", kwargs={"org": "acme", "pk": items["soon"].pk})
    assert f'href="{renew}"' in content
    assert "FOREIGN-1" not in content
    assert "Calendar feed" not in content  # admins only


@pytest.mark.django_db
def test_viewer_sees_no_renew_links(client, tenancy, items):
    client.force_login(tenancy.viewer)

    response = client.get(_url(tenancy))

    renew = reverse("facilities:license-renew", kwargs={"org": "acme", "pk": items["soon"].pk})
    assert "SOON-1" in response.content.decode()
    assert renew not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "accreditation"}, ["The Joint Commission TJC-9"]),
        ({"bucket": "overdue"}, ["California hospital licence OVERDUE-1"]),
        ({"bucket": "awaiting"}, ["California hospital licence AWAIT-1"]),
        (
            {"country": "BR"},
            ["Sanitary licence (alvará sanitário / licença sanitária) ALV-1"],
        ),
        (
            {"state": "US-CA", "bucket": "lapsed"},
            ["California hospital licence LAPSED-1"],
        ),
        (
            {"facility_type": "clinic"},
            ["Sanitary licence (alvará sanitário / licença sanitária) ALV-1"],
        ),
        ({"kind": "attestation", "bucket": "0-30"}, ["HIPAA-164.308(a)(1)(ii)(A)"]),
        ({"kind": "attestation", "bucket": "31-60"}, []),
    ],
)
def test_expiries_filters(client, tenancy, items, query, expected):
    client.force_login(tenancy.officer)

    response = client.get(_url(tenancy, **query))

    assert _references(response) == expected


@pytest.mark.django_db
def test_expiries_filter_by_responsible_member(client, tenancy, items):
    client.force_login(tenancy.officer)
    officer = tenancy.membership(tenancy.officer)

    response = client.get(_url(tenancy, responsible=officer.pk))

    assert _references(response) == ["California hospital licence OVERDUE-1"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"kind": "permit"},
        {"bucket": "soon"},
        {"country": "ZZ"},
        {"state": "%3Cscript%3E"},
        {"responsible": "abc"},
        {"country": "%00"},
        {"state": "US%00"},
        {"kind": "%00"},
    ],
)
def test_unknown_filter_values_are_ignored_with_a_message(client, tenancy, items, query):
    client.force_login(tenancy.officer)

    response = client.get(_url(tenancy, **query))

    assert response.status_code == 200
    assert len(_references(response)) == 7
    assert "Some filters are not valid and were ignored" in response.content.decode()
    [name] = query
    assert name in response.context["filter_form"].errors


@pytest.mark.django_db
def test_another_organizations_member_is_not_a_responsible_choice(client, tenancy, items):
    outsider = Membership.objects.get(user=tenancy.outsider)
    client.force_login(tenancy.officer)

    response = client.get(_url(tenancy, responsible=outsider.pk))

    assert "responsible" in response.context["filter_form"].errors
    assert len(_references(response)) == 7


@pytest.mark.django_db
def test_member_default_place_applies_when_no_filter_is_given(client, tenancy, items):
    membership = tenancy.membership(tenancy.officer)
    membership.default_country = Country.objects.get(code="BR")
    membership._change_reason = "test"
    membership.save()
    client.force_login(tenancy.officer)

    redirect = client.get(_url(tenancy))
    response = client.get(redirect["Location"])
    everything = client.get(_url(tenancy, all=1))

    assert redirect.status_code == 302
    assert redirect["Location"] == _url(tenancy, country="BR", default=1)
    assert _references(response) == [
        "Sanitary licence (alvará sanitário / licença sanitária) ALV-1"
    ]
    assert "Filtered by your default country and state." in response.content.decode()
    assert len(_references(everything)) == 7


@pytest.mark.django_db
def test_expiries_sort_by_date_descending(client, tenancy, items):
    client.force_login(tenancy.officer)

    response = client.get(_url(tenancy, sort="-expires_on", kind="license"))

    assert _references(response) == [
        "Sanitary licence (alvará sanitário / licença sanitária) ALV-1",
        "California hospital licence SOON-1",
        "California hospital licence AWAIT-1",
        "California hospital licence OVERDUE-1",
        "California hospital licence LAPSED-1",
    ]


@pytest.mark.django_db
def test_expiries_export_csv_as_filtered(client, tenancy, items):
    client.force_login(tenancy.officer)

    response = client.get(_url(tenancy, kind="license", bucket="0-30", _export="csv"))

    assert response["Content-Type"].startswith("text/csv")
    today = items["today"].isoformat()
    assert f"expiries-acme-{today}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Kind",
        "Item",
        "Facility",
        "Country",
        "State",
        "Facility type",
        "File by",
        "Days left",
        "Expires",
        "Deadline",
        "Responsible",
    ]
    soon = items["soon"]
    assert rows[1:] == [
        [
            "license",
            "California hospital licence SOON-1",
            "California General",
            "US",
            "US-CA",
            "Hospital",
            (soon.expiry_date - _days(CA_LEAD)).isoformat(),
            "10",
            soon.expiry_date.isoformat(),
            "0-30",
            "",
        ]
    ]


@pytest.mark.django_db
def test_expiries_export_xlsx(client, tenancy, items):
    client.force_login(tenancy.officer)

    response = client.get(_url(tenancy, _export="xlsx"))

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.content[:2] == b"PK"


def _bulk(organization, count):
    """`count` facilities each with a licence due within 30 days, an accreditation and a
    facility attestation: three deadlines per facility."""
    actor = UserFactory()
    state = State.objects.get(code="US-CA")
    today = organization.today()
    bulk_create_tracked(
        [
            Facility(
                organization=organization,
                facility_name=f"Bulk {index:05}",
                facility_type="hospital",
                ownership="private",
                country_id=state.country_id,
                state=state,
            )
            for index in range(count)
        ],
        actor=actor,
        reason="test: bulk",
    )
    facilities = list(Facility.objects.filter(organization=organization))
    bulk_create_tracked(
        [
            FacilityLicense(
                organization=organization,
                facility=facility,
                license_type="US-CA-HOSPITAL",
                license_number=f"B-{facility.pk}",
                issued_date=ISSUED,
                expiry_date=today + _days(CA_LEAD + 5),
            )
            for facility in facilities
        ],
        actor=actor,
        reason="test: bulk",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 500])
def test_expiries_query_count_is_constant(client, tenancy, django_assert_num_queries, count):
    _bulk(tenancy.organization, count)
    client.force_login(tenancy.officer)

    # Session and user; membership; the members' names; overrides, licences, accreditations,
    # attestations; the filter form's country, state and responsible choices.
    with django_assert_num_queries(11):
        response = client.get(_url(tenancy, all=1))

    assert response.context["table"].paginator.count == count
