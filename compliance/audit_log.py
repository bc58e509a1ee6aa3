"""The organization's audit log: every history row of its tracked records, and its check runs,
newest first, with the field differences of each row (DESIGN.md §9).

The log is one `UNION ALL` of small `.values()` querysets, one per history table (scoped by the
table's `organization_id` column; the organization's own rows by its id) and one of check runs,
ordered by date then id. Pages are read by keyset, not by offset: a page starts after a cursor
(the date, id and kind of the last row of the page before), applied to each part of the union,
and on PostgreSQL each part is itself ordered and limited to one page, so an old page costs what
the first does. A page then reads the rows of its slice: per kind of row, the history rows with
their users and the id of each row's predecessor, and the predecessors themselves, so that the
differences are computed in Python. The number of queries depends on the kinds of rows on the
page, never on the number of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connections, models
from django.db.models import CharField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.models import CheckRun
from facilities.actors import SYSTEM_USERNAME
from facilities.exports import spreadsheet_safe
from facilities.history import TrackedModel
from facilities.models import Membership, Organization, User
from facilities.selectors import HistoryEntry, history_entries, readable_history

CHECK_RUN = "checkrun"
ACTIONS = {"created": "+", "changed": "~", "deleted": "-"}
RUN = "run"
# The log's order: newest first; then, within one instant, the highest row id; then the kind.
LOG_ORDER = ("-log_when", "-log_row", "log_kind")
# Row ids are bigint at most: a longer number in a cursor is not one of ours.
MAX_ROW_DIGITS = 18
# Rows read and enriched at a time by the CSV export.
EXPORT_CHUNK = 500


def tracked_models() -> list[type[TrackedModel]]:
    """Every operational model with a history table, in a stable order: a model added later
    joins the log without a change here."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, TrackedModel) and hasattr(model, "history")
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def model_key(model: type[models.Model]) -> str:
    return model._meta.model_name or ""


def model_choices() -> list[tuple[str, str]]:
    """The `model` filter's choices: each tracked model, and check runs."""
    choices = [(model_key(m), capfirst(str(m._meta.verbose_name))) for m in tracked_models()]
    choices.append((CHECK_RUN, capfirst(str(CheckRun._meta.verbose_name))))
    return sorted(choices, key=lambda choice: choice[1])


def audit_users(organization: Organization) -> QuerySet[User]:
    """Who may appear in the `user` filter: the organization's members, past and present, and
    the system user of commands and scheduled work."""
    return (
        User.objects.filter(Q(memberships__organization=organization) | Q(username=SYSTEM_USERNAME))
        .distinct()
        .order_by("username")
    )


@dataclass(frozen=True)
class AuditFilters:
    """What the officer asked for. `start` and `end` bound the date (end excluded), already
    converted from the organization's days to instants."""

    user: User | None = None
    model: str = ""
    action: str = ""
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None


@dataclass(frozen=True)
class Cursor:
    """Where a page of the log starts: right after the row (`when`, `row`, `kind`) in the log's
    order. Written into links as text (`str`), read back by `parse`."""

    when: datetime.datetime
    row: int
    kind: str

    def __str__(self) -> str:
        return f"{self.when.astimezone(datetime.UTC).isoformat()}~{self.row}~{self.kind}"

    @classmethod
    def parse(cls, value: str) -> Cursor | None:
        """The cursor written by `str`, or None for anything else (a hand-edited link reads
        the newest page)."""
        parts = value.split("~")
        if len(parts) != 3:
            return None
        when_text, row_text, kind = parts
        kinds = {model_key(model) for model in tracked_models()} | {CHECK_RUN}
        if not (row_text.isdigit() and len(row_text) <= MAX_ROW_DIGITS) or kind not in kinds:
            return None
        try:
            when = datetime.datetime.fromisoformat(when_text)
            if when.tzinfo is None:
                return None
            when = when.astimezone(datetime.UTC)
        except (ValueError, OverflowError):  # OverflowError: year 1 east of UTC, in UTC
            return None
        return cls(when=when, row=int(row_text), kind=kind)


def _scoped_history(model: type[TrackedModel], organization: Organization) -> QuerySet[Any]:
    history: QuerySet[Any] = model.history.all()  # type: ignore[attr-defined]
    if model is Organization:
        return history.filter(id=organization.pk)
    return history.filter(organization_id=organization.pk)


