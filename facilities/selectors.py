"""Reusable reads of the facility registry, scoped to an organization and already joined."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, cast

from django.db import models
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext

from compliance.regulations import identifiers, vocabularies
from compliance.regulations import licenses as license_catalog
from compliance.regulations.identifiers import Outcome
from facilities.models import (
    Accreditation,
    Facility,
    FacilityLicense,
    LeadTimeOverride,
    Membership,
    Organization,
    RecordStatus,
    User,
)
from geography.models import Country, State


def memberships_of_user(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user=user, is_active=True, organization__is_active=True
    ).select_related("organization")


def facilities_for(organization: Organization) -> QuerySet[Facility]:
    return Facility.objects.filter(organization=organization).select_related(
        "organization", "country", "state", "district"
    )


def facility_list(organization: Organization) -> QuerySet[Facility]:
    """Facilities with their count of licences valid today and the next expiry among them.

    Validity comes from the dates and the suspended/revoked statuses (a stored "expired" is
    never trusted over the dates); a renewed licence gave way to its renewal.
    """
    today = organization.today()
    current = ~Q(
        licenses__status__in=[RecordStatus.SUSPENDED, RecordStatus.REVOKED, RecordStatus.RENEWED]
    ) & (Q(licenses__expiry_date__isnull=True) | Q(licenses__expiry_date__gte=today))
    # Meta.ordering is not applied to a GROUP BY query: order explicitly, for stable pages.
    return (
        facilities_for(organization)
        .annotate(
            license_count=Count("licenses", filter=current),
            next_expiry=Min("licenses__expiry_date", filter=current),
        )
        .order_by("facility_name", "pk")
    )


def licenses_for(organization: Organization) -> QuerySet[FacilityLicense]:
    return FacilityLicense.objects.filter(organization=organization).select_related(
        "facility__organization",
        "facility__country",
        "facility__state",
        "responsible__user",
        "renews",
    )


def accreditations_for(organization: Organization) -> QuerySet[Accreditation]:
    return Accreditation.objects.filter(organization=organization).select_related(
        "facility__organization", "facility__country", "responsible__user"
    )


def members_of(organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).select_related(
        "user", "organization"
    )


def active_members_of(organization: Organization) -> QuerySet[Membership]:
    return members_of(organization).filter(is_active=True, user__is_active=True)


def default_place(membership: Membership) -> tuple[Country | None, State | None]:
    """The member's default country and state filter, as rows (a state with its own country).

    One query when a default is set, none otherwise.
    """
    if membership.default_state_id is not None:
        state = State.objects.select_related("country").get(pk=membership.default_state_id)
        return state.country, state
    if membership.default_country_id is not None:
        return Country.objects.get(pk=membership.default_country_id), None
    return None, None


def default_filters(membership: Membership) -> dict[str, str]:
    """The member's default place filter as ISO codes: `{"country": "US", "state": "US-CA"}`,
    `{"country": "BR"}`, or `{}` when unset. A state always comes with its own country.

    One query when a default is set, none otherwise.
    """
    country, state = default_place(membership)
    filters = {"country": country.code} if country else {}
    if state:
        filters["state"] = state.code
    return filters


def days_until(date: datetime.date | None, today: datetime.date) -> int | None:
    return None if date is None else (date - today).days


# --- History -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    """One history row as an officer reads it: what, who, when, why, which fields."""

    when: datetime.datetime
    who: str
    action: str
    object_label: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
_HIDDEN_FIELDS = {"updated_at", "created_at", "organization"}


def history_entries(records: list[Any], label: str) -> list[HistoryEntry]:
    """Turn one object's history rows (oldest first) into entries with field differences.

    Differences are computed between consecutive rows in Python, from rows already loaded:
    no query per row.
    """
    entries = []
    previous = None
    for record in records:
        changes: list[FieldChange] = []
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            changes = [
                FieldChange(change.field, change.old, change.new)
                for change in delta.changes
                if change.field not in _HIDDEN_FIELDS
            ]
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else "",
                action=_ACTIONS.get(record.history_type, record.history_type),
                object_label=label,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous = record
    return entries


def facility_history(facility: Facility) -> list[HistoryEntry]:
    """The history of a facility, its licences and its accreditations, newest first.

    Three queries, whatever the number of records.
    """
    sources: list[tuple[QuerySet[Any], Callable[[Any], str]]] = [
        (Facility.history.filter(id=facility.pk), lambda r: str(r.facility_name)),
        (
            FacilityLicense.history.filter(facility_id=facility.pk),
            lambda r: f"{r.instance.type_name} {r.license_number}",
        ),
        (
            Accreditation.history.filter(facility_id=facility.pk),
            lambda r: f"{r.instance.body_name} {r.certificate_number}".strip(),
        ),
    ]
    entries: list[HistoryEntry] = []
    for queryset, label in sources:
        by_object: dict[int, list[Any]] = {}
        for record in queryset.select_related("history_user").order_by("history_date", "pk"):
            by_object.setdefault(record.id, []).append(record)
        for records in by_object.values():
            entries.extend(history_entries(records, label(records[-1])))
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


# --- Pages of one facility ------------------------------------------------------------------


def licenses_of(facility: Facility) -> QuerySet[FacilityLicense]:
    """A facility's licences, every term, soonest expiry first and those without one last,
    with the responsible member's user joined."""
    return (
        FacilityLicense.objects.filter(facility=facility)
        .select_related("responsible__user")
        .order_by(F("expiry_date").asc(nulls_last=True), "license_type", "pk")
    )


