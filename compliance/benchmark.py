"""The check engine's benchmark: the engine against a naive per-facility implementation and a
raw-SQL floor, measured in one run on the same generated data (`manage.py benchmark_checks`).

(a) engine: `execute_run`, chunked, a fixed number of queries per chunk;
(b) naive: the same pure rule functions called per facility, with per-facility queries
    (facility, licences, accreditations, attestations) and one insert each, as the original
    design's `validate_facility_compliance` does (timed on a sample: it is slow by design);
(c) floor: raw SQL reading the same rows and inserting rows carrying the same JSON payloads,
    serialised in advance: no evaluation at all, the least any implementation can do.
"""

from __future__ import annotations

import datetime
import random
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import batched
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from compliance import check_results
from compliance.engine import create_run, execute_run
from compliance.models import Attestation, CheckRun, ComplianceCheck
from compliance.regulations import registry
from compliance.regulations.evaluation import evaluate_facility
from compliance.regulations.facts import (
    AccreditationFacts,
    AttestationFacts,
    FacilityFacts,
    FacilitySnapshot,
    LicenseFacts,
)
from compliance.regulations.framework import Attested
from facilities.history import bulk_create_tracked
from facilities.models import (
    Accreditation,
    Facility,
    FacilityLicense,
    Organization,
    RecordStatus,
    User,
)
from geography.models import State

# (state, facility type, licence types, accreditation body) profiles the generator cycles through.
PROFILES = (
    ("US-CA", "hospital", ("US-CA-HOSPITAL", "US-CLIA", "US-DEA"), "TJC"),
    ("US-TX", "hospital", ("US-TX-HOSPITAL", "US-CLIA"), "DNV"),
    ("US-NY", "nursing_home", ("US-NY-OPERATING-CERTIFICATE",), None),
    ("US-FL", "clinic", ("US-CLIA",), None),
    ("BR-SP", "hospital", ("BR-ALVARA-SANITARIO", "BR-AVCB", "BR-CRM-PJ"), "ONA"),
    ("BR-RJ", "clinic", ("BR-ALVARA-SANITARIO", "BR-AVCB"), None),
    ("IN-MH", "hospital", ("IN-MH-NURSING-HOME", "IN-BMW-AUTHORISATION", "IN-FIRE-NOC"), "NABH"),
    ("IN-KA", "diagnostic_laboratory", ("IN-KA-KPME", "IN-BMW-AUTHORISATION", "IN-PCPNDT"), None),
)
SERVICES = {
    "US-CA": ["laboratory", "controlled_substances", "medicare_participation"],
    "US-TX": ["laboratory"],
    "US-FL": ["laboratory"],
    "IN-KA": ["ultrasound"],
}
NAIVE_SAMPLE = 2000


@dataclass
class Measure:
    label: str
    facilities: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.facilities / self.seconds if self.seconds else float("inf")


