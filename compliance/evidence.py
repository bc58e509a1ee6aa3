"""Evidence uploads: type checked from the content, size-limited, hashed.

The declared name and content type of an upload are not trusted: an HTML file named `.pdf` is
refused because its first bytes are not a PDF's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# Magic numbers of the accepted types, and the extension stored with each.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str


def check_upload(upload: UploadedFile[bytes]) -> CheckedUpload:
    """Accept a PDF, PNG or JPEG within the size limit, judged by its content."""
    limit = settings.EVIDENCE_MAX_BYTES
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The file is %(size)d bytes; the limit is %(limit)d bytes.")
            % {"size": size, "limit": limit},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    match = next((s for s in SIGNATURES if head.startswith(s[0])), None)
    if match is None:
        raise ValidationError(
            _("Only PDF, PNG and JPEG files are accepted; this file's content is none of them."),
            code="wrong_type",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for block in upload.chunks():
        digest.update(block)
    upload.seek(0)
    return CheckedUpload(
        content_type=match[1], extension=match[2], size=size, sha256=digest.hexdigest()
    )
