"""Tamper evidence for the audit trail: seals chained by SHA-256 (DESIGN.md §9).

`seal` appends an `AuditSeal` over the rows added to every history table and to compliance
checks since the previous seal. For each table it hashes, in id order, the rows with
`previous head < id <= horizon`: each row's hashed fields (every concrete column, recorded in
the seal) encoded as canonical JSON and hashed with SHA-256. The seal's digest is SHA-256 over
the previous seal's digest, the seal's header (tables, fields, heads, time, actor) and those row
hashes, tables in name order (never a JSON document's order: jsonb reorders keys). A chain, so
that no sealed row and no earlier seal can change unnoticed. The seal also keeps a compact row
index (each row's id and the first 8 bytes of its hash), which lets `verify` name the row that
was edited, removed or inserted out of order.

Safe horizon: ids are drawn when a row is inserted but become visible when its transaction
commits, so a row with a lower id may still appear after a higher one is visible. The sealer
reads each table's max(id) under a momentary `LOCK TABLE ... IN SHARE MODE`, which waits for the
transactions inserting into it to end (and holds new inserts back meanwhile), then hashes up to
that id without the lock. Nothing is added to the insert path: no trigger, nothing in save().

Single writer: a PostgreSQL advisory lock; the unique seal sequence backs it up. On SQLite (the
`make run` demo) transactions are IMMEDIATE, so the sealer's transaction is the only writer
while it reads the horizon and seals.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import struct
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, models, transaction
from django.utils import timezone

from compliance.append_only import history_models
from compliance.models import AuditSeal, ComplianceCheck, RulesCatalog
from compliance.regulations import registry
from facilities.models import User

# pg_try_advisory_lock key: "HIMSSEAL" as a 64-bit integer.
ADVISORY_LOCK_KEY = 0x48494D535345414C
CHUNK_SIZE = 2000
MAX_ROWS_PER_TABLE = 100_000
# Inserts into a table queue behind the sealer's lock request while it waits: keep it short.
LOCK_TIMEOUT_SECONDS = 2.0
LOCK_NOT_AVAILABLE = "55P03"
SHORT_HASH_BYTES = 8
INDEX_ENTRY = struct.Struct(">Q8s")  # row id, first bytes of the row's SHA-256

Report = Callable[[str], None]


class SealerBusy(RuntimeError):
    """Another sealer holds the single-writer lock."""


def sealed_models() -> list[type[models.Model]]:
    """The tables under seal: every history table, compliance checks and the rules catalogs
    they are read with, by table name."""
    return sorted(
        [*history_models(apps.get_models()), ComplianceCheck, RulesCatalog],
        key=lambda model: model._meta.db_table,
    )


def _pk(model: type[models.Model]) -> str:
    pk = model._meta.pk
    if pk is None:  # abstract models only
        raise TypeError(f"{model.__name__} has no primary key")
    return pk.attname


def hashed_fields(model: type[models.Model]) -> list[str]:
    """Every concrete column, the primary key first."""
    pk = _pk(model)
    return [pk] + [f.attname for f in model._meta.concrete_fields if f.attname != pk]


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | datetime.timedelta):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    raise TypeError(f"Cannot seal a value of type {type(value).__name__}")


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, default=_canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def row_hash(values: tuple[Any, ...]) -> bytes:
    return hashlib.sha256(canonical_json(list(values))).digest()


def live_rows(
    model: type[models.Model],
    fields: list[str],
    after_id: int,
    last_id: int,
    using: str = DEFAULT_DB_ALIAS,
) -> Iterator[tuple[int, bytes]]:
    """(id, SHA-256) of each row with after_id < id <= last_id, in id order, read in chunks
    by keyset so that memory stays flat however many rows there are."""
    pk = fields[0]
    queryset = model._base_manager.using(using).order_by(pk).values_list(*fields)
    cursor = after_id
    while cursor < last_id:
        chunk = list(queryset.filter(**{f"{pk}__gt": cursor, f"{pk}__lte": last_id})[:CHUNK_SIZE])
        if not chunk:
            return
        for values in chunk:
            yield values[0], row_hash(values)
        cursor = chunk[-1][0]


def seal_header(seal: AuditSeal) -> bytes:
    return canonical_json(
        {
            "sequence": seal.sequence,
            "created_at": seal.created_at,
            "sealed_by": seal.sealed_by_id,
            "note": seal.note,
            "tables": seal.tables,
        }
    )


# --- Sealing ----------------------------------------------------------------------------------


@contextmanager
def _single_writer(alias: str) -> Iterator[None]:
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield  # SQLite: IMMEDIATE transactions already make the sealer the only writer.
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise SealerBusy("Another seal_audit_trail is running: nothing done.")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


def _max_id(model: type[models.Model], using: str) -> int:
    result = model._base_manager.using(using).aggregate(last=models.Max(_pk(model)))["last"]
    return int(result or 0)


def safe_horizon(model: type[models.Model], *, alias: str, lock_timeout: float) -> int | None:
    """The highest id below which no row can still appear: max(id) read under a momentary
    SHARE lock, which waits for in-flight inserts to commit or roll back. None when the lock
    was not granted within `lock_timeout` seconds (a long transaction is inserting)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return _max_id(model, alias)
    table = connection.ops.quote_name(model._meta.db_table)
    try:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config(%s, %s, true)", ["lock_timeout", f"{int(lock_timeout * 1000)}ms"]
            )
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
            return _max_id(model, alias)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            return None
        raise