def generate(*, organization: Organization, actor: User, count: int, seed: int = 7) -> None:
    """Create `count` facilities with licences, accreditations and attestations, in chunks."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    today = organization.today()
    states = {s.code: s for s in State.objects.filter(code__in=[p[0] for p in PROFILES])}
    reason = "command: benchmark data"
    for start in range(0, count, 2000):
        facilities = []
        for n in range(start, min(count, start + 2000)):
            state_code, facility_type, _, _ = PROFILES[n % len(PROFILES)]
            state = states[state_code]
            facilities.append(
                Facility(
                    organization=organization,
                    facility_name=f"Benchmark facility {n}",
                    facility_type=facility_type,
                    ownership="private",
                    bed_count=rng.randint(10, 600),
                    services=SERVICES.get(state_code, []),
                    country_id=state.country_id,
                    state=state,
                )
            )
        created = bulk_create_tracked(facilities, actor=actor, reason=reason)
        licenses, accreditations = [], []
        for facility in created:
            _, _, license_types, body = PROFILES[
                int(facility.facility_name.rsplit(" ", 1)[1]) % len(PROFILES)
            ]
            for number, license_type in enumerate(license_types):
                expiry = today + datetime.timedelta(days=rng.randint(-60, 700))
                licenses.append(
                    FacilityLicense(
                        organization=organization,
                        facility=facility,
                        license_type=license_type,
                        license_number=f"{facility.pk}-{number}",
                        issued_date=expiry - datetime.timedelta(days=730),
                        expiry_date=expiry,
                        status=RecordStatus.ACTIVE,
                    )
                )
            if body:
                expiry = today + datetime.timedelta(days=rng.randint(-30, 1000))
                accreditations.append(
                    Accreditation(
                        organization=organization,
                        facility=facility,
                        accreditation_body=body,
                        certificate_number=f"ACC-{facility.pk}",
                        certified_date=expiry - datetime.timedelta(days=1095),
                        expiry_date=expiry,
                        status=RecordStatus.ACTIVE,
                    )
                )
        bulk_create_tracked(licenses, actor=actor, reason=reason)
        bulk_create_tracked(accreditations, actor=actor, reason=reason)
    # Organization-wide attestations of every attestable requirement, as an entity would keep.
    attestations = [
        Attestation(
            organization=organization,
            requirement_code=requirement.code,
            outcome=Attestation.Outcome.IMPLEMENTED,
            attested_by=actor,
            attested_on=today - datetime.timedelta(days=rng.randint(0, 400)),
        )
        for framework in registry.frameworks()
        for requirement in framework.requirements
        if any(isinstance(s, Attested) for s in requirement.satisfied_by)
    ]
    bulk_create_tracked(attestations, actor=actor, reason=reason)


def _timed(label: str, count: int, work: Any) -> Measure:
    started = time.perf_counter()
    work()
    return Measure(label, count, time.perf_counter() - started)


def run_engine(organization: Organization, actor: User) -> CheckRun:
    return execute_run(create_run(organization=organization, actor=actor, via="benchmark"))


def peak_memory_of_engine(organization: Organization, actor: User) -> int:
    """Peak traced memory of a whole engine run, in bytes (a separate run: tracing is slow)."""
    tracemalloc.start()
    try:
        run_engine(organization, actor)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _naive_snapshot(facility_id: int) -> tuple[Facility, FacilitySnapshot]:
    facility = Facility.objects.select_related("country", "state").get(pk=facility_id)
    licenses = FacilityLicense.objects.filter(facility_id=facility_id)
    accreditations = Accreditation.objects.filter(facility_id=facility_id)
    attestations = Attestation.objects.filter(
        Q(facility_id=facility_id)
        | Q(facility__isnull=True, organization_id=facility.organization_id)
    )
    snapshot = FacilitySnapshot(
        facility=FacilityFacts(
            facility.pk,
            facility.facility_name,
            facility.facility_type,
            facility.ownership,
            facility.bed_count,
            frozenset(facility.services),
            facility.country.code,
            facility.state.code,
            {},
            facility.cnes_updated_on,
        ),
        licenses=tuple(
            LicenseFacts(
                x.pk,
                x.license_type,
                x.license_number,
                x.issued_date,
                x.expiry_date,
                x.status,
                x.renewal_filed_on,
            )
            for x in licenses
        ),
        accreditations=tuple(
            AccreditationFacts(
                x.pk,
                x.accreditation_body,
                x.accreditation_level,
                x.certificate_number,
                x.certified_date,
                x.expiry_date,
                x.status,
            )
            for x in accreditations
        ),
        attestations=tuple(
            AttestationFacts(
                x.pk,
                x.requirement_code,
                x.facility_id,
                x.outcome,
                x.attested_on,
                x.valid_until,
                x.justification,
                x.alternative,
            )
            for x in attestations
        ),
    )
    return facility, snapshot


def run_naive(organization: Organization, actor: User, facility_ids: list[int]) -> None:
    """One facility at a time: four reads, the rules, one insert."""
    run = create_run(organization=organization, actor=actor, via="benchmark-naive")
    as_of = run.as_of
    entries = check_results.catalog_entries(run.rules_version)
    for facility_id in facility_ids:
        facility, snapshot = _naive_snapshot(facility_id)
        result = evaluate_facility(snapshot, registry.frameworks_for(facility.country.code), as_of)
        ComplianceCheck.objects.create(
            run=run,
            organization=organization,
            facility=facility,
            as_of=as_of,
            overall_status=result.overall.value,
            checked_at=timezone.now(),
            checked_by=actor,
            rules_version=run.rules_version,
            # The stored form the engine writes, without its per-chunk sharing of encodings.
            results=[check_results.stored_form(r.as_json(), entries) for r in result.results],
            requirements_met=result.requirements_met,
            requirements_pending=result.requirements_pending,
            warnings=result.warnings,
        )


def _payloads(run: CheckRun) -> Iterator[tuple[Any, ...]]:
    """The engine's output, serialised in advance for the floor (not timed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT facility_id, as_of, overall_status, rules_version, results::text, "
            "requirements_met::text, requirements_pending::text, warnings "
            "FROM compliance_compliancecheck WHERE run_id = %s ORDER BY facility_id",
            [run.pk],
        )
        yield from cursor.fetchall()


def run_floor(organization: Organization, actor: User, payloads: list[tuple[Any, ...]]) -> None:
    """Read the same rows and insert the same payloads with raw SQL: no evaluation."""
    run = create_run(organization=organization, actor=actor, via="benchmark-floor")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, facility_type, ownership, bed_count, services, country_id, state_id "
            "FROM facilities_facility WHERE organization_id = %s AND status = 'active'",
            [organization.pk],
        )
        cursor.fetchall()
        for table, date_column in (
            ("facilities_facilitylicense", "expiry_date"),
            ("facilities_accreditation", "expiry_date"),
            ("compliance_attestation", "attested_on"),
        ):
            cursor.execute(
                f"SELECT * FROM {table} WHERE organization_id = %s AND {date_column} IS NOT NULL",  # noqa: S608
                [organization.pk],
            )
            cursor.fetchall()
        for chunk in batched(payloads, 500):
            with transaction.atomic():
                cursor.executemany(
                    "INSERT INTO compliance_compliancecheck (run_id, organization_id, "
                    "facility_id, as_of, overall_status, checked_at, checked_by_id, "
                    "rules_version, results, requirements_met, requirements_pending, warnings, "
                    "is_current, notes) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, "
                    "%s::jsonb, %s::jsonb, %s, true, '')",
                    [
                        (
                            run.pk,
                            organization.pk,
                            fid,
                            as_of,
                            status,
                            now,
                            actor.pk,
                            version,
                            results,
                            met,
                            pending,
                            warnings,
                        )
                        for fid, as_of, status, version, results, met, pending, warnings in chunk
                    ],
                )


def json_size(payloads: list[tuple[Any, ...]]) -> int:
    return sum(len(p[4]) for p in payloads)


def describe(measures: list[Measure]) -> dict[str, Any]:
    by = {m.label: m for m in measures}
    return {
        "rates": {m.label: round(m.rate, 1) for m in measures},
        "engine_vs_naive": round(by["engine"].rate / by["naive"].rate, 1),
        "floor_vs_engine": round(by["floor"].rate / by["engine"].rate, 2),
    }
