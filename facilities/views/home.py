"""The organization chooser, and the entry point of one organization."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from facilities import selectors
from facilities.access import current_membership, organization_view
from facilities.models import User
from geography.selectors import countries_with_coverage


def home(request: HttpRequest) -> HttpResponse:
    # LoginRequiredMiddleware lets only signed-in users through.
    user = cast(User, request.user)
    context = {
        "memberships": selectors.memberships_of_user(user).order_by("organization__name"),
        "countries": countries_with_coverage(),
    }
    return render(request, "facilities/home.html", context)


@organization_view()
def organization_home(request: HttpRequest) -> HttpResponse:
    # The organization's dashboard will live here; until then its facilities are the start.
    organization = current_membership(request).organization
    return redirect("facilities:facility-list", org=organization.slug)