def _cap(model: type[models.Model], after_id: int, horizon: int, max_rows: int, using: str) -> int:
    """The last id to seal now: the horizon, or the id of the `max_rows`-th row after
    `after_id` if there are more."""
    pk = _pk(model)
    ids = model._base_manager.using(using).filter(**{f"{pk}__gt": after_id, f"{pk}__lte": horizon})
    capped = ids.order_by(pk).values_list(pk, flat=True)[max_rows - 1 : max_rows]
    return next(iter(capped), horizon)


@dataclass
class SealResult:
    seals: list[AuditSeal] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)  # tables whose lock timed out


def seal(
    *,
    actor: User,
    note: str = "",
    max_rows: int = MAX_ROWS_PER_TABLE,
    lock_timeout: float = LOCK_TIMEOUT_SECONDS,
    using: str = DEFAULT_DB_ALIAS,
    report: Report | None = None,
) -> SealResult:
    """Append seals until every table is sealed up to its safe horizon, taken once at the
    start; each seal covers at most `max_rows` new rows per table. Raises SealerBusy if
    another sealer is running."""
    result = SealResult()
    with _single_writer(using):
        if connections[using].vendor != "postgresql":
            # SQLite: one IMMEDIATE transaction holds the write lock throughout.
            with transaction.atomic(using=using):
                _seal_up_to(result, actor, note, max_rows, lock_timeout, using, report)
        else:
            _seal_up_to(result, actor, note, max_rows, lock_timeout, using, report)
    return result


def _seal_up_to(
    result: SealResult,
    actor: User,
    note: str,
    max_rows: int,
    lock_timeout: float,
    using: str,
    report: Report | None,
) -> None:
    horizons: dict[str, int | None] = {}
    sealed = sealed_models()
    for model in sealed:
        horizon = safe_horizon(model, alias=using, lock_timeout=lock_timeout)
        horizons[model._meta.db_table] = horizon
        if horizon is None:
            result.deferred.append(model._meta.db_table)
    while True:
        new_seal = _next_seal(sealed, horizons, actor, note, max_rows, using)
        if new_seal is None:
            return
        result.seals.append(new_seal)
        if report:
            report(describe(new_seal))


