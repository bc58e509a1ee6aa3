"""The officer's pages of the facility registry (STYLE.md, "Views, permissions, URLs").

Views are glue: the access helpers decide who may see what, a form cleans the input, one
service or selector does the work, and the view renders or redirects with a message. Lists are
generic class-based views; forms share `ServiceFormView`; one-shot actions are small functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from django_stubs_ext import StrOrPromise

from facilities.access import OrganizationMixin, Role
from facilities.forms import ServiceErrorsMixin


def call_service(form: ServiceErrorsMixin, service: Callable[[], object]) -> bool:
    """Run `service` and say whether it ran. If it refuses with a ValidationError, the error
    goes on `form`, at its field where the form has one, and nothing is saved."""
    try:
        service()
    except ValidationError as error:
        form.add_service_error(error)
        return False
    return True


class ServiceFormView(OrganizationMixin, FormView[Any]):
    """A form page under `/o/<org>/` whose valid data goes to one service (`perform`).

    A ValidationError from the service comes back to the form, which is shown again with
    nothing saved; on success the view redirects with a message.
    """

    required_role: str = Role.OFFICER
    template_name = "facilities/form_page.html"
    title: StrOrPromise = ""
    submit_label: StrOrPromise = ""
    success_message: StrOrPromise = ""

    def perform(self, form: Any) -> Any:
        """Call the service with the form's data and return what it saved."""
        raise NotImplementedError

    def get_title(self) -> str:
        return str(self.title)

    def get_success_message(self, result: Any) -> str:
        return str(self.success_message) % {"object": result}

    def get_success_redirect(self, result: Any) -> HttpResponse:
        return redirect(result.get_absolute_url())

    def get_cancel_url(self) -> str:
        return reverse("facilities:facility-list", kwargs={"org": self.organization.slug})

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            result = self.perform(form)
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message(result))
        return self.get_success_redirect(result)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.get_title(),
            submit_label=self.submit_label,
            cancel_url=self.get_cancel_url(),
        )
        return context
