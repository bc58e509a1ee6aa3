"""Uploading evidence to attestations, licences and accreditations, and downloading it: only
members of the owning organization, only as an attachment."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance import services
from compliance.models import EvidenceFile
from tests.factories import AccreditationFactory, FacilityFactory, FacilityLicenseFactory
from tests.factories.compliance import AttestationFactory
from tests.factories.tenancy import make_tenancy

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<html><body>not a pdf</body></html>"


@pytest.fixture
def tenancy(db):
    return make_tenancy()


@pytest.fixture
def licence(tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    return FacilityLicenseFactory(facility=facility)


def _url(name, tenancy, pk):
    return reverse(f"compliance:{name}", kwargs={"org": tenancy.organization.slug, "pk": pk})


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _attach(tenancy, record_kind, record, name="scan.pdf", content=PDF):
    return services.evidence_attach(
        actor=tenancy.officer,
        organization=record.organization,
        upload=SimpleUploadedFile(name, content),
        via="test",
        **{record_kind: record},
    )


# --- Download --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_evidence_download_by_a_member_sends_the_bytes_as_an_attachment(
    client, tenancy, licence, evidence_root
):
    evidence = _attach(tenancy, "license", licence, name="Licence 2026.pdf")
    client.force_login(tenancy.viewer)

    response = client.get(_url("evidence-download", tenancy, evidence.pk))

    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Licence 2026.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_evidence_download_by_a_member_of_another_organization_answers_404(
    client, tenancy, licence, evidence_root
):
    evidence = _attach(tenancy, "license", licence)
    client.force_login(tenancy.outsider)

    under_theirs = client.get(
        reverse(
            "compliance:evidence-download",
            kwargs={"org": tenancy.other_organization.slug, "pk": evidence.pk},
        )
    )
    under_ours = client.get(_url("evidence-download", tenancy, evidence.pk))

    assert (under_theirs.status_code, under_ours.status_code) == (404, 404)


@pytest.mark.django_db
def test_evidence_files_are_stored_outside_static_files_under_a_random_name(
    tenancy, licence, evidence_root
):
    evidence = _attach(tenancy, "license", licence, name="../../static/evil.pdf")

    path = evidence_root / evidence.file.name
    assert path.read_bytes() == PDF
    assert path.parent == evidence_root / str(tenancy.organization.pk)
    assert path.name != "evil.pdf"
    assert path.suffix == ".pdf"
    # Django keeps only the last component of an uploaded file's name.
    assert evidence.original_name == "evil.pdf"


# --- Upload ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kind"),
    [("license-evidence", "license"), ("accreditation-evidence", "accreditation")],
)
def test_record_evidence_upload_stores_each_file_with_its_history(
    client, tenancy, licence, evidence_root, name, kind
):
    record = licence if kind == "license" else AccreditationFactory(facility=licence.facility)
    client.force_login(tenancy.officer)
    files = [
        SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
    ]

    response = client.post(_url(name, tenancy, record.pk), {"evidence": files})

    stored = list(EvidenceFile.objects.order_by("pk"))
    assert response["Location"] == _url(name, tenancy, record.pk)
    assert _messages(response) == ["2 evidence files uploaded."]
    assert [(e.original_name, e.content_type, getattr(e, kind)) for e in stored] == [
        ("certificate.pdf", "application/pdf", record),
        ("photo.png", "image/png", record),
    ]
    assert [
        list(e.history.values_list("history_change_reason", "history_user")) for e in stored
    ] == [[("web: evidence upload", tenancy.officer.pk)]] * 2


@pytest.mark.django_db
def test_record_evidence_page_lists_the_files_of_the_record_only(
    client, tenancy, licence, evidence_root
):
    mine = _attach(tenancy, "license", licence, name="mine.pdf")
    _attach(tenancy, "license", FacilityLicenseFactory(facility=licence.facility), name="x.pdf")
    client.force_login(tenancy.officer)

    response = client.get(_url("license-evidence", tenancy, licence.pk))

    assert response.context["evidence_files"] == [mine]
    assert response.context["title"] == f"Evidence for {licence}"


@pytest.mark.django_db
def test_attestation_evidence_upload_refuses_a_disguised_file_and_saves_nothing(
    client, tenancy, evidence_root
):
    attestation = AttestationFactory(organization=tenancy.organization)
    client.force_login(tenancy.officer)
    files = [
        SimpleUploadedFile("ok.pdf", PDF),
        SimpleUploadedFile("x.pdf", HTML, content_type="application/pdf"),
    ]

    response = client.post(
        _url("attestation-evidence", tenancy, attestation.pk), {"evidence": files}
    )

    assert response.context["form"].errors == {
        "evidence": [
            "x.pdf: Only PDF, PNG and JPEG files are accepted; this file's content is none of them."
        ]
    }
    assert not EvidenceFile.objects.exists()


@pytest.mark.django_db
def test_attestation_evidence_upload_without_a_file_asks_for_one(client, tenancy):
    attestation = AttestationFactory(organization=tenancy.organization)
    client.force_login(tenancy.officer)

    response = client.post(_url("attestation-evidence", tenancy, attestation.pk), {})

    assert response.context["form"].errors == {"evidence": ["This field is required."]}


@pytest.mark.django_db
def test_evidence_upload_to_a_record_of_another_organization_answers_404(
    client, tenancy, evidence_root
):
    foreign = FacilityLicenseFactory(
        facility=FacilityFactory(organization=tenancy.other_organization)
    )
    client.force_login(tenancy.officer)

    response = client.post(
        _url("license-evidence", tenancy, foreign.pk),
        {"evidence": [SimpleUploadedFile("a.pdf", PDF)]},
    )

    assert response.status_code == 404
    assert not EvidenceFile.objects.exists()


@pytest.mark.django_db
def test_evidence_upload_by_a_viewer_is_refused(client, tenancy, licence, evidence_root):
    client.force_login(tenancy.viewer)

    response = client.post(
        _url("license-evidence", tenancy, licence.pk),
        {"evidence": [SimpleUploadedFile("a.pdf", PDF)]},
    )

    assert response.status_code == 403
    assert not EvidenceFile.objects.exists()
