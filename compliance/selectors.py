"""Reusable reads of the compliance app, scoped to an organization and already joined, and the
views of a check that pages and exports show: its roll-up per framework, its results grouped by
framework, the differences between a facility's checks, the catalog in words.

A check carries its results as JSON, so everything here about one check or a list of checks is
computed in Python from rows already loaded: the queries stay fixed whatever the number of
results or checks.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance import check_results
from compliance.catalog import catalog_rows
from compliance.models import (
    Attestation,
    ComplianceCheck,
    CustomComplianceRule,
    EvidenceFile,
)
from compliance.regulations import accreditation as accreditation_catalog
from compliance.regulations import licenses as license_catalog
from compliance.regulations import registry, vocabularies
from compliance.regulations.evaluation import MET_STATUSES, Status
from compliance.regulations.framework import (
    Attested,
    CnesUpdatedWithin,
    Framework,
    HasIdentifier,
    HipaaLabel,
    HoldsAccreditation,
    HoldsLicense,
    Requirement,
    Satisfier,
)
from compliance.regulations.vocabularies import Grade
from facilities.models import Accreditation, Facility, FacilityLicense, Organization
from facilities.selectors import HistoryEntry, object_history, readable_history

CUSTOM_FRAMEWORK = "CUSTOM"
# A facility's check history shows this many checks, newest first (one more is read, so that
# the oldest shown still has its difference from the one before).
HISTORY_LIMIT = 100

STATUS_LABELS = {
    Status.MET: _("Met"),
    Status.EXPIRING: _("Expiring"),
    Status.PENDING: _("Pending"),
    Status.MISSING: _("Missing"),
    Status.EXPIRED: _("Expired"),
    Status.NOT_APPLICABLE: _("Not applicable"),
    Status.NEEDS_VERIFICATION: _("Needs verification"),
}
OBLIGATION_LABELS = {"mandatory": _("Mandatory"), "recommended": _("Recommended")}
HIPAA_LABELS = {HipaaLabel.REQUIRED: _("Required"), HipaaLabel.ADDRESSABLE: _("Addressable")}
GRADE_LABELS = {
    Grade.VERIFIED: _("Verified"),
    Grade.COMPUTED: _("Computed"),
    Grade.MEMORY: _("Unverified"),
}


def status_label(status: str | None) -> str:
    if status is None:
        return "—"
    label = STATUS_LABELS.get(status)  # type: ignore[call-overload]
    return str(label) if label is not None else status


def _label(labels: dict[Any, Any], value: str | None) -> str:
    if not value:
        return ""
    return str(labels.get(value, value))


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


# --- Querysets ----------------------------------------------------------------------------------


def checks_for(organization: Organization) -> QuerySet[ComplianceCheck]:
    return ComplianceCheck.objects.filter(organization=organization).select_related(
        "organization",
        "facility__organization",
        "facility__country",
        "facility__state",
        "checked_by",
    )


def latest_check(facility: Facility) -> ComplianceCheck | None:
    """The facility's most recent current check (as of the day it ran), or None. One query."""
    return (
        ComplianceCheck.objects.filter(facility=facility, is_current=True)
        .select_related("checked_by")
        .order_by("-checked_at", "-pk")
        .first()
    )


def attestations_for(organization: Organization) -> QuerySet[Attestation]:
    return Attestation.objects.filter(organization=organization).select_related(
        "organization", "facility__organization", "attested_by"
    )


def attestation_list(organization: Organization) -> QuerySet[Attestation]:
    """Attestations with their number of evidence files, newest first."""
    return (
        attestations_for(organization)
        .annotate(evidence_count=Count("evidence"))
        .order_by("-attested_on", "-pk")
    )


def evidence_of(
    record: Attestation | FacilityLicense | Accreditation,
) -> QuerySet[EvidenceFile]:
    """The evidence files of one record, oldest first, with their uploaders."""
    lookup = {
        Attestation: "attestation",
        FacilityLicense: "license",
        Accreditation: "accreditation",
    }[type(record)]
    return (
        EvidenceFile.objects.filter(organization_id=record.organization_id, **{lookup: record})
        .select_related("uploaded_by", "organization")
        .order_by("uploaded_at", "pk")
    )


def rules_for(organization: Organization) -> QuerySet[CustomComplianceRule]:
    return CustomComplianceRule.objects.filter(organization=organization).select_related(
        "organization", "country", "state"
    )


