"""Evaluate requirements against a facility snapshot on an as-of date: pure functions.

Dates, once for all (DESIGN §6):
- a record is valid from its issue date through its expiry date inclusive, expired the next day;
- "expiring" runs from the start of the renewal window to the expiry date;
- a renewal filed on or before the expiry date turns a lapsed record into "pending";
- validity comes from the dates and the suspended/revoked statuses only.

Fact grades: a requirement whose existence is graded [M] never fails a facility and never shows
as plain "met": it shows "needs verification". A recommended requirement that is not met is a
warning, never a failure.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, cast

from compliance.regulations import accreditation as accreditation_catalog
from compliance.regulations import identifiers
from compliance.regulations import licenses as license_catalog
from compliance.regulations._i18n import _
from compliance.regulations.facts import (
    INVALIDATING_STATUSES,
    AccreditationFacts,
    AttestationFacts,
    FacilityFacts,
    FacilitySnapshot,
    LicenseFacts,
)
from compliance.regulations.framework import (
    Attested,
    CnesUpdatedWithin,
    Framework,
    HasIdentifier,
    HipaaLabel,
    HoldsAccreditation,
    HoldsLicense,
    Obligation,
    Requirement,
    Satisfier,
)
from compliance.regulations.identity_cache import IdentityCache
from compliance.regulations.vocabularies import Grade

# Where a licence type defines no renewal window, "expiring" starts this many days before
# expiry, or at its file-by lead if that is longer. [M] default: a warning only.
DEFAULT_RENEWAL_WINDOW_DAYS = 90
# An attestation is "expiring" in the last 30 days of its effective period (DESIGN §5: 30 days
# unless the requirement says otherwise).
ATTESTATION_RENEWAL_DAYS = 30
IMPLEMENTED = "implemented"
NOT_REASONABLE = "not_reasonable"


class Status(StrEnum):
    MET = "met"
    EXPIRING = "expiring"
    PENDING = "pending"
    MISSING = "missing"
    EXPIRED = "expired"
    NOT_APPLICABLE = "not_applicable"
    NEEDS_VERIFICATION = "needs_verification"


class Overall(StrEnum):
    COMPLIANT = "compliant"
    PENDING = "pending"
    NON_COMPLIANT = "non_compliant"


MET_STATUSES = frozenset({Status.MET, Status.EXPIRING})
FAILING_STATUSES = frozenset({Status.MISSING, Status.EXPIRED})

# Which outcome wins when several records could satisfy a requirement.
_RANK = {
    Status.MET: 5,
    Status.EXPIRING: 4,
    Status.NEEDS_VERIFICATION: 3,
    Status.PENDING: 2,
    Status.EXPIRED: 1,
    Status.MISSING: 0,
}


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str  # "licence", "accreditation", "attestation", "identifier", "cnes"
    id: int | None
    label: str


@dataclass(frozen=True, slots=True)
class Finding:
    """What one satisfier found: a status, a sentence, the record used, the key dates."""

    status: Status
    reason: str
    evidence: Evidence | None = None
    expires_on: datetime.date | None = None
    file_by: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class RequirementResult:
    code: str
    title: str
    framework: str
    level: str
    citation: str
    obligation: Obligation
    grade: Grade
    hipaa_label: HipaaLabel | None
    status: Status
    reason: str
    evidence: Evidence | None = None
    expires_on: datetime.date | None = None
    file_by: datetime.date | None = None
    attestable: bool = False

    @property
    def is_failure(self) -> bool:
        return (
            self.obligation is Obligation.MANDATORY
            and self.grade is not Grade.MEMORY
            and self.status in FAILING_STATUSES
        )

    @property
    def is_warning(self) -> bool:
        if self.status in (Status.EXPIRING, Status.NEEDS_VERIFICATION):
            return True
        return self.obligation is Obligation.RECOMMENDED and self.status in (
            FAILING_STATUSES | {Status.PENDING}
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "framework": self.framework,
            "level": self.level,
            "citation": self.citation,
            "obligation": self.obligation,  # a StrEnum: JSON writes its value
            "grade": self.grade,
            "hipaa_label": self.hipaa_label.value if self.hipaa_label else None,
            "status": self.status,
            "reason": self.reason,
            "evidence": (
                {"kind": self.evidence.kind, "id": self.evidence.id, "label": self.evidence.label}
                if self.evidence
                else None
            ),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "file_by": self.file_by.isoformat() if self.file_by else None,
            "attestable": self.attestable,
        }


@dataclass(frozen=True, slots=True)
class Tally:
    """A facility's results counted in one pass: what a check stores beside them."""

    overall: Overall
    requirements_met: tuple[str, ...]
    requirements_pending: tuple[str, ...]
    warnings: int
    problems: tuple[str, ...]


