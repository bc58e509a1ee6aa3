"""The organization chooser, and the entry point of one organization."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from compliance.views.dashboard import DashboardView
from facilities import selectors
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


# The organization's home page is its dashboard (the top layer may use the other app's views).
organization_home = DashboardView.as_view()