def rule_history(rule: CustomComplianceRule) -> list[HistoryEntry]:
    """A custom rule's history, newest first, with readable field differences. Two queries:
    the history rows with their users, and the countries and states they name."""
    entries = object_history(CustomComplianceRule, rule.pk, str(rule.code))
    return readable_history(entries, (CustomComplianceRule,))


# --- One check ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceLink:
    """The record a result used: a label, where to see it, and its evidence files."""

    label: str
    url: str = ""
    files: tuple[EvidenceFile, ...] = ()


@dataclass(frozen=True)
class ResultRow:
    code: str
    title: str
    framework: str
    status: str
    status_label: str
    reason: str
    citation: str = ""
    obligation: str = ""
    hipaa_label: str = ""
    grade: str = ""
    expires_on: datetime.date | None = None
    file_by: datetime.date | None = None
    evidence: EvidenceLink | None = None
    attest_url: str = ""


@dataclass(frozen=True)
class FrameworkSection:
    """One framework's applicable results and its roll-up: met (or expiring) of applicable."""

    code: str
    title: str
    met: int
    applicable: int
    results: list[ResultRow] = field(default_factory=list)


@dataclass(frozen=True)
class CheckReport:
    check: ComplianceCheck
    frameworks: list[FrameworkSection]
    not_applicable: list[ResultRow]

    @property
    def met(self) -> int:
        return sum(section.met for section in self.frameworks)

    @property
    def applicable(self) -> int:
        return sum(section.applicable for section in self.frameworks)


def framework_title(code: str) -> str:
    if code == CUSTOM_FRAMEWORK:
        return gettext("Custom rules of the organization")
    framework = _frameworks_by_code().get(code)
    return framework.title if framework else code


def _frameworks_by_code() -> dict[str, Framework]:
    return {framework.code: framework for framework in registry.frameworks()}


def _requirement_title(code: str) -> str:
    found = registry.get_requirement(code)
    return found[1].title if found else code


def _evidence_files(
    check: ComplianceCheck, results: list[dict[str, Any]]
) -> dict[tuple[str, int], tuple[EvidenceFile, ...]]:
    """Evidence files of the licences, accreditations and attestations the results used, in
    one query (none when no result names such a record)."""
    ids: dict[str, set[int]] = {"licence": set(), "accreditation": set(), "attestation": set()}
    for result in results:
        evidence = result.get("evidence") or {}
        if evidence.get("kind") in ids and evidence.get("id") is not None:
            ids[evidence["kind"]].add(evidence["id"])
    if not any(ids.values()):
        return {}
    files = (
        EvidenceFile.objects.filter(organization_id=check.organization_id)
        .filter(
            Q(license_id__in=ids["licence"])
            | Q(accreditation_id__in=ids["accreditation"])
            | Q(attestation_id__in=ids["attestation"])
        )
        .select_related("organization")
        .order_by("uploaded_at", "pk")
    )
    by_record: dict[tuple[str, int], list[EvidenceFile]] = {}
    for evidence_file in files:
        if evidence_file.license_id:
            key = ("licence", evidence_file.license_id)
        elif evidence_file.accreditation_id:
            key = ("accreditation", evidence_file.accreditation_id)
        else:
            key = ("attestation", evidence_file.attestation_id or 0)
        by_record.setdefault(key, []).append(evidence_file)
    return {key: tuple(value) for key, value in by_record.items()}


def _evidence_link(
    evidence: dict[str, Any] | None,
    check: ComplianceCheck,
    files: dict[tuple[str, int], tuple[EvidenceFile, ...]],
) -> EvidenceLink | None:
    if not evidence:
        return None
    kind, record_id = evidence.get("kind"), evidence.get("id")
    url = ""
    if kind in ("licence", "accreditation") and record_id is not None:
        url = check.facility.get_absolute_url()
    elif kind == "attestation" and record_id is not None:
        url = reverse(
            "compliance:attestation-detail",
            kwargs={"org": check.organization.slug, "pk": record_id},
        )
    return EvidenceLink(
        label=evidence.get("label", ""),
        url=url,
        files=files.get((str(kind), record_id or 0), ()),
    )


def _attest_url(check: ComplianceCheck, code: str) -> str:
    query = urlencode(
        {"requirement": code, "facility": check.facility_id, "next": check.get_absolute_url()}
    )
    base = reverse("compliance:attestation-create", kwargs={"org": check.organization.slug})
    return f"{base}?{query}"