def tally(results: Sequence[RequirementResult]) -> Tally:
    """The overall status (non-compliant if a mandatory requirement is missing or expired,
    pending if one awaits its renewal, else compliant), the met and expiring codes, the codes of
    every applicable requirement not met, the warnings and the problems, in one pass."""
    met: list[str] = []
    pending: list[str] = []
    problems: list[str] = []
    warnings = 0
    blocking_pending = False
    for r in results:
        status = r.status
        if status is Status.NOT_APPLICABLE:
            continue
        if status in MET_STATUSES:
            met.append(r.code)
        else:
            pending.append(r.code)
        if r.is_warning:
            warnings += 1
        if r.is_failure:
            problems.append(r.code)
        elif (
            status is Status.PENDING
            and r.obligation is Obligation.MANDATORY
            and r.grade is not Grade.MEMORY
        ):
            blocking_pending = True
    overall = (
        Overall.NON_COMPLIANT
        if problems
        else Overall.PENDING
        if blocking_pending
        else Overall.COMPLIANT
    )
    return Tally(overall, tuple(met), tuple(pending), warnings, tuple(problems))


@dataclass(frozen=True, slots=True)
class FacilityResult:
    overall: Overall
    results: tuple[RequirementResult, ...]

    @property
    def applicable(self) -> tuple[RequirementResult, ...]:
        return tuple(r for r in self.results if r.status is not Status.NOT_APPLICABLE)

    @property
    def requirements_met(self) -> list[str]:
        """Met and expiring codes, as the original schema's `requirements_met`."""
        return list(tally(self.results).requirements_met)

    @property
    def requirements_pending(self) -> list[str]:
        """Every applicable requirement not met, as the original schema's `requirements_pending`."""
        return list(tally(self.results).requirements_pending)

    @property
    def warnings(self) -> int:
        return tally(self.results).warnings

    @property
    def problems(self) -> list[str]:
        """Mandatory requirements missing or expired: what makes a facility non-compliant."""
        return list(tally(self.results).problems)


# --- Applicability ----------------------------------------------------------------------------


def not_applicable_reason(
    requirement: Requirement, framework: Framework, snapshot: FacilitySnapshot, as_of: datetime.date
) -> str | None:
    """Why the requirement does not apply to this facility on `as_of`, or None if it applies."""
    facility = snapshot.facility
    rule = requirement.applicability
    jurisdiction = framework.jurisdiction
    if jurisdiction != "*" and jurisdiction.split("-")[0] != facility.country:
        return _("Applies in another country.")
    if "-" in jurisdiction and jurisdiction != facility.state:
        return _("Applies in other states.")
    if rule.countries and facility.country not in rule.countries:
        return _("Applies in another country.")
    if rule.never_for_providers:
        return rule.never_for_providers
    for start, end in (
        (framework.effective_from, framework.effective_until),
        (requirement.effective_from, requirement.effective_until),
    ):
        if start and as_of < start:
            return _("Not in force until %(date)s.") % {"date": start.isoformat()}
        if end and as_of > end:
            return _("No longer in force after %(date)s.") % {"date": end.isoformat()}
    if rule.states and facility.state not in rule.states:
        return _("Applies in other states.")
    if facility.state in rule.excluded_states:
        return _("Does not apply in this state.")
    if rule.facility_types and facility.facility_type not in rule.facility_types:
        return _("Does not apply to this type of facility.")
    if rule.ownership and facility.ownership not in rule.ownership:
        return _("Does not apply to this ownership.")
    if rule.services and not (rule.services & facility.services):
        return _("Applies only to facilities offering a service this facility does not offer.")
    if rule.min_beds is not None and facility.bed_count < rule.min_beds:
        return _("Applies from %(beds)d beds.") % {"beds": rule.min_beds}
    if rule.accreditation_body and not any(
        a.body == rule.accreditation_body for a in snapshot.accreditations
    ):
        return _("The facility holds no accreditation from this body.")
    return None


