"""Check runs started from the web: start one (every active facility, or those of the filtered
facility list), follow its progress, list the recent ones. All state is in the CheckRun row, so
the progress page survives a reload; the JSON progress endpoint is polled by
static/js/run_progress.js."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import TemplateView

from compliance import access, engine, services
from compliance.models import CheckRun
from compliance.tasks import RUN_ERROR
from facilities.access import (
    OrganizationMixin,
    Role,
    current_membership,
    organization_context,
    organization_view,
)
from facilities.filters import FacilityFilter
from facilities.models import Facility, Organization

RECENT_RUNS = 50
CHECKS_PER_PAGE = 50
_STATUSES = ("compliant", "pending", "non_compliant")


def _list_filters(data: QueryDict) -> dict[str, str]:
    """The facility list's filters among the parameters (the last value of each, as
    django-filter reads). Only its FilterSet's own filters count: its page, sort, `all` and
    `default` flags and the CSRF token do not."""
    names = FacilityFilter(data, queryset=Facility.objects.none()).filters
    filters = {}
    for key in names:
        value = data.get(key, "")
        if isinstance(value, str) and value.strip():
            filters[key] = value
    return filters


def _facility_count(organization: Organization, run_filters: dict[str, Any]) -> int | None:
    """How many active facilities a run with these filters checks, or None when one of the
    list's filters is not valid."""
    try:
        return engine.facilities_to_check(organization, run_filters).count()
    except engine.CheckRequestError:
        return None


@require_http_methods(["GET", "POST"])
@organization_view(Role.OFFICER)
def run_start(request: HttpRequest) -> HttpResponse:
    """Check every active facility (no filter), or the active facilities of the filtered
    facility list (its filters as parameters), in the background. GET asks to confirm, with
    the number of facilities; POST starts the run and shows its progress."""
    membership = current_membership(request)
    organization = membership.organization
    data = request.POST if request.method == "POST" else request.GET
    filters = _list_filters(data)
    list_url = reverse("facilities:facility-list", kwargs={"org": organization.slug})
    # The list's filters, resolved again when the run executes: never its facilities' ids,
    # which may be more than a query can bind.
    run_filters: dict[str, Any] = {"list": filters} if filters else {}
    count = _facility_count(organization, run_filters)
    if count is None:
        messages.error(request, gettext("Some filters are not valid: nothing was checked."))
        return redirect(list_url)
    if request.method == "GET":
        context = {
            **organization_context(membership),
            "filters": filters,
            "count": count,
            "list_url": f"{list_url}?{data.urlencode()}" if filters else list_url,
        }
        return render(request, "compliance/run_start.html", context)
    try:
        run = services.check_run_start(
            actor=membership.user, organization=organization, filters=run_filters, via="web"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(list_url)
    messages.success(
        request,
        gettext("Checking %(count)d facilities in the background.") % {"count": run.total},
    )
    return redirect("compliance:run-detail", org=organization.slug, pk=run.pk)


def progress_data(run: CheckRun) -> dict[str, Any]:
    """What the progress page shows, as JSON for its poller."""
    return {
        "id": run.pk,
        "status": run.status,
        "status_label": str(run.get_status_display()),
        "checked": run.checked,
        "total": run.total,
        "percent": round(100 * run.checked / run.total) if run.total else 100,
        "counts": {status: run.counts.get(status, 0) for status in _STATUSES},
        "done": run.status in (CheckRun.Status.FINISHED, CheckRun.Status.FAILED),
        # Never the stored text itself: a run that failed before it was made generic kept
        # the exception's own text.
        "error": gettext(RUN_ERROR) if run.error else "",
    }


class RunDetailView(OrganizationMixin, TemplateView):
    """A run's status, progress and counts, and (once it has any) its checks, page by page."""

    template_name = "compliance/run_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run = access.get_run_for_user(self.request, self.kwargs["pk"])
        checks = run.checks.select_related("facility").order_by("facility__facility_name", "pk")
        page = Paginator(checks, CHECKS_PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(
            run=run,
            progress=progress_data(run),
            page_obj=page,
            progress_url=reverse(
                "compliance:run-progress", kwargs={"org": self.organization.slug, "pk": run.pk}
            ),
        )
        return context


@require_GET
@organization_view()
def run_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """The run's progress as JSON, polled every 2 seconds by the progress page."""
    run = access.get_run_for_user(request, pk)
    response = JsonResponse(progress_data(run))
    response["Cache-Control"] = "no-store"
    return response


class RunListView(OrganizationMixin, TemplateView):
    """The organization's most recent runs, newest first."""

    template_name = "compliance/run_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        runs = (
            CheckRun.objects.filter(organization=self.organization)
            .select_related("actor")
            .order_by("-created_at", "-pk")[:RECENT_RUNS]
        )
        context.update(runs=runs, limit=RECENT_RUNS)
        return context
