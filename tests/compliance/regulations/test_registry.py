import dataclasses
import os
import subprocess
import sys
from pathlib import Path

from compliance.regulations import registry
from compliance.regulations.framework import Attested

ROOT = Path(__file__).resolve().parents[3]


def _version_with_hash_seed(seed: str) -> str:
    environment = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from compliance.regulations.registry import rules_version; print(rules_version())",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_rules_version_is_stable_across_hash_seeds():
    versions = {_version_with_hash_seed(seed) for seed in ("0", "1", "12345")}

    assert versions == {registry.rules_version()}
    assert len(registry.rules_version()) == 64


def _clear_caches():
    registry.catalog_text.cache_clear()
    registry.rules_version.cache_clear()


def test_rules_version_changes_when_the_catalog_changes(monkeypatch):
    before = registry.rules_version()
    framework = registry.FRAMEWORKS[0]
    first = framework.requirements[0]
    changed = dataclasses.replace(first, satisfied_by=(Attested(max_age_days=180),))
    monkeypatch.setattr(
        registry,
        "FRAMEWORKS",
        (
            dataclasses.replace(framework, requirements=(changed, *framework.requirements[1:])),
            *registry.FRAMEWORKS[1:],
        ),
    )
    _clear_caches()

    after = registry.rules_version()

    monkeypatch.undo()
    _clear_caches()
    assert after != before
    assert registry.rules_version() == before


def test_requirement_codes_are_unique_and_resolvable():
    codes = [r.code for f in registry.frameworks() for r in f.requirements]

    assert len(codes) == len(set(codes))
    assert all(registry.get_requirement(code)[1].code == code for code in codes)


def test_frameworks_for_a_country_include_its_states_and_accreditation():
    codes = {f.code for f in registry.frameworks_for("US")}

    assert {"US-HIPAA-SEC", "US-CA", "US-FL", "ACC-TJC"} <= codes
    assert not any(code.startswith(("BR-", "IN-")) for code in codes)