def _row_values(queryset: QuerySet[Any], kind: str, row: str, when: str) -> QuerySet[Any]:
    # The same three columns, in the same order, for every part of the union.
    return queryset.order_by().values(
        log_kind=Value(kind, output_field=CharField()),
        log_row=F(row),
        log_when=F(when),
    )


def _dated(queryset: QuerySet[Any], field: str, filters: AuditFilters) -> QuerySet[Any]:
    if filters.start is not None:
        queryset = queryset.filter(**{f"{field}__gte": filters.start})
    if filters.end is not None:
        queryset = queryset.filter(**{f"{field}__lt": filters.end})
    return queryset


def _older_than(
    queryset: QuerySet[Any], kind: str, row: str, when: str, cursor: Cursor | None
) -> QuerySet[Any]:
    # The rows after `cursor` in LOG_ORDER. The kind is constant within one part, so the
    # kind's tiebreak decides in Python whether this part's row of the same id and instant
    # comes after the cursor's.
    if cursor is None:
        return queryset
    same_instant = Q(**{when: cursor.when})
    if kind > cursor.kind:
        same_instant &= Q(**{f"{row}__lte": cursor.row})
    else:
        same_instant &= Q(**{f"{row}__lt": cursor.row})
    return queryset.filter(Q(**{f"{when}__lt": cursor.when}) | same_instant)


def audit_rows(
    organization: Organization,
    filters: AuditFilters,
    *,
    before: Cursor | None = None,
    limit: int | None = None,
) -> QuerySet[Any]:
    """The log's rows as `{log_kind, log_row, log_when}`, newest first, filtered, after
    `before` if given: one query, ready to be sliced (a page) or iterated (an export).

    With `limit`, each part of the union is read in order and cut at `limit` rows where the
    database allows it (PostgreSQL; not SQLite), so the union sorts at most `limit` rows per
    part; the caller still slices the result to `limit`.
    """
    parts: list[tuple[QuerySet[Any], str, str, str]] = []
    if filters.action != RUN:
        for model in tracked_models():
            key = model_key(model)
            if filters.model and filters.model != key:
                continue
            history = _dated(_scoped_history(model, organization), "history_date", filters)
            if filters.user is not None:
                history = history.filter(history_user=filters.user)
            if filters.action:
                history = history.filter(history_type=ACTIONS[filters.action])
            parts.append((history, key, "history_id", "history_date"))
    if filters.action in ("", RUN) and filters.model in ("", CHECK_RUN):
        runs = _dated(CheckRun.objects.filter(organization=organization), "created_at", filters)
        if filters.user is not None:
            runs = runs.filter(actor=filters.user)
        parts.append((runs, CHECK_RUN, "id", "created_at"))
    if not parts:
        return _row_values(CheckRun.objects.none(), CHECK_RUN, "id", "created_at")
    values = [
        _row_values(_older_than(queryset, kind, row, when, before), kind, row, when)
        for queryset, kind, row, when in parts
    ]
    cut = (
        limit is not None
        and connections[values[0].db].features.supports_slicing_ordering_in_compound
    )
    if cut and len(values) > 1:
        values = [part.order_by(*LOG_ORDER)[:limit] for part in values]
    first, *others = values
    combined = first.union(*others, all=True) if others else first
    return combined.order_by(*LOG_ORDER)


# --- The rows, as an officer reads them -----------------------------------------------------


def _label(model: type[models.Model], record: Any) -> str:
    # `record.instance` of a model with fields kept out of history (the organization's
    # calendar token) reads them from the live row: one query per row, so not for those.
    if model is Organization:
        return str(record.name)
    if model is Membership:
        return str(record.user)
    return str(record.instance)


