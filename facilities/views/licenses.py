"""Licence pages: add a licence to a facility, edit it, renew it for a new term."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from facilities import access, services
from facilities.forms import LicenseCreateForm, LicenseEditForm, LicenseRenewForm
from facilities.models import FacilityLicense
from facilities.views import ServiceFormView
from facilities.views.facilities import FacilityMixin


class LicenseCreateView(FacilityMixin, ServiceFormView):
    for_write = True
    form_class = LicenseCreateForm
    submit_label = _("Add licence")
    success_message = _("Licence “%(object)s” added.")

    def get_title(self) -> str:
        return gettext("Add a licence to %(facility)s") % {"facility": self.facility}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "facility": self.facility}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(facility=self.facility, **kwargs)

    def perform(self, form: LicenseCreateForm) -> FacilityLicense:
        return services.license_create(
            actor=self.membership.user,
            facility=self.facility,
            data=form.service_data(),
            via="web",
            note=form.history_note(),
        )


class LicenseMixin:
    """Loads the licence of the URL, for writing, through the access helper."""

    kwargs: dict[str, Any]
    request: Any

    @cached_property
    def license(self) -> FacilityLicense:
        return access.get_license_for_user(self.request, self.kwargs["pk"], for_write=True)

    def get_cancel_url(self) -> str:
        return self.license.facility.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(  # type: ignore[misc]
            facility=self.license.facility, license=self.license, **kwargs
        )
        return context


class LicenseEditView(LicenseMixin, ServiceFormView):
    form_class = LicenseEditForm
    submit_label = _("Save")
    success_message = _("Licence “%(object)s” saved.")

    def get_title(self) -> str:
        return gettext("Edit licence %(license)s") % {"license": self.license}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        return {**kwargs, "facility": self.license.facility, "instance": self.license}

    def perform(self, form: LicenseEditForm) -> FacilityLicense:
        return services.license_update(
            actor=self.membership.user,
            license=self.license,
            data=form.service_data(),
            via="web",
            note=form.history_note(),
        )


class LicenseRenewView(LicenseMixin, ServiceFormView):
    """Record the new term of a licence: a new row that renews it; the old row keeps its dates
    and is marked renewed."""

    form_class = LicenseRenewForm
    submit_label = _("Renew licence")
    success_message = _("Licence renewed: “%(object)s” is the new term.")

    def get_title(self) -> str:
        return gettext("Renew licence %(license)s") % {"license": self.license}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "license": self.license}

    def perform(self, form: LicenseRenewForm) -> FacilityLicense:
        return services.license_renew(
            actor=self.membership.user,
            license=self.license,
            data=form.service_data(),
            via="web",
            note=form.history_note(),
        )
