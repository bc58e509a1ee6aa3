"""`field__any=[...]`: membership in a list of values sent as one parameter.

`__in` sends one parameter per value: a chunk's 500 facility ids are 500 parameters, and psycopg
parses such a query again on every call (it caches only queries of at most 50 parameters). On
PostgreSQL this lookup sends the list as one array, `= ANY(%s)`, so the engine's chunk queries
are parsed once; elsewhere it is `__in`.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.lookups import In, Lookup


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False  # a list of values: each is an int, as `__in` would prepare it

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return In(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        db_type = self.lhs.output_field.db_type(connection)
        return f"{lhs} = ANY(%s::{db_type}[])", (*params, [int(value) for value in self.rhs])


def register() -> None:
    """Called once from `ComplianceConfig.ready`."""
    models.ForeignKey.register_lookup(AnyOf)
    models.BigAutoField.register_lookup(AnyOf)
