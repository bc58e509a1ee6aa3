"""Attesting a requirement from a check, with evidence; the attestation list and page."""

import datetime
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance import services
from compliance.engine import run_checks
from compliance.models import Attestation, EvidenceFile
from facilities.models import Facility
from tests.factories import FacilityFactory
from tests.factories.compliance import AttestationFactory
from tests.factories.tenancy import make_tenancy

ADDRESSABLE = "HIPAA-164.308(a)(3)(ii)(A)"  # authorization and/or supervision
REQUIRED = "HIPAA-164.308(a)(1)(ii)(A)"  # risk analysis
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
HTML = b"<!doctype html><html><script>alert(1)</script></html>"


@pytest.fixture
def tenancy(db):
    return make_tenancy()


@pytest.fixture
def facility(tenancy):
    return FacilityFactory(organization=tenancy.organization, facility_name="Bay Hospital")


def _url(tenancy, **query):
    url = reverse("compliance:attestation-create", kwargs={"org": tenancy.organization.slug})
    return f"{url}?{urlencode(query)}" if query else url


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _post_data(tenancy, **overrides):
    data = {
        "requirement_code": ADDRESSABLE,
        "scope": "organization",
        "outcome": "not_reasonable",
        "justification": "Two staff share every task; supervision is continuous.",
        "alternative": "Quarterly access reviews by the privacy officer.",
        "attested_on": tenancy.organization.today().isoformat(),
        "valid_until": "",
        "note": "annual review",
    }
    data.update(overrides)
    return data


def _check(facility, actor):
    [run] = run_checks(Facility.objects.filter(pk=facility.pk), actor=actor, via="test")
    return run.checks.get()


def _status(check, code):
    return next(r["status"] for r in check.results if r["code"] == code)


@pytest.mark.django_db
def test_attestation_create_not_reasonable_with_evidence_meets_the_requirement_organization_wide(
    client, tenancy, facility, evidence_root
):
    before = _check(facility, tenancy.officer)
    next_url = before.get_absolute_url()
    client.force_login(tenancy.officer)
    upload = SimpleUploadedFile("policy.pdf", PDF, content_type="application/pdf")

    response = client.post(
        _url(tenancy, requirement=ADDRESSABLE, facility=facility.pk, next=next_url),
        {**_post_data(tenancy), "evidence": [upload]},
    )

    attestation = Attestation.objects.get()
    evidence = EvidenceFile.objects.get()
    assert response["Location"] == next_url
    assert _messages(response) == [f"Attestation of {ADDRESSABLE} recorded."]
    assert (
        attestation.organization,
        attestation.facility,
        attestation.requirement_code,
        attestation.outcome,
        attestation.attested_by,
        attestation.attested_on,
    ) == (
        tenancy.organization,
        None,
        ADDRESSABLE,
        "not_reasonable",
        tenancy.officer,
        tenancy.organization.today(),
    )
    assert (evidence.attestation, evidence.original_name, evidence.content_type) == (
        attestation,
        "policy.pdf",
        "application/pdf",
    )
    assert (evidence.size, evidence.uploaded_by) == (len(PDF), tenancy.officer)
    assert evidence.file.read() == PDF
    assert list(attestation.history.values_list("history_change_reason", "history_user")) == [
        ("web: attest — annual review", tenancy.officer.pk)
    ]
    assert list(evidence.history.values_list("history_change_reason", "history_user")) == [
        ("web: evidence upload", tenancy.officer.pk)
    ]
    assert _status(before, ADDRESSABLE) == "missing"
    assert _status(_check(facility, tenancy.officer), ADDRESSABLE) == "met"


@pytest.mark.django_db
def test_attestation_create_for_the_facility_redirects_to_the_facility_page(
    client, tenancy, facility
):
    client.force_login(tenancy.officer)

    response = client.post(
        _url(tenancy, requirement=REQUIRED, facility=facility.pk),
        _post_data(tenancy, requirement_code=REQUIRED, scope="facility", outcome="implemented"),
    )

    attestation = Attestation.objects.get()
    assert response["Location"] == facility.get_absolute_url()
    assert (attestation.facility, attestation.outcome) == (facility, "implemented")


@pytest.mark.django_db
def test_attestation_create_not_reasonable_without_an_alternative_shows_the_error_at_the_field(
    client, tenancy, facility, evidence_root
):
    client.force_login(tenancy.officer)
    upload = SimpleUploadedFile("policy.pdf", PDF, content_type="application/pdf")

    response = client.post(
        _url(tenancy, requirement=ADDRESSABLE, facility=facility.pk),
        {**_post_data(tenancy, alternative=""), "evidence": [upload]},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "alternative": ["Describe the equivalent alternative adopted."]
    }
    assert not Attestation.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not evidence_root.exists() or not any(evidence_root.rglob("*.*"))


@pytest.mark.django_db
def test_attestation_create_refuses_an_html_file_named_pdf_and_saves_nothing(
    client, tenancy, facility, evidence_root
):
    client.force_login(tenancy.officer)
    good = SimpleUploadedFile("policy.pdf", PDF, content_type="application/pdf")
    disguised = SimpleUploadedFile("x.pdf", HTML, content_type="application/pdf")

    response = client.post(
        _url(tenancy, requirement=ADDRESSABLE, facility=facility.pk),
        {**_post_data(tenancy), "evidence": [good, disguised]},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "evidence": [
            "x.pdf: Only PDF, PNG and JPEG files are accepted; this file's content is none of them."
        ]
    }
    assert not Attestation.objects.exists()
    assert not EvidenceFile.objects.exists()


