import pytest


@pytest.fixture
def evidence_root(settings, tmp_path):
    """Evidence files of the test go to a temporary directory, never to var/evidence (the
    storage reads EVIDENCE_ROOT each time it is used)."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT
