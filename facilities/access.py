"""Who may see and change what, in one place.

The organization comes from the URL (`/o/<org>/...`). A user who is not an active member of it
gets a 404, exactly as for an organization that does not exist, so nothing reveals that another
organization's object exists. A member whose role is too low for the view gets a 403. Views
declare the role they need (`required_role` on a class, `@organization_view(role)` on a
function); object lookups go through the per-model helpers below, which are scoped to the
organization of the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from facilities import selectors
from facilities.models import Accreditation, Facility, FacilityLicense, Membership, Organization

Role = Membership.Role
V = TypeVar("V", bound=Callable[..., HttpResponse])


def membership_for(request: HttpRequest, org_slug: str) -> Membership:
    """The user's active membership of the organization in the URL, or 404."""
    membership = (
        Membership.objects.select_related("organization", "user")
        .filter(
            organization__slug=org_slug,
            organization__is_active=True,
            user_id=request.user.pk or 0,
            is_active=True,
        )
        .first()
    )
    if membership is None:
        raise Http404(_("No such organization."))
    return membership


def require_role(membership: Membership, role: str) -> None:
    if not membership.has_role(role):
        raise PermissionDenied(_("Your role in this organization does not allow this."))


def bind_organization(request: HttpRequest, org_slug: str, role: str) -> Membership:
    membership = membership_for(request, org_slug)
    require_role(membership, role)
    request.membership = membership  # type: ignore[attr-defined]
    request.organization = membership.organization  # type: ignore[attr-defined]
    return membership


def organization_view(role: str = Role.VIEWER) -> Callable[[V], V]:
    """Decorate a function view taking `org`: bind the membership, require `role`."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, org: str, *args: Any, **kwargs: Any) -> HttpResponse:
            bind_organization(request, org, role)
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


class OrganizationMixin:
    """For class-based views under `/o/<org>/`: bind the membership, require `required_role`."""

    required_role: str = Role.VIEWER
    membership: Membership
    organization: Organization

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.membership = bind_organization(request, kwargs.pop("org"), self.required_role)
        self.organization = self.membership.organization
        response: HttpResponse = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(organization_context(self.membership))
        return context


def current_membership(request: HttpRequest) -> Membership:
    """The membership bound by `organization_view` or `OrganizationMixin` for this request."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    return membership


def organization_context(membership: Membership) -> dict[str, Any]:
    """What every page under `/o/<org>/` gives its template: the organization, the membership,
    and what the role allows, decided here so that templates only render."""
    return {
        "organization": membership.organization,
        "membership": membership,
        "can_edit": membership.has_role(Role.OFFICER),
        "can_admin": membership.has_role(Role.ADMIN),
    }


def _check_write(request: HttpRequest, for_write: bool) -> Organization:
    membership = current_membership(request)
    if for_write:
        require_role(membership, Role.OFFICER)
    return membership.organization


def get_facility_for_user(request: HttpRequest, pk: int, *, for_write: bool = False) -> Facility:
    organization = _check_write(request, for_write)
    return get_object_or_404(selectors.facilities_for(organization), pk=pk)


def get_license_for_user(
    request: HttpRequest, pk: int, *, for_write: bool = False
) -> FacilityLicense:
    organization = _check_write(request, for_write)
    return get_object_or_404(selectors.licenses_for(organization), pk=pk)


def get_accreditation_for_user(
    request: HttpRequest, pk: int, *, for_write: bool = False
) -> Accreditation:
    organization = _check_write(request, for_write)
    return get_object_or_404(selectors.accreditations_for(organization), pk=pk)


def get_member_for_admin(request: HttpRequest, pk: int) -> Membership:
    membership = current_membership(request)
    require_role(membership, Role.ADMIN)
    return get_object_or_404(selectors.members_of(membership.organization), pk=pk)
