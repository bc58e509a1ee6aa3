"""CSV and XLSX exports of tables, safe to open in a spreadsheet.

A cell that starts like a formula (`=`, `+`, `-`, `@`, a tab or a carriage return) is run by
Excel and LibreOffice when the file is opened ("CSV injection"). Facility names, licence
numbers and notes are typed by users, so every exported text cell that starts that way is
prefixed with an apostrophe, which spreadsheets show as text.
"""

from typing import Any

from django_tables2.export import TableExport
from tablib import Dataset

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """The value, with a text that a spreadsheet would run as a formula neutralised."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class SafeTableExport(TableExport):  # type: ignore[misc]  # django-tables2 ships no types
    """django-tables2's export, with every cell passed through `spreadsheet_safe`."""

    def table_to_dataset(
        self, table: Any, exclude_columns: Any, dataset_kwargs: dict[str, Any] | None = None
    ) -> Dataset:
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        safe = Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            safe.append([spreadsheet_safe(value) for value in row])
        return safe
