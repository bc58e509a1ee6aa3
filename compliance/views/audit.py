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
import datetime
import zoneinfo
from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from django.views.generic.base import ContextMixin, TemplateResponseMixin

from compliance import access, audit_log
from facilities import access as facilities_access
from facilities import selectors as facilities_selectors
from facilities.access import OrganizationMixin, Role
from facilities.models import Organization, User

PER_PAGE = 50
# The days a date filter accepts: midnight of any of them, and of the day after the last, is an
# instant in every time zone (midnight of year 1 east of UTC, or of the day after 9999-12-31,
# is not one that Python can represent).
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(9998, 12, 31)


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


def validate_log_day(value: datetime.date) -> None:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="out_of_range",
            params={"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )


class AuditLogFilterForm(forms.Form):
    """The log's filters. Dates are days of the organization's time zone; a value that is not
    valid (an unknown user or model, a malformed date) is an error at its field."""

    user = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    model = forms.ChoiceField(label=_("Record type"), required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[
            ("", _("Any")),
            ("created", _("Created")),
            ("changed", _("Changed")),
            ("deleted", _("Deleted")),
            (audit_log.RUN, _("Check run")),
        ],
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        validators=[validate_log_day],
        widget=forms.DateInput(
            attrs={"type": "date", "min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}
        ),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        validators=[validate_log_day],
        widget=forms.DateInput(
            attrs={"type": "date", "min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}
        ),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        user_field: Any = self.fields["user"]
        user_field.queryset = audit_log.audit_users(organization)
        model_field: Any = self.fields["model"]
        model_field.choices = [("", _("Any")), *audit_log.model_choices()]

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        start, end = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned_data

    def filters(self) -> audit_log.AuditFilters:
        """The cleaned filters, with days turned into instants of the organization's zone."""
        zone = zoneinfo.ZoneInfo(self.organization.time_zone)
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")

        def midnight(day: datetime.date) -> datetime.datetime:
            return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)

        return audit_log.AuditFilters(
            user=self.cleaned_data.get("user"),
            model=self.cleaned_data.get("model") or "",
            action=self.cleaned_data.get("action") or "",
            start=midnight(start) if start else None,
            end=midnight(end + datetime.timedelta(days=1)) if end else None,
        )


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