def _next_seal(
    sealed: list[type[models.Model]],
    horizons: dict[str, int | None],
    actor: User,
    note: str,
    max_rows: int,
    using: str,
) -> AuditSeal | None:
    previous = AuditSeal.objects.using(using).order_by("-sequence").first()
    heads: dict[str, dict[str, Any]] = previous.tables if previous else {}
    tables: dict[str, dict[str, Any]] = {}
    advanced = False
    for model in sealed:
        table = model._meta.db_table
        head = heads.get(table, {"last_id": 0, "total": 0})
        after_id, total = int(head["last_id"]), int(head["total"])
        horizon = horizons[table]
        last_id = after_id
        if horizon is not None and horizon > after_id:
            last_id = _cap(model, after_id, horizon, max_rows, using)
            advanced = True
        tables[table] = {
            "fields": hashed_fields(model),
            "after_id": after_id,
            "last_id": last_id,
            "rows": 0,
            "total": total,
        }
    if not advanced:
        return None

    # Count first, so the header (hashed before the rows) holds each table's row count.
    entries: dict[str, list[bytes]] = {}
    hashes: dict[str, list[bytes]] = {}
    for model in sealed:
        table = model._meta.db_table
        meta = tables[table]
        entries[table], hashes[table] = [], []
        rows = live_rows(model, meta["fields"], meta["after_id"], meta["last_id"], using)
        for row_id, digest in rows:
            entries[table].append(INDEX_ENTRY.pack(row_id, digest[:SHORT_HASH_BYTES]))
            hashes[table].append(digest)
        meta["rows"] = len(entries[table])
        meta["total"] += meta["rows"]

    new_seal = AuditSeal(
        sequence=(previous.sequence + 1) if previous else 1,
        previous_digest=previous.digest if previous else "",
        created_at=timezone.now(),
        sealed_by=actor,
        note=note[:200],
        tables=tables,
        rows=sum(meta["rows"] for meta in tables.values()),
    )
    chain = hashlib.sha256(new_seal.previous_digest.encode())
    chain.update(seal_header(new_seal))
    for table in sorted(tables):
        for digest in hashes[table]:
            chain.update(digest)
    new_seal.digest = chain.hexdigest()
    new_seal.row_index = zlib.compress(
        b"".join(b"".join(entries[table]) for table in sorted(tables))
    )
    with transaction.atomic(using=using):
        new_seal.save(using=using)
    return new_seal


def describe(audit_seal: AuditSeal) -> str:
    counts = ", ".join(
        f"{table} {meta['rows']}"
        for table, meta in sorted(audit_seal.tables.items())
        if meta["rows"]
    )
    return (
        f"Seal #{audit_seal.sequence}: {audit_seal.rows} rows"
        + (f" ({counts})" if counts else "")
        + f", digest {audit_seal.digest}."
    )


# --- Verification -----------------------------------------------------------------------------


@dataclass
class Verification:
    seals: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)
    unsealed: dict[str, int] = field(default_factory=dict)  # rows after the newest head

    @property
    def ok(self) -> bool:
        return not self.problems


def _compare(
    table: str,
    sequence: int,
    index: list[tuple[int, bytes]],
    live: Iterator[tuple[int, bytes]],
    on_live_row: Callable[[bytes], None],
) -> str | None:
    """Merge the sealed index with the live rows of one range, feeding each live row's hash
    to `on_live_row`; return the first difference, naming the row."""
    first: str | None = None
    sealed_rows = iter(index)
    sealed_row = next(sealed_rows, None)
    for row_id, digest in live:
        on_live_row(digest)
        while sealed_row is not None and sealed_row[0] < row_id:
            first = first or f"{table}: row {sealed_row[0]} was removed (sealed in #{sequence})."
            sealed_row = next(sealed_rows, None)
        if sealed_row is None or sealed_row[0] > row_id:
            first = first or (
                f"{table}: row {row_id} was inserted out of order (an unused id below the "
                f"head of seal #{sequence})."
            )
            continue
        if sealed_row[1] != digest[:SHORT_HASH_BYTES]:
            first = first or f"{table}: row {row_id} was edited (sealed in #{sequence})."
        sealed_row = next(sealed_rows, None)
    if sealed_row is not None:
        first = first or f"{table}: row {sealed_row[0]} was removed (sealed in #{sequence})."
    return first


def _split_index(audit_seal: AuditSeal) -> dict[str, list[tuple[int, bytes]]]:
    data = zlib.decompress(bytes(audit_seal.row_index))
    sections: dict[str, list[tuple[int, bytes]]] = {}
    offset = 0
    for table, meta in sorted(audit_seal.tables.items()):
        size = int(meta["rows"]) * INDEX_ENTRY.size
        sections[table] = list(INDEX_ENTRY.iter_unpack(data[offset : offset + size]))
        offset += size
    if offset != len(data):
        raise ValueError("row index length does not match the seal's row counts")
    return sections


