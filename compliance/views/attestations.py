"""Attestations: attest a requirement (with evidence), list the organization's attestations,
read one with its evidence files."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_tables2 import SingleTableView

from compliance import access, selectors, services
from compliance.forms import AttestationForm
from compliance.models import Attestation
from compliance.regulations import registry
from compliance.tables import AttestationTable
from compliance.views import ComplianceFormView, safe_next
from facilities import access as facilities_access
from facilities.access import OrganizationMixin
from facilities.models import Facility


class AttestationCreateView(ComplianceFormView):
    """`?requirement=<code>&facility=<id>&next=<check page>`: the requirement is prefilled, the
    facility (of this organization, else 404) offered as the scope beside the whole
    organization, and a valid `next` is where the person returns."""

    form_class = AttestationForm
    template_name = "compliance/attestation_form.html"
    title = _("Attest a requirement")
    submit_label = _("Record attestation")

    @cached_property
    def facility(self) -> Facility | None:
        value = self.request.GET.get("facility", "")
        if not value:
            return None
        if not value.isdigit():
            raise Http404(gettext("No such facility."))
        return facilities_access.get_facility_for_user(self.request, int(value), for_write=True)

    def get_initial(self) -> dict[str, Any]:
        return {
            "requirement_code": self.request.GET.get("requirement", ""),
            "attested_on": self.organization.today(),
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        return {**kwargs, "organization": self.organization, "facility": self.facility}

    def get_cancel_url(self) -> str:
        if target := safe_next(self.request):
            return target
        if self.facility is not None:
            return self.facility.get_absolute_url()
        return reverse("compliance:attestation-list", kwargs={"org": self.organization.slug})

    def perform(self, form: AttestationForm) -> Attestation:
        return services.attestation_create(
            actor=self.membership.user,
            organization=self.organization,
            via="web",
            **form.service_data(),
        )

    def get_success_message(self, result: Attestation) -> str:
        return gettext("Attestation of %(code)s recorded.") % {"code": result.requirement_code}

    def get_success_redirect(self, result: Attestation) -> HttpResponse:
        return redirect(self.get_cancel_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        found = registry.get_requirement(form.chosen_requirement())
        requirement = found[1] if found else None
        label = requirement.hipaa_label if requirement else None
        context.update(
            facility=self.facility,
            framework=found[0] if found else None,
            requirement=requirement,
            hipaa_label=selectors.HIPAA_LABELS[label] if label else "",
            next=safe_next(self.request),
        )
        return context


class AttestationListView(OrganizationMixin, SingleTableView):  # type: ignore[misc]
    template_name = "compliance/attestation_list.html"
    table_class = AttestationTable
    table_pagination = {"per_page": 50}

    def get_queryset(self) -> Any:
        return selectors.attestation_list(self.organization)


class AttestationDetailView(OrganizationMixin, TemplateView):
    template_name = "compliance/attestation_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        attestation = access.get_attestation_for_user(self.request, self.kwargs["pk"])
        found = registry.get_requirement(attestation.requirement_code)
        context.update(
            attestation=attestation,
            framework=found[0] if found else None,
            requirement=found[1] if found else None,
            evidence_files=list(selectors.evidence_of(attestation)),
        )
        return context