def effective_obligation(requirement: Requirement, facility: FacilityFacts) -> Obligation:
    if requirement.mandatory_if_services & facility.services:
        return Obligation.MANDATORY
    return requirement.obligation


# --- Dated records ----------------------------------------------------------------------------


def _dated_record_finding(
    *,
    evidence: Evidence,
    issued: datetime.date,
    expires: datetime.date | None,
    status: str,
    renewal_filed_on: datetime.date | None,
    window_days: int,
    file_by_days: int,
    as_of: datetime.date,
) -> Finding:
    """The one place where a dated record's validity on `as_of` is decided."""
    if status in INVALIDATING_STATUSES:
        return Finding(
            Status.MISSING,
            _("%(record)s is %(status)s.") % {"record": evidence.label, "status": status},
            evidence,
            expires,
        )
    if as_of < issued:
        return Finding(
            Status.MISSING,
            _("%(record)s takes effect on %(date)s.")
            % {"record": evidence.label, "date": issued.isoformat()},
            evidence,
            expires,
        )
    if expires is None:
        return Finding(
            Status.MET,
            _("%(record)s is valid and has no expiry.") % {"record": evidence.label},
            evidence,
        )
    file_by = expires - datetime.timedelta(days=file_by_days) if file_by_days else None
    if as_of <= expires:
        window_start = expires - datetime.timedelta(days=window_days)
        if as_of >= window_start:
            if renewal_filed_on:
                reason = _("%(record)s expires on %(date)s; renewal filed on %(filed)s.") % {
                    "record": evidence.label,
                    "date": expires.isoformat(),
                    "filed": renewal_filed_on.isoformat(),
                }
            else:
                reason = _("%(record)s expires on %(date)s; file the renewal by %(file_by)s.") % {
                    "record": evidence.label,
                    "date": expires.isoformat(),
                    "file_by": (file_by or expires).isoformat(),
                }
            return Finding(Status.EXPIRING, reason, evidence, expires, file_by)
        return Finding(
            Status.MET,
            _("%(record)s is valid until %(date)s.")
            % {"record": evidence.label, "date": expires.isoformat()},
            evidence,
            expires,
            file_by,
        )
    if renewal_filed_on and renewal_filed_on <= expires:
        return Finding(
            Status.PENDING,
            _(
                "%(record)s expired on %(date)s; the renewal filed on %(filed)s awaits "
                "the authority."
            )
            % {
                "record": evidence.label,
                "date": expires.isoformat(),
                "filed": renewal_filed_on.isoformat(),
            },
            evidence,
            expires,
            file_by,
        )
    return Finding(
        Status.EXPIRED,
        _("%(record)s expired on %(date)s.")
        % {"record": evidence.label, "date": expires.isoformat()},
        evidence,
        expires,
        file_by,
    )


def license_window(license_type: str) -> tuple[int, int]:
    """(renewal window, file-by lead) in days for a licence type; defaults documented above."""
    entry = license_catalog.get_license_type(license_type)
    file_by = entry.file_by_days if entry else 0
    if entry and entry.renewal_window_days is not None:
        return entry.renewal_window_days, file_by
    return max(DEFAULT_RENEWAL_WINDOW_DAYS, file_by), file_by


