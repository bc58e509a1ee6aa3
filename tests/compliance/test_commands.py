import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from compliance.engine import create_run, execute_run
from compliance.models import CheckRun, ComplianceCheck
from facilities.actors import system_user
from tests.factories import FacilityFactory, OrganizationFactory, UserFactory


def _call(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_run_compliance_checks_checks_one_organization_with_the_named_actor():
    organization = OrganizationFactory(slug="north")
    FacilityFactory(organization=organization)
    FacilityFactory(organization=organization, state_code="US-TX")
    FacilityFactory()  # another organization: not checked
    operator = UserFactory(username="operator")

    output = _call("run_compliance_checks", "--organization", "north", "--actor", "operator")

    run = CheckRun.objects.get()
    assert (run.organization, run.actor, run.via, run.status, run.checked) == (
        organization,
        operator,
        "command",
        "finished",
        2,
    )
    assert ComplianceCheck.objects.count() == 2
    assert f"Run {run.pk}: 2 checked" in output


@pytest.mark.django_db
def test_run_compliance_checks_filters_by_state_and_acts_as_system_by_default():
    organization = OrganizationFactory()
    FacilityFactory(organization=organization, state_code="US-CA")
    texas = FacilityFactory(organization=organization, state_code="US-TX")

    output = _call("run_compliance_checks", "--state", "US-TX")

    assert list(ComplianceCheck.objects.values_list("facility_id", flat=True)) == [texas.pk]
    assert CheckRun.objects.get().actor == system_user()
    assert "Acting as system (run by OS user" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organization", "nope"], "No active organization has the slug 'nope'"),
        (["--actor", "ghost"], "--actor 'ghost': no active user"),
        (["--chunk-size", "0"], "--chunk-size must be at least 1"),
    ],
)
def test_run_compliance_checks_refuses_bad_options_and_writes_nothing(args, message):
    FacilityFactory()

    with pytest.raises(CommandError, match=message):
        _call("run_compliance_checks", *args)

    assert not CheckRun.objects.exists()


@pytest.mark.django_db
def test_run_compliance_checks_refuses_a_future_as_of_date():
    FacilityFactory()
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()

    with pytest.raises(CommandError, match="cannot be in the future"):
        _call("run_compliance_checks", "--as-of", tomorrow)

    assert not CheckRun.objects.exists()


@pytest.mark.django_db
def test_resume_finishes_only_stalled_runs_without_duplicates():
    organization = OrganizationFactory()
    for _ in range(3):
        FacilityFactory(organization=organization)
    actor = UserFactory()
    stalled = create_run(organization=organization, actor=actor, via="test")

    class Crash(Exception):
        pass

    def crash(run):
        raise Crash

    with pytest.raises(Crash):
        execute_run(stalled, chunk_size=1, progress=crash)
    stalled.refresh_from_db()
    fresh = create_run(organization=organization, actor=actor, via="test")
    stalled.progress_at = timezone.now() - datetime.timedelta(minutes=11)
    stalled.save(update_fields=["progress_at"])

    output = _call("run_compliance_checks", "--resume")

    stalled.refresh_from_db()
    fresh.refresh_from_db()
    assert (stalled.status, stalled.checked) == ("finished", 3)
    assert fresh.status == "queued"  # created just now: not stalled, left to its worker
    assert ComplianceCheck.objects.filter(run=stalled).count() == 3
    assert f"Resuming run {stalled.pk}" in output


@pytest.mark.django_db
def test_compliance_rules_lists_the_catalog_filtered_by_jurisdiction():
    output = _call("compliance_rules", "--jurisdiction", "US-CA")

    assert "US-CA-HOSPITAL-LICENSE" in output
    assert "HIPAA" not in output
    assert "rules version" in output
