"""Writes of the compliance app: attestations, evidence, custom rules. Each takes the acting
user and the path it came from, and records them on the history row (facilities.history)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from compliance import custom_rules
from compliance.engine import create_run, facilities_to_check, load_snapshots
from compliance.evidence import check_upload
from compliance.models import Attestation, CheckRun, CustomComplianceRule, EvidenceFile
from compliance.tasks import execute_check_run
from facilities.history import history_reason, save_tracked
from facilities.models import Accreditation, Facility, FacilityLicense, Organization, User

CUSTOM_RULE_FIELDS = ("code", "name", "description", "country", "state", "logic")


@transaction.atomic
def evidence_attach(
    *,
    actor: User,
    organization: Organization,
    upload: UploadedFile[bytes],
    attestation: Attestation | None = None,
    license: FacilityLicense | None = None,
    accreditation: Accreditation | None = None,
    via: str,
) -> EvidenceFile:
    """Store a checked upload as a new evidence file of one record of the organization."""
    record = attestation or license or accreditation
    if record is None or record.organization_id != organization.pk:
        raise ValidationError(_("Evidence must belong to a record of this organization."))
    checked = check_upload(upload)
    original = (upload.name or "evidence")[-200:]
    upload.name = f"upload{checked.extension}"
    evidence = EvidenceFile(
        organization=organization,
        attestation=attestation,
        license=license,
        accreditation=accreditation,
        file=upload,
        original_name=original,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    return save_tracked(evidence, actor=actor, reason=history_reason(via, "evidence upload"))


@transaction.atomic
def attestation_create(
    *,
    actor: User,
    organization: Organization,
    facility: Facility | None,
    requirement_code: str,
    outcome: str,
    attested_on: datetime.date,
    valid_until: datetime.date | None = None,
    justification: str = "",
    alternative: str = "",
    note: str = "",
    evidence: Sequence[UploadedFile[bytes]] = (),
    via: str,
) -> Attestation:
    """Attest a requirement for a facility, or for the whole organization when `facility` is
    None; attach the evidence files given."""
    if attested_on > organization.today():
        raise ValidationError({"attested_on": _("An attestation cannot be dated in the future.")})
    attestation = save_tracked(
        Attestation(
            organization=organization,
            facility=facility,
            requirement_code=requirement_code,
            outcome=outcome,
            attested_on=attested_on,
            valid_until=valid_until,
            justification=justification,
            alternative=alternative,
            note=note,
            attested_by=actor,
        ),
        actor=actor,
        reason=history_reason(via, "attest", note),
    )
    for upload in evidence:
        evidence_attach(
            actor=actor, organization=organization, upload=upload, attestation=attestation, via=via
        )
    return attestation


def _validate_rule(rule: CustomComplianceRule) -> None:
    try:
        custom_rules.validate(rule.logic)
    except custom_rules.RuleError as error:
        raise ValidationError({"logic": str(error)}) from None
    if not rule.code.startswith("CUSTOM-") or not rule.code.replace("-", "").isalnum():
        raise ValidationError(
            {"code": _("Start with CUSTOM- and use only letters, digits and dashes.")}
        )
    if rule.state and rule.country_id and rule.state.country_id != rule.country_id:
        raise ValidationError({"state": _("This state is not in the chosen country.")})


@transaction.atomic
def custom_rule_save(
    *,
    actor: User,
    organization: Organization,
    data: Mapping[str, Any],
    rule: CustomComplianceRule | None = None,
    via: str,
    note: str = "",
) -> CustomComplianceRule:
    """Create a rule (inactive until activated) or change one; a changed rule gets a new version."""
    creating = rule is None
    rule = rule or CustomComplianceRule(organization=organization)
    changed = [name for name in CUSTOM_RULE_FIELDS if getattr(rule, name, None) != data.get(name)]
    for name in CUSTOM_RULE_FIELDS:
        setattr(rule, name, data.get(name))
    if not creating and not changed:
        return rule
    if not creating:
        rule.version += 1
    _validate_rule(rule)
    action = "custom rule create" if creating else "custom rule edit"
    return save_tracked(rule, actor=actor, reason=history_reason(via, action, note))


@transaction.atomic
def custom_rule_set_active(
    *, actor: User, rule: CustomComplianceRule, active: bool, via: str, note: str = ""
) -> CustomComplianceRule:
    if rule.is_active == active:
        return rule
    rule.is_active = active
    action = "custom rule activate" if active else "custom rule deactivate"
    return save_tracked(rule, actor=actor, reason=history_reason(via, action, note))


@dataclass(frozen=True)
class DryRunRow:
    facility_id: int
    facility_name: str
    applies: bool
    met: bool


def custom_rule_dry_run(
    *, organization: Organization, logic: dict[str, Any], country: str = "", state: str = ""
) -> list[DryRunRow]:
    """What a rule would say for each active facility today, without saving anything."""
    try:
        custom_rules.validate(logic)
    except custom_rules.RuleError as error:
        raise ValidationError({"logic": str(error)}) from None
    as_of = organization.today()
    filters = {"country": country, "state": state}
    ids = list(facilities_to_check(organization, filters).values_list("id", flat=True))
    rows = []
    for snapshot in load_snapshots(organization, ids, as_of, reconstruct=False):
        applies = custom_rules.applies(logic, snapshot, as_of)
        rows.append(
            DryRunRow(
                facility_id=snapshot.facility.id,
                facility_name=snapshot.facility.name,
                applies=applies,
                met=applies and custom_rules.satisfied(logic, snapshot, as_of),
            )
        )
    return rows


def _enqueue_check_run(run_id: int) -> None:
    result = execute_check_run.enqueue(run_id)
    # CheckRun is not history-tracked; only this field is written, never the progress.
    CheckRun.objects.filter(pk=run_id).update(task_id=result.id)


@transaction.atomic
def check_run_start(
    *,
    actor: User,
    organization: Organization,
    filters: Mapping[str, Any] | None = None,
    via: str,
) -> CheckRun:
    """Record a run checking the organization's active facilities matching `filters` (every
    one without; `list` for the facility list's filters, resolved when the run executes;
    `facility_ids` for a short explicit list) as of today, and execute it in the background
    once the transaction commits; the task's id is kept on `run.task_id`. A run with nothing
    to check is refused."""
    filters = dict(filters or {})
    if "facility_ids" in filters and not filters["facility_ids"]:
        raise ValidationError(_("No active facility matches these filters: nothing to check."))
    run = create_run(organization=organization, actor=actor, filters=filters, via=via)
    if run.total == 0:
        raise ValidationError(_("No active facility matches these filters: nothing to check."))
    transaction.on_commit(lambda: _enqueue_check_run(run.pk))
    return run