def license_finding(license: LicenseFacts, as_of: datetime.date) -> Finding:
    entry = license_catalog.get_license_type(license.license_type)
    name = entry.name if entry else license.license_type
    window, file_by = license_window(license.license_type)
    return _dated_record_finding(
        evidence=Evidence("licence", license.id, f"{name} {license.license_number}"),
        issued=license.issued_date,
        expires=license.expiry_date,
        status=license.status,
        renewal_filed_on=license.renewal_filed_on,
        window_days=window,
        file_by_days=file_by,
        as_of=as_of,
    )


def accreditation_finding(record: AccreditationFacts, as_of: datetime.date) -> Finding:
    body = accreditation_catalog.get_accreditation_body(record.body)
    lead = body.file_by_days if body else DEFAULT_RENEWAL_WINDOW_DAYS
    label = f"{body.name if body else record.body} {record.certificate_number}".strip()
    return _dated_record_finding(
        evidence=Evidence("accreditation", record.id, label),
        issued=record.certified_date,
        expires=record.expiry_date,
        status=record.status,
        renewal_filed_on=None,
        window_days=lead,
        file_by_days=lead,
        as_of=as_of,
    )


def attestation_end(
    attestation: AttestationFacts, max_age_days: int | None
) -> datetime.date | None:
    """The effective end: the earlier of `valid until` and `attested on` + the maximum age."""
    ends = [attestation.valid_until] if attestation.valid_until else []
    if max_age_days is not None:
        ends.append(attestation.attested_on + datetime.timedelta(days=max_age_days))
    return min(ends) if ends else None


def attestation_finding(
    attestation: AttestationFacts,
    requirement: Requirement,
    max_age_days: int | None,
    as_of: datetime.date,
) -> Finding:
    return _attestation_finding(attestation, requirement.hipaa_label, max_age_days, as_of)


# An organization-wide attestation is read for every facility of the organization: its finding
# depends only on these arguments (all immutable), so it is computed once per as-of date.
@lru_cache(maxsize=65_536)
def _attestation_finding(
    attestation: AttestationFacts,
    hipaa_label: HipaaLabel | None,
    max_age_days: int | None,
    as_of: datetime.date,
) -> Finding:
    scope = _("organization-wide") if attestation.facility_id is None else _("facility")
    evidence = Evidence(
        "attestation",
        attestation.id,
        _("%(scope)s attestation of %(date)s")
        % {"scope": scope, "date": attestation.attested_on.isoformat()},
    )
    if attestation.outcome not in (IMPLEMENTED, NOT_REASONABLE):
        return Finding(
            Status.MISSING,
            _("The attestation's outcome %(outcome)r is not one that satisfies a requirement.")
            % {"outcome": attestation.outcome},
            evidence,
        )
    if attestation.outcome == NOT_REASONABLE:
        if hipaa_label is not HipaaLabel.ADDRESSABLE:
            return Finding(
                Status.MISSING,
                _("Attested as not reasonable, but only an addressable specification may be."),
                evidence,
            )
        if not (attestation.justification.strip() and attestation.alternative.strip()):
            return Finding(
                Status.MISSING,
                _(
                    "Attested as not reasonable without the documented reason and the equivalent "
                    "alternative that 164.306(d)(3) requires."
                ),
                evidence,
            )
    end = attestation_end(attestation, max_age_days)
    return _dated_record_finding(
        evidence=evidence,
        issued=attestation.attested_on,
        expires=end,
        status="active",
        renewal_filed_on=None,
        window_days=ATTESTATION_RENEWAL_DAYS,
        file_by_days=ATTESTATION_RENEWAL_DAYS,
        as_of=as_of,
    )


# --- Satisfiers ---------------------------------------------------------------------------------


