"""The organization's dashboard (its home page, `/o/<org>/`): where its facilities stand,
place by place, what must be filed soon, which requirements fail most often, and a button to
check everything again in the background."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.views.generic import TemplateView

from compliance import charts, dashboard
from compliance.deadlines import organization_deadlines
from facilities.access import OrganizationMixin


class DashboardView(OrganizationMixin, TemplateView):
    """`?country=US&state=US-CA` drills the roll-up down (ISO codes); without either, the
    member's default state or country (their preferences) pre-filters it, and `?country=`
    (empty) shows every country. The status counts, deadlines and top problems are always the
    whole organization's."""

    template_name = "compliance/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        organization, today = self.organization, self.organization.today()
        place = dashboard.resolve_place(
            self.request.GET.dict(), self.membership, default_applies=True
        )
        if place.error:
            messages.warning(self.request, place.error)
        deadlines = organization_deadlines(organization, today=today)
        months = dashboard.deadlines_by_month(deadlines, today)
        context.update(
            today=today,
            statuses=dashboard.status_counts(organization, today),
            rollup=dashboard.rollup(organization, place),
            buckets=dashboard.deadline_buckets(organization, deadlines),
            problems=dashboard.top_problems(organization),
            status_chart=charts.status_by_state_chart(
                dashboard.status_by_state(organization, place.country)
            ),
            month_chart=charts.deadlines_by_month_chart(months),
            expiries_url=dashboard.expiries_url(organization),
        )
        return context
