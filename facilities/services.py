"""Writes of the facility registry: the only code that saves tracked rows.

Every service is keyword-only, takes the acting user and the path it was called from (`via`:
"web", "admin", "command", "task"), and records both on the history row as the actor and a
reason such as "web: licence renew — <the user's note>". A note is required where an auditor
would ask why: changing the dates or status of an existing licence or accreditation, closing or
reopening a facility, deactivating a member.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from facilities.history import history_reason, save_tracked
from facilities.models import (
    Accreditation,
    Facility,
    FacilityLicense,
    Membership,
    Organization,
    RecordStatus,
    User,
)

FACILITY_FIELDS = (
    "facility_name",
    "facility_type",
    "ownership",
    "bed_count",
    "services",
    "country",
    "state",
    "district",
    "address",
    "npi_number",
    "ccn",
    "cnes_number",
    "cnes_updated_on",
    "cnpj",
    "hfr_id",
)
LICENSE_FIELDS = (
    "license_type",
    "license_number",
    "issued_by",
    "issued_date",
    "expiry_date",
    "status",
    "renewal_filed_on",
    "responsible",
)
LICENSE_REASON_FIELDS = ("issued_date", "expiry_date", "status", "renewal_filed_on")
ACCREDITATION_FIELDS = (
    "accreditation_body",
    "accreditation_level",
    "certificate_number",
    "certified_date",
    "expiry_date",
    "status",
    "responsible",
)
ACCREDITATION_REASON_FIELDS = ("certified_date", "expiry_date", "status")


def _changes(instance: Any, data: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    """The keys of `data` whose value differs from `instance`'s, checked against `allowed`."""
    for name in data:
        if name not in allowed:
            raise ValueError(f"{name!r} cannot be set through this service")
    # A missing related object reads as None (its descriptor raises an AttributeError).
    return {name: value for name, value in data.items() if getattr(instance, name, None) != value}


