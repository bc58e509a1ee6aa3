"""Expiries: the page of filing deadlines (filters, sort, CSV/XLSX export, renew links), the
organization's token-protected iCalendar feed, and the rotation of its token."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlencode

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from compliance import deadlines as deadlines_module
from compliance.deadlines import BUCKET_LABELS, KIND_LABELS, Deadline
from compliance.filters import ExpiryFilterForm, filter_deadlines
from compliance.forms import CalendarRotateForm
from compliance.tables import ExpiryTable
from facilities import selectors as facility_selectors
from facilities import services as facility_services
from facilities.access import OrganizationMixin, Role, current_membership, organization_view
from facilities.exports import SafeTableExport
from facilities.models import Organization

# What `new_calendar_token` makes (URL-safe base64); anything else is not looked up at all.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")

# Query parameters that are not filters: with only these, the member's default filter applies.
_NOT_FILTERS = {"sort", "page", "_export", "all", "default"}


class ExpiryListView(OrganizationMixin, ExportMixin, SingleTableMixin, TemplateView):  # type: ignore[misc]
    """Every licence, accreditation and attestation in a deadline bucket (filing overdue,
    0-30, 31-60, 61-90 days, lapsed, awaiting the authority), filtered by kind, bucket,
    country, state, facility type and responsible member, sorted by date, exported as shown
    (`?_export=csv` or `xlsx`). Opened without filters, the member's default country/state
    applies (`?all=1` shows everything)."""

    template_name = "compliance/expiries.html"
    table_class = ExpiryTable
    table_pagination = {"per_page": 50}
    export_formats = ("csv", "xlsx")
    export_class = SafeTableExport

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not set(request.GET) - _NOT_FILTERS and not request.GET.get("all"):
            defaults = facility_selectors.default_filters(self.membership)
            if defaults and not request.GET.get("default"):
                query = {**request.GET.dict(), **defaults, "default": "1"}
                return redirect(f"{request.path}?{urlencode(query)}")
        response: HttpResponse = super().get(request, *args, **kwargs)
        return response

    def filter_form(self) -> ExpiryFilterForm:
        if not hasattr(self, "_filter_form"):
            data = {k: v for k, v in self.request.GET.items() if k not in _NOT_FILTERS}
            self._filter_form = ExpiryFilterForm(data or None, organization=self.organization)
        return self._filter_form

    def all_deadlines(self) -> list[Deadline]:
        if not hasattr(self, "_deadlines"):
            self._deadlines = deadlines_module.organization_deadlines(self.organization)
        return self._deadlines

    def get_table_data(self) -> list[Deadline]:
        form = self.filter_form()
        filters = form.valid_filters() if form.is_bound else {}
        return filter_deadlines(self.all_deadlines(), filters)

    def get_table_kwargs(self) -> dict[str, Any]:
        members = facility_selectors.members_of(self.organization)
        return {
            "organization": self.organization,
            "responsible_names": {m.pk: m.user.get_full_name() or m.user.username for m in members},
            "can_edit": self.membership.has_role(Role.OFFICER),
        }

    def get_table_pagination(self, table: Any) -> Any:
        # An export holds every filtered row, not one page of them.
        if self.request.GET.get(self.export_trigger_param):
            return False
        return super().get_table_pagination(table)

    def get_export_filename(self, export_format: str) -> str:
        today = self.organization.today().isoformat()
        return f"expiries-{self.organization.slug}-{today}.{export_format}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        form = self.filter_form()
        counts = deadlines_module.bucket_counts(self.get_table_data())
        context.update(
            filter_form=form,
            filter_errors=form.is_bound and bool(form.errors),
            bucket_counts=[(BUCKET_LABELS[b], counts[b]) for b in deadlines_module.Bucket],
            kind_labels=KIND_LABELS,
            today=self.organization.today(),
            default_place=self.request.GET.get("default") == "1",
        )
        if self.membership.has_role(Role.ADMIN):
            context["feed_url"] = self.request.build_absolute_uri(
                reverse("calendar-feed", kwargs={"token": self.organization.calendar_token})
            )
            context["rotate_form"] = CalendarRotateForm()
        return context


@require_POST
@organization_view(Role.ADMIN)
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    """Give the calendar feed a new address (admins; POST with a reason)."""
    membership = current_membership(request)
    form = CalendarRotateForm(request.POST)
    target = reverse("compliance:expiries", kwargs={"org": membership.organization.slug})
    if not form.is_valid():
        messages.error(request, gettext("Give a reason to change the calendar address."))
        return redirect(f"{target}?all=1#calendar")
    try:
        facility_services.organization_rotate_calendar_token(
            actor=membership.user,
            organization=membership.organization,
            via="web",
            note=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext(
                "The calendar has a new address: the old one no longer works. Subscribe "
                "again with the new one."
            ),
        )
    return redirect(f"{target}?all=1#calendar")


def _event(
    *,
    uid: str,
    day: datetime.date,
    summary: str,
    description: str,
    url: str,
    stamp: datetime.datetime,
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def calendar_for(organization: Organization, *, base_url: str) -> icalendar.Calendar:
    """The organization's deadlines as an iCalendar: one all-day event per must-file-by date
    and one per expiry date. UIDs name the organization, the item and the kind of date, so a
    calendar client updates an event whose date moved instead of adding another."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//HIMS Compliance//Expiries//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", gettext("%(name)s: deadlines") % {"name": organization.name})
    calendar.add("x-wr-timezone", organization.time_zone)
    stamp = timezone.now()
    for deadline in deadlines_module.organization_deadlines(organization):
        where = deadline.facility_name or gettext("whole organization")
        item = f"{deadline.reference} ({where})"
        uid = f"{organization.pk}-{deadline.kind.value}-{deadline.item_id}"
        url = f"{base_url}{deadline.renew_url}"
        calendar.add_component(
            _event(
                uid=f"{uid}-file-by@hims-compliance",
                day=deadline.file_by,
                summary=gettext("File renewal: %(item)s") % {"item": item},
                description=gettext("Must be filed by %(file_by)s; expires on %(expires)s.")
                % {"file_by": deadline.file_by, "expires": deadline.expires_on},
                url=url,
                stamp=stamp,
            )
        )
        calendar.add_component(
            _event(
                uid=f"{uid}-expiry@hims-compliance",
                day=deadline.expires_on,
                summary=gettext("Expires: %(item)s") % {"item": item},
                description=gettext("Valid through %(expires)s.")
                % {"expires": deadline.expires_on},
                url=url,
                stamp=stamp,
            )
        )
    return calendar


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed at the organization's secret address. Calendar clients cannot log
    in: the token alone identifies the organization; an unknown or rotated token is a 404."""
    organization = (
        Organization.objects.filter(calendar_token=token, is_active=True).first()
        if _TOKEN.fullmatch(token)
        else None
    )
    if organization is None:
        raise Http404(gettext("No such calendar."))
    base_url = request.build_absolute_uri("/").rstrip("/")
    calendar = calendar_for(organization, base_url=base_url)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{organization.slug}-deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