def _history_entries(model: type[TrackedModel], ids: list[int]) -> dict[int, HistoryEntry]:
    """The history rows `ids` of `model` as entries with their differences: two queries, the
    rows (with their users and their predecessor's id) and the predecessors."""
    history_model: Any = model.history.model  # type: ignore[attr-defined]
    related = ["history_user", "user"] if model is Membership else ["history_user"]
    earlier = (
        history_model.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    records = list(
        history_model.objects.filter(history_id__in=ids)
        .select_related(*related)
        .annotate(previous_id=Subquery(earlier))
    )
    previous_ids = [record.previous_id for record in records if record.previous_id]
    previous = history_model.objects.select_related(*related).in_bulk(previous_ids)
    name = capfirst(str(model._meta.verbose_name))
    entries = {}
    for record in records:
        label = f"{name}: {_label(model, record)}"
        before = previous.get(record.previous_id)
        pair = [before, record] if before is not None else [record]
        entries[record.history_id] = history_entries(pair, label)[-1]
    return entries


def _run_entries(ids: list[int]) -> dict[int, HistoryEntry]:
    """Check runs as entries: who started which run, as of when, and what it found."""
    entries = {}
    for run in CheckRun.objects.filter(pk__in=ids).select_related("actor"):
        counts = ", ".join(f"{count} {status}" for status, count in sorted(run.counts.items()))
        detail = gettext("as of %(date)s, %(status)s, %(checked)d of %(total)d facilities") % {
            "date": run.as_of.isoformat(),
            "status": run.get_status_display(),
            "checked": run.checked,
            "total": run.total,
        }
        reason = f"{run.via}: {detail}" + (f" ({counts})" if counts else "")
        entries[run.pk] = HistoryEntry(
            when=run.created_at,
            who=str(run.actor),
            action=gettext("run"),
            object_label=capfirst(str(CheckRun._meta.verbose_name)),
            reason=reason,
        )
    return entries


def audit_entries(rows: Sequence[dict[str, Any]]) -> list[HistoryEntry]:
    """The entries of rows of `audit_rows`, in their order, with readable differences.

    At most two queries per kind of row present, one for check runs, and one per related model
    the differences name (`readable_history`), whatever the number of rows.
    """
    wanted: dict[str, list[int]] = {}
    for row in rows:
        wanted.setdefault(row["log_kind"], []).append(row["log_row"])
    by_key = {model_key(model): model for model in tracked_models()}
    found: dict[tuple[str, int], HistoryEntry] = {}
    for kind, ids in wanted.items():
        entries = _run_entries(ids) if kind == CHECK_RUN else _history_entries(by_key[kind], ids)
        found.update(((kind, pk), entry) for pk, entry in entries.items())
    ordered = [found[(row["log_kind"], row["log_row"])] for row in rows]
    return readable_history(ordered, tuple(tracked_models()))


@dataclass(frozen=True)
class AuditPage:
    entries: list[HistoryEntry]
    has_previous: bool  # newer entries exist: the page started after a cursor
    has_next: bool
    next_cursor: str  # where the older page starts; "" on the oldest page


def audit_page(
    organization: Organization,
    filters: AuditFilters,
    *,
    before: Cursor | None = None,
    per_page: int = 50,
) -> AuditPage:
    """The page of the log after `before` (the newest page without it). One more row than
    shown is read to know whether an older page exists, so no count of a large log is ever
    taken, and no offset: an old page reads no more rows than the first."""
    limit = per_page + 1
    rows = list(audit_rows(organization, filters, before=before, limit=limit)[:limit])
    shown, has_next = rows[:per_page], len(rows) > per_page
    last = shown[-1] if has_next else None
    return AuditPage(
        entries=audit_entries(shown),
        has_previous=before is not None,
        has_next=has_next,
        next_cursor=(
            str(Cursor(when=last["log_when"], row=last["log_row"], kind=last["log_kind"]))
            if last is not None
            else ""
        ),
    )


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def audit_export_entries(
    organization: Organization, filters: AuditFilters, *, chunk_size: int = EXPORT_CHUNK
) -> Iterator[HistoryEntry]:
    """Every entry of the filtered log, newest first, read with a server-side cursor and
    enriched `chunk_size` rows at a time: memory stays flat whatever the size of the log."""
    rows = audit_rows(organization, filters).iterator(chunk_size=chunk_size)
    for chunk in _chunks(rows, chunk_size):
        yield from audit_entries(chunk)


EXPORT_HEADER = (
    _("When"),
    _("User"),
    _("Record"),
    _("Action"),
    _("Reason"),
    _("Changes"),
)


def export_row(entry: HistoryEntry, time_zone: datetime.tzinfo) -> list[str]:
    """One CSV row: the date in the organization's time zone, who, what, why, and each
    difference as `field: old → new`."""
    changes = "; ".join(f"{c.field}: {c.old} → {c.new}" for c in entry.changes)
    values = [
        entry.when.astimezone(time_zone).isoformat(timespec="seconds"),
        entry.who,
        entry.object_label,
        entry.action,
        entry.reason,
        changes,
    ]
    return [spreadsheet_safe(value) for value in values]
