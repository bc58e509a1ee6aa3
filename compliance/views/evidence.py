"""Evidence files: upload them to an attestation, a licence or an accreditation, and download
them. Files are served only here, to members of the owning organization, as attachments: never
from static files or a media URL."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from compliance import access, selectors, services
from compliance.forms import EvidenceUploadForm
from compliance.models import Attestation, EvidenceFile
from compliance.views import ComplianceFormView
from facilities import access as facilities_access
from facilities.access import OrganizationMixin
from facilities.models import Accreditation, Facility, FacilityLicense

Record = Attestation | FacilityLicense | Accreditation


class EvidenceDownloadView(OrganizationMixin, View):
    """An evidence file, to members of its organization only, as an attachment of the type
    decided from its content on upload."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        evidence = access.get_evidence_for_user(request, self.kwargs["pk"])
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            raise Http404(gettext("This file is missing from storage.")) from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )
        # Browsers must not guess another type than the one decided from the content.
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class EvidenceUploadView(ComplianceFormView):
    """Upload evidence files to one record of the organization (officers). The page lists the
    record's files; all the files of one upload are kept, or none."""

    form_class = EvidenceUploadForm
    template_name = "compliance/evidence_form.html"
    submit_label = _("Upload")
    record_kind = ""

    @property
    def record(self) -> Record:
        raise NotImplementedError

    def get_facility(self) -> Facility | None:
        facility: Facility | None = self.record.facility
        return facility

    def get_title(self) -> str:
        return gettext("Evidence for %(record)s") % {"record": self.record}

    def get_cancel_url(self) -> str:
        return self.get_record_url()

    def get_record_url(self) -> str:
        return self.record.get_absolute_url()  # type: ignore[union-attr]

    def perform(self, form: EvidenceUploadForm) -> list[EvidenceFile]:
        record: dict[str, Any] = {self.record_kind: self.record}
        with transaction.atomic():
            return [
                services.evidence_attach(
                    actor=self.membership.user,
                    organization=self.organization,
                    upload=upload,
                    via="web",
                    **record,
                )
                for upload in form.cleaned_data["evidence"]
            ]

    def get_success_message(self, result: list[EvidenceFile]) -> str:
        return ngettext(
            "%(count)d evidence file uploaded.", "%(count)d evidence files uploaded.", len(result)
        ) % {"count": len(result)}

    def get_success_redirect(self, result: list[EvidenceFile]) -> HttpResponse:
        return redirect(self.request.path)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            record=self.record,
            record_url=self.get_record_url(),
            facility=self.get_facility(),
            evidence_files=list(selectors.evidence_of(self.record)),
            **kwargs,
        )


class AttestationEvidenceView(EvidenceUploadView):
    record_kind = "attestation"

    @cached_property
    def record(self) -> Attestation:
        return access.get_attestation_for_user(self.request, self.kwargs["pk"], for_write=True)

    def get_record_url(self) -> str:
        return reverse(
            "compliance:attestation-detail",
            kwargs={"org": self.organization.slug, "pk": self.record.pk},
        )


class LicenseEvidenceView(EvidenceUploadView):
    record_kind = "license"

    @cached_property
    def record(self) -> FacilityLicense:
        return facilities_access.get_license_for_user(
            self.request, self.kwargs["pk"], for_write=True
        )


class AccreditationEvidenceView(EvidenceUploadView):
    record_kind = "accreditation"

    @cached_property
    def record(self) -> Accreditation:
        return facilities_access.get_accreditation_for_user(
            self.request, self.kwargs["pk"], for_write=True
        )