def _best(findings: Iterable[Finding], missing: Finding) -> Finding:
    """The highest-ranked finding (the first of equals), or `missing` when there is none."""
    best = None
    for finding in findings:
        if best is None or _RANK[finding.status] > _RANK[best.status]:
            best = finding
    return missing if best is None else best


# What a satisfier finds when no record of its kind exists: one object each, shared.
NO_LICENCE = Finding(Status.MISSING, _("No licence of the required type is recorded."))
NO_ACCREDITATION = Finding(Status.MISSING, _("No accreditation by this body is recorded."))
NO_ATTESTATION = Finding(Status.MISSING, _("No current attestation is recorded."))
NOTHING_RECORDED = Finding(
    Status.MISSING, _("Nothing that satisfies this requirement is recorded.")
)


def _identifier_finding(kind: str, facility: FacilityFacts) -> Finding:
    value = facility.identifiers.get(kind, "")
    label = kind.upper().replace("_", " ")
    if not value:
        return Finding(Status.MISSING, _("No %(kind)s is recorded.") % {"kind": label})
    result = (
        identifiers.validate_ccn(value, facility_type=facility.facility_type)
        if kind == "ccn"
        else identifiers.VALIDATORS[kind](value)
    )
    evidence = Evidence("identifier", None, f"{label} {result.normalized}")
    if result.outcome is identifiers.Outcome.INVALID:
        return Finding(Status.MISSING, result.message, evidence)
    if result.outcome is identifiers.Outcome.WARNING:
        return Finding(Status.NEEDS_VERIFICATION, result.message, evidence)
    return Finding(Status.MET, _("%(id)s is valid.") % {"id": evidence.label}, evidence)


def _cnes_update_finding(days: int, facility: FacilityFacts, as_of: datetime.date) -> Finding:
    number = facility.identifiers.get("cnes", "")
    if not number:
        return Finding(Status.MISSING, _("No CNES number is recorded."))
    evidence = Evidence("cnes", None, f"CNES {number}")
    if facility.cnes_updated_on is None:
        return Finding(
            Status.MISSING, _("The date of the last CNES update is not recorded."), evidence
        )
    due = facility.cnes_updated_on + datetime.timedelta(days=days)
    if as_of > due:
        return Finding(
            Status.EXPIRED,
            _(
                "Last CNES update on %(date)s: more than 6 months ago, so CNES flags the record "
                "as deactivated for lack of updates."
            )
            % {"date": facility.cnes_updated_on.isoformat()},
            evidence,
            due,
        )
    status = Status.EXPIRING if as_of >= due - datetime.timedelta(days=30) else Status.MET
    return Finding(
        status,
        _("Last CNES update on %(date)s; the next is due by %(due)s.")
        % {"date": facility.cnes_updated_on.isoformat(), "due": due.isoformat()},
        evidence,
        due,
        due,
    )


AttestationIndex = Mapping[str, Sequence[AttestationFacts]]


def attestation_index(snapshot: FacilitySnapshot) -> AttestationIndex:
    """The snapshot's attestations by requirement code, so each requirement reads only its own."""
    index: dict[str, list[AttestationFacts]] = {}
    for attestation in snapshot.attestations:
        index.setdefault(attestation.requirement_code, []).append(attestation)
    return index


def satisfier_finding(
    satisfier: Satisfier,
    requirement: Requirement,
    snapshot: FacilitySnapshot,
    as_of: datetime.date,
    attestations: AttestationIndex | None = None,
) -> Finding:
    facility = snapshot.facility
    match satisfier:
        case HoldsLicense(license_types):
            return _best(
                (
                    license_finding(lic, as_of)
                    for lic in snapshot.licenses
                    if lic.license_type in license_types
                ),
                NO_LICENCE,
            )
        case HoldsAccreditation(bodies):
            return _best(
                (
                    accreditation_finding(acc, as_of)
                    for acc in snapshot.accreditations
                    if acc.body in bodies
                ),
                NO_ACCREDITATION,
            )
        case Attested(max_age_days):
            return _best(
                (
                    attestation_finding(att, requirement, max_age_days, as_of)
                    for att in (
                        attestation_index(snapshot) if attestations is None else attestations
                    ).get(requirement.code, ())
                    if att.facility_id in (None, facility.id) and att.attested_on <= as_of
                ),
                NO_ATTESTATION,
            )
        case HasIdentifier(kind):
            return _identifier_finding(kind, facility)
        case CnesUpdatedWithin(days):
            return _cnes_update_finding(days, facility, as_of)
    raise TypeError(f"unknown satisfier {satisfier!r}")  # pragma: no cover


