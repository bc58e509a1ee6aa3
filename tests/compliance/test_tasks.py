"""Background check runs (compliance/tasks.py, `services.check_run_start`): the task executes
the run, a worker dying mid-run leaves whole chunks only, and `run_compliance_checks --resume`
finishes the run without duplicates; whoever executes a run claims it first, so the task and
`--resume` never execute it at once."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.utils import timezone

from compliance import services
from compliance.engine import STALE_AFTER, claim_run, create_run, execute_run
from compliance.models import CheckRun, ComplianceCheck, FacilityStatus
from compliance.tasks import RUN_ERROR, execute_check_run
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


def _stall(run, minutes=11):
    """Move the run's last progress back by `minutes`."""
    CheckRun.objects.filter(pk=run.pk).update(
        progress_at=timezone.now() - datetime.timedelta(minutes=minutes)
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
def test_task_marks_a_run_that_fails_as_failed_with_a_generic_error_and_logs_it(
    organization, facilities, caplog
):
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
    assert run.error == RUN_ERROR
    assert run.error == "The run stopped on an error; operators have the details in the logs."
    assert run.finished_at is not None
    assert not run.checks.exists()
    (record,) = [r for r in caplog.records if r.name == "compliance.tasks"]
    assert (record.levelname, record.getMessage()) == ("ERROR", f"Check run {run.pk} failed.")
    assert "not-an-id" in str(record.exc_info[1])  # the detail is in the log, for operators


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
    _stall(run)
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
def test_the_task_also_finishes_a_stalled_run_without_duplicates(organization, facilities):
    run = _die_after_first_chunk(organization)
    _stall(run)

    execute_check_run.call(run.pk)

    run.refresh_from_db()
    assert (run.status, run.checked) == ("finished", 5)
    assert ComplianceCheck.objects.filter(run=run).count() == 5


@pytest.mark.django_db
def test_the_task_leaves_a_running_run_whose_progress_is_recent(organization, facilities):
    """Another executor (the command's --resume) is on it: executing it too would insert the
    same checks again."""
    run = _die_after_first_chunk(organization)

    result = execute_check_run.call(run.pk)

    run.refresh_from_db()
    assert result == {"run": run.pk, "skipped": True}
    assert (run.status, run.checked, run.error) == ("running", 2, "")
    assert ComplianceCheck.objects.filter(run=run).count() == 2


class RunsTheTaskOnFirstProgress(io.StringIO):
    """The command's output, which runs the worker's task for `run_id` when the command
    reports the progress of its first chunk: the worker picks the run up while the command
    is executing it."""

    def __init__(self, run_id):
        super().__init__()
        self.run_id, self.results = run_id, []

    def write(self, text):
        if text.startswith("\r") and not self.results:
            self.results.append(execute_check_run.call(self.run_id))
        return super().write(text)


@pytest.mark.django_db
def test_resume_and_the_worker_never_execute_the_same_run_at_once(organization, facilities):
    """A run queued 11 minutes ago (a worker backlog) is taken for stalled by --resume; the
    worker's task reaches it while the command is executing it, and leaves it alone."""
    run = create_run(organization=organization, actor=UserFactory(), via="web")
    CheckRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - 2 * STALE_AFTER)
    out = RunsTheTaskOnFirstProgress(run.pk)

    call_command("run_compliance_checks", "--resume", "--chunk-size", "2", stdout=out)

    run.refresh_from_db()
    assert out.results == [{"run": run.pk, "skipped": True}]
    assert f"Resuming run {run.pk}" in out.getvalue()
    assert (run.status, run.checked, run.total, run.error) == ("finished", 5, 5, "")
    per_facility = list(
        ComplianceCheck.objects.filter(run=run).order_by("facility_id").values_list("facility_id")
    )
    assert per_facility == [(f.pk,) for f in facilities]  # one check each


@pytest.mark.django_db
def test_resume_skips_a_run_the_worker_claimed_since_it_was_listed(organization, facilities):
    """Two runs queued long ago: while --resume executes the first, the worker claims the
    second (it is running, with recent progress): --resume does not execute it."""
    actor = UserFactory()
    first = create_run(organization=organization, actor=actor, via="web")
    second = create_run(organization=organization, actor=actor, via="web")
    CheckRun.objects.filter(pk__in=[first.pk, second.pk]).update(
        created_at=timezone.now() - 2 * STALE_AFTER
    )

    class ClaimsTheSecond(io.StringIO):
        def write(self, text):
            if text.startswith("\r") and second.status == "queued":
                assert claim_run(second, stale_before=timezone.now() - STALE_AFTER)
            return super().write(text)

    out = ClaimsTheSecond()

    call_command("run_compliance_checks", "--resume", "--chunk-size", "2", stdout=out)

    first.refresh_from_db()
    second.refresh_from_db()
    assert f"Run {second.pk} was taken by another executor: skipped." in out.getvalue()
    assert (first.status, first.checked) == ("finished", 5)
    assert (second.status, second.checked) == ("running", 0)
    assert not second.checks.exists()


@pytest.mark.django_db
def test_claim_run_takes_a_queued_or_stalled_run_once(organization, facilities):
    run = create_run(organization=organization, actor=UserFactory(), via="web")
    stale_before = timezone.now() - STALE_AFTER

    first, second = (
        claim_run(run, stale_before=stale_before),
        claim_run(run, stale_before=stale_before),
    )
    _stall(run)
    third = claim_run(run, stale_before=timezone.now() - STALE_AFTER)

    run.refresh_from_db()
    assert (first, second, third) == (True, False, True)
    assert run.status == "running"
    assert run.progress_at > stale_before


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["finished", "failed"])
def test_claim_run_never_takes_a_finished_or_failed_run(organization, facilities, status):
    run = create_run(organization=organization, actor=UserFactory(), via="web")
    CheckRun.objects.filter(pk=run.pk).update(
        status=status, created_at=timezone.now() - 2 * STALE_AFTER
    )

    claimed = claim_run(run, stale_before=timezone.now())

    run.refresh_from_db()
    assert (claimed, run.status) == (False, status)


@pytest.mark.django_db(transaction=True)
def test_claim_run_from_two_connections_at_once_succeeds_once(organization, facilities):
    """Two executors claim the same queued run at the same moment, each on its own
    connection: the conditional UPDATE lets exactly one of them have it."""
    run = create_run(organization=organization, actor=UserFactory(), via="web")
    barrier = threading.Barrier(2)
    results = []

    def claim():
        try:
            mine = CheckRun.objects.get(pk=run.pk)
            barrier.wait()
            results.append(claim_run(mine, stale_before=timezone.now() - STALE_AFTER))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, True]


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
