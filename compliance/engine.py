"""The compliance check engine: load a chunk of facilities in a fixed number of queries, evaluate
the code catalog and the organization's custom rules as pure functions of that data and the
as-of date, and write the checks of the chunk in one transaction.

Queries per chunk, whatever its size and the number of rules: the page of facility ids,
facilities, licences, accreditations, attestations, the insert of the checks, the upsert of the
facilities' status projection and the run's progress; two more for a back-dated check (licence
and accreditation statuses from history), one fewer (no projection). Once per run: custom rules,
the facilities already checked by this run (so an interrupted run resumes without duplicates),
the count of those to check, and the rules catalog of the version (recorded by the first run of
a version).

The chunk being written and the next one being evaluated (on a worker thread) are all a run
holds, besides the ids it had already checked when it resumes: its memory does not grow with the
number of facilities.

A check stores each requirement's result without the catalog's text (compliance.check_results);
the chunk's checks are written by compliance.check_store.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance import check_results, check_store, custom_rules
from compliance.models import (
    Attestation,
    CheckRun,
    CustomComplianceRule,
)
from compliance.regulations import registry
from compliance.regulations.evaluation import (
    RequirementResult,
    Status,
    evaluate,
    tally,
    tally_evaluation,
)
from compliance.regulations.facts import (
    AccreditationFacts,
    AttestationFacts,
    FacilityFacts,
    FacilitySnapshot,
    LicenseFacts,
)
from compliance.regulations.framework import Obligation
from compliance.regulations.vocabularies import Grade
from facilities.filters import FacilityFilter
from facilities.models import Accreditation, Facility, FacilityLicense, Organization, User

CHUNK_SIZE = 500
# A run whose progress has not moved for this long is taken for abandoned (its worker died)
# and may be claimed again; a chunk takes far less.
STALE_AFTER = datetime.timedelta(minutes=10)
IDENTIFIER_FIELDS = {
    "npi": "npi_number",
    "ccn": "ccn",
    "cnes": "cnes_number",
    "cnpj": "cnpj",
    "hfr_id": "hfr_id",
}
Progress = Callable[[CheckRun], None]


class CheckRequestError(ValueError):
    """A check that cannot be run as asked (an as-of date in the future)."""


# --- Selecting facilities ---------------------------------------------------------------------


def facilities_to_check(organization: Organization, filters: dict[str, Any]) -> QuerySet[Facility]:
    """Active facilities of the organization matching a run's filters, in id order.

    `list` holds the facility list's own filters (a bulk run started from the list): they are
    resolved again through the list's FilterSet, so a run stores a few parameters, never
    thousands of ids. `facility_ids` is for short explicit lists (one facility, the command).
    """
    queryset = Facility.objects.filter(organization=organization, status=Facility.Status.ACTIVE)
    if filters.get("list"):
        filterset = FacilityFilter(filters["list"], queryset=queryset)
        if not filterset.is_valid():
            # django-filter drops an invalid filter and keeps the others: that would check
            # more facilities than were asked for.
            raise CheckRequestError(_("The run's facility list filters are no longer valid."))
        queryset = filterset.qs
    if filters.get("country"):
        queryset = queryset.filter(country__code=filters["country"])
    if filters.get("state"):
        queryset = queryset.filter(state__code=filters["state"])
    if filters.get("facility_ids"):
        queryset = queryset.filter(id__in=filters["facility_ids"])
    return queryset.order_by("id")


# --- Loading snapshots ------------------------------------------------------------------------


def _end_of_day(day: datetime.date, time_zone: str) -> datetime.datetime:
    next_day = day + datetime.timedelta(days=1)
    return datetime.datetime.combine(next_day, datetime.time.min, zoneinfo.ZoneInfo(time_zone))


def _statuses_on(
    model: Any, facility_ids: Sequence[int], moment: datetime.datetime
) -> dict[int, str]:
    """Each record's status as it stood at `moment`, from its history (one query).

    A record entered after `moment` has no history before it: its status as first recorded is
    the best knowledge of its status then ("records as currently known").
    """
    before: dict[int, str] = {}
    first: dict[int, str] = {}
    rows = (
        model.history.filter(facility_id__any=facility_ids)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "status", "history_date")
    )
    for record_id, status, recorded_at in rows:
        first.setdefault(record_id, status)
        if recorded_at < moment:
            before[record_id] = status  # the last row before `moment` wins
    return {**first, **before}


def load_snapshots(
    organization: Organization,
    facility_ids: Sequence[int],
    as_of: datetime.date,
    *,
    reconstruct: bool,
) -> list[FacilitySnapshot]:
    """Snapshots of the given facilities in a fixed number of queries."""
    facilities = list(
        Facility.objects.filter(id__any=facility_ids, organization=organization)
        .order_by("id")
        .values_list(
            "id",
            "facility_name",
            "facility_type",
            "ownership",
            "bed_count",
            "services",
            "country__code",
            "state__code",
            "npi_number",
            "ccn",
            "cnes_number",
            "cnpj",
            "hfr_id",
            "cnes_updated_on",
        )
    )
    licenses: dict[int, list[LicenseFacts]] = defaultdict(list)
    license_rows = list(
        FacilityLicense.objects.filter(facility_id__any=facility_ids).values_list(
            "id",
            "facility_id",
            "license_type",
            "license_number",
            "issued_date",
            "expiry_date",
            "status",
            "renewal_filed_on",
        )
    )
    accreditation_rows = list(
        Accreditation.objects.filter(facility_id__any=facility_ids).values_list(
            "id",
            "facility_id",
            "accreditation_body",
            "accreditation_level",
            "certificate_number",
            "certified_date",
            "expiry_date",
            "status",
        )
    )
    license_status: dict[int, str] = {}
    accreditation_status: dict[int, str] = {}
    if reconstruct:
        moment = _end_of_day(as_of, organization.time_zone)
        license_status = _statuses_on(FacilityLicense, facility_ids, moment)
        accreditation_status = _statuses_on(Accreditation, facility_ids, moment)
    for lid, fid, ltype, number, issued, expiry, status, filed in license_rows:
        status = license_status.get(lid, status) if reconstruct else status
        licenses[fid].append(LicenseFacts(lid, ltype, number, issued, expiry, status, filed))
    accreditations: dict[int, list[AccreditationFacts]] = defaultdict(list)
    for aid, fid, body, level, number, certified, expiry, status in accreditation_rows:
        status = accreditation_status.get(aid, status) if reconstruct else status
        accreditations[fid].append(
            AccreditationFacts(aid, body, level, number, certified, expiry, status)
        )
    attestations: dict[int | None, list[AttestationFacts]] = defaultdict(list)
    attestation_rows = (
        Attestation.objects.filter(organization=organization)
        .filter(Q(facility_id__any=facility_ids) | Q(facility__isnull=True))
        .values_list(
            "id",
            "requirement_code",
            "facility_id",
            "outcome",
            "attested_on",
            "valid_until",
            "justification",
            "alternative",
        )
    )
    for row in attestation_rows:
        attestations[row[2]].append(AttestationFacts(*row))
    organization_wide = tuple(attestations[None])

    snapshots = []
    for (
        fid,
        name,
        ftype,
        ownership,
        beds,
        services,
        country,
        state,
        npi,
        ccn,
        cnes,
        cnpj,
        hfr,
        cnes_updated_on,
    ) in facilities:
        identifiers = {
            kind: value
            for kind, value in (
                ("npi", npi),
                ("ccn", ccn),
                ("cnes", cnes),
                ("cnpj", cnpj),
                ("hfr_id", hfr),
            )
            if value
        }
        snapshots.append(
            FacilitySnapshot(
                facility=FacilityFacts(
                    fid,
                    name,
                    ftype,
                    ownership,
                    beds,
                    frozenset(services or ()),
                    country,
                    state,
                    identifiers,
                    cnes_updated_on,
                ),
                licenses=tuple(licenses[fid]),
                accreditations=tuple(accreditations[fid]),
                # The organization's tuple itself when the facility attested nothing on its
                # own: the evaluation shares its results between such facilities.
                attestations=(
                    organization_wide + tuple(attestations[fid])
                    if fid in attestations
                    else organization_wide
                ),
            )
        )
    return snapshots


# --- Custom rules -----------------------------------------------------------------------------


def _custom_results(
    rules: Sequence[CustomComplianceRule], snapshot: FacilitySnapshot, as_of: datetime.date
) -> list[RequirementResult]:
    results = []
    for rule in rules:
        if rule.country and rule.country.code != snapshot.facility.country:
            continue
        if rule.state and rule.state.code != snapshot.facility.state:
            continue
        if not custom_rules.applies(rule.logic, snapshot, as_of):
            continue
        met = custom_rules.satisfied(rule.logic, snapshot, as_of)
        results.append(
            RequirementResult(
                code=rule.code,
                title=rule.name,
                framework="CUSTOM",
                level="organization",
                citation=_("Custom rule %(id)s, version %(version)s")
                % {"id": rule.pk, "version": rule.version},
                obligation=Obligation.MANDATORY,
                grade=Grade.VERIFIED,
                hipaa_label=None,
                status=Status.MET if met else Status.MISSING,
                reason=(
                    _("The organization's rule holds.")
                    if met
                    else _("The organization's rule does not hold: %(description)s")
                    % {"description": rule.description or rule.name}
                ),
            )
        )
    return results


# --- Running ------------------------------------------------------------------------------------


def _check_as_of(organization: Organization, as_of: datetime.date | None) -> datetime.date:
    today = organization.today()
    if as_of is None:
        return today
    if as_of > today:
        raise CheckRequestError(_("The as-of date cannot be in the future."))
    return as_of


def create_run(
    *,
    organization: Organization,
    actor: User,
    as_of: datetime.date | None = None,
    filters: dict[str, Any] | None = None,
    via: str,
) -> CheckRun:
    """Record a requested run (queued), with the number of facilities it will check."""
    as_of = _check_as_of(organization, as_of)
    filters = filters or {}
    return CheckRun.objects.create(
        organization=organization,
        filters=filters,
        as_of=as_of,
        actor=actor,
        via=via,
        total=facilities_to_check(organization, filters).count(),
        rules_version=registry.rules_version(),
    )


def claim_run(run: CheckRun, *, stale_before: datetime.datetime) -> bool:
    """Take the run for execution, atomically: True only for the one caller whose conditional
    UPDATE found it queued, or running without progress since `stale_before` (its worker
    taken for dead). The claim stamps its progress, so a second claimant (the worker's task
    and `run_compliance_checks --resume`) finds it running and recent, and leaves it alone.
    """
    now = timezone.now()
    last_moved = Coalesce("progress_at", "started_at", "created_at")
    claimable = Q(status=CheckRun.Status.QUEUED) | Q(
        status=CheckRun.Status.RUNNING, last_moved__lt=stale_before
    )
    # CheckRun is not history-tracked: its progress fields are written in place.
    claimed = (
        CheckRun.objects.filter(pk=run.pk)
        .alias(last_moved=last_moved)
        .filter(claimable)
        .update(
            status=CheckRun.Status.RUNNING,
            started_at=Coalesce("started_at", now),
            progress_at=now,
        )
    )
    if claimed:
        run.refresh_from_db(fields=["status", "started_at", "progress_at"])
    return bool(claimed)


def execute_run(
    run: CheckRun, *, chunk_size: int = CHUNK_SIZE, progress: Progress | None = None
) -> CheckRun:
    """Check every facility of the run that it has not checked yet, chunk by chunk.

    Safe to call again on an interrupted run: facilities it already checked are skipped, and a
    chunk is written whole or not at all.
    """
    organization = run.organization
    today = organization.today()
    reconstruct = run.as_of < today
    rules = list(
        CustomComplianceRule.objects.filter(organization=organization, is_active=True)
        .select_related("country", "state")
        .order_by("code")
    )
    done = set(run.checks.values_list("facility_id", flat=True))
    to_check = facilities_to_check(organization, run.filters)
    # The list's filters are resolved again on a resume, and a facility checked already may
    # no longer match them (its compliance status changed): it still counts as checked.
    still_matching = to_check.filter(id__in=run.checks.values("facility_id")).count() if done else 0
    run.status = CheckRun.Status.RUNNING
    run.total = len(done) + to_check.count() - still_matching
    run.started_at = run.started_at or timezone.now()
    # Recorded before any check of the version is written: checks are read with it.
    run.rules_version = check_results.record_catalog()
    run.checked = len(done)
    run.save(update_fields=["status", "total", "started_at", "rules_version", "checked"])
    notes = (
        _(
            "Reconstructed from records as known on %(date)s: the records' own dates decide "
            "validity, and suspended or revoked statuses are taken from history as of "
            "%(as_of)s."
        )
        % {"date": today.isoformat(), "as_of": run.as_of.isoformat()}
        if reconstruct
        else ""
    )
    counts: Counter[str] = Counter(run.counts or {})
    entries = check_results.catalog_entries(run.rules_version)
    extra = {rule.code: {"custom_rule": {"id": rule.pk, "version": rule.version}} for rule in rules}
    language = translation.get_language()

    def read_and_evaluate(chunk: Sequence[int]) -> Future[list[check_store.CheckRow]]:
        snapshots = load_snapshots(organization, chunk, run.as_of, reconstruct=reconstruct)
        encoder = check_store.ResultEncoder(entries, extra)
        return evaluator.submit(_chunk_rows, run, snapshots, rules, encoder, language)

    def evaluated_chunks() -> Iterator[list[check_store.CheckRow]]:
        """Each chunk's rows, the next chunk read and handed to the worker first."""
        chunks = _pending_chunks(to_check, done, chunk_size)
        first = next(chunks, None)
        if first is None:
            return
        upcoming = read_and_evaluate(first)
        for following in chunks:
            current, upcoming = upcoming, read_and_evaluate(following)
            yield current.result()
        yield upcoming.result()

    # Pipelined: while this thread writes a chunk and waits on PostgreSQL, a worker thread
    # evaluates the next one (pure Python, no database), so the two overlap. Every query, the
    # reads and each chunk's transaction, stays on this thread's connection.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="compliance-eval") as evaluator:
        for rows in evaluated_chunks():
            with transaction.atomic():
                check_store.insert_checks(
                    run_id=run.pk,
                    organization_id=run.organization_id,
                    actor_id=run.actor_id,
                    as_of=run.as_of,
                    rules_version=run.rules_version,
                    is_current=not reconstruct,
                    notes=notes,
                    rows=rows,
                )
                counts.update(row.overall_status for row in rows)
                run.checked += len(rows)
                run.counts = dict(counts)
                run.progress_at = timezone.now()
                run.save(update_fields=["checked", "counts", "progress_at"])
            if progress:
                progress(run)
    run.status, run.finished_at = CheckRun.Status.FINISHED, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