# --- Requirements and facilities ----------------------------------------------------------------


def evaluate_requirement(
    requirement: Requirement,
    framework: Framework,
    snapshot: FacilitySnapshot,
    as_of: datetime.date,
    attestations: AttestationIndex | None = None,
) -> RequirementResult:
    not_applicable = not_applicable_reason(requirement, framework, snapshot, as_of)
    if not_applicable is not None:
        return _result(
            requirement,
            framework,
            effective_obligation(requirement, snapshot.facility),
            Finding(Status.NOT_APPLICABLE, not_applicable),
        )
    return _evaluate_applicable(requirement, framework, snapshot, as_of, attestations)


def _evaluate_applicable(
    requirement: Requirement,
    framework: Framework,
    snapshot: FacilitySnapshot,
    as_of: datetime.date,
    attestations: AttestationIndex | None,
) -> RequirementResult:
    if _attested_only(requirement):
        return _attested_result(requirement, framework, snapshot, as_of, attestations)
    finding = _best(
        (
            satisfier_finding(s, requirement, snapshot, as_of, attestations)
            for s in requirement.satisfied_by
        ),
        NOTHING_RECORDED,
    )
    return _result(
        requirement, framework, effective_obligation(requirement, snapshot.facility), finding
    )


def _attestable(requirement: Requirement) -> bool:
    return any(isinstance(s, Attested) for s in requirement.satisfied_by)


def _attested_only(requirement: Requirement) -> bool:
    return all(isinstance(s, Attested) for s in requirement.satisfied_by)


# Most requirements (HIPAA, LGPD, DPDP) are met by the organization's attestations alone, so
# their result is the same for every facility they apply to unless a facility attested on its
# own. Results are kept by the objects they were computed from; the identity check on a hit
# guards against a reused id() of a requirement object that no longer exists.
_ATTESTED_RESULTS: dict[tuple[Any, ...], tuple[Requirement, Framework, RequirementResult]] = {}
_ATTESTED_RESULTS_LIMIT = 50_000


def _attested_result(
    requirement: Requirement,
    framework: Framework,
    snapshot: FacilitySnapshot,
    as_of: datetime.date,
    attestations: AttestationIndex | None,
) -> RequirementResult:
    facility_id = snapshot.facility.id
    index = attestation_index(snapshot) if attestations is None else attestations
    relevant = tuple(
        a for a in index.get(requirement.code, ()) if a.facility_id in (None, facility_id)
    )
    obligation = effective_obligation(requirement, snapshot.facility)
    key = (id(requirement), id(framework), relevant, obligation, as_of)
    cached = _ATTESTED_RESULTS.get(key)
    if cached is not None and cached[0] is requirement and cached[1] is framework:
        return cached[2]
    finding = satisfier_finding(
        requirement.satisfied_by[0], requirement, snapshot, as_of, {requirement.code: relevant}
    )
    for satisfier in requirement.satisfied_by[1:]:
        other = satisfier_finding(
            satisfier, requirement, snapshot, as_of, {requirement.code: relevant}
        )
        finding = max((finding, other), key=lambda f: _RANK[f.status])
    result = _result(requirement, framework, obligation, finding)
    if len(_ATTESTED_RESULTS) >= _ATTESTED_RESULTS_LIMIT:
        _ATTESTED_RESULTS.clear()
    _ATTESTED_RESULTS[key] = (requirement, framework, result)
    return result


