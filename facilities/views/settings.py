"""The organization's settings page, for its admins: its name and time zone; the file-by lead of
each licence type of its places, with the organization's longer overrides, a form to set one
and a way back to the code's lead; and the history of both."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import TemplateView

from compliance.regulations import licenses as license_catalog
from facilities import selectors, services
from facilities.access import OrganizationMixin, Role
from facilities.forms import LeadTimeOverrideForm, LeadTimeResetForm, OrganizationSettingsForm
from facilities.models import LeadTimeOverride, Organization
from facilities.views import call_service

RESET = "reset"
ORGANIZATION = "organization"


class OrganizationSettingsView(OrganizationMixin, TemplateView):
    required_role = Role.ADMIN
    template_name = "facilities/organization_settings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        lead_times = kwargs.pop("lead_times", None) or selectors.organization_lead_times(
            self.organization
        )
        kwargs.setdefault("form", self._set_form(lead_times))
        kwargs.setdefault(
            "organization_form",
            OrganizationSettingsForm(
                initial={"name": self.organization.name, "time_zone": self.organization.time_zone}
            ),
        )
        context = super().get_context_data(**kwargs)
        entries = selectors.lead_time_history(self.organization) + selectors.object_history(
            Organization, self.organization.pk, self.organization.name
        )
        entries.sort(key=lambda entry: entry.when, reverse=True)
        context.update(
            lead_times=lead_times,
            entries=selectors.readable_history(entries, (LeadTimeOverride, Organization)),
            calendar_url=reverse("compliance:expiries", kwargs={"org": self.organization.slug})
            + "#calendar",
            reset_action=RESET,
            organization_action=ORGANIZATION,
        )
        return context

    def _set_form(self, lead_times: list[selectors.LeadTime], data: Any = None) -> Any:
        types = [(row.code, row.license_type.name) for row in lead_times]
        return LeadTimeOverrideForm(data, license_types=types)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lead_times = selectors.organization_lead_times(self.organization)
        if request.POST.get("action") == ORGANIZATION:
            organization_form = OrganizationSettingsForm(request.POST)
            if organization_form.is_valid() and call_service(
                organization_form, lambda: self._update(organization_form.cleaned_data)
            ):
                return redirect(request.path)
            return self.render_to_response(
                self.get_context_data(lead_times=lead_times, organization_form=organization_form)
            )
        if request.POST.get("action") == RESET:
            overridden = [row.code for row in lead_times if row.override_days is not None]
            reset_form = LeadTimeResetForm(request.POST, license_types=overridden)
            if reset_form.is_valid() and call_service(
                reset_form, lambda: self._reset(reset_form.cleaned_data)
            ):
                return redirect(request.path)
            return self.render_to_response(
                self.get_context_data(lead_times=lead_times, reset_form=reset_form)
            )
        form = self._set_form(lead_times, request.POST)
        if form.is_valid() and call_service(form, lambda: self._set(form.cleaned_data)):
            return redirect(request.path)
        return self.render_to_response(self.get_context_data(lead_times=lead_times, form=form))

    def _update(self, data: dict[str, Any]) -> None:
        # A copy: a refused change must not leave its values on the organization of the page.
        organization = Organization.objects.get(pk=self.organization.pk)
        services.organization_update(
            actor=self.membership.user,
            organization=organization,
            data={"name": data["name"], "time_zone": data["time_zone"]},
            via="web",
            note=data["note"],
        )
        messages.success(self.request, gettext("The organization's settings are saved."))

    def _set(self, data: dict[str, Any]) -> None:
        override = services.lead_time_override_set(
            actor=self.membership.user,
            organization=self.organization,
            license_type=data["license_type"],
            file_by_days=data["file_by_days"],
            via="web",
            note=data["reason"],
        )
        messages.success(
            self.request,
            gettext("%(type)s: file at least %(days)d days before expiry.")
            % {"type": _type_name(override.license_type), "days": override.file_by_days},
        )

    def _reset(self, data: dict[str, Any]) -> None:
        override = services.lead_time_override_reset(
            actor=self.membership.user,
            organization=self.organization,
            license_type=data["license_type"],
            via="web",
            note=data["reason"],
        )
        messages.success(
            self.request,
            gettext("%(type)s follows the code's lead time again (%(days)d days).")
            % {"type": _type_name(override.license_type), "days": override.file_by_days},
        )


def _type_name(code: str) -> str:
    entry = license_catalog.get_license_type(code)
    return gettext(entry.name) if entry else code
