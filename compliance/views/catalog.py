"""The read-only catalog browser: the frameworks and requirements in code, as `manage.py
compliance_rules` lists them, filtered by jurisdiction and facility type."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from compliance import selectors
from compliance.catalog import jurisdictions
from compliance.regulations import registry, vocabularies
from facilities.access import OrganizationMixin


class CatalogFilterForm(forms.Form):
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), required=False)
    facility_type = forms.ChoiceField(label=_("Facility type"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = [  # type: ignore[attr-defined]
            ("", gettext("Any jurisdiction")),
            *[
                (code, gettext("Accreditation bodies (any country)") if code == "*" else code)
                for code in jurisdictions()
            ],
        ]
        self.fields["facility_type"].choices = [  # type: ignore[attr-defined]
            ("", gettext("Any type")),
            *[(t.code, gettext(t.label)) for t in vocabularies.FACILITY_TYPES],
        ]


class CatalogView(OrganizationMixin, TemplateView):
    """Filter values that are not in the catalog are reported in a message, and the whole
    catalog is shown."""

    template_name = "compliance/catalog.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = CatalogFilterForm(self.request.GET or None)
        filters = {"jurisdiction": "", "facility_type": ""}
        if form.is_bound and form.is_valid():
            filters.update(form.cleaned_data)
        elif form.is_bound:
            messages.warning(
                self.request,
                gettext("That filter is not in the catalog, so the whole catalog is shown."),
            )
            form = CatalogFilterForm()
        frameworks = selectors.catalog(**filters)
        context.update(
            form=form,
            frameworks=frameworks,
            requirement_count=sum(len(section.requirements) for section in frameworks),
            rules_version=registry.rules_version(),
        )
        return context