def accreditations_of(facility: Facility) -> QuerySet[Accreditation]:
    """A facility's accreditations, soonest expiry first, with the responsible member's user
    joined."""
    return (
        Accreditation.objects.filter(facility=facility)
        .select_related("responsible__user")
        .order_by("expiry_date", "accreditation_body", "pk")
    )


def _model_field(model_class: type[models.Model], name: str) -> models.Field[Any, Any]:
    return cast("models.Field[Any, Any]", model_class._meta.get_field(name))


@dataclass(frozen=True)
class IdentifierState:
    """A facility identifier as the detail page shows it: its value and what the check says."""

    field: str
    label: str
    value: str
    outcome: str  # "valid", "warning", "invalid", or "not_recorded"
    message: str

    @property
    def outcome_label(self) -> str:
        labels = {
            "valid": gettext("valid"),
            "warning": gettext("warning"),
            "invalid": gettext("invalid"),
            "not_recorded": gettext("not recorded"),
        }
        return labels.get(self.outcome, self.outcome)


def identifier_states(facility: Facility) -> list[IdentifierState]:
    """Run the pure identifier checks on the stored values, without a query.

    Lists the identifiers of the facility's country, and any other one that is recorded (an
    identifier of another country is stored only by a path that skipped validation).
    """
    states = []
    for name, country, kind in Facility.IDENTIFIERS:
        value = getattr(facility, name)
        if not value and country != facility.country.code:
            continue
        label = capfirst(str(_model_field(Facility, name).verbose_name))
        if not value:
            states.append(IdentifierState(name, label, "", "not_recorded", ""))
            continue
        if country != facility.country.code:
            message = gettext("This identifier applies only to facilities in %(country)s.") % {
                "country": country
            }
            states.append(IdentifierState(name, label, value, Outcome.INVALID, message))
            continue
        if kind == "ccn":
            result = identifiers.validate_ccn(value, facility_type=facility.facility_type)
        else:
            result = identifiers.VALIDATORS[kind](value)
        message = gettext(result.message) if result.message else ""
        states.append(IdentifierState(name, label, value, result.outcome, message))
    return states


# --- History, as an officer reads it ---------------------------------------------------------


def object_history(model: Any, pk: int, label: str) -> list[HistoryEntry]:
    """One tracked object's history with field differences, newest first, in one query."""
    records = list(
        model.history.filter(id=pk).select_related("history_user").order_by("history_date", "pk")
    )
    return history_entries(records, label)[::-1]


def membership_history(membership: Membership) -> list[HistoryEntry]:
    """A membership's history rows, newest first, in one query."""
    return object_history(Membership, membership.pk, str(membership.user))


def _display(
    field: models.Field[Any, Any],
    value: Any,
    choices: dict[Any, Any],
    related: dict[Any, dict[Any, str]],
) -> str:
    # A history row may hold a choices enum member, which hashes unlike its plain value.
    value = getattr(value, "value", value)
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return related.get(field.related_model, {}).get(value, str(value))
    if field.name == "services" and isinstance(value, list):
        labels = [gettext(vocabularies.label_for(vocabularies.SERVICES, code)) for code in value]
        return ", ".join(labels) or "—"
    if isinstance(value, list):
        # A JSON list (a member's reminder windows) is unhashable: never a choice key.
        return ", ".join(str(item) for item in value) or "—"
    if value in choices:
        return gettext(str(choices[value]))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


