"""Filters of the compliance pages (django-filter)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance.deadlines import BUCKET_LABELS, KIND_LABELS, Deadline
from compliance.regulations import vocabularies
from facilities.models import Membership, Organization
from geography.models import Country, State

# --- Expiries page ----------------------------------------------------------------------------
# Deadlines are computed (compliance.deadlines), not a queryset, so the expiries page filters
# them with a plain form rather than a django-filter FilterSet.


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.get_full_name() or obj.user.username


class ExpiryFilterForm(forms.Form):
    """Filters of the expiries page. Countries and states are given by ISO code (`US`,
    `US-CA`), as the member's default filter is; a value that is not valid is ignored and
    reported next to its field, never a server error."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "---------"), *KIND_LABELS.items()]
    )
    bucket = forms.ChoiceField(
        label=_("Deadline"), required=False, choices=[("", "---------"), *BUCKET_LABELS.items()]
    )
    country = forms.ModelChoiceField(
        label=_("Country"), required=False, queryset=Country.objects.all(), to_field_name="code"
    )
    state = forms.ModelChoiceField(
        label=_("State"),
        required=False,
        queryset=State.objects.select_related("country").order_by("country__code", "name"),
        to_field_name="code",
    )
    facility_type = forms.ChoiceField(
        label=_("Facility type"),
        required=False,
        choices=[("", "---------"), *vocabularies.choices(vocabularies.FACILITY_TYPES)],
    )
    responsible = MemberChoiceField(
        label=_("Responsible member"), required=False, queryset=Membership.objects.none()
    )

    def __init__(self, *args: object, organization: Organization, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["responsible"]
        if isinstance(field, MemberChoiceField):
            members = Membership.objects.filter(organization=organization)
            field.queryset = members.select_related("user")

    def valid_filters(self) -> dict[str, str]:
        """The filters that are valid, as plain values; invalid ones are left out."""
        self.is_valid()
        values: dict[str, str] = {}
        for name in self.fields:
            if name in self.errors:
                continue
            value = self.cleaned_data.get(name)
            if not value:
                continue
            if isinstance(value, Country | State):
                values[name] = value.code
            elif isinstance(value, Membership):
                values[name] = str(value.pk)
            else:
                values[name] = str(value)
        return values


def filter_deadlines(deadlines: list[Deadline], filters: dict[str, str]) -> list[Deadline]:
    """The deadlines matching `filters` (from `ExpiryFilterForm.valid_filters`); without a
    bucket filter, every deadline in a bucket (far-off ones, bucket None, are left out)."""
    bucket = filters.get("bucket")
    responsible = filters.get("responsible")
    return [
        d
        for d in deadlines
        if (d.bucket == bucket if bucket else d.bucket is not None)
        and (not filters.get("kind") or d.kind == filters["kind"])
        and (not filters.get("country") or d.country_code == filters["country"])
        and (not filters.get("state") or d.state_code == filters["state"])
        and (not filters.get("facility_type") or d.facility_type == filters["facility_type"])
        and (not responsible or str(d.responsible_id) == responsible)
    ]
