"""Filters of the facility list (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.dashboard import filter_by_compliance_status, status_filter_choices
from compliance.regulations import identifiers, vocabularies
from facilities.models import Facility
from geography.models import Country, District, State

IDENTIFIER_FIELDS = tuple(name for name, _country, _kind in Facility.IDENTIFIERS)


def _translated(terms: tuple[vocabularies.Term, ...]) -> list[tuple[str, str]]:
    return [(term.code, gettext(term.label)) for term in terms]


def _pk(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class FacilityFilter(django_filters.FilterSet):  # type: ignore[misc]
    """Search by name or identifier and narrow by place, type, ownership and status.

    The state choices are those of the chosen country; the district filter is offered only once
    a state is chosen, with that state's districts.
    """

    q = django_filters.CharFilter(
        label=_("Name or identifier"),
        method="search",
        help_text=_("An NPI, CCN, CNES, CNPJ or HFR ID may be typed as printed."),
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country"), queryset=Country.objects.all(), empty_label=_("Any country")
    )
    state = django_filters.ModelChoiceFilter(
        label=_("State"), queryset=State.objects.none(), empty_label=_("Any state")
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=District.objects.none(), empty_label=_("Any district")
    )
    facility_type = django_filters.ChoiceFilter(label=_("Type"), empty_label=_("Any type"))
    ownership = django_filters.ChoiceFilter(label=_("Ownership"), empty_label=_("Any ownership"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Facility.Status.choices, empty_label=_("Any status")
    )
    compliance_status = django_filters.ChoiceFilter(
        label=_("Compliance"),
        method="filter_compliance_status",
        empty_label=_("Any compliance status"),
        help_text=_("The status of the latest current check."),
    )

    class Meta:
        model = Facility
        fields = (
            "q",
            "country",
            "state",
            "district",
            "facility_type",
            "ownership",
            "status",
            "compliance_status",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data = self.data or {}
        country, state = _pk(data.get("country")), _pk(data.get("state"))
        self.filters["facility_type"].extra["choices"] = _translated(vocabularies.FACILITY_TYPES)
        self.filters["ownership"].extra["choices"] = _translated(vocabularies.OWNERSHIP)
        self.filters["compliance_status"].extra["choices"] = status_filter_choices()
        if country:
            self.filters["state"].queryset = State.objects.filter(country_id=country)
        if country and state:
            self.filters["district"].queryset = District.objects.filter(
                state_id=state, state__country_id=country
            )
        else:
            del self.filters["district"]

    def filter_compliance_status(
        self, queryset: QuerySet[Facility], name: str, value: str
    ) -> QuerySet[Facility]:
        return filter_by_compliance_status(queryset, value) if value else queryset

    def search(self, queryset: QuerySet[Facility], name: str, value: str) -> QuerySet[Facility]:
        value = value.strip()
        if not value:
            return queryset
        match = Q(facility_name__icontains=value)
        # Identifiers are stored normalised: "11.222.333/0001-81" finds 11222333000181.
        normalized = identifiers.normalize(value)
        if normalized:
            for field in IDENTIFIER_FIELDS:
                match |= Q(**{f"{field}__contains": normalized})
        return queryset.filter(match)