def _result_row(
    result: dict[str, Any],
    check: ComplianceCheck,
    files: dict[tuple[str, int], tuple[EvidenceFile, ...]],
    *,
    can_attest: bool,
) -> ResultRow:
    status = result["status"]
    attestable = (
        can_attest
        and result.get("attestable")
        and status not in (Status.MET, Status.NOT_APPLICABLE)
    )
    return ResultRow(
        code=result["code"],
        # Catalog titles are marked in the Django-free catalog and translated where shown.
        title=gettext(result.get("title") or _requirement_title(result["code"])),
        framework=result["framework"],
        status=status,
        status_label=status_label(status),
        reason=result.get("reason", ""),
        citation=result.get("citation", ""),
        obligation=_label(OBLIGATION_LABELS, result.get("obligation")),
        hipaa_label=_label(HIPAA_LABELS, result.get("hipaa_label")),
        grade=_label(GRADE_LABELS, result.get("grade")),
        expires_on=_date(result.get("expires_on")),
        file_by=_date(result.get("file_by")),
        evidence=_evidence_link(result.get("evidence"), check, files),
        attest_url=_attest_url(check, result["code"]) if attestable else "",
    )


def check_report(check: ComplianceCheck, *, can_attest: bool = False) -> CheckReport:
    """A check's applicable results grouped by framework (in the catalog's order) with each
    framework's roll-up, and its not-applicable results with their reasons.

    One query at most: the evidence files of the records the results used (and the catalog of
    an earlier rules version, read once per process). `can_attest` adds an "Attest" link to
    each applicable attestable result that is not met.
    """
    results = check_results.full_results(check)
    files = _evidence_files(check, results)
    grouped: dict[str, list[ResultRow]] = {}
    not_applicable = []
    for result in results:
        row = _result_row(result, check, files, can_attest=can_attest)
        if row.status == Status.NOT_APPLICABLE:
            not_applicable.append(row)
        else:
            grouped.setdefault(row.framework, []).append(row)
    frameworks = [
        FrameworkSection(
            code=code,
            title=framework_title(code),
            met=sum(1 for row in rows if row.status in MET_STATUSES),
            applicable=len(rows),
            results=rows,
        )
        for code, rows in grouped.items()
    ]
    return CheckReport(check=check, frameworks=frameworks, not_applicable=not_applicable)


def check_export_rows(check: ComplianceCheck) -> list[dict[str, Any]]:
    """Every result of a check as export rows, ordered by framework, then requirement code.

    No query: the evidence column names the record a result used, not its files.
    """
    rows = [
        _result_row(result, check, {}, can_attest=False)
        for result in check_results.full_results(check)
    ]
    return [
        {
            "framework": row.framework,
            "code": row.code,
            "title": row.title,
            "status": row.status,
            "reason": row.reason,
            "citation": row.citation,
            "evidence": row.evidence.label if row.evidence else "",
            "expires_on": row.expires_on,
            "file_by": row.file_by,
        }
        for row in sorted(rows, key=lambda row: (row.framework, row.code))
    ]


# --- A facility's checks ------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusChange:
    code: str
    old_status: str | None  # None: the requirement was not in the earlier check
    new_status: str | None  # None: the requirement is not in this check
    old_label: str
    new_label: str


@dataclass(frozen=True)
class CheckHistoryEntry:
    check: ComplianceCheck
    met: int
    pending: int
    changes: list[StatusChange]
    # False for the oldest check shown when no earlier one exists: nothing to compare with.
    has_previous: bool


def _statuses(check: ComplianceCheck) -> dict[str, str]:
    return {result["code"]: result["status"] for result in check.results}


def status_changes(older: ComplianceCheck, newer: ComplianceCheck) -> list[StatusChange]:
    """Requirements whose status differs between two checks of a facility, by code."""
    before, after = _statuses(older), _statuses(newer)
    changes = []
    for code in sorted(before.keys() | after.keys()):
        old, new = before.get(code), after.get(code)
        if old != new:
            changes.append(StatusChange(code, old, new, status_label(old), status_label(new)))
    return changes


