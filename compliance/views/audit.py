"""Audit pages for officers: the history of one licence, accreditation or attestation (the
facility, member and custom-rule pages have theirs), and the organization's audit log with its
filters and CSV export.

Every history page reads `facilities.selectors.object_history` through `readable_history` and
renders `includes/history.html`: one piece of code for every object. Object histories are open
to every member, like the objects themselves; the audit log, which spans the organization and
names every member's actions, is for officers and admins (DESIGN.md §9).
"""

from __future__ import annotations

import csv
import zoneinfo
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import TemplateView, View
from django.views.generic.base import ContextMixin, TemplateResponseMixin

from compliance import access, audit_log
from compliance.forms import AuditLogFilterForm
from facilities import access as facilities_access
from facilities import selectors as facilities_selectors
from facilities.access import OrganizationMixin, Role

PER_PAGE = 50


# --- One object's history --------------------------------------------------------------------


class ObjectHistoryView(OrganizationMixin, TemplateView):
    """The history of the object `get_object` finds in the organization of the URL (else 404),
    newest first, with readable field differences."""

    template_name = "compliance/audit_object_history.html"

    def get_object(self) -> models.Model:
        raise NotImplementedError

    def get_back_link(self, obj: Any) -> tuple[str, str]:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj = self.get_object()
        model = type(obj)
        entries = facilities_selectors.object_history(model, obj.pk, str(obj))
        back_url, back_label = self.get_back_link(obj)
        context.update(
            object=obj,
            kind=model._meta.verbose_name,
            entries=facilities_selectors.readable_history(entries, (model,)),
            back_url=back_url,
            back_label=back_label,
        )
        return context


class LicenseHistoryView(ObjectHistoryView):
    def get_object(self) -> models.Model:
        return facilities_access.get_license_for_user(self.request, self.kwargs["pk"])

    def get_back_link(self, obj: Any) -> tuple[str, str]:
        return obj.facility.get_absolute_url(), obj.facility.facility_name


class AccreditationHistoryView(ObjectHistoryView):
    def get_object(self) -> models.Model:
        return facilities_access.get_accreditation_for_user(self.request, self.kwargs["pk"])

    def get_back_link(self, obj: Any) -> tuple[str, str]:
        return obj.facility.get_absolute_url(), obj.facility.facility_name


class AttestationHistoryView(ObjectHistoryView):
    def get_object(self) -> models.Model:
        return access.get_attestation_for_user(self.request, self.kwargs["pk"])

    def get_back_link(self, obj: Any) -> tuple[str, str]:
        url = reverse(
            "compliance:attestation-detail",
            kwargs={"org": self.organization.slug, "pk": obj.pk},
        )
        return url, gettext("Attestation of %(code)s") % {"code": obj.requirement_code}


# --- The organization's audit log -------------------------------------------------------------


class _Echo:
    """A file-like object whose `write` hands back the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


class AuditLogView(OrganizationMixin, TemplateResponseMixin, ContextMixin, View):
    """`/o/<org>/audit/`: every change to the organization's records and every check run,
    newest first, filtered and paginated by keyset (`?before=<cursor>` from the page's "Older
    entries" link); `?_export=csv` streams the whole filtered log."""

    required_role = Role.OFFICER
    template_name = "compliance/audit_log.html"

    def get(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse | StreamingHttpResponse:
        form = AuditLogFilterForm(request.GET or None, organization=self.organization)
        valid = form.is_valid() if form.is_bound else True
        if not valid:
            return self.render_to_response(self.get_context_data(form=form, page=None))
        filters = form.filters() if form.is_bound else audit_log.AuditFilters()
        if request.GET.get("_export") == "csv":
            return self.export(filters)
        page = audit_log.audit_page(
            self.organization,
            filters,
            before=audit_log.Cursor.parse(request.GET.get("before", "")),
            per_page=PER_PAGE,
        )
        return self.render_to_response(self.get_context_data(form=form, page=page))

    def export(self, filters: audit_log.AuditFilters) -> StreamingHttpResponse:
        zone = zoneinfo.ZoneInfo(self.organization.time_zone)
        writer = csv.writer(_Echo())

        def lines() -> Iterator[Any]:
            yield writer.writerow([str(title) for title in audit_log.EXPORT_HEADER])
            for entry in audit_log.audit_export_entries(self.organization, filters):
                yield writer.writerow(audit_log.export_row(entry, zone))

        today = self.organization.today().isoformat()
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="audit-{self.organization.slug}-{today}.csv"'
        )
        return response
