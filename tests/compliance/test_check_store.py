"""The engine's literal SQL names the columns of the models it writes (compliance.check_store)."""

import re

from compliance import check_store
from compliance.models import ComplianceCheck, FacilityStatus


def _table_and_columns(sql: str) -> tuple[str, list[str]]:
    table, columns = re.match(r"INSERT INTO (\w+) \(([^)]*)\)", sql).groups()
    return table, [column.strip() for column in columns.split(",")]


def _columns(model) -> set[str]:
    return {field.column for field in model._meta.concrete_fields}


def test_the_check_insert_writes_every_column_of_a_check_but_its_id():
    table, columns = _table_and_columns(check_store.INSERT_CHECK)

    assert table == ComplianceCheck._meta.db_table
    assert set(columns) == _columns(ComplianceCheck) - {"id"}
    assert check_store.INSERT_CHECK.count("%s") == len(columns)


def test_the_status_upsert_writes_every_column_of_the_projection():
    table, columns = _table_and_columns(check_store.UPSERT_STATUS)

    assert table == FacilityStatus._meta.db_table
    assert set(columns) == _columns(FacilityStatus)
    assert f"FROM {ComplianceCheck._meta.db_table} " in check_store.UPSERT_STATUS