def verify(*, using: str = DEFAULT_DB_ALIAS, report: Report | None = None) -> Verification:
    """Recompute every seal from the live tables and compare the newest heads with them."""
    result = Verification()
    models_by_table = {model._meta.db_table: model for model in sealed_models()}
    heads: dict[str, dict[str, Any]] = {}
    broken: set[str] = set()  # tables with a problem already named
    previous_digest, expected = "", 1
    seals = AuditSeal.objects.using(using).order_by("sequence")
    for audit_seal in seals.iterator(chunk_size=1):
        result.seals += 1
        sequence = audit_seal.sequence
        if sequence != expected:
            result.problems.append(f"Seal #{expected} is missing: the next seal is #{sequence}.")
        if audit_seal.previous_digest != previous_digest:
            result.problems.append(
                f"Seal #{sequence} is not chained to the seal before it (previous digest differs)."
            )
        expected, previous_digest = sequence + 1, audit_seal.digest
        try:
            sections = _split_index(audit_seal)
        except (zlib.error, ValueError, KeyError, TypeError) as error:
            result.problems.append(f"Seal #{sequence}: its row index is unreadable ({error}).")
            sections = {}
        chain = hashlib.sha256(audit_seal.previous_digest.encode())
        chain.update(seal_header(audit_seal))
        row_problems: list[str] = []
        # Kept apart from `row_problems`: a table already broken by an earlier seal has its
        # message suppressed, but its rows still explain this seal's digest mismatch.
        rows_differ = False
        for table, meta in sorted(audit_seal.tables.items()):
            after_id, last_id = int(meta["after_id"]), int(meta["last_id"])
            expected_after = int(heads.get(table, {"last_id": 0})["last_id"])
            heads[table] = meta
            if after_id != expected_after:
                result.problems.append(
                    f"Seal #{sequence}: {table} starts after id {after_id}, but the seal "
                    f"before it ended at id {expected_after}."
                )
            model = models_by_table.get(table)
            if model is None:
                result.problems.append(f"Seal #{sequence}: table {table} no longer exists.")
                continue
            fields = list(meta["fields"])
            known = {f.attname for f in model._meta.concrete_fields}
            if not set(fields) <= known:
                missing = ", ".join(sorted(set(fields) - known))
                result.problems.append(
                    f"Seal #{sequence}: {table} no longer has the sealed column(s) {missing}."
                )
                continue
            counted = [0]

            def feed(digest: bytes, chain: Any = chain, counted: list[int] = counted) -> None:
                chain.update(digest)
                counted[0] += 1

            problem = _compare(
                table,
                sequence,
                sections.get(table, []),
                live_rows(model, fields, after_id, last_id, using),
                feed,
            )
            result.rows += counted[0]
            rows_differ = rows_differ or problem is not None
            if problem and table not in broken:
                row_problems.append(problem)
                broken.add(table)
        digest_matches = chain.hexdigest() == audit_seal.digest
        if rows_differ and not digest_matches:
            result.problems.extend(row_problems)
        elif rows_differ:
            result.problems.append(
                f"Seal #{sequence}: its row index was altered (the rows match its digest)."
            )
        elif not digest_matches:
            result.problems.append(
                f"Seal #{sequence} does not match its digest: the seal itself was altered."
            )
        if report and not result.problems:
            report(f"Seal #{sequence} verified.")

    # The newest heads against the live tables: rows after them are not sealed yet.
    for table, model in models_by_table.items():
        pk = _pk(model)
        head = heads.get(table, {"last_id": 0, "total": 0})
        rows = model._base_manager.using(using)
        live_total = rows.filter(**{f"{pk}__lte": head["last_id"]}).count()
        if live_total != int(head["total"]) and table not in broken:
            result.problems.append(
                f"{table}: {live_total} rows up to id {head['last_id']}, the newest seal "
                f"says {head['total']}."
            )
        unsealed = rows.filter(**{f"{pk}__gt": head["last_id"]}).count()
        if unsealed:
            result.unsealed[table] = unsealed
    result.problems.extend(_misnamed_catalogs(using))
    return result


def _misnamed_catalogs(using: str) -> list[str]:
    """Rules catalogs whose text does not hash to the version they are recorded under: checks
    of that version would be read with rules they were not made with. Sealed or not yet."""
    catalogs = RulesCatalog.objects.using(using).order_by("pk")
    rows = catalogs.values_list("pk", "version", "document")
    return [
        f"Rules catalog {pk}: its text does not hash to its version {version[:12]}…."
        for pk, version, document in rows.iterator(chunk_size=1)
        if registry.version_of(document) != version
    ]
