import pytest
from django.utils.functional import empty

from compliance.models import evidence_storage


@pytest.fixture
def evidence_root(settings, tmp_path):
    """Evidence files of the test go to a temporary directory, never to var/evidence.

    The storage reads EVIDENCE_ROOT once, when first used: reset it before and after."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    evidence_storage._wrapped = empty
    yield settings.EVIDENCE_ROOT
    evidence_storage._wrapped = empty