def _pending_chunks(
    to_check: QuerySet[Facility], done: set[int], chunk_size: int
) -> Iterator[list[int]]:
    """The ids of the facilities still to check, a page at a time in id order (a query each:
    never every id of a 100,000-facility run in memory at once)."""
    after = 0
    while True:
        page = list(to_check.filter(id__gt=after).values_list("id", flat=True)[:chunk_size])
        chunk = [facility_id for facility_id in page if facility_id not in done]
        if chunk:
            yield chunk
        if len(page) < chunk_size:
            return
        after = page[-1]


def _chunk_rows(
    run: CheckRun,
    snapshots: Sequence[FacilitySnapshot],
    rules: Sequence[CustomComplianceRule],
    encoder: check_store.ResultEncoder,
    language: str | None,
) -> list[check_store.CheckRow]:
    """The checks of a chunk, on the worker thread: reasons in the caller's language, and no
    query (it would run on another connection, outside the run's transaction)."""
    with translation.override(language), connection.execute_wrapper(_refuse_query):
        return [_check_row(run, snapshot, rules, encoder) for snapshot in snapshots]


def _refuse_query(*args: Any) -> None:
    raise RuntimeError("The evaluation thread reads nothing: load it with the chunk instead.")


def _check_row(
    run: CheckRun,
    snapshot: FacilitySnapshot,
    rules: Sequence[CustomComplianceRule],
    encoder: check_store.ResultEncoder,
) -> check_store.CheckRow:
    """The check of one facility, as the row the chunk inserts."""
    frameworks = registry.frameworks_for(snapshot.facility.country)
    evaluation = evaluate(snapshot, frameworks, run.as_of)
    custom = tuple(_custom_results(rules, snapshot, run.as_of))
    counted = tally(evaluation.results + custom) if custom else tally_evaluation(evaluation)
    met, pending, problems = encoder.encode_tally(counted)
    return check_store.CheckRow(
        facility_id=snapshot.facility.id,
        overall_status=counted.overall.value,
        checked_at=timezone.now(),
        warnings=counted.warnings,
        results=encoder.encode(evaluation, custom),
        requirements_met=met,
        requirements_pending=pending,
        problems=problems,
    )


def run_checks(
    facilities: QuerySet[Facility] | Iterable[Facility],
    *,
    as_of: datetime.date | None = None,
    actor: User,
    via: str = "web",
    chunk_size: int = CHUNK_SIZE,
    progress: Progress | None = None,
) -> list[CheckRun]:
    """Check the given facilities now: one run per organization, in the caller's process."""
    if isinstance(facilities, QuerySet):
        # The organization of each facility is read below: join it, never a query per row.
        facilities = facilities.select_related("organization")
    by_organization: dict[int, list[int]] = defaultdict(list)
    organizations: dict[int, Organization] = {}
    for facility in facilities:
        by_organization[facility.organization_id].append(facility.pk)
        organizations.setdefault(facility.organization_id, facility.organization)
    runs = []
    for organization_id, ids in by_organization.items():
        run = create_run(
            organization=organizations[organization_id],
            actor=actor,
            as_of=as_of,
            filters={"facility_ids": sorted(ids)},
            via=via,
        )
        runs.append(execute_run(run, chunk_size=chunk_size, progress=progress))
    return runs
