"""Background work (Django's Tasks framework; django-tasks-db in production, `manage.py
db_worker` runs it; the immediate backend in tests).

A task carries only the id of its CheckRun: everything else (what to check, how far it got) is
in the run's row, so a reload of the progress page, a retry or `run_compliance_checks --resume`
all read the same state. The engine writes each chunk of checks in one transaction with the
run's progress, so a worker that dies mid-run leaves whole chunks only, and a later execution
skips the facilities already checked. Whoever executes a run claims it first
(`engine.claim_run`), so the task and `--resume` never execute the same run at once.
"""

from __future__ import annotations

import logging
from typing import Any

from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_noop

from compliance import engine
from compliance.models import CheckRun

logger = logging.getLogger(__name__)

# Stored on a failed run and shown to every member (translated where shown): the exception's
# own text may name tables, values or paths, so it goes to the operators' logs only.
RUN_ERROR = gettext_noop("The run stopped on an error; operators have the details in the logs.")


@task()
def execute_check_run(run_id: int) -> dict[str, Any]:
    """Execute (or finish) the check run `run_id`, once claimed. A run that no longer exists,
    is finished or failed, or is being executed by someone else (running, with progress
    within `engine.STALE_AFTER`) is left alone. An error marks the run failed, with a message
    for its members, logs the exception and raises it again so that the task's result
    records it too."""
    run = CheckRun.objects.select_related("organization", "actor").filter(pk=run_id).first()
    if run is None or not engine.claim_run(run, stale_before=timezone.now() - engine.STALE_AFTER):
        logger.info("Check run %s skipped: gone, done, or being executed elsewhere.", run_id)
        return {"run": run_id, "skipped": True}
    try:
        run = engine.execute_run(run)
    except Exception:
        logger.exception("Check run %s failed.", run_id)
        # CheckRun is not history-tracked: its progress fields are written in place. A run
        # finished meanwhile by another executor (after taking this one for dead) stays so.
        CheckRun.objects.filter(pk=run_id).exclude(status=CheckRun.Status.FINISHED).update(
            status=CheckRun.Status.FAILED, error=RUN_ERROR, finished_at=timezone.now()
        )
        raise
    return {"run": run.pk, "checked": run.checked, "counts": run.counts}
