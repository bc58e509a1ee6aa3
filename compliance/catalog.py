"""Reading the rule catalog for people: the catalog browser and `manage.py compliance_rules`
show the same rows, filtered the same way."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.regulations import registry
from compliance.regulations.framework import Framework, Requirement


@dataclass(frozen=True)
class CatalogRow:
    framework: Framework
    requirement: Requirement


def catalog_rows(*, jurisdiction: str = "", facility_type: str = "") -> list[CatalogRow]:
    """Requirements of frameworks in `jurisdiction` (a country like "US" includes its states)
    that can apply to `facility_type`."""
    rows = []
    for framework in registry.frameworks():
        if jurisdiction and not (
            framework.jurisdiction == jurisdiction
            or framework.jurisdiction.startswith(f"{jurisdiction}-")
            or (framework.jurisdiction == "*" and "-" not in jurisdiction)
        ):
            continue
        for requirement in framework.requirements:
            types = requirement.applicability.facility_types
            if facility_type and types and facility_type not in types:
                continue
            rows.append(CatalogRow(framework, requirement))
    return rows


def jurisdictions() -> list[str]:
    return sorted({f.jurisdiction for f in registry.frameworks()})
