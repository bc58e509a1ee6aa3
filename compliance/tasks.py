"""Background work (Django's Tasks framework; django-tasks-db in production, `manage.py
db_worker` runs it; the immediate backend in tests).

A task carries only the id of its CheckRun: everything else (what to check, how far it got) is
in the run's row, so a reload of the progress page, a retry or `run_compliance_checks --resume`
all read the same state. The engine writes each chunk of checks in one transaction with the
run's progress, so a worker that dies mid-run leaves whole chunks only, and a later execution
skips the facilities already checked.
"""

from __future__ import annotations

from typing import Any

from django.tasks import task
from django.utils import timezone

from compliance import engine
from compliance.models import CheckRun

DONE = (CheckRun.Status.FINISHED, CheckRun.Status.FAILED)


@task()
def execute_check_run(run_id: int) -> dict[str, Any]:
    """Execute (or finish) the check run `run_id`. A run already finished or failed, or one
    that no longer exists, is left alone. An error marks the run failed, with its message, and
    is raised again so that the task's result records it too."""
    run = CheckRun.objects.select_related("organization", "actor").filter(pk=run_id).first()
    if run is None or run.status in DONE:
        return {"run": run_id, "skipped": True}
    try:
        run = engine.execute_run(run)
    except Exception as error:
        # CheckRun is not history-tracked: its progress fields are written in place.
        CheckRun.objects.filter(pk=run_id).update(
            status=CheckRun.Status.FAILED,
            error=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        raise
    return {"run": run.pk, "checked": run.checked, "counts": run.counts}