def facility_check_history(
    facility: Facility, *, limit: int = HISTORY_LIMIT
) -> tuple[list[CheckHistoryEntry], bool]:
    """The facility's latest checks, newest first, each with its differences from the check of
    the facility before it, and whether older checks exist beyond `limit`.

    One query: the checks carry their results, and the differences are computed here.
    """
    checks = list(
        ComplianceCheck.objects.filter(facility=facility)
        .select_related("checked_by")
        .order_by("-checked_at", "-pk")[: limit + 1]
    )
    entries = []
    for index, check in enumerate(checks[:limit]):
        previous = checks[index + 1] if index + 1 < len(checks) else None
        entries.append(
            CheckHistoryEntry(
                check=check,
                met=len(check.requirements_met),
                pending=len(check.requirements_pending),
                changes=status_changes(previous, check) if previous else [],
                has_previous=previous is not None,
            )
        )
    return entries, len(checks) > limit


# --- The catalog --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogRequirement:
    requirement: Requirement
    obligation: str
    hipaa_label: str
    grade: str
    satisfied_by: list[str]
    applies_to: list[str]
    effective_from: datetime.date | None
    effective_until: datetime.date | None


@dataclass(frozen=True)
class CatalogFramework:
    framework: Framework
    requirements: list[CatalogRequirement]


def _names(codes: Iterable[str], lookup: Any) -> str:
    names = []
    for code in sorted(codes):
        entry = lookup(code)
        names.append(gettext(entry.name) if entry else code)
    return gettext(" or ").join(names)


def satisfier_in_words(satisfier: Satisfier) -> str:
    """What satisfies a requirement, as a sentence an officer reads."""
    match satisfier:
        case HoldsLicense(license_types):
            return gettext("A valid %(names)s") % {
                "names": _names(license_types, license_catalog.get_license_type)
            }
        case HoldsAccreditation(bodies):
            return gettext("A valid accreditation by %(names)s") % {
                "names": _names(bodies, accreditation_catalog.get_accreditation_body)
            }
        case Attested(max_age_days):
            if max_age_days is None:
                return gettext("An attestation")
            return gettext("An attestation, renewed at least every %(days)d days") % {
                "days": max_age_days
            }
        case HasIdentifier(kind):
            return gettext("A valid %(kind)s") % {"kind": kind.upper().replace("_", " ")}
        case CnesUpdatedWithin(days):
            return gettext("A CNES record updated within the last %(days)d days") % {"days": days}
    return str(satisfier)  # pragma: no cover


def _applies_to(requirement: Requirement) -> list[str]:
    rule = requirement.applicability
    applies = [
        gettext(vocabularies.label_for(vocabularies.FACILITY_TYPES, code))
        for code in sorted(rule.facility_types)
    ]
    if rule.services:
        services = ", ".join(
            gettext(vocabularies.label_for(vocabularies.SERVICES, code))
            for code in sorted(rule.services)
        )
        applies.append(gettext("offering: %(services)s") % {"services": services})
    if rule.min_beds is not None:
        applies.append(gettext("from %(beds)d beds") % {"beds": rule.min_beds})
    if rule.states:
        applies.append(", ".join(sorted(rule.states)))
    if rule.never_for_providers:
        applies.append(gettext(rule.never_for_providers))
    return applies


def catalog(*, jurisdiction: str = "", facility_type: str = "") -> list[CatalogFramework]:
    """The catalog's frameworks and requirements, filtered as `manage.py compliance_rules`
    filters them, with what satisfies each requirement in words. No query."""
    grouped: dict[str, CatalogFramework] = {}
    for row in catalog_rows(jurisdiction=jurisdiction, facility_type=facility_type):
        framework, requirement = row.framework, row.requirement
        section = grouped.setdefault(framework.code, CatalogFramework(framework, []))
        section.requirements.append(
            CatalogRequirement(
                requirement=requirement,
                obligation=_label(OBLIGATION_LABELS, requirement.obligation.value),
                hipaa_label=_label(HIPAA_LABELS, requirement.hipaa_label),
                grade=_label(GRADE_LABELS, requirement.grade),
                satisfied_by=[satisfier_in_words(s) for s in requirement.satisfied_by],
                applies_to=_applies_to(requirement),
                effective_from=requirement.effective_from or framework.effective_from,
                effective_until=requirement.effective_until or framework.effective_until,
            )
        )
    return list(grouped.values())


def attestable_requirements() -> list[tuple[Framework, Requirement]]:
    """Requirements an attestation can satisfy, in catalog order."""
    return [
        (framework, requirement)
        for framework in registry.frameworks()
        for requirement in framework.requirements
        if any(isinstance(s, Attested) for s in requirement.satisfied_by)
    ]
