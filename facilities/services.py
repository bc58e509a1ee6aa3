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

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.regulations import licenses as license_catalog
from facilities.history import bulk_update_tracked, history_reason, save_tracked
from facilities.models import (
    Accreditation,
    Facility,
    FacilityLicense,
    LeadTimeOverride,
    Membership,
    Organization,
    RecordStatus,
    User,
    new_calendar_token,
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


# --- Organization settings and member preferences -------------------------------------------

PREFERENCE_FIELDS = (
    "reminders_enabled",
    "reminder_windows",
    "reminder_frequency",
    "default_country",
    "default_state",
)


def _license_type(code: str) -> license_catalog.LicenseType:
    entry = license_catalog.get_license_type(code)
    if entry is None:
        raise ValidationError({"license_type": _("Unknown licence type.")})
    return entry


def _override_of(organization: Organization, license_type: str) -> LeadTimeOverride | None:
    # Locked, so that two admins changing the same type one after the other each see the
    # other's value, and the history's old → new follows the order of the saves.
    return (
        LeadTimeOverride.objects.select_for_update()
        .filter(organization=organization, license_type=license_type)
        .first()
    )


@transaction.atomic
def lead_time_override_set(
    *,
    actor: User,
    organization: Organization,
    license_type: str,
    file_by_days: int,
    via: str,
    note: str,
) -> LeadTimeOverride:
    """Set the organization's file-by lead for a licence type, with a note saying why.

    Never shorter than the code's lead and at most `models.MAX_FILE_BY_DAYS`: the model refuses
    both (`save_tracked` runs `full_clean`), naming the limit. An organization has one row per
    type, changed in place and never deleted; its history keeps every value. Setting the code's
    own value is how a type returns to the code's lead (`lead_time_override_reset`).
    """
    _require_note(note, _("Say why the lead time changes."))
    entry = _license_type(license_type)
    override = _override_of(organization, license_type)
    current = override.file_by_days if override else entry.file_by_days
    if file_by_days == current:
        raise ValidationError(
            {"file_by_days": _("The lead time is already %(days)d days.") % {"days": current}}
        )
    override = override or LeadTimeOverride(organization=organization, license_type=license_type)
    override.file_by_days = file_by_days
    return save_tracked(override, actor=actor, reason=history_reason(via, "lead time set", note))


@transaction.atomic
def lead_time_override_reset(
    *, actor: User, organization: Organization, license_type: str, via: str, note: str
) -> LeadTimeOverride:
    """Return a licence type to the code's lead: the override row stays, set to the code's
    value, so that its history still shows what the organization used and why it stopped."""
    _require_note(note, _("Say why the lead time returns to the code's value."))
    entry = _license_type(license_type)
    override = _override_of(organization, license_type)
    if override is None or override.file_by_days == entry.file_by_days:
        raise ValidationError(
            {"license_type": _("This licence type already follows the code's lead time.")}
        )
    override.file_by_days = entry.file_by_days
    return save_tracked(override, actor=actor, reason=history_reason(via, "lead time reset", note))


ORGANIZATION_FIELDS = ("name", "time_zone")


@transaction.atomic
def organization_update(
    *, actor: User, organization: Organization, data: Mapping[str, Any], via: str, note: str
) -> Organization:
    """Rename an organization or change its time zone (which moves its "today", and so every
    deadline by up to a day), with a note saying why. Nothing changed: nothing saved."""
    _require_note(note, _("Say why the organization's settings change."))
    if not _assign(organization, data, ORGANIZATION_FIELDS):
        return organization
    return save_tracked(
        organization, actor=actor, reason=history_reason(via, "organization edit", note)
    )


def _reminder_windows(value: Any) -> list[int]:
    """The windows a member chose, each one the product sends, most distant first."""
    offered = list(settings.EXPIRY_REMINDER_WINDOWS)
    if not isinstance(value, list | tuple):
        raise ValidationError({"reminder_windows": _("Choose reminder windows from the list.")})
    windows = set()
    for window in value:
        if isinstance(window, bool) or not isinstance(window, int):
            raise ValidationError(
                {
                    "reminder_windows": _(
                        "“%(value)s” is not a number of days: reminder windows are whole days."
                    )
                    % {"value": window}
                }
            )
        if window not in offered:
            raise ValidationError(
                {
                    "reminder_windows": _(
                        "%(value)d days is not a reminder window; choose among %(windows)s."
                    )
                    % {"value": window, "windows": ", ".join(map(str, offered))}
                }
            )
        windows.add(window)
    return sorted(windows, reverse=True)


@transaction.atomic
def membership_preferences_update(
    *, actor: User, membership: Membership, data: Mapping[str, Any], via: str, note: str = ""
) -> Membership:
    """Save a member's own preferences: expiry reminders on or off, which windows (a subset of
    `settings.EXPIRY_REMINDER_WINDOWS`; empty means all of them), the digest frequency, and the
    default country/state filter of their pages (the state must be in the country).

    Nothing changed: nothing saved, and no history row.
    """
    data = dict(data)
    if "reminder_windows" in data:
        data["reminder_windows"] = _reminder_windows(data["reminder_windows"])
    if not _assign(membership, data, PREFERENCE_FIELDS):
        return membership
    state, country = membership.default_state, membership.default_country
    if state is not None and (country is None or state.country_id != country.pk):
        raise ValidationError({"default_state": _("This state is not in the chosen country.")})
    return save_tracked(membership, actor=actor, reason=history_reason(via, "preferences", note))


# --- Expiry sweep (manage.py expire_licenses) -----------------------------------------------

# Statuses the sweep never changes: a renewal replaced the record, the authority suspended or
# revoked it (a stronger fact than expiry), or it is already marked expired.
SWEEP_SKIPPED_STATUSES = (
    RecordStatus.RENEWED,
    RecordStatus.SUSPENDED,
    RecordStatus.REVOKED,
    RecordStatus.EXPIRED,
)


def records_past_expiry(
    organization: Organization, *, today: datetime.date | None = None, lock: bool = False
) -> tuple[list[FacilityLicense], list[Accreditation]]:
    """Licences and accreditations of the organization's open facilities whose expiry date has
    passed in its today (valid through the expiry date inclusive) and whose stored status still
    says otherwise. Left alone: renewed, suspended, revoked and already expired records, a
    licence superseded by a renewal row, and a licence whose renewal was filed on or before its
    expiry (awaiting the authority: the engine shows it as pending, not expired).

    `lock` (inside a transaction, for a write) locks the rows returned until it ends: an edit
    made meanwhile waits, and one committed just before is what is read. Only the records'
    own rows are locked, not their facilities."""
    today = organization.today() if today is None else today
    licenses = (
        FacilityLicense.objects.filter(
            organization=organization, expiry_date__lt=today, renewed_by__isnull=True
        )
        .exclude(status__in=SWEEP_SKIPPED_STATUSES)
        .exclude(facility__status=Facility.Status.CLOSED)
        .exclude(renewal_filed_on__isnull=False, renewal_filed_on__lte=F("expiry_date"))
        .order_by("pk")
    )
    accreditations = (
        Accreditation.objects.filter(organization=organization, expiry_date__lt=today)
        .exclude(status__in=SWEEP_SKIPPED_STATUSES)
        .exclude(facility__status=Facility.Status.CLOSED)
        .order_by("pk")
    )
    if lock:
        licenses = licenses.select_for_update(of=("self",))
        accreditations = accreditations.select_for_update(of=("self",))
    return list(licenses), list(accreditations)


@transaction.atomic
def records_expire(
    *, actor: User, organization: Organization, via: str, note: str = ""
) -> tuple[list[FacilityLicense], list[Accreditation]]:
    """Mark the organization's records past their expiry date as expired, through the
    history-aware bulk wrapper (one history row each, with `actor` and the reason). Idempotent:
    a second run the same day finds nothing left to change.

    The records are read locked: the history rows are snapshots of the objects read, so an
    officer's edit committed between the read and the write would otherwise be overwritten
    and recorded stale."""
    licenses, accreditations = records_past_expiry(organization, lock=True)
    reason = history_reason(via, "expiry sweep", note or "past its expiry date")
    now = timezone.now()
    records: list[FacilityLicense | Accreditation] = [*licenses, *accreditations]
    for record in records:
        record.status = RecordStatus.EXPIRED
        record.updated_at = now  # auto_now is not applied by bulk updates
    bulk_update_tracked(licenses, ["status", "updated_at"], actor=actor, reason=reason)
    bulk_update_tracked(accreditations, ["status", "updated_at"], actor=actor, reason=reason)
    return licenses, accreditations


# --- Calendar feed ---------------------------------------------------------------------------


@transaction.atomic
def organization_rotate_calendar_token(
    *, actor: User, organization: Organization, via: str, note: str
) -> Organization:
    """Give the organization's iCalendar feed a new secret URL; the old one answers 404 from
    now on. The history row says who rotated it and why, never the token (the history tables
    exclude it)."""
    _require_note(note, _("Say why the calendar address changes."))
    organization.calendar_token = new_calendar_token()
    return save_tracked(
        organization, actor=actor, reason=history_reason(via, "calendar token rotated", note)
    )
