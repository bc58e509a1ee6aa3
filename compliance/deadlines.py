"""Filing deadlines: the one place that turns licences, accreditations and attestations into
dated deadlines, for the dashboard, the expiries page, the calendar feed and the reminders.

Dates follow the engine (compliance.regulations.evaluation): a record is valid through its
expiry date inclusive and expired from the next day; "today" is the organization's local date.

- must-file-by = expiry - the file-by lead of the record's type:
  - licences: the catalog's `file_by_days` (`evaluation.license_window`), lengthened by the
    organization's `LeadTimeOverride` for that type when it has one (an override is never
    shorter than the code's lead: the model refuses it, and the longer of the two wins here);
  - accreditations: their body's `file_by_days` in the catalog (184 days for every body, an
    [M] default documented in compliance.regulations.accreditation); a body unknown to the
    catalog takes the engine's `DEFAULT_RENEWAL_WINDOW_DAYS` (90 days, [M]), as the engine does;
  - attestations: `evaluation.ATTESTATION_RENEWAL_DAYS` (30 days); no requirement in the
    catalog defines another lead. Their expiry is the engine's effective end (the earlier of
    `valid until` and `attested on` + the requirement's maximum age); an attestation without
    either has no deadline.
- days left = must-file-by - today.
- Buckets: a renewal filed on or before expiry → "awaiting" (the engine's "pending"); past the
  expiry date → "lapsed"; otherwise by days left: < 0 "overdue" (filing overdue, still valid),
  0-30, 31-60, 61-90; more than 90 → no bucket. Awaiting and lapsed are never filing buckets.

Which records count (the stored `expired` and `pending_renewal` statuses are never trusted
over the dates):
- only facilities that are not closed;
- licences with an expiry date, not superseded (status `renewed`, or a renewal row pointing at
  them through `renews`), and not suspended or revoked: a suspended or revoked licence is not
  valid whatever its dates, so it has no filing deadline to meet; the compliance check shows it
  as missing, which is where it is acted upon;
- accreditations not renewed, suspended or revoked, and not superseded by a later-expiring
  accreditation of the same body for the same facility (accreditations have no `renews` link);
- attestations: the latest (by attested-on date, then id) for each (requirement, facility or
  organization-wide) pair; an older attestation of the same pair is history, not a deadline.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from compliance.models import Attestation
from compliance.regulations import accreditation as accreditation_catalog
from compliance.regulations import evaluation
from compliance.regulations import licenses as license_catalog
from compliance.regulations.facts import AttestationFacts
from compliance.regulations.framework import Attested
from compliance.regulations.registry import get_requirement
from facilities.models import (
    Accreditation,
    Facility,
    FacilityLicense,
    LeadTimeOverride,
    Organization,
    RecordStatus,
)


class Kind(StrEnum):
    LICENSE = "license"
    ACCREDITATION = "accreditation"
    ATTESTATION = "attestation"


class Bucket(StrEnum):
    OVERDUE = "overdue"  # days left < 0, still valid (filing overdue)
    DAYS_30 = "0-30"
    DAYS_60 = "31-60"
    DAYS_90 = "61-90"
    LAPSED = "lapsed"  # expired (past its expiry date), counted apart
    AWAITING = "awaiting"  # a renewal was filed: awaiting the authority, counted apart


FILING_BUCKETS = (Bucket.OVERDUE, Bucket.DAYS_30, Bucket.DAYS_60, Bucket.DAYS_90)

KIND_LABELS = {
    Kind.LICENSE: _("Licence"),
    Kind.ACCREDITATION: _("Accreditation"),
    Kind.ATTESTATION: _("Attestation"),
}
BUCKET_LABELS = {
    Bucket.OVERDUE: _("Filing overdue"),
    Bucket.DAYS_30: _("0-30 days"),
    Bucket.DAYS_60: _("31-60 days"),
    Bucket.DAYS_90: _("61-90 days"),
    Bucket.LAPSED: _("Lapsed (expired)"),
    Bucket.AWAITING: _("Renewal filed, awaiting the authority"),
}

# Leads of the record kinds that are not licences (licences: per type, see the module doc).
ATTESTATION_FILE_BY_DAYS = evaluation.ATTESTATION_RENEWAL_DAYS
UNKNOWN_BODY_FILE_BY_DAYS = evaluation.DEFAULT_RENEWAL_WINDOW_DAYS

_NOT_CURRENT_LICENSE = (RecordStatus.RENEWED, RecordStatus.SUSPENDED, RecordStatus.REVOKED)
_NOT_CURRENT_ACCREDITATION = _NOT_CURRENT_LICENSE


@dataclass(frozen=True, slots=True)
class Deadline:
    kind: Kind
    item_id: int
    title: str
    reference: str  # type name and number
    facility_id: int | None  # None: an organization-wide attestation
    facility_name: str
    country_code: str
    state_code: str
    facility_type: str
    responsible_id: int | None  # Membership id
    expires_on: datetime.date
    file_by: datetime.date
    days_left: int  # file_by - today
    bucket: Bucket | None  # None: more than 90 days left
    renew_url: str  # where to renew / re-attest
    lead_days: int = 0  # the file-by lead applied (days before expiry)
    renewal_filed_on: datetime.date | None = None
    requirement_code: str = ""  # attestations only

    @property
    def is_filing(self) -> bool:
        return self.bucket in FILING_BUCKETS

    @property
    def days_overdue(self) -> int:
        """Days past the must-file-by date (0 when not past it), for display."""
        return max(0, -self.days_left)


def bucket_for(days_left: int, *, expired: bool, renewal_filed: bool) -> Bucket | None:
    """The bucket of a deadline; `renewal_filed` (on or before expiry) wins over `expired`."""
    if renewal_filed:
        return Bucket.AWAITING
    if expired:
        return Bucket.LAPSED
    if days_left < 0:
        return Bucket.OVERDUE
    if days_left <= 30:
        return Bucket.DAYS_30
    if days_left <= 60:
        return Bucket.DAYS_60
    if days_left <= 90:
        return Bucket.DAYS_90
    return None


def bucket_counts(deadlines: Iterable[Deadline]) -> dict[Bucket, int]:
    """Every bucket with its number of deadlines, 0 where none."""
    counts = Counter(d.bucket for d in deadlines if d.bucket is not None)
    return {bucket: counts.get(bucket, 0) for bucket in Bucket}


def license_lead(license_type: str, overrides: dict[str, int] | None = None) -> int:
    """The file-by lead of a licence type: the engine's, lengthened by an override."""
    _window, lead = evaluation.license_window(license_type)
    override = (overrides or {}).get(license_type)
    return max(lead, override) if override is not None else lead


