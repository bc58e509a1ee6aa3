"""A member's own preferences: expiry reminders and the default place filter of their pages.
Every active member has the page, for their own membership of the organization in the URL."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from facilities import services
from facilities.access import Role
from facilities.forms import PreferencesForm
from facilities.models import Membership
from facilities.views import ServiceFormView


class PreferencesView(ServiceFormView):
    required_role = Role.VIEWER
    form_class = PreferencesForm
    template_name = "facilities/preferences.html"
    title = _("Your preferences")
    submit_label = _("Save preferences")
    success_message = _("Your preferences are saved.")

    def get_initial(self) -> dict[str, Any]:
        return PreferencesForm.initial_for(self.membership)

    def perform(self, form: PreferencesForm) -> Membership:
        return services.membership_preferences_update(
            actor=self.membership.user,
            membership=self.membership,
            data=form.service_data(),
            via="web",
        )

    def get_success_redirect(self, result: Any) -> HttpResponse:
        return redirect(self.request.path)
