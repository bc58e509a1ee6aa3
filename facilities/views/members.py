"""Member pages, for organization admins: the list, adding a member, changing a role,
deactivating a member, and one member's history."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from django_tables2 import SingleTableView

from facilities import access, selectors, services
from facilities.access import OrganizationMixin, Role, organization_view
from facilities.forms import MemberAddForm, MemberDeactivateForm, MemberRoleForm
from facilities.models import Membership
from facilities.tables import MemberTable
from facilities.views import ServiceFormView, call_service


class MemberListView(OrganizationMixin, SingleTableView):  # type: ignore[misc]
    required_role = Role.ADMIN
    template_name = "facilities/member_list.html"
    table_class = MemberTable
    table_pagination = {"per_page": 50}

    def get_queryset(self) -> Any:
        return selectors.members_of(self.organization)

    def get_table_kwargs(self) -> dict[str, Any]:
        return {"organization": self.organization}


class MemberFormView(ServiceFormView):
    required_role = Role.ADMIN

    def get_success_redirect(self, result: Any) -> HttpResponse:
        return redirect(self.get_cancel_url())

    def get_cancel_url(self) -> str:
        return reverse("facilities:member-list", kwargs={"org": self.organization.slug})


class MemberAddView(MemberFormView):
    form_class = MemberAddForm
    title = _("Add a member")
    submit_label = _("Add member")

    def perform(self, form: MemberAddForm) -> Membership:
        return services.membership_add(
            actor=self.membership.user,
            organization=self.organization,
            user_identifier=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
            via="web",
            note=form.cleaned_data["note"],
        )

    def get_success_message(self, result: Membership) -> str:
        return gettext("%(user)s is now a member (%(role)s).") % {
            "user": result.user,
            "role": result.get_role_display(),
        }


class MemberMixin:
    kwargs: dict[str, Any]
    request: HttpRequest

    @cached_property
    def member(self) -> Membership:
        return access.get_member_for_admin(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(  # type: ignore[misc]
            member=self.member, **kwargs
        )
        return context


class MemberRoleView(MemberMixin, MemberFormView):
    form_class = MemberRoleForm
    submit_label = _("Change role")

    def get_success_message(self, result: Membership) -> str:
        return gettext("%(user)s is now %(role)s.") % {
            "user": result.user,
            "role": result.get_role_display(),
        }

    def get_title(self) -> str:
        return gettext("Change the role of %(user)s") % {"user": self.member.user}

    def get_initial(self) -> dict[str, Any]:
        return {"role": self.member.role}

    def perform(self, form: MemberRoleForm) -> Membership:
        return services.membership_change_role(
            actor=self.membership.user,
            membership=self.member,
            role=form.cleaned_data["role"],
            via="web",
            note=form.cleaned_data["note"],
        )


class MemberHistoryView(MemberMixin, OrganizationMixin, TemplateView):
    required_role = Role.ADMIN
    template_name = "facilities/member_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        entries = selectors.membership_history(self.member)
        return super().get_context_data(
            entries=selectors.readable_history(entries, (Membership,)), **kwargs
        )


@require_http_methods(["GET", "POST"])
@organization_view(Role.ADMIN)
def member_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate a member: the membership stays, with its history, and grants nothing."""
    membership = access.current_membership(request)
    member = access.get_member_for_admin(request, pk)
    form = MemberDeactivateForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and call_service(
        form,
        lambda: services.membership_deactivate(
            actor=membership.user, membership=member, via="web", note=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, gettext("%(user)s was deactivated.") % {"user": member.user})
        return redirect("facilities:member-list", org=membership.organization.slug)
    title = gettext("Deactivate %(user)s") % {"user": member.user}
    context = {
        **access.organization_context(membership),
        "form": form,
        "member": member,
        "title": title,
        "submit_label": gettext("Deactivate"),
        "cancel_url": reverse(
            "facilities:member-list", kwargs={"org": membership.organization.slug}
        ),
    }
    return render(request, "facilities/form_page.html", context)
