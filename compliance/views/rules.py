"""Custom rules: every member reads the list and the history; organization admins create,
edit, dry-run, activate and deactivate them."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_tables2 import SingleTableView

from compliance import access, selectors, services
from compliance.forms import CustomRuleForm
from compliance.models import CustomComplianceRule
from compliance.tables import CustomRuleTable
from compliance.views import ComplianceFormView
from facilities import access as facilities_access
from facilities.access import OrganizationMixin, Role, organization_view


class RuleListView(OrganizationMixin, SingleTableView):  # type: ignore[misc]
    template_name = "compliance/rule_list.html"
    table_class = CustomRuleTable
    table_pagination = {"per_page": 50}

    def get_queryset(self) -> Any:
        return selectors.rules_for(self.organization).order_by("code")


class RuleFormView(ComplianceFormView):
    """The rule form. "Dry run" (`_dry_run`) validates it and shows what the rule would say
    for each active facility today, saving nothing; "Update choices" (`_refresh`) narrows the
    state choices to the chosen country."""

    required_role = Role.ADMIN
    form_class = CustomRuleForm
    template_name = "compliance/rule_form.html"
    submit_label = _("Save rule")
    rule: CustomComplianceRule | None = None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        return {**kwargs, "organization": self.organization, "rule": self.rule}

    def get_cancel_url(self) -> str:
        return reverse("compliance:rule-list", kwargs={"org": self.organization.slug})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if "_refresh" in request.POST:
            return self.render_to_response(self.get_context_data(form=form.refreshed()))
        if not form.is_valid():
            return self.form_invalid(form)
        if "_dry_run" in request.POST:
            return self.dry_run(form)
        return self.form_valid(form)

    def dry_run(self, form: CustomRuleForm) -> HttpResponse:
        try:
            rows = services.custom_rule_dry_run(
                organization=self.organization,
                logic=form.cleaned_data["logic"],
                **form.dry_run_scope(),
            )
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(form=form, dry_run=rows))

    def perform(self, form: CustomRuleForm) -> CustomComplianceRule:
        return services.custom_rule_save(
            actor=self.membership.user,
            organization=self.organization,
            data=form.service_data(),
            rule=self.rule,
            via="web",
            note=form.cleaned_data["note"],
        )

    def get_success_redirect(self, result: CustomComplianceRule) -> HttpResponse:
        return redirect(self.get_cancel_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(rule=self.rule, **kwargs)


class RuleCreateView(RuleFormView):
    title = _("New custom rule")
    success_message = _("Rule “%(object)s” created. It is inactive until you activate it.")


class RuleEditView(RuleFormView):
    success_message = _("Rule “%(object)s” saved.")

    @cached_property
    def rule(self) -> CustomComplianceRule:  # type: ignore[override]
        return access.get_rule_for_user(self.request, self.kwargs["pk"], for_write=True)

    def get_title(self) -> str:
        return gettext("Edit rule %(code)s") % {"code": self.rule.code}


def _set_active(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    membership = facilities_access.current_membership(request)
    rule = access.get_rule_for_user(request, pk, for_write=True)
    services.custom_rule_set_active(actor=membership.user, rule=rule, active=active, via="web")
    message = (
        gettext("Rule %(code)s is active: the next checks apply it.")
        if active
        else gettext("Rule %(code)s is inactive: checks no longer apply it.")
    )
    messages.success(request, message % {"code": rule.code})
    return redirect("compliance:rule-list", org=membership.organization.slug)


@require_POST
@organization_view(Role.ADMIN)
def rule_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)


@require_POST
@organization_view(Role.ADMIN)
def rule_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


class RuleHistoryView(OrganizationMixin, TemplateView):
    template_name = "compliance/rule_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rule = access.get_rule_for_user(self.request, self.kwargs["pk"])
        context.update(rule=rule, entries=selectors.rule_history(rule))
        return context
