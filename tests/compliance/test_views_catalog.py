"""The read-only catalog browser."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from compliance.regulations.registry import rules_version
from tests.factories.tenancy import make_tenancy


@pytest.fixture
def tenancy(db):
    return make_tenancy()


def _get(client, tenancy, **query):
    client.force_login(tenancy.viewer)
    url = reverse("compliance:catalog", kwargs={"org": tenancy.organization.slug})
    return client.get(url, query)


def _codes(response):
    return [
        item.requirement.code
        for section in response.context["frameworks"]
        for item in section.requirements
    ]


@pytest.mark.django_db
def test_catalog_filtered_by_a_state_lists_only_that_states_rules(client, tenancy):
    response = _get(client, tenancy, jurisdiction="US-CA")

    assert [s.framework.code for s in response.context["frameworks"]] == ["US-CA"]
    assert _codes(response) == ["US-CA-HOSPITAL-LICENSE"]
    [item] = response.context["frameworks"][0].requirements
    assert item.satisfied_by == ["A valid California hospital licence"]
    content = response.content.decode()
    assert "US-CA-HOSPITAL-LICENSE" in content
    assert "LGPD" not in content


@pytest.mark.django_db
def test_catalog_filtered_by_a_country_includes_its_states_and_accreditation(client, tenancy):
    response = _get(client, tenancy, jurisdiction="BR")

    jurisdictions = {s.framework.jurisdiction for s in response.context["frameworks"]}
    national = [
        s.framework.code for s in response.context["frameworks"] if s.framework.jurisdiction != "*"
    ]
    assert jurisdictions == {"BR", "*"}
    assert national == ["BR-LGPD", "BR-CNES", "BR-VISA", "BR-BOMBEIROS", "BR-CRM"]
    assert "US-CA-HOSPITAL-LICENSE" not in _codes(response)


@pytest.mark.django_db
def test_catalog_filtered_by_facility_type_leaves_out_requirements_for_other_types(client, tenancy):
    hospitals = _get(client, tenancy, jurisdiction="US", facility_type="hospital")
    pharmacies = _get(client, tenancy, jurisdiction="US", facility_type="pharmacy")

    assert "US-CA-HOSPITAL-LICENSE" in _codes(hospitals)
    assert "US-CA-HOSPITAL-LICENSE" not in _codes(pharmacies)
    assert "HIPAA-164.308(a)(1)(ii)(A)" in _codes(pharmacies)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{"jurisdiction": "XX-NOPE"}, {"facility_type": "spaceport"}, {"jurisdiction": "'; --"}],
)
def test_catalog_with_an_unknown_filter_says_so_and_shows_everything(client, tenancy, query):
    everything = _get(client, tenancy)

    response = _get(client, tenancy, **query)

    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "That filter is not in the catalog, so the whole catalog is shown."
    ]
    assert _codes(response) == _codes(everything)
    assert "That filter is not in the catalog" in response.content.decode()


@pytest.mark.django_db
def test_catalog_shows_the_rules_version_and_the_hipaa_labels(client, tenancy):
    response = _get(client, tenancy, jurisdiction="US")

    content = response.content.decode()
    assert rules_version() in content
    items = {
        item.requirement.code: item
        for section in response.context["frameworks"]
        for item in section.requirements
    }
    risk_analysis = items["HIPAA-164.308(a)(1)(ii)(A)"]
    assert (risk_analysis.obligation, risk_analysis.hipaa_label, risk_analysis.grade) == (
        "Mandatory",
        "Required",
        "Verified",
    )
    assert items["HIPAA-164.308(a)(3)(ii)(A)"].hipaa_label == "Addressable"
    assert items["US-NPI"].satisfied_by == ["A valid NPI"]
