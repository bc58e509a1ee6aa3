"""Background check runs (compliance/tasks.py, `services.check_run_start`): the task executes
the run, a worker dying mid-run leaves whole chunks only, and `run_compliance_checks --resume`
finishes the run without duplicates."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from compliance import services
from compliance.engine import create_run, execute_run
from compliance.models import CheckRun, ComplianceCheck, FacilityStatus
from compliance.tasks import execute_check_run
from tests.factories import FacilityFactory, FacilityLicenseFactory, OrganizationFactory
from tests.factories.users import UserFactory


class WorkerDied(Exception):
    """Stands for the worker's process dying: nothing after it runs."""


@pytest.fixture
def organization(db):
    return OrganizationFactory(slug="acme")


@pytest.fixture
def facilities(organization):
    """Five Californian facilities: the first three hold their hospital licence."""
    made = [FacilityFactory(organization=organization) for _ in range(5)]
    for facility in made[:3]:
        FacilityLicenseFactory(facility=facility)
    return made


def _statuses(organization):
    return dict(
        FacilityStatus.objects.filter(organization=organization).values_list(
            "facility_id", "latest_check__run_id"
        )
    )


@pytest.mark.django_db
def test_check_run_start_executes_the_run_in_a_task_once_committed(
    organization, facilities, django_capture_on_commit_callbacks
):
    officer = UserFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = services.check_run_start(
            actor=officer, organization=organization, filters={}, via="web"
        )
        assert CheckRun.objects.get(pk=run.pk).status == "queued"  # nothing ran before commit

    run.refresh_from_db()
    assert len(callbacks) == 1
    assert (run.status, run.actor, run.via, run.checked, run.total) == (
        "finished",
        officer,
        "web",
        5,
        5,
    )
    assert run.task_id  # the task's result id
    assert sorted(run.checks.values_list("facility_id", flat=True)) == [f.pk for f in facilities]
    assert sum(run.counts.values()) == 5
    assert _statuses(organization) == {f.pk: run.pk for f in facilities}


@pytest.mark.django_db
def test_task_leaves_a_finished_run_alone(organization, facilities):
    run = execute_run(create_run(organization=organization, actor=UserFactory(), via="test"))

    result = execute_check_run.call(run.pk)

    assert result == {"run": run.pk, "skipped": True}
    assert ComplianceCheck.objects.filter(run=run).count() == 5


@pytest.mark.django_db
def test_task_marks_a_run_that_fails_as_failed_with_its_error(organization, facilities):
    run = CheckRun.objects.create(
        organization=organization,
        as_of=organization.today(),
        actor=UserFactory(),
        via="test",
        filters={"facility_ids": ["not-an-id"]},
    )

    with pytest.raises(ValueError, match="not-an-id"):
        execute_check_run.call(run.pk)

    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error.startswith("ValueError")
    assert run.finished_at is not None
    assert not run.checks.exists()


def _die_after_first_chunk(organization):
    """A run of chunks of 2 over the 5 facilities whose worker dies after the first chunk."""
    run = create_run(organization=organization, actor=UserFactory(), via="web")

    def die(current):
        raise WorkerDied

    with pytest.raises(WorkerDied):
        execute_run(run, chunk_size=2, progress=die)
    run.refresh_from_db()
    return run


@pytest.mark.django_db
def test_a_worker_dying_midrun_leaves_whole_chunks_and_resume_completes_the_run(
    organization, facilities
):
    run = _die_after_first_chunk(organization)
    assert (run.status, run.checked, run.total) == ("running", 2, 5)
    assert sorted(run.checks.values_list("facility_id", flat=True)) == [
        facilities[0].pk,
        facilities[1].pk,
    ]
    assert _statuses(organization) == {facilities[0].pk: run.pk, facilities[1].pk: run.pk}
    # Ten minutes without progress: the worker is taken for dead.
    CheckRun.objects.filter(pk=run.pk).update(
        progress_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    out = io.StringIO()

    call_command("run_compliance_checks", "--resume", "--chunk-size", "2", stdout=out)

    run.refresh_from_db()
    assert f"Resuming run {run.pk}" in out.getvalue()
    assert (run.status, run.checked, run.total) == ("finished", 5, 5)
    per_facility = list(
        ComplianceCheck.objects.filter(organization=organization)
        .order_by("facility_id")
        .values_list("facility_id", "run_id")
    )
    assert per_facility == [(f.pk, run.pk) for f in facilities]  # one check each, no duplicate
    assert sum(run.counts.values()) == 5
    statuses = FacilityStatus.objects.filter(organization=organization).select_related(
        "latest_check"
    )
    assert {s.facility_id: s.latest_check.run_id for s in statuses} == {
        f.pk: run.pk for f in facilities
    }
    assert all(s.overall_status == s.latest_check.overall_status for s in statuses)


@pytest.mark.django_db
def test_resume_leaves_a_run_that_moved_within_ten_minutes(organization, facilities):
    run = _die_after_first_chunk(organization)

    call_command("run_compliance_checks", "--resume", stdout=io.StringIO())

    run.refresh_from_db()
    assert (run.status, run.checked) == ("running", 2)


@pytest.mark.django_db
def test_the_task_also_finishes_an_interrupted_run_without_duplicates(organization, facilities):
    run = _die_after_first_chunk(organization)

    execute_check_run.call(run.pk)

    run.refresh_from_db()
    assert (run.status, run.checked) == ("finished", 5)
    assert ComplianceCheck.objects.filter(run=run).count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_chunk_that_fails_midway_writes_none_of_its_checks(organization, facilities):
    """The second chunk (facilities 3 and 4) fails on its insert: the check of facility 3,
    built and sent in the same statement, is not written, nor the projection or the run's
    progress of that chunk."""
    run = create_run(organization=organization, actor=UserFactory(), via="web")

    def plant_a_conflict(current):
        # After the first chunk, a check of facility 4 appears for this run (as if written by
        # a second worker), so the second chunk's insert violates the unique constraint.
        source = ComplianceCheck.objects.filter(run=current).first()
        ComplianceCheck.objects.create(
            run=current,
            organization=organization,
            facility=facilities[3],
            as_of=current.as_of,
            overall_status=source.overall_status,
            checked_at=timezone.now(),
            checked_by=current.actor,
            rules_version=current.rules_version,
            results=[],
            requirements_met=[],
            requirements_pending=[],
        )

    with pytest.raises(IntegrityError):
        execute_run(run, chunk_size=2, progress=plant_a_conflict)

    run.refresh_from_db()
    assert run.checked == 2
    checked = set(ComplianceCheck.objects.filter(run=run).values_list("facility_id", flat=True))
    assert checked == {facilities[0].pk, facilities[1].pk, facilities[3].pk}
    assert facilities[2].pk not in _statuses(organization)