def _result(
    requirement: Requirement, framework: Framework, obligation: Obligation, finding: Finding
) -> RequirementResult:
    status, reason = finding.status, finding.reason
    if requirement.grade is Grade.MEMORY and status is not Status.NOT_APPLICABLE:
        # The obligation itself is unverified: it may warn, never pass or fail outright.
        status = Status.NEEDS_VERIFICATION
        reason = _("%(reason)s This obligation is not verified against its source.") % {
            "reason": reason
        }
    return RequirementResult(
        code=requirement.code,
        title=requirement.title,
        framework=framework.code,
        level=framework.level.value,
        citation=requirement.citation,
        obligation=obligation,
        grade=requirement.grade,
        hipaa_label=requirement.hipaa_label,
        status=status,
        reason=reason,
        evidence=finding.evidence,
        expires_on=finding.expires_on,
        file_by=finding.file_by,
        attestable=_attestable(requirement),
    )


def overall_status(results: Sequence[RequirementResult]) -> Overall:
    """Non-compliant if a mandatory requirement is missing or expired; pending if one is
    pending; otherwise compliant (with its warnings counted apart)."""
    return tally(results).overall


def evaluate_facility(
    snapshot: FacilitySnapshot,
    frameworks: Iterable[Framework],
    as_of: datetime.date,
) -> FacilityResult:
    results = evaluate_results(snapshot, frameworks, as_of)
    return FacilityResult(overall=overall_status(results), results=results)