@pytest.mark.django_db
def test_attestation_create_offers_not_reasonable_only_for_an_addressable_specification(
    client, tenancy, facility
):
    client.force_login(tenancy.officer)

    addressable = client.get(_url(tenancy, requirement=ADDRESSABLE, facility=facility.pk))
    required = client.get(_url(tenancy, requirement=REQUIRED, facility=facility.pk))
    refused = client.post(
        _url(tenancy, requirement=REQUIRED, facility=facility.pk),
        _post_data(tenancy, requirement_code=REQUIRED),
    )

    def outcomes(response):
        return [code for code, _label in response.context["form"].fields["outcome"].choices]

    assert outcomes(addressable) == ["implemented", "not_reasonable"]
    assert outcomes(required) == ["implemented"]
    assert "justification" not in required.context["form"].fields
    assert refused.context["form"].errors == {
        "outcome": [
            "Only an addressable specification may be attested as not reasonable and appropriate."
        ]
    }
    assert not Attestation.objects.exists()


@pytest.mark.django_db
def test_attestation_create_prefills_the_requirement_the_scope_and_today(client, tenancy, facility):
    client.force_login(tenancy.officer)

    response = client.get(_url(tenancy, requirement=ADDRESSABLE, facility=facility.pk))

    form = response.context["form"]
    assert (form["requirement_code"].value(), form["scope"].value()) == (ADDRESSABLE, "facility")
    assert form["attested_on"].value() == tenancy.organization.today()
    assert [code for code, _label in form.fields["scope"].choices] == ["facility", "organization"]
    assert response.context["requirement"].code == ADDRESSABLE


@pytest.mark.django_db
def test_attestation_create_refuses_a_requirement_no_attestation_can_meet(
    client, tenancy, facility
):
    client.force_login(tenancy.officer)

    response = client.post(
        _url(tenancy, facility=facility.pk),
        _post_data(tenancy, requirement_code="US-NPI", outcome="implemented"),
    )

    assert response.context["form"].errors == {
        "requirement_code": ["This requirement cannot be met by an attestation."]
    }
    assert not Attestation.objects.exists()


@pytest.mark.django_db
def test_attestation_create_refuses_a_future_date_and_a_valid_until_before_it(
    client, tenancy, facility
):
    today = tenancy.organization.today()
    client.force_login(tenancy.officer)

    future = client.post(
        _url(tenancy),
        _post_data(tenancy, attested_on=(today + datetime.timedelta(days=1)).isoformat()),
    )
    inverted = client.post(
        _url(tenancy),
        _post_data(tenancy, valid_until=(today - datetime.timedelta(days=1)).isoformat()),
    )

    assert future.context["form"].errors == {
        "attested_on": ["An attestation cannot be dated in the future."]
    }
    assert inverted.context["form"].errors == {
        "valid_until": ["'Valid until' cannot be before the attestation date."]
    }
    assert not Attestation.objects.exists()


@pytest.mark.django_db
def test_attestation_create_ignores_a_next_address_on_another_site(client, tenancy, facility):
    client.force_login(tenancy.officer)

    response = client.post(
        _url(tenancy, facility=facility.pk, next="https://evil.example/"),
        _post_data(tenancy),
    )

    assert response["Location"] == facility.get_absolute_url()


@pytest.mark.django_db
def test_attestation_create_for_a_facility_of_another_organization_answers_404(client, tenancy):
    foreign = FacilityFactory(organization=tenancy.other_organization)
    client.force_login(tenancy.officer)

    response = client.post(_url(tenancy, facility=foreign.pk), _post_data(tenancy))

    assert response.status_code == 404
    assert not Attestation.objects.exists()


@pytest.mark.django_db
def test_attestation_list_shows_each_attestation_with_its_evidence_count(
    client, tenancy, facility, evidence_root
):
    organization_wide = AttestationFactory(organization=tenancy.organization)
    for_facility = AttestationFactory(
        organization=tenancy.organization, facility=facility, requirement_code=ADDRESSABLE
    )
    for name in ("a.pdf", "b.pdf"):
        services.evidence_attach(
            actor=tenancy.officer,
            organization=tenancy.organization,
            upload=SimpleUploadedFile(name, PDF),
            attestation=for_facility,
            via="test",
        )
    AttestationFactory(organization=tenancy.other_organization)
    client.force_login(tenancy.viewer)

    response = client.get(
        reverse("compliance:attestation-list", kwargs={"org": tenancy.organization.slug})
    )

    rows = response.context["table"].paginated_rows
    # Newest first; the two were attested on the same day, so the later one leads.
    assert [(row.record, row.record.evidence_count) for row in rows] == [
        (for_facility, 2),
        (organization_wide, 0),
    ]
    content = response.content.decode()
    assert "Whole organization" in content
    assert "Bay Hospital" in content


@pytest.mark.django_db
def test_attestation_detail_lists_its_evidence_files(client, tenancy, evidence_root):
    attestation = AttestationFactory(organization=tenancy.organization)
    evidence = services.evidence_attach(
        actor=tenancy.officer,
        organization=tenancy.organization,
        upload=SimpleUploadedFile("risk-analysis.pdf", PDF),
        attestation=attestation,
        via="test",
    )
    client.force_login(tenancy.viewer)

    response = client.get(
        reverse(
            "compliance:attestation-detail",
            kwargs={"org": tenancy.organization.slug, "pk": attestation.pk},
        )
    )

    assert response.context["evidence_files"] == [evidence]
    assert f'href="{evidence.get_absolute_url()}">risk-analysis.pdf</a>' in (
        response.content.decode()
    )
    assert "Add evidence" not in response.content.decode()
