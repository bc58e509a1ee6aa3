"""Checks: run one from a facility's page, read its result (and export it), and follow a
facility's checks over time. Checks are append-only: nothing here edits or deletes one."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from compliance import access, engine, selectors
from compliance.forms import CheckRunForm
from compliance.models import ComplianceCheck
from compliance.tables import CheckExportTable
from facilities import access as facilities_access
from facilities.access import OrganizationMixin, Role, organization_view
from facilities.exports import SafeTableExport
from facilities.models import Facility

EXPORT_PARAM = "_export"


@require_POST
@organization_view(Role.OFFICER)
def check_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Check one facility now (or as of a past date) and show the result."""
    membership = facilities_access.current_membership(request)
    facility = facilities_access.get_facility_for_user(request, pk, for_write=True)
    if facility.is_closed:
        messages.error(request, gettext("A closed facility is not checked: reopen it first."))
        return redirect(facility)
    form = CheckRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(map(str, form.errors.get("as_of", ()))))
        return redirect(facility)
    try:
        [run] = engine.run_checks(
            Facility.objects.filter(pk=facility.pk).select_related("organization"),
            as_of=form.cleaned_data["as_of"],
            actor=membership.user,
            via="web",
        )
    except engine.CheckRequestError as error:
        messages.error(request, str(error))
        return redirect(facility)
    check = run.checks.select_related("organization").get()
    messages.success(
        request,
        gettext("%(facility)s checked as of %(date)s: %(status)s.")
        % {
            "facility": facility.facility_name,
            "date": date_format(check.as_of, "DATE_FORMAT"),
            "status": check.get_overall_status_display(),
        },
    )
    return redirect(check)


class CheckDetailView(OrganizationMixin, TemplateView):
    """One check, as recorded: its header, a roll-up per framework, every applicable result
    grouped by framework and the not-applicable ones with their reasons. `?_export=csv`
    downloads its results, ordered by framework then code."""

    template_name = "compliance/check_detail.html"

    @cached_property
    def check(self) -> ComplianceCheck:
        return access.get_check_for_user(self.request, self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get(EXPORT_PARAM) == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self) -> HttpResponse:
        check = self.check
        table = CheckExportTable(selectors.check_export_rows(check))
        name = slugify(check.facility.facility_name) or f"facility-{check.facility_id}"
        filename = f"check-{name}-{check.as_of.isoformat()}-{check.pk}.csv"
        response: HttpResponse = SafeTableExport("csv", table).response(filename=filename)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        check = self.check
        report = selectors.check_report(check, can_attest=context["can_edit"])
        context.update(
            check=check,
            facility=check.facility,
            report=report,
            rules_version_short=check.rules_version[:12],
            export_param=EXPORT_PARAM,
        )
        return context


class FacilityChecksView(OrganizationMixin, TemplateView):
    """A facility's checks, newest first, each with what changed since the one before."""

    template_name = "compliance/facility_checks.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        facility = facilities_access.get_facility_for_user(self.request, self.kwargs["pk"])
        entries, more = selectors.facility_check_history(facility)
        context.update(facility=facility, entries=entries, more=more, limit=selectors.HISTORY_LIMIT)
        return context