def evaluate_results(
    snapshot: FacilitySnapshot,
    frameworks: Iterable[Framework],
    as_of: datetime.date,
) -> tuple[RequirementResult, ...]:
    """Every requirement of the frameworks evaluated for the facility, in catalog order."""
    return evaluate(snapshot, frameworks, as_of).results


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A facility's results, and which of them were evaluated for it alone.

    The others come from `template`, one tuple shared by every facility with the same profile
    and the same attestations (the organization's): the engine encodes and counts its part once.
    """

    template: tuple[RequirementResult | None, ...]  # None where the facility's own result goes
    results: tuple[RequirementResult, ...]
    own: tuple[int, ...]  # positions of the facility's own results


def evaluate(
    snapshot: FacilitySnapshot,
    frameworks: Iterable[Framework],
    as_of: datetime.date,
) -> Evaluation:
    template, to_evaluate, attestations = _template(tuple(frameworks), snapshot, as_of)
    results = list(template)
    for position, framework, requirement in to_evaluate:
        if attestations is None:
            attestations = attestation_index(snapshot)
        results[position] = _evaluate_applicable(
            requirement, framework, snapshot, as_of, attestations
        )
    own = tuple(position for position, _framework, _requirement in to_evaluate)
    # Every None of the template is at a position evaluated above.
    return Evaluation(template, cast(tuple[RequirementResult, ...], tuple(results)), own)


# Whether a requirement applies depends only on a facility's profile (jurisdiction, type,
# ownership, services, bed thresholds, accreditation bodies) and the date; facilities sharing
# a profile share the plan, with their not-applicable results built once.
_PlanStep = tuple[Framework, Requirement, RequirementResult | None]
_PLANS: dict[tuple[Any, ...], tuple[tuple[Framework, ...], tuple[_PlanStep, ...]]] = {}
_PLANS_LIMIT = 10_000


_THRESHOLDS: IdentityCache[tuple[int, ...]] = IdentityCache(limit=64)


def _bed_thresholds(frameworks: tuple[Framework, ...]) -> tuple[int, ...]:
    cached = _THRESHOLDS.get(frameworks)
    if cached is not None:
        return cached
    thresholds = {
        r.applicability.min_beds
        for f in frameworks
        for r in f.requirements
        if r.applicability.min_beds is not None
    }
    return _THRESHOLDS.put((frameworks,), tuple(sorted(thresholds)))


def _profile(
    frameworks: tuple[Framework, ...], snapshot: FacilitySnapshot, as_of: datetime.date
) -> tuple[Any, ...]:
    facility = snapshot.facility
    return (
        id(frameworks),  # registry.frameworks_for returns the same tuple for a country
        as_of,
        facility.country,
        facility.state,
        facility.facility_type,
        facility.ownership,
        facility.services,
        tuple(facility.bed_count >= t for t in _bed_thresholds(frameworks)),
        frozenset(a.body for a in snapshot.accreditations),
    )


def _plan(
    frameworks: tuple[Framework, ...], snapshot: FacilitySnapshot, as_of: datetime.date
) -> tuple[_PlanStep, ...]:
    key = _profile(frameworks, snapshot, as_of)
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is frameworks:
        return cached[1]
    steps = []
    for framework in frameworks:
        for requirement in framework.requirements:
            reason = not_applicable_reason(requirement, framework, snapshot, as_of)
            na_result = (
                None
                if reason is None
                else _result(
                    requirement,
                    framework,
                    effective_obligation(requirement, snapshot.facility),
                    Finding(Status.NOT_APPLICABLE, reason),
                )
            )
            steps.append((framework, requirement, na_result))
    if len(_PLANS) >= _PLANS_LIMIT:
        _PLANS.clear()
    _PLANS[key] = (frameworks, tuple(steps))
    return _PLANS[key][1]


_ToEvaluate = tuple[tuple[int, Framework, Requirement], ...]
_Template = tuple[tuple[RequirementResult | None, ...], _ToEvaluate, AttestationIndex | None]
# Facilities of an organization that attested nothing on their own read the same attestations
# (the organization's, one tuple shared by every snapshot of a chunk): for them, requirements
# met by attestation alone have the same result for every facility of a profile, fixed in the
# template once, and only licences, accreditations and identifiers are evaluated per facility.
# A few profiles per chunk are live at once; each entry holds the organization's attestations.
_TEMPLATES: IdentityCache[_Template] = IdentityCache(limit=256)


def _template(
    frameworks: tuple[Framework, ...], snapshot: FacilitySnapshot, as_of: datetime.date
) -> _Template:
    """The results known before looking at the facility's own records, what is left to
    evaluate (position, framework, requirement), and the attestations by code when shared."""
    plan = _plan(frameworks, snapshot, as_of)
    attestations = snapshot.attestations
    cached = _TEMPLATES.get(plan, attestations)
    if cached is not None:
        return cached
    shared = not any(a.facility_id is not None for a in attestations)
    index = attestation_index(snapshot) if shared else None
    template: list[RequirementResult | None] = []
    to_evaluate: list[tuple[int, Framework, Requirement]] = []
    for position, (framework, requirement, known) in enumerate(plan):
        if known is None and index is not None and _attested_only(requirement):
            known = _attested_result(requirement, framework, snapshot, as_of, index)
        if known is None:
            to_evaluate.append((position, framework, requirement))
        template.append(known)
    entry = (tuple(template), tuple(to_evaluate), index)
    # The facility's own attestations are its alone: nothing to keep for another facility.
    return _TEMPLATES.put((plan, attestations), entry) if shared else entry


# A facility's tally depends only on its template and on the status and obligation of its own
# results (the codes, grades and everything else follow from the template): most facilities of
# a profile share one.
_TALLIES: IdentityCache[dict[tuple[Any, ...], Tally]] = IdentityCache(limit=256)


def tally_evaluation(evaluation: Evaluation) -> Tally:
    """`tally(evaluation.results)`, counted once per template and outcome of the own results."""
    by_outcome = _TALLIES.get(evaluation.template)
    if by_outcome is None:
        by_outcome = _TALLIES.put((evaluation.template,), {})
    results = evaluation.results
    key = tuple((results[p].status, results[p].obligation) for p in evaluation.own)
    counted = by_outcome.get(key)
    if counted is None:
        counted = by_outcome[key] = tally(results)
    return counted
