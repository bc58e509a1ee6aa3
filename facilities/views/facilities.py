"""Facility pages: the list with its filters and exports, the detail, the history, the form,
closing and reopening."""

from __future__ import annotations

from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from compliance import selectors as compliance_selectors
from facilities import access, selectors, services
from facilities.access import OrganizationMixin, Role, organization_view
from facilities.exports import SafeTableExport
from facilities.filters import FacilityFilter
from facilities.forms import FacilityCloseForm, FacilityForm, FacilityReopenForm
from facilities.models import Accreditation, Facility, FacilityLicense, Membership
from facilities.tables import AccreditationTable, FacilityTable, LicenseTable
from facilities.views import ServiceFormView, call_service


class FacilityListView(OrganizationMixin, ExportMixin, SingleTableMixin, FilterView):  # type: ignore[misc]
    """The organization's facilities, filtered, sorted, paginated, and exported as filtered
    (`?_export=csv` or `xlsx`). Filter values that are not valid empty the list and are shown
    at their fields."""

    template_name = "facilities/facility_list.html"
    table_class = FacilityTable
    filterset_class = FacilityFilter
    table_pagination = {"per_page": 25}
    export_formats = ("csv", "xlsx")
    export_class = SafeTableExport

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Opened without a query string: apply the member's default place filter, as a query
        # string (marked `default`) so that sorting, pages and exports keep it.
        if not request.GET and (query := _default_filter_query(self.membership)):
            return redirect(f"{request.path}?{urlencode(query)}")
        response: HttpResponse = super().get(request, *args, **kwargs)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        has_default = bool(_default_filter_query(self.membership))
        context["clear_filters_query"] = "?all=1" if has_default else ""
        if has_default and self.request.GET.get("default"):
            country, state = selectors.default_place(self.membership)
            context["default_place"] = ", ".join(str(place) for place in (country, state) if place)
        return context

    def get_queryset(self) -> Any:
        return selectors.facility_list(self.organization)

    def get_table_kwargs(self) -> dict[str, Any]:
        return {"today": self.organization.today()}

    def get_table_pagination(self, table: Any) -> Any:
        # An export holds every filtered row, not one page of them.
        if self.request.GET.get(self.export_trigger_param):
            return False
        return super().get_table_pagination(table)

    def get_export_filename(self, export_format: str) -> str:
        today = self.organization.today().isoformat()
        return f"facilities-{self.organization.slug}-{today}.{export_format}"


def _default_filter_query(membership: Membership) -> dict[str, Any]:
    """The facility filter's query for the member's default country and state (see
    `selectors.default_filters`), or nothing when the member has none."""
    if membership.default_country_id is None:
        return {}
    query: dict[str, Any] = {"country": membership.default_country_id}
    if membership.default_state_id is not None:
        query["state"] = membership.default_state_id
    return {**query, "default": 1}


class FacilityMixin(OrganizationMixin):
    """Loads the facility of the URL through the access helper."""

    for_write = False
    kwargs: dict[str, Any]
    request: HttpRequest

    @cached_property
    def facility(self) -> Facility:
        pk = self.kwargs["pk"]
        return access.get_facility_for_user(self.request, pk, for_write=self.for_write)

    def get_cancel_url(self) -> str:
        return self.facility.get_absolute_url()


class FacilityDetailView(FacilityMixin, TemplateView):
    template_name = "facilities/facility_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        facility, today = self.facility, self.organization.today()
        tables = {
            "organization": self.organization,
            "today": today,
            "can_edit": context["can_edit"],
        }
        context.update(
            facility=facility,
            labels=selectors.facility_labels(facility),
            identifiers=selectors.identifier_states(facility),
            license_table=LicenseTable(selectors.licenses_of(facility), **tables),
            accreditation_table=AccreditationTable(selectors.accreditations_of(facility), **tables),
            # The top layer may read the other app's selectors (DESIGN §3).
            latest_check=compliance_selectors.latest_check(facility),
            tab="overview",
        )
        return context


class FacilityHistoryView(FacilityMixin, TemplateView):
    template_name = "facilities/facility_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entries = selectors.facility_history(self.facility)
        context.update(
            facility=self.facility,
            entries=selectors.readable_history(entries, (Facility, FacilityLicense, Accreditation)),
            tab="history",
        )
        return context


class FacilityFormView(ServiceFormView):
    """The facility form. "Update choices" (`_refresh`) re-renders it with the state and
    district choices narrowed to what was picked, saving nothing and showing no errors."""

    form_class = FacilityForm
    template_name = "facilities/facility_form.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if "_refresh" in request.POST:
            return self.render_to_response(self.get_context_data(form=form.refreshed()))
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)


class FacilityCreateView(FacilityFormView):
    title = _("New facility")
    submit_label = _("Create facility")
    success_message = _("Facility “%(object)s” created.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": Facility(organization=self.organization)}

    def perform(self, form: FacilityForm) -> Facility:
        return services.facility_create(
            actor=self.membership.user,
            organization=self.organization,
            data=form.service_data(),
            via="web",
            note=form.history_note(),
        )


class FacilityEditView(FacilityMixin, FacilityFormView):
    for_write = True
    submit_label = _("Save")
    success_message = _("Facility “%(object)s” saved.")

    def get_title(self) -> str:
        return gettext("Edit %(facility)s") % {"facility": self.facility}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.facility}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(facility=self.facility, **kwargs)

    def perform(self, form: FacilityForm) -> Facility:
        return services.facility_update(
            actor=self.membership.user,
            facility=self.facility,
            data=form.service_data(),
            via="web",
            note=form.history_note(),
        )


def _status_page(request: HttpRequest, facility: Facility, form: Any, title: str) -> HttpResponse:
    context = {
        **access.organization_context(access.current_membership(request)),
        "facility": facility,
        "form": form,
        "title": title,
        "submit_label": title,
        "cancel_url": facility.get_absolute_url(),
    }
    return render(request, "facilities/form_page.html", context)


@require_http_methods(["GET", "POST"])
@organization_view(Role.OFFICER)
def facility_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a facility (it drops out of checks and reminders), with the date and a reason."""
    membership = access.current_membership(request)
    facility = access.get_facility_for_user(request, pk, for_write=True)
    form = FacilityCloseForm(
        request.POST if request.method == "POST" else None,
        initial={"closed_on": membership.organization.today()},
    )
    if form.is_valid() and call_service(
        form,
        lambda: services.facility_close(
            actor=membership.user,
            facility=facility,
            closed_on=form.cleaned_data["closed_on"],
            via="web",
            note=form.cleaned_data["reason"],
        ),
    ):
        messages.success(request, gettext("Facility “%(name)s” closed.") % {"name": facility})
        return redirect(facility)
    return _status_page(request, facility, form, gettext("Close facility"))


@require_http_methods(["GET", "POST"])
@organization_view(Role.OFFICER)
def facility_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.current_membership(request)
    facility = access.get_facility_for_user(request, pk, for_write=True)
    form = FacilityReopenForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and call_service(
        form,
        lambda: services.facility_reopen(
            actor=membership.user, facility=facility, via="web", note=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, gettext("Facility “%(name)s” reopened.") % {"name": facility})
        return redirect(facility)
    return _status_page(request, facility, form, gettext("Reopen facility"))
