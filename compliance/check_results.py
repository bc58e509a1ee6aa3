"""How a check's per-requirement results are stored, and read back whole.

A check stores, for each requirement, what is particular to its facility on its date: the
status, the one-sentence reason, the record it used and that record's dates, and any field that
differs from the catalog (an obligation a service makes mandatory). What the catalog says of the
requirement (title, framework and its level, citation, obligation, fact grade, HIPAA label,
whether an attestation can satisfy it) is the same in every check of a rules version: it is
recorded once, as the very canonical JSON the rules version is the SHA-256 of (`RulesCatalog`),
and merged back when a check is read. Stored twenty thousand times, it was half of every check's
payload and most of the cost of writing it.

Results of custom rules, and of checks written before the catalog was recorded, carry every
field themselves: merging leaves them as they are.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from compliance.models import ComplianceCheck, RulesCatalog
from compliance.regulations import registry

# The fields a stored result leaves out when they are empty.
RECORD_DEFAULTS: dict[str, Any] = {"evidence": None, "expires_on": None, "file_by": None}
# What the catalog answers for each requirement code.
Entries = dict[str, dict[str, Any]]


def entries_from_document(document: dict[str, Any]) -> Entries:
    """Each requirement's catalog fields, from a catalog document (`registry.catalog_document`,
    or its canonical JSON as recorded), in the form a result carries them."""
    entries: Entries = {}
    for framework in document["frameworks"]:
        for requirement in framework["requirements"]:
            entries[requirement["code"]] = {
                "title": requirement["title"],
                "framework": framework["code"],
                "level": framework["level"],
                "citation": requirement["citation"],
                "obligation": requirement["obligation"],
                "grade": requirement["grade"],
                "hipaa_label": requirement["hipaa_label"],
                "attestable": any(
                    satisfier["__type__"] == "Attested" for satisfier in requirement["satisfied_by"]
                ),
            }
    return entries


@lru_cache(maxsize=1)
def _current_entries(version: str) -> Entries:
    # Keyed by the version so that a catalog changed in-process (a test) is not served stale.
    return entries_from_document(json.loads(registry.catalog_text()))


# Catalogs read from the database, by version. A version names one catalog for ever (it is its
# hash), so an entry never goes stale; there is one version per release of the rules.
_recorded: dict[str, Entries] = {}


def catalog_entries(version: str) -> Entries:
    """The catalog of a rules version: from the code when it is the running one (no query),
    else as recorded (one query, then kept). Empty for a version never recorded: checks of
    such a version store every field themselves."""
    if version == registry.rules_version():
        return _current_entries(version)
    if version not in _recorded:
        text = RulesCatalog.objects.filter(version=version).values_list("document", flat=True)
        document = text.first()
        if document is None:
            return {}
        _recorded[version] = entries_from_document(json.loads(document))
    return _recorded[version]


def record_catalog() -> str:
    """Record the running catalog under its version if it is not yet (before any check of that
    version is written); return the version."""
    version = registry.rules_version()
    RulesCatalog.objects.get_or_create(
        version=version, defaults={"document": registry.catalog_text()}
    )
    return version


def stored_form(result: dict[str, Any], entries: Entries) -> dict[str, Any]:
    """A result as a check stores it: without the fields its catalog entry says the same, and
    without empty record fields."""
    entry = entries.get(result["code"])
    if entry is None:
        return result
    return {
        key: value
        for key, value in result.items()
        if not (key in entry and entry[key] == value)
        and not (key in RECORD_DEFAULTS and value is None)
    }


def full_results(check: ComplianceCheck) -> list[dict[str, Any]]:
    """A check's results with every field, merged with the catalog of its rules version."""
    entries = catalog_entries(check.rules_version)
    return [
        {**RECORD_DEFAULTS, **entries.get(result["code"], {}), **result} for result in check.results
    ]
