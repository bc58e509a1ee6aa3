"""The audit trail is append-only at the database, not only in the app (DESIGN.md §9).

On PostgreSQL, triggers refuse UPDATE, DELETE and TRUNCATE on every django-simple-history
table, on compliance checks, rules catalogs and audit seals, and DELETE and TRUNCATE on check
runs (whose progress is updated while they run). A migration installs them, and a
`post_migrate` handler (`compliance.apps`) installs them on history tables added later, so no
table escapes.

The only way past them is a session with `session_replication_role = replica`, in which
ordinary triggers do not fire; only a superuser (or, on PostgreSQL 15+, a role granted
`SET ON PARAMETER session_replication_role`) can set it. The test suite does, to flush its
database; the production application role must not be able to (README).

On SQLite (`make run`) nothing is installed: the app's own guards still refuse these writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from simple_history.models import HistoricalChanges

FUNCTION_NAME = "hims_append_only"
ROW_TRIGGER = "hims_append_only_row"
TRUNCATE_TRIGGER = "hims_append_only_truncate"

# Tables that are written once and never changed, besides the history tables.
APPEND_ONLY_MODELS = (
    "compliance.ComplianceCheck",
    "compliance.AuditSeal",
    "compliance.RulesCatalog",
)
# Tables whose rows are updated but never deleted.
NO_DELETE_MODELS = ("compliance.CheckRun",)

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION_NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on table % refused: the table is append-only (audit trail)',
        TG_OP, TG_TABLE_NAME
        USING HINT = 'History, checks and seals are never changed or deleted; check runs '
                     'are never deleted.';
END
$$
"""


def is_history_model(model: type[models.Model]) -> bool:
    """A django-simple-history model (`HistoricalFacility`, ...), real or from migration state."""
    return issubclass(model, HistoricalChanges) or model.__name__.startswith("Historical")


def history_models(all_models: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    return sorted(
        (model for model in all_models if is_history_model(model)),
        key=lambda model: model._meta.db_table,
    )


def protected_tables(all_models: Iterable[type[models.Model]]) -> dict[str, tuple[str, ...]]:
    """Each protected table and the row operations its trigger refuses (TRUNCATE always)."""
    all_models = list(all_models)
    tables: dict[str, tuple[str, ...]] = {
        model._meta.db_table: ("UPDATE", "DELETE") for model in history_models(all_models)
    }
    for model in all_models:
        label = model._meta.label
        if label in APPEND_ONLY_MODELS:
            tables[model._meta.db_table] = ("UPDATE", "DELETE")
        elif label in NO_DELETE_MODELS:
            tables[model._meta.db_table] = ("DELETE",)
    return dict(sorted(tables.items()))


def installed_triggers(connection: BaseDatabaseWrapper) -> dict[str, set[str]]:
    """The append-only triggers present, by table: {table: {trigger name, ...}}."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, t.tgname
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND t.tgname IN (%s, %s)
              AND pg_catalog.pg_table_is_visible(c.oid)
            """,
            [ROW_TRIGGER, TRUNCATE_TRIGGER],
        )
        found: dict[str, set[str]] = {}
        for table, trigger in cursor.fetchall():
            found.setdefault(table, set()).add(trigger)
    return found


def install(
    connection: BaseDatabaseWrapper,
    all_models: Iterable[type[models.Model]],
    *,
    replace: bool = False,
) -> list[str]:
    """Install the triggers on every protected table that exists; return the tables changed.

    Idempotent. With `replace`, (re)create every trigger (a migration); without, only the
    missing ones (the `post_migrate` handler, which also runs after every test flush).
    """
    if connection.vendor != "postgresql":
        return []
    existing_tables = set(connection.introspection.table_names())
    wanted = {
        table: operations
        for table, operations in protected_tables(all_models).items()
        if table in existing_tables
    }
    present = {} if replace else installed_triggers(connection)
    quote = connection.ops.quote_name
    changed = []
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        for table, operations in wanted.items():
            if present.get(table, set()) >= {ROW_TRIGGER, TRUNCATE_TRIGGER}:
                continue
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {ROW_TRIGGER} BEFORE {' OR '.join(operations)} "
                f"ON {quote(table)} FOR EACH ROW EXECUTE FUNCTION {FUNCTION_NAME}()"
            )
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRUNCATE_TRIGGER} BEFORE TRUNCATE "
                f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION_NAME}()"
            )
            changed.append(table)
    return changed


def uninstall(connection: BaseDatabaseWrapper, all_models: Iterable[type[models.Model]]) -> None:
    """Drop the triggers and the function (reversing the migration)."""
    if connection.vendor != "postgresql":
        return
    existing_tables = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in protected_tables(all_models):
            if table in existing_tables:
                for trigger in (ROW_TRIGGER, TRUNCATE_TRIGGER):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {quote(table)}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION_NAME}() CASCADE")


def install_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """`post_migrate` receiver: protect any protected table that lacks the triggers."""
    from django.apps import apps
    from django.db import connections

    install(connections[using], apps.get_models())