def _assign(instance: Any, data: Mapping[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """Copy the allowed keys of `data` onto `instance`; return the fields whose value changed."""
    changes = _changes(instance, data, allowed)
    for name, value in changes.items():
        setattr(instance, name, value)
    return list(changes)


def _require_note(note: str, message: str) -> None:
    if not note.strip():
        raise ValidationError({"reason": message})


def _check_responsible(organization: Organization, responsible: Membership | None) -> None:
    if responsible is not None and (
        responsible.organization_id != organization.pk or not responsible.is_active
    ):
        raise ValidationError({"responsible": _("Choose an active member of this organization.")})


def _update_dated_record[R: FacilityLicense | Accreditation](
    record: R,
    data: Mapping[str, Any],
    *,
    fields: tuple[str, ...],
    reason_fields: tuple[str, ...],
    missing_note: str,
    actor: User,
    reason: str,
    note: str,
) -> R:
    """Edit a licence or an accreditation: a note is required when its dates or status change,
    and a newly chosen responsible member must be an active member of its organization."""
    changes = _changes(record, data, fields)
    if not changes:
        return record
    if set(changes) & set(reason_fields):
        _require_note(note, missing_note)
    _assign(record, changes, fields)
    if "responsible" in changes:
        _check_responsible(record.organization, record.responsible)
    return save_tracked(record, actor=actor, reason=reason)


# --- Organizations and members --------------------------------------------------------------


@transaction.atomic
def organization_create(
    *,
    actor: User,
    name: str,
    slug: str,
    time_zone: str = "UTC",
    first_admin: User | None = None,
    via: str,
    note: str = "",
) -> Organization:
    """Create an organization with its first admin (`actor` unless another user is named: a
    command acting as the system user names a person who can log in)."""
    organization = save_tracked(
        Organization(name=name, slug=slug, time_zone=time_zone),
        actor=actor,
        reason=history_reason(via, "organization create", note),
    )
    save_tracked(
        Membership(
            organization=organization, user=first_admin or actor, role=Membership.Role.ADMIN
        ),
        actor=actor,
        reason=history_reason(via, "member add", note),
    )
    return organization


def _find_user(identifier: str) -> User:
    identifier = identifier.strip()
    user = User.objects.filter(
        Q(username__iexact=identifier) | Q(email__iexact=identifier), is_active=True
    ).first()
    if user is None:
        raise ValidationError({"user": _("No active user has this username or e-mail.")})
    return user


def _check_keeps_an_admin(membership: Membership, new_role: str | None) -> None:
    """An organization must keep at least one active admin."""
    if membership.role != Membership.Role.ADMIN or new_role == Membership.Role.ADMIN:
        return
    other_admins = Membership.objects.filter(
        organization_id=membership.organization_id, role=Membership.Role.ADMIN, is_active=True
    ).exclude(pk=membership.pk)
    if not other_admins.exists():
        raise ValidationError(_("The organization must keep at least one active admin."))


@transaction.atomic
def membership_add(
    *,
    actor: User,
    organization: Organization,
    user_identifier: str,
    role: str,
    via: str,
    note: str = "",
) -> Membership:
    """Add an existing user (by username or e-mail), or reactivate a former member."""
    user = _find_user(user_identifier)
    membership = Membership.objects.filter(organization=organization, user=user).first()
    if membership is not None and membership.is_active:
        raise ValidationError({"user": _("This user is already a member.")})
    action = "member reactivate" if membership else "member add"
    membership = membership or Membership(organization=organization, user=user)
    membership.role, membership.is_active = role, True
    return save_tracked(membership, actor=actor, reason=history_reason(via, action, note))


@transaction.atomic
def membership_change_role(
    *, actor: User, membership: Membership, role: str, via: str, note: str = ""
) -> Membership:
    _check_keeps_an_admin(membership, role)
    membership.role = role
    return save_tracked(
        membership, actor=actor, reason=history_reason(via, "member change role", note)
    )


@transaction.atomic
def membership_deactivate(
    *, actor: User, membership: Membership, via: str, note: str
) -> Membership:
    _require_note(note, _("Say why this member is removed."))
    _check_keeps_an_admin(membership, None)
    membership.is_active = False
    return save_tracked(
        membership, actor=actor, reason=history_reason(via, "member deactivate", note)
    )


# --- Facilities -----------------------------------------------------------------------------


@transaction.atomic
def facility_create(
    *,
    actor: User,
    organization: Organization,
    data: Mapping[str, Any],
    via: str,
    note: str = "",
) -> Facility:
    facility = Facility(organization=organization)
    _assign(facility, data, FACILITY_FIELDS)
    return save_tracked(facility, actor=actor, reason=history_reason(via, "facility create", note))


@transaction.atomic
def facility_update(
    *, actor: User, facility: Facility, data: Mapping[str, Any], via: str, note: str = ""
) -> Facility:
    if not _assign(facility, data, FACILITY_FIELDS):
        return facility
    return save_tracked(facility, actor=actor, reason=history_reason(via, "facility edit", note))


@transaction.atomic
def facility_close(
    *, actor: User, facility: Facility, closed_on: datetime.date, via: str, note: str
) -> Facility:
    """Close a facility: it drops out of checks, dashboards and reminders, and keeps its history."""
    _require_note(note, _("Say why the facility is closed."))
    if facility.is_closed:
        raise ValidationError(_("This facility is already closed."))
    facility.status, facility.closed_on, facility.closed_reason = (
        Facility.Status.CLOSED,
        closed_on,
        note.strip(),
    )
    return save_tracked(facility, actor=actor, reason=history_reason(via, "facility close", note))


@transaction.atomic
def facility_reopen(*, actor: User, facility: Facility, via: str, note: str) -> Facility:
    _require_note(note, _("Say why the facility is reopened."))
    if not facility.is_closed:
        raise ValidationError(_("This facility is not closed."))
    facility.status, facility.closed_on, facility.closed_reason = Facility.Status.ACTIVE, None, ""
    return save_tracked(facility, actor=actor, reason=history_reason(via, "facility reopen", note))


# --- Licences -------------------------------------------------------------------------------


@transaction.atomic
def license_create(
    *, actor: User, facility: Facility, data: Mapping[str, Any], via: str, note: str = ""
) -> FacilityLicense:
    license = FacilityLicense(facility=facility, organization=facility.organization)
    _assign(license, data, LICENSE_FIELDS)
    _check_responsible(facility.organization, license.responsible)
    return save_tracked(license, actor=actor, reason=history_reason(via, "licence add", note))


@transaction.atomic
def license_update(
    *,
    actor: User,
    license: FacilityLicense,
    data: Mapping[str, Any],
    via: str,
    note: str = "",
) -> FacilityLicense:
    return _update_dated_record(
        license,
        data,
        fields=LICENSE_FIELDS,
        reason_fields=LICENSE_REASON_FIELDS,
        missing_note=_("Say why the dates or status of this licence change."),
        actor=actor,
        reason=history_reason(via, "licence edit", note),
        note=note,
    )


@transaction.atomic
def license_renew(
    *,
    actor: User,
    license: FacilityLicense,
    data: Mapping[str, Any],
    via: str,
    note: str = "",
) -> FacilityLicense:
    """Record a licence's new term as a new row that renews it; the old row keeps its dates.

    `data` holds the new term's number, issuer, dates and responsible member; the type stays.
    """
    if license.status in (RecordStatus.RENEWED, RecordStatus.REVOKED):
        raise ValidationError(_("A renewed or revoked licence cannot be renewed."))
    renewal = FacilityLicense(
        facility=license.facility,
        organization=license.organization,
        license_type=license.license_type,
        renews=license,
        status=RecordStatus.ACTIVE,
    )
    _assign(renewal, {"responsible": license.responsible, **data}, LICENSE_FIELDS)
    if license.expiry_date and renewal.expiry_date and renewal.expiry_date <= license.expiry_date:
        raise ValidationError(
            {
                "expiry_date": _("The new term must end after the current one (%(date)s).")
                % {"date": license.expiry_date.isoformat()}
            }
        )
    _check_responsible(license.organization, renewal.responsible)
    reason = history_reason(via, "licence renew", note)
    license.status = RecordStatus.RENEWED
    save_tracked(license, actor=actor, reason=reason)
    return save_tracked(renewal, actor=actor, reason=reason)


# --- Accreditations -------------------------------------------------------------------------


@transaction.atomic
def accreditation_create(
    *, actor: User, facility: Facility, data: Mapping[str, Any], via: str, note: str = ""
) -> Accreditation:
    accreditation = Accreditation(facility=facility, organization=facility.organization)
    _assign(accreditation, data, ACCREDITATION_FIELDS)
    _check_responsible(facility.organization, accreditation.responsible)
    return save_tracked(
        accreditation, actor=actor, reason=history_reason(via, "accreditation add", note)
    )


@transaction.atomic
def accreditation_update(
    *,
    actor: User,
    accreditation: Accreditation,
    data: Mapping[str, Any],
    via: str,
    note: str = "",
) -> Accreditation:
    return _update_dated_record(
        accreditation,
        data,
        fields=ACCREDITATION_FIELDS,
        reason_fields=ACCREDITATION_REASON_FIELDS,
        missing_note=_("Say why the dates or status of this accreditation change."),
        actor=actor,
        reason=history_reason(via, "accreditation edit", note),
        note=note,
    )