def readable_history(
    entries: list[HistoryEntry], model_classes: tuple[type[models.Model], ...]
) -> list[HistoryEntry]:
    """The same entries with field labels instead of names and names instead of codes and ids.

    Related rows named in the differences (countries, states, districts, members, licences) are
    loaded with one query per related model, whatever the number of entries.
    """
    fields: dict[str, models.Field[Any, Any]] = {}
    # A field name may have different choices in each model (a facility's status, a
    # licence's): an entry does not say its model, so the labels of all of them are merged.
    choices: dict[str, dict[Any, Any]] = {}
    for model_class in model_classes:
        for model_field in model_class._meta.concrete_fields:
            fields.setdefault(model_field.name, model_field)
            choices.setdefault(model_field.name, {}).update(model_field.flatchoices)
    wanted: dict[Any, set[Any]] = {}
    for entry in entries:
        for change in entry.changes:
            relation = fields.get(change.field)
            if relation is not None and relation.is_relation:
                ids = wanted.setdefault(relation.related_model, set())
                ids.update(value for value in (change.old, change.new) if value is not None)
    related: dict[Any, dict[Any, str]] = {}
    for model_class, ids in wanted.items():
        queryset = model_class._default_manager.all()
        if model_class is Membership:
            queryset = queryset.select_related("user")
            related[model_class] = {pk: str(m.user) for pk, m in queryset.in_bulk(ids).items()}
        else:
            related[model_class] = {pk: str(row) for pk, row in queryset.in_bulk(ids).items()}
    readable = []
    for entry in entries:
        changes = []
        for change in entry.changes:
            changed_field = fields.get(change.field)
            if changed_field is None:
                changes.append(change)
                continue
            changes.append(
                FieldChange(
                    capfirst(str(changed_field.verbose_name)),
                    _display(changed_field, change.old, choices[change.field], related),
                    _display(changed_field, change.new, choices[change.field], related),
                )
            )
        action = {
            "created": gettext("created"),
            "changed": gettext("changed"),
            "deleted": gettext("deleted"),
        }.get(entry.action, entry.action)
        readable.append(replace(entry, action=action, changes=changes))
    return readable


def facility_labels(facility: Facility) -> dict[str, Any]:
    """The catalog labels of a facility's type, ownership and services, translated for display."""
    return {
        "facility_type": gettext(
            vocabularies.label_for(vocabularies.FACILITY_TYPES, facility.facility_type)
        ),
        "ownership": gettext(vocabularies.label_for(vocabularies.OWNERSHIP, facility.ownership)),
        "services": [
            gettext(vocabularies.label_for(vocabularies.SERVICES, code))
            for code in facility.services
        ],
    }


# --- Organization settings ------------------------------------------------------------------


@dataclass(frozen=True)
class LeadTime:
    """A licence type's file-by lead as the settings page shows it: the code's, and the
    organization's override where it is longer (an override at the code's value, after a
    return to the code, is no override)."""

    license_type: license_catalog.LicenseType
    override: LeadTimeOverride | None

    @property
    def code(self) -> str:
        return self.license_type.code

    @property
    def name(self) -> str:
        return gettext(self.license_type.name)

    @property
    def code_days(self) -> int:
        return self.license_type.file_by_days

    @property
    def override_days(self) -> int | None:
        if self.override is None or self.override.file_by_days <= self.code_days:
            return None
        return self.override.file_by_days

    @property
    def days(self) -> int:
        """The lead in force: the override, never shorter than the code's."""
        return self.override_days or self.code_days


def lead_time_overrides_of(organization: Organization) -> QuerySet[LeadTimeOverride]:
    """The organization's override rows, including those set back to the code's value."""
    return LeadTimeOverride.objects.filter(organization=organization).order_by("license_type")


def organization_license_types(
    organization: Organization,
) -> tuple[license_catalog.LicenseType, ...]:
    """Every licence type of the countries and states the organization has active facilities
    in, whatever the facility type, in catalog order. One query."""
    places = (
        Facility.objects.filter(organization=organization, status=Facility.Status.ACTIVE)
        .values_list("country__code", "state__code")
        .order_by()
        .distinct()
    )
    codes: set[str] = set()
    for country_code, state_code in places:
        types = license_catalog.license_types_for(
            country_code=country_code, state_code=state_code, facility_type=None
        )
        codes.update(license_type.code for license_type in types)
    return tuple(entry for entry in license_catalog.LICENSE_TYPES if entry.code in codes)


def organization_lead_times(organization: Organization) -> list[LeadTime]:
    """The lead of each licence type of the organization's places, with its override; a type
    overridden earlier whose places the organization has since left is listed too. Two
    queries, whatever the number of facilities and overrides."""
    overrides = {row.license_type: row for row in lead_time_overrides_of(organization)}
    types = list(organization_license_types(organization))
    listed = {entry.code for entry in types}
    for code in overrides:
        entry = license_catalog.get_license_type(code)
        if entry is not None and code not in listed:
            types.append(entry)
    return [LeadTime(entry, overrides.get(entry.code)) for entry in types]


def lead_time_history(organization: Organization) -> list[HistoryEntry]:
    """The history of the organization's lead-time overrides, newest first, in one query.

    A creation shows the code's lead as the value before, so every entry reads old → new.
    """
    records = (
        LeadTimeOverride.history.filter(organization_id=organization.pk)
        .select_related("history_user")
        .order_by("history_date", "pk")
    )
    by_object: dict[int, list[Any]] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    entries: list[HistoryEntry] = []
    for rows in by_object.values():
        entry = license_catalog.get_license_type(rows[-1].license_type)
        label = gettext(entry.name) if entry else rows[-1].license_type
        object_entries = history_entries(rows, label)
        if entry is not None and object_entries:
            first = object_entries[0]
            change = FieldChange("file_by_days", entry.file_by_days, rows[0].file_by_days)
            object_entries[0] = replace(first, changes=[change])
        entries.extend(object_entries)
    return sorted(entries, key=lambda item: item.when, reverse=True)