def accreditation_lead(body_code: str) -> int:
    body = accreditation_catalog.get_accreditation_body(body_code)
    return body.file_by_days if body else UNKNOWN_BODY_FILE_BY_DAYS


def attestation_max_age(requirement_code: str) -> int | None:
    """The requirement's maximum attestation age (its `Attested` satisfier), or None."""
    found = get_requirement(requirement_code)
    if found is None:
        return None
    for satisfier in found[1].satisfied_by:
        if isinstance(satisfier, Attested):
            return satisfier.max_age_days
    return None


def _url_for_each(name: str, organization: Organization) -> Callable[[int], str]:
    """The URL of `name` for any `pk`, reversed once: reversing per row took three quarters of
    the time for 20,000 facilities. `pk` is the pattern's last argument, so the marker is the
    last occurrence of its digits."""
    marker = "987654321"
    template = reverse(name, kwargs={"org": organization.slug, "pk": int(marker)})
    head, _marker, tail = template.rpartition(marker)
    return lambda pk: f"{head}{pk}{tail}"


def _deadline(
    *,
    today: datetime.date,
    expires_on: datetime.date,
    lead: int,
    renewal_filed_on: datetime.date | None = None,
    **fields: object,
) -> Deadline:
    file_by = expires_on - datetime.timedelta(days=lead)
    days_left = (file_by - today).days
    bucket = bucket_for(
        days_left,
        expired=today > expires_on,
        # As the engine: only a renewal filed on or before expiry keeps a lapsed item pending.
        renewal_filed=renewal_filed_on is not None and renewal_filed_on <= expires_on,
    )
    return Deadline(
        expires_on=expires_on,
        file_by=file_by,
        days_left=days_left,
        bucket=bucket,
        lead_days=lead,
        renewal_filed_on=renewal_filed_on,
        **fields,  # type: ignore[arg-type]
    )


# What every deadline says of its facility, read with each record (never a query per row);
# an organization-wide attestation has none.
FACILITY_COLUMNS = (
    "facility_id",
    "facility__facility_name",
    "facility__country__code",
    "facility__state__code",
    "facility__facility_type",
)


def _facility_fields(values: Sequence[Any]) -> dict[str, Any]:
    facility_id, name, country, state, facility_type = values
    return {
        "facility_id": facility_id,
        "facility_name": name or "",
        "country_code": country or "",
        "state_code": state or "",
        "facility_type": facility_type or "",
    }


