"""Reusable reads of the facility registry, scoped to an organization and already joined."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from facilities.models import (
    Accreditation,
    Facility,
    FacilityLicense,
    Membership,
    Organization,
    RecordStatus,
    User,
)

CURRENT_STATUSES = (RecordStatus.ACTIVE, RecordStatus.PENDING_RENEWAL)


def memberships_of_user(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user=user, is_active=True, organization__is_active=True
    ).select_related("organization")


def facilities_for(organization: Organization) -> QuerySet[Facility]:
    return Facility.objects.filter(organization=organization).select_related(
        "organization", "country", "state", "district"
    )


def facility_list(organization: Organization) -> QuerySet[Facility]:
    """Facilities with their current licence count and next expiry, for the list page."""
    current = Q(licenses__status__in=CURRENT_STATUSES)
    return facilities_for(organization).annotate(
        license_count=Count("licenses", filter=current),
        next_expiry=Min("licenses__expiry_date", filter=current),
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
