"""Evidence uploads are judged by their content, within the size limit, and hashed."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.evidence import check_upload

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("scan.pdf", PDF, "application/pdf", ".pdf"),
        ("photo.png", PNG, "image/png", ".png"),
        ("photo.jpeg", JPEG, "image/jpeg", ".jpg"),
        # The declared name does not decide the type: the content does.
        ("scan.txt", PDF, "application/pdf", ".pdf"),
    ],
)
def test_check_upload_accepts_pdf_png_and_jpeg_by_their_content(
    name, content, content_type, extension
):
    upload = SimpleUploadedFile(name, content, content_type="text/plain")

    checked = check_upload(upload)

    assert (checked.content_type, checked.extension, checked.size, checked.sha256) == (
        content_type,
        extension,
        len(content),
        hashlib.sha256(content).hexdigest(),
    )
    assert upload.tell() == 0


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("x.pdf", b"<!doctype html><script>alert(1)</script>", "wrong_type"),
        ("x.pdf", b"MZ\x90\x00 an executable", "wrong_type"),
        ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "wrong_type"),
        ("x.pdf", b"", "empty"),
    ],
    ids=["html-named-pdf", "executable", "svg", "empty"],
)
def test_check_upload_refuses_other_content(name, content, code):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    with pytest.raises(ValidationError) as raised:
        check_upload(upload)

    assert raised.value.code == code


def test_check_upload_refuses_a_file_over_the_limit(settings):
    settings.EVIDENCE_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 100)

    with pytest.raises(ValidationError) as raised:
        check_upload(upload)

    assert raised.value.messages == [f"The file is {len(PDF) + 100} bytes; the limit is 100 bytes."]