def _license_deadlines(organization: Organization, today: datetime.date) -> list[Deadline]:
    # Query 1: the organization's overrides. Query 2: its current licences with their facility.
    overrides = dict(
        LeadTimeOverride.objects.filter(organization=organization).values_list(
            "license_type", "file_by_days"
        )
    )
    rows = (
        FacilityLicense.objects.filter(
            organization=organization,
            expiry_date__isnull=False,
            renewed_by__isnull=True,
        )
        .exclude(status__in=_NOT_CURRENT_LICENSE)
        .exclude(facility__status=Facility.Status.CLOSED)
        .values_list(
            "pk",
            "license_type",
            "license_number",
            "expiry_date",
            "renewal_filed_on",
            "responsible_id",
            *FACILITY_COLUMNS,
        )
    )
    renew_url = _url_for_each("facilities:license-renew", organization)
    deadlines = []
    for pk, license_type, number, expires, filed, responsible, *facility in rows:
        entry = license_catalog.get_license_type(license_type)
        name = str(entry.name) if entry else license_type
        deadlines.append(
            _deadline(
                today=today,
                expires_on=expires,  # filtered: not null
                lead=license_lead(license_type, overrides),
                renewal_filed_on=filed,
                kind=Kind.LICENSE,
                item_id=pk,
                title=name,
                reference=f"{name} {number}".strip(),
                **_facility_fields(facility),
                responsible_id=responsible,
                renew_url=renew_url(pk),
            )
        )
    return deadlines


def _accreditation_deadlines(organization: Organization, today: datetime.date) -> list[Deadline]:
    rows = list(
        Accreditation.objects.filter(organization=organization)
        .exclude(status__in=_NOT_CURRENT_ACCREDITATION)
        .exclude(facility__status=Facility.Status.CLOSED)
        .values_list(
            "pk",
            "accreditation_body",
            "certificate_number",
            "expiry_date",
            "responsible_id",
            *FACILITY_COLUMNS,
        )
    )
    # A later-expiring accreditation by the same body supersedes an earlier one.
    latest: dict[tuple[int, str], tuple[datetime.date, int]] = {}
    for pk, body, _number, expires, _responsible, facility_id, *_facility in rows:
        key = (facility_id, body)
        if key not in latest or (expires, pk) > latest[key]:
            latest[key] = (expires, pk)
    edit_url = _url_for_each("facilities:accreditation-edit", organization)
    deadlines = []
    for pk, body, number, expires, responsible, *facility in rows:
        if latest[(facility[0], body)][1] != pk:
            continue
        entry = accreditation_catalog.get_accreditation_body(body)
        name = entry.name if entry else body
        deadlines.append(
            _deadline(
                today=today,
                expires_on=expires,
                lead=accreditation_lead(body),
                kind=Kind.ACCREDITATION,
                item_id=pk,
                title=name,
                reference=f"{name} {number}".strip(),
                **_facility_fields(facility),
                responsible_id=responsible,
                renew_url=edit_url(pk),
            )
        )
    return deadlines


def _attestation_deadlines(organization: Organization, today: datetime.date) -> list[Deadline]:
    rows = (
        Attestation.objects.filter(organization=organization)
        .exclude(facility__status=Facility.Status.CLOSED)
        .order_by("requirement_code", "facility_id", "-attested_on", "-pk")
        .values_list(
            "pk",
            "requirement_code",
            "outcome",
            "attested_on",
            "valid_until",
            *FACILITY_COLUMNS,
        )
    )
    seen: set[tuple[str, int | None]] = set()
    attest_url = reverse("compliance:attestation-create", kwargs={"org": organization.slug})
    deadlines = []
    for pk, code, outcome, attested_on, valid_until, *facility in rows:
        facility_id = facility[0]
        if (code, facility_id) in seen:
            continue  # an older attestation of the same pair
        seen.add((code, facility_id))
        facts = AttestationFacts(
            id=pk,
            requirement_code=code,
            facility_id=facility_id,
            outcome=outcome,
            attested_on=attested_on,
            valid_until=valid_until,
        )
        expires = evaluation.attestation_end(facts, attestation_max_age(code))
        if expires is None:
            continue
        found = get_requirement(code)
        title = str(found[1].title) if found else code
        query = {"requirement": code}
        if facility_id is not None:
            query["facility"] = str(facility_id)
        deadlines.append(
            _deadline(
                today=today,
                expires_on=expires,
                lead=ATTESTATION_FILE_BY_DAYS,
                kind=Kind.ATTESTATION,
                item_id=pk,
                title=title,
                reference=code,
                **_facility_fields(facility),
                responsible_id=None,
                renew_url=f"{attest_url}?{urlencode(query)}",
                requirement_code=code,
            )
        )
    return deadlines


def organization_deadlines(
    organization: Organization, *, today: datetime.date | None = None
) -> list[Deadline]:
    """Every current licence, accreditation and attestation of the organization that has an
    expiry, as deadlines ordered by must-file-by date, kind and id: far-off ones (bucket None),
    lapsed and awaiting ones included. Four queries, whatever the number of records (overrides,
    licences, accreditations, attestations). `today` defaults to the organization's today."""
    today = organization.today() if today is None else today
    deadlines = [
        *_license_deadlines(organization, today),
        *_accreditation_deadlines(organization, today),
        *_attestation_deadlines(organization, today),
    ]
    deadlines.sort(key=lambda d: (d.file_by, d.kind.value, d.item_id))
    return deadlines
