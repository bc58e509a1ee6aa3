"""Writing a chunk of checks: the engine's hot path to the database.

Checks are inserted with one parameterised INSERT run for every row of a chunk (psycopg sends
them in a pipeline), their results as JSON text encoded here, each distinct result once per
chunk: a requirement met by the organization's attestation has the same result in every
facility's check. Django's `bulk_create` builds one statement with a placeholder per value,
which psycopg must split and adapt on every chunk: for checks it cost more than the database's
own work. The status projection is upserted the same way, each row finding its check by the
(run, facility) unique key. Plain SQL that PostgreSQL and SQLite both accept.

`ComplianceCheck` is the audit record itself (append-only, not history-tracked) and
`FacilityStatus` a projection: neither has history to keep.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from compliance import check_results
from compliance.regulations.evaluation import Evaluation, RequirementResult, Tally
from compliance.regulations.identity_cache import IdentityCache

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class ResultEncoder:
    """Each result's stored JSON, encoded once however many checks of a chunk carry it, and a
    template's shared results once for all the facilities that share it. One per chunk, so
    memory does not grow with the run."""

    def __init__(self, entries: check_results.Entries, extra: dict[str, dict[str, Any]]):
        self._entries = entries
        self._extra = extra  # by code: fields added to a result (a custom rule's id and version)
        self._encoded: dict[int, str] = {}
        # Keeps every result encoded alive, so that no id in `_encoded` is reused by another.
        self._results: list[RequirementResult] = []
        self._templates: IdentityCache[list[str]] = IdentityCache(limit=1024)
        self._tallies: IdentityCache[tuple[str, str, str]] = IdentityCache(limit=4096)

    def encode(self, evaluation: Evaluation, more: Sequence[RequirementResult] = ()) -> str:
        """The JSON array of a facility's results, then `more` (its custom rules' results)."""
        shared = self._templates.get(evaluation.template)
        if shared is None:
            parts = [self._encode_one(r) if r is not None else "" for r in evaluation.template]
            shared = self._templates.put((evaluation.template,), parts)
        parts = list(shared)
        results = evaluation.results
        for position in evaluation.own:
            parts[position] = self._encode_one(results[position])
        parts.extend(self._encode_one(result) for result in more)
        return f"[{','.join(parts)}]"

    def encode_tally(self, counted: Tally) -> tuple[str, str, str]:
        """Met codes, pending codes and problems as JSON: once per tally, which facilities of a
        template with the same outcome share."""
        encoded = self._tallies.get(counted)
        if encoded is None:
            encoded = self._tallies.put(
                (counted,),
                (
                    _dumps(counted.requirements_met),
                    _dumps(counted.requirements_pending),
                    _dumps(counted.problems),
                ),
            )
        return encoded

    def _encode_one(self, result: RequirementResult) -> str:
        text = self._encoded.get(id(result))
        if text is not None:
            return text
        data = result.as_json()
        if result.code in self._extra:
            data.update(self._extra[result.code])
        text = _dumps(check_results.stored_form(data, self._entries))
        self._encoded[id(result)] = text
        self._results.append(result)
        return text


@dataclass(frozen=True, slots=True)
class CheckRow:
    """One check as inserted; `problems` feeds the status projection of a current check."""

    facility_id: int
    overall_status: str
    checked_at: datetime.datetime
    warnings: int
    # JSON text, encoded by ResultEncoder on the thread that evaluates.
    results: str
    requirements_met: str
    requirements_pending: str
    problems: str


# Literal SQL over the tables of ComplianceCheck and FacilityStatus (a test compares the columns
# with the models'): nothing in it comes from input.
INSERT_CHECK = (
    "INSERT INTO compliance_compliancecheck (run_id, organization_id, facility_id, as_of, "
    "overall_status, checked_at, checked_by_id, rules_version, results, requirements_met, "
    "requirements_pending, warnings, is_current, notes) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
UPSERT_STATUS = (
    "INSERT INTO compliance_facilitystatus (facility_id, organization_id, latest_check_id, "
    "overall_status, as_of, checked_at, problems) "
    "VALUES (%s, %s, (SELECT id FROM compliance_compliancecheck WHERE run_id = %s AND "
    "facility_id = %s), %s, %s, %s, %s) "
    "ON CONFLICT (facility_id) DO UPDATE SET latest_check_id = excluded.latest_check_id, "
    "overall_status = excluded.overall_status, as_of = excluded.as_of, "
    "checked_at = excluded.checked_at, problems = excluded.problems"
)


def insert_checks(
    *,
    run_id: int,
    organization_id: int,
    actor_id: int,
    as_of: datetime.date,
    rules_version: str,
    is_current: bool,
    notes: str,
    rows: Sequence[CheckRow],
) -> None:
    """Insert the checks of a chunk, and point the status projection of each facility at its
    new check when the checks are current. Call inside the chunk's transaction."""
    ops = connection.ops
    as_of_value = ops.adapt_datefield_value(as_of)
    with connection.cursor() as cursor:
        cursor.executemany(
            INSERT_CHECK,
            [
                (
                    run_id,
                    organization_id,
                    row.facility_id,
                    as_of_value,
                    row.overall_status,
                    ops.adapt_datetimefield_value(row.checked_at),
                    actor_id,
                    rules_version,
                    row.results,
                    row.requirements_met,
                    row.requirements_pending,
                    row.warnings,
                    is_current,
                    notes,
                )
                for row in rows
            ],
        )
        if not is_current:
            return  # a back-dated check never moves the projection
        cursor.executemany(
            UPSERT_STATUS,
            [
                (
                    row.facility_id,
                    organization_id,
                    run_id,
                    row.facility_id,
                    row.overall_status,
                    as_of_value,
                    ops.adapt_datetimefield_value(row.checked_at),
                    row.problems,
                )
                for row in rows
            ],
        )
