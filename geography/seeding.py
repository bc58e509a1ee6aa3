"""Seed reference geography from the catalog, idempotently.

Used by the data migration (with historical models) and by `manage.py seed_reference_data`
(with the current ones), so both run the same code. Rows are matched on codes: countries and
states on their ISO codes (retired codes renamed in place), districts on their official code
where one exists, otherwise on state and normalised name, following the catalog's explicit
renames. A second run writes nothing; nothing is ever deleted, since facilities point at
these rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from geography import catalog

BATCH_SIZE = 2000


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def summary(self) -> str:
        return "; ".join(
            f"{model}: {self.created.get(model, 0)} created, {self.updated.get(model, 0)} updated"
            for model in ("countries", "states", "districts")
        )


def _apply(instance: Any, values: dict[str, Any]) -> bool:
    """Set the values that differ on `instance`; return whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _seed_countries(country_model: Any, report: SeedReport) -> dict[str, Any]:
    existing = {c.code: c for c in country_model.objects.all()}
    created = updated = 0
    for entry in catalog.countries():
        values = {
            "name": entry.name,
            "regulatory_authority": entry.regulatory_authority,
            "authority_source": entry.authority_source,
            "data_localization_required": entry.data_localization_required,
        }
        country = existing.get(entry.code)
        if country is None:
            existing[entry.code] = country_model.objects.create(code=entry.code, **values)
            created += 1
        elif _apply(country, values):
            country.save(update_fields=list(values))
            updated += 1
    report.created["countries"], report.updated["countries"] = created, updated
    return existing


def _seed_states(state_model: Any, countries: dict[str, Any], report: SeedReport) -> dict[str, Any]:
    existing = {s.code: s for s in state_model.objects.all()}
    for old_code, new_code in catalog.STATE_CODE_ALIASES.items():
        if old_code in existing and new_code not in existing:
            existing[new_code] = existing.pop(old_code)
    to_create, to_update = [], []
    for entry in catalog.states():
        values = {
            "country_id": countries[entry.country_code].pk,
            "code": entry.code,
            "name": entry.name,
            "kind": entry.kind,
            "regulatory_authority": entry.regulatory_authority,
            "authority_source": entry.authority_source,
        }
        state = existing.get(entry.code)
        if state is None:
            to_create.append(state_model(**values))
        elif _apply(state, values):
            to_update.append(state)
    state_model.objects.bulk_create(to_create)
    state_model.objects.bulk_update(
        to_update,
        ["country_id", "code", "name", "kind", "regulatory_authority", "authority_source"],
    )
    report.created["states"], report.updated["states"] = len(to_create), len(to_update)
    return {s.code: s for s in state_model.objects.all()}


def _seed_districts(district_model: Any, states: dict[str, Any], report: SeedReport) -> None:
    by_code: dict[tuple[int, str], Any] = {}
    by_name: dict[tuple[int, str], Any] = {}
    for district in district_model.objects.only(
        "id", "state_id", "official_code", "name", "name_key"
    ):
        if district.official_code:
            by_code[(district.state_id, district.official_code)] = district
        else:
            by_name[(district.state_id, district.name_key)] = district
    previous_names = {
        (rename.state_code, catalog.normalize_name(rename.new_name)): catalog.normalize_name(
            rename.old_name
        )
        for rename in catalog.renames()
    }

    to_create, to_update = [], []
    for entry in catalog.districts():
        state_id = states[entry.state_code].pk
        key = catalog.normalize_name(entry.name)
        district = None
        if entry.official_code:
            district = by_code.get((state_id, entry.official_code))
        if district is None:
            district = by_name.pop((state_id, key), None)
        if district is None and (entry.state_code, key) in previous_names:
            district = by_name.pop((state_id, previous_names[(entry.state_code, key)]), None)
        values = {"official_code": entry.official_code, "name": entry.name, "name_key": key}
        if district is None:
            to_create.append(district_model(state_id=state_id, **values))
        elif _apply(district, values):
            to_update.append(district)
    # Reference data has no history: the bulk helpers are safe here (tracked models use the
    # history-aware wrapper instead).
    district_model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    district_model.objects.bulk_update(
        to_update, ["official_code", "name", "name_key"], batch_size=BATCH_SIZE
    )
    report.created["districts"], report.updated["districts"] = len(to_create), len(to_update)


def seed_reference_data(country_model: Any, state_model: Any, district_model: Any) -> SeedReport:
    """Create or update every catalog entry; return what changed. Call inside a transaction."""
    report = SeedReport()
    countries = _seed_countries(country_model, report)
    states = _seed_states(state_model, countries, report)
    _seed_districts(district_model, states, report)
    return report
