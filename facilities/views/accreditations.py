"""Accreditation pages: add an accreditation to a facility, edit it."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from facilities import access, services
from facilities.forms import AccreditationCreateForm, AccreditationEditForm
from facilities.models import Accreditation
from facilities.views import ServiceFormView
from facilities.views.facilities import FacilityMixin


class AccreditationCreateView(FacilityMixin, ServiceFormView):
    for_write = True
    form_class = AccreditationCreateForm
    submit_label = _("Add accreditation")
    success_message = _("Accreditation “%(object)s” added.")

    def get_title(self) -> str:
        return gettext("Add an accreditation to %(facility)s") % {"facility": self.facility}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "facility": self.facility}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(facility=self.facility, **kwargs)

    def perform(self, form: AccreditationCreateForm) -> Accreditation:
        return services.accreditation_create(
            actor=self.membership.user,
            facility=self.facility,
            data=form.service_data(),
            via="web",
            note=form.history_note(),
        )


class AccreditationEditView(ServiceFormView):
    form_class = AccreditationEditForm
    submit_label = _("Save")
    success_message = _("Accreditation “%(object)s” saved.")

    @cached_property
    def accreditation(self) -> Accreditation:
        return access.get_accreditation_for_user(self.request, self.kwargs["pk"], for_write=True)

    def get_cancel_url(self) -> str:
        return self.accreditation.facility.get_absolute_url()

    def get_title(self) -> str:
        return gettext("Edit accreditation %(accreditation)s") % {
            "accreditation": self.accreditation
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        return {**kwargs, "facility": self.accreditation.facility, "instance": self.accreditation}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(facility=self.accreditation.facility, **kwargs)

    def perform(self, form: AccreditationEditForm) -> Accreditation:
        return services.accreditation_update(
            actor=self.membership.user,
            accreditation=self.accreditation,
            data=form.service_data(),
            via="web",
            note=form.history_note(),
        )
