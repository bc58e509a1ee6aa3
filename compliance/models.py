"""Operational state of compliance: attestations, evidence, check runs, checks, custom rules.

Checks are append-only: a ComplianceCheck is written once by the engine and never changed or
deleted (the QuerySet and the model refuse it; on PostgreSQL a trigger will too). A CheckRun's
progress is updated while it runs, but it is never deleted.
"""

from __future__ import annotations

import os
import secrets
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compliance.regulations.evaluation import Overall
from compliance.regulations.framework import Attested, HipaaLabel
from compliance.regulations.registry import get_requirement
from facilities.history import TrackedModel, UntrackedWriteError
from facilities.models import Accreditation, Facility, FacilityLicense, Organization


class Attestation(TrackedModel):
    """How a requirement that no licence covers is shown to be met (a HIPAA risk analysis, an
    LGPD DPO appointment). Blank facility: attested for the whole organization."""

    class Outcome(models.TextChoices):
        IMPLEMENTED = "implemented", _("Implemented")
        NOT_REASONABLE = (
            "not_reasonable",
            _("Not reasonable and appropriate: documented, with an equivalent alternative"),
        )

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="attestations"
    )
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attestations",
        help_text=_("Leave empty to attest for the whole organization."),
    )
    requirement_code = models.CharField(_("requirement"), max_length=80)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    justification = models.TextField(_("why it is not reasonable and appropriate"), blank=True)
    alternative = models.TextField(_("equivalent alternative adopted"), blank=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attested_on = models.DateField(_("attested on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-attested_on"]
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("attested_on")),
                name="attestation_valid_until_after_attested_on",
                violation_error_message=_("'Valid until' cannot be before the attestation date."),
            ),
        ]
        indexes = [
            models.Index("organization", "requirement_code", name="attestation_org_req_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement_code} ({self.get_outcome_display()}, {self.attested_on})"

    def clean(self) -> None:
        if self.facility and self.facility.organization_id != self.organization_id:
            raise ValidationError({"facility": _("Choose a facility of this organization.")})
        found = get_requirement(self.requirement_code)
        if found is None or not any(isinstance(s, Attested) for s in found[1].satisfied_by):
            raise ValidationError(
                {"requirement_code": _("This requirement cannot be met by an attestation.")}
            )
        requirement = found[1]
        if self.outcome == self.Outcome.NOT_REASONABLE:
            if requirement.hipaa_label is not HipaaLabel.ADDRESSABLE:
                raise ValidationError(
                    {
                        "outcome": _(
                            "Only an addressable specification may be attested as not "
                            "reasonable and appropriate."
                        )
                    }
                )
            errors = {}
            if not self.justification.strip():
                errors["justification"] = _("Document why it is not reasonable and appropriate.")
            if not self.alternative.strip():
                errors["alternative"] = _("Describe the equivalent alternative adopted.")
            if errors:
                raise ValidationError(errors)


def _evidence_path(instance: EvidenceFile, filename: str) -> str:
    # A random name: never guessable, never the uploader's, never overwriting another file.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"{instance.organization_id}/{secrets.token_hex(16)}{suffix}"


@deconstructible(path="compliance.models.EvidenceStorage")
class EvidenceStorage(FileSystemStorage):
    """Evidence lives in EVIDENCE_ROOT, outside static/ and without a URL: it is served only by
    a view that checks membership. The root is read when used, not at import time, and is not
    written into migrations."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def base_location(self) -> str:
        return str(settings.EVIDENCE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None


evidence_storage = EvidenceStorage()


class EvidenceFile(TrackedModel):
    """A PDF or image attached to an attestation, a licence or an accreditation.

    Content-checked and hashed on upload; never overwritten: a new upload is a new row.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="evidence_files"
    )
    attestation = models.ForeignKey(
        Attestation, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    license = models.ForeignKey(
        FacilityLicense, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    accreditation = models.ForeignKey(
        Accreditation, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    file = models.FileField(
        upload_to=_evidence_path,
        storage=evidence_storage,
        max_length=200,
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(attestation__isnull=False, license__isnull=True, accreditation__isnull=True)
                    | Q(attestation__isnull=True, license__isnull=False, accreditation__isnull=True)
                    | Q(attestation__isnull=True, license__isnull=True, accreditation__isnull=False)
                ),
                name="evidence_attached_to_exactly_one_record",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse(
            "compliance:evidence-download",
            kwargs={"org": self.organization.slug, "pk": self.pk},
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise UntrackedWriteError("Evidence files are never overwritten: upload a new one.")
        super().save(*args, **kwargs)


class CheckRun(models.Model):
    """One request to check facilities: who asked, for what, as of when, and how far it got.

    Its progress is updated while it runs; it is never deleted. An interrupted run is resumed
    (same row) without duplicating the checks it already wrote.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="check_runs"
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    as_of = models.DateField(_("as of"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(_("started from"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("facilities"), default=0)
    checked = models.PositiveIntegerField(_("checked"), default=0)
    counts = models.JSONField(_("results"), default=dict, blank=True)
    rules_version = models.CharField(_("rules version"), max_length=64, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("check run")
        verbose_name_plural = _("check runs")
        indexes = [models.Index("status", "progress_at", name="checkrun_status_progress_idx")]

    def __str__(self) -> str:
        return f"{self.organization} as of {self.as_of} ({self.get_status_display()})"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise UntrackedWriteError("Check runs are never deleted.")


def _append_only(model: type[models.Model]) -> UntrackedWriteError:
    return UntrackedWriteError(f"{capfirst(model._meta.verbose_name_plural)} are append-only.")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise _append_only(self.model)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise _append_only(self.model)

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise _append_only(self.model)


class AppendOnlyModel(models.Model):
    """A row written once and never changed or deleted, by the app or its QuerySets (on
    PostgreSQL a trigger refuses it too: compliance.append_only)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise _append_only(type(self))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise _append_only(type(self))


class RulesCatalog(AppendOnlyModel):
    """The code catalog a rules version names, recorded once, before the first check of that
    version is written.

    `document` is the catalog's canonical JSON text exactly as hashed: its SHA-256 is `version`,
    which `verify_audit_trail` checks. A check stores only what is particular to its facility
    and is read with the catalog of its version (`compliance.check_results`). Append-only: a
    PostgreSQL trigger refuses any change or deletion.
    """

    version = models.CharField(_("rules version"), max_length=64, unique=True)
    document = models.TextField(_("catalog (canonical JSON)"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("rules catalog")
        verbose_name_plural = _("rules catalogs")

    def __str__(self) -> str:
        return f"Rules {self.version[:12]}…"


class RowJSONField(models.JSONField):
    """A check's results: a JSONField stored as written and inserted row by row.

    On PostgreSQL the column is `json`, not `jsonb`: the document is never queried inside, so
    the server only validates the text instead of converting it to its binary form (about 2.5
    times faster to insert, and it keeps the exact text the engine wrote). Django's PostgreSQL
    bulk insert packs each column into an array (UNNEST); for documents of tens of kilobytes,
    psycopg's escaping of that text array costs more than evaluating the rules, so a
    placeholder hook makes Django use plain VALUES rows for this column instead.
    """

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is not None and not isinstance(value, str):
            return value  # a json column: psycopg has decoded it already
        return super().from_db_value(value, expression, connection)

    def get_placeholder_sql(
        self, value: Any, compiler: Any, connection: Any
    ) -> tuple[str, list[Any]]:
        return "%s", [value]


class ComplianceCheck(AppendOnlyModel):
    """The immutable, explainable result of checking one facility as of one date."""

    class OverallStatus(models.TextChoices):
        COMPLIANT = Overall.COMPLIANT.value, _("Compliant")
        PENDING = Overall.PENDING.value, _("Pending")
        NON_COMPLIANT = Overall.NON_COMPLIANT.value, _("Non-compliant")

    run = models.ForeignKey(CheckRun, on_delete=models.PROTECT, related_name="checks")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="compliance_checks"
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="compliance_checks"
    )
    as_of = models.DateField(_("as of"))
    overall_status = models.CharField(
        _("overall status"), max_length=20, choices=OverallStatus.choices
    )
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rules_version = models.CharField(_("rules version"), max_length=64)
    results = RowJSONField(_("results"))
    requirements_met = models.JSONField(_("requirements met"))
    requirements_pending = models.JSONField(_("requirements pending"))
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    # The check's as-of date equals the organization's date when it ran: a current check, the
    # only kind the dashboard counts (back-dated checks never do).
    is_current = models.BooleanField(_("current"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-checked_at"]
        verbose_name = _("compliance check")
        verbose_name_plural = _("compliance checks")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "facility"], name="check_unique_per_run_and_facility"
            ),
        ]
        indexes = [
            models.Index(fields=["facility", "-checked_at"], name="check_facility_recent_idx"),
            models.Index(
                fields=["organization", "is_current", "-checked_at"], name="check_org_current_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} as of {self.as_of}: {self.get_overall_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse(
            "compliance:check-detail", kwargs={"org": self.organization.slug, "pk": self.pk}
        )


class CustomComplianceRule(TrackedModel):
    """An organization's own requirement: JSON logic over a closed set of operators and facts
    (compliance.custom_rules), validated on save and never evaluated with eval()."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="custom_rules"
    )
    code = models.CharField(
        _("code"),
        max_length=60,
        help_text=_("Shown in results, e.g. CUSTOM-FIRE-DRILL. Letters, digits and dashes."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    country = models.ForeignKey(
        "geography.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.ForeignKey(
        "geography.State", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    logic = models.JSONField(_("logic"))
    is_active = models.BooleanField(_("active"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("custom rule")
        verbose_name_plural = _("custom rules")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="custom_rule_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class FacilityStatus(models.Model):
    """A projection, kept by the engine: each facility's latest *current* check (as-of date
    the day it ran), with the mandatory requirements it found missing or expired. The dashboard
    reads this instead of scanning checks; checks themselves stay append-only."""

    facility = models.OneToOneField(
        Facility, on_delete=models.PROTECT, primary_key=True, related_name="compliance_status"
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    latest_check = models.ForeignKey(ComplianceCheck, on_delete=models.PROTECT, related_name="+")
    overall_status = models.CharField(
        _("overall status"), max_length=20, choices=ComplianceCheck.OverallStatus.choices
    )
    as_of = models.DateField(_("as of"))
    checked_at = models.DateTimeField(_("checked at"))
    # Codes of mandatory requirements missing or expired in that check: the "open problems".
    problems = models.JSONField(_("open problems"), default=list)

    class Meta:
        verbose_name = _("facility compliance status")
        verbose_name_plural = _("facility compliance statuses")
        indexes = [
            models.Index("organization", "overall_status", name="facility_status_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id}: {self.overall_status} as of {self.as_of}"


class ReminderDelivery(models.Model):
    """One expiry reminder owed to one recipient: recorded as pending before the e-mail is sent
    and as sent after, so that a rerun after a crash sends what is still owed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        # A pending reminder no longer owed: its item was renewed, superseded or had a renewal
        # filed, its deadline moved, its recipient no longer receives it, or a more urgent
        # reminder of the same deadline replaced it. Kept, not deleted: the log shows it was owed.
        CANCELLED = "cancelled", _("Cancelled")

    class ItemKind(models.TextChoices):
        LICENSE = "license", _("Licence")
        ACCREDITATION = "accreditation", _("Accreditation")
        ATTESTATION = "attestation", _("Attestation")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    item_kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    item_id = models.PositiveBigIntegerField(_("item"))
    # The deadline the reminder is about: a renewed item gets a new one, and its windows anew.
    deadline = models.DateField(_("deadline"))
    window = models.PositiveSmallIntegerField(_("window (days)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "item_kind", "item_id", "deadline", "window"],
                name="reminder_unique_per_window",
            ),
        ]
        indexes = [models.Index("status", "recipient", name="reminder_status_idx")]

    def __str__(self) -> str:
        return f"{self.item_kind} {self.item_id} → {self.recipient_id} ({self.window} days)"


class AuditSeal(models.Model):
    """One link of the audit trail's tamper-evidence chain (DESIGN.md §9).

    `seal_audit_trail` appends a seal over the rows added to each history table and to
    compliance checks since the previous seal, up to a safe horizon: a SHA-256 digest chained
    to the previous seal's, the fields it hashed and each table's head (last id and row count),
    and a compact index of the sealed rows (id and a short hash each) so that
    `verify_audit_trail` can name the row that changed. Append-only: a PostgreSQL trigger
    refuses any change or deletion. See `compliance.sealing`.
    """

    sequence = models.PositiveIntegerField(_("seal"), unique=True)
    previous_digest = models.CharField(_("previous digest"), max_length=64, blank=True)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("sealed at"))
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # {db_table: {"fields": [...], "after_id": int, "last_id": int, "rows": int, "total": int}}
    tables = models.JSONField(_("tables"))
    rows = models.PositiveBigIntegerField(_("rows sealed"))
    row_index = models.BinaryField(_("row index"))

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")

    def __str__(self) -> str:
        return f"Seal #{self.sequence} ({self.rows} rows, {self.digest[:12]}…)"
