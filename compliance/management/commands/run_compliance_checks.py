import datetime
import sys
import time
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from compliance.engine import (
    STALE_AFTER,
    CheckRequestError,
    claim_run,
    create_run,
    execute_run,
    facilities_to_check,
)
from compliance.models import CheckRun
from facilities.actors import command_actor
from facilities.models import Organization


class Command(BaseCommand):
    help = (
        "Check active facilities against the regulations in code and the organizations' custom "
        "rules, writing one immutable check per facility. Without filters, every active "
        "facility of every active organization is checked as of each organization's today. "
        "--resume instead finishes every unfinished run whose progress has not moved for 10 "
        "minutes, without duplicating the checks it already wrote; a run is claimed before it "
        "is executed, so one that a worker took meanwhile is skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", help="Organization slug.")
        parser.add_argument("--country", help="ISO 3166-1 code, e.g. US.")
        parser.add_argument("--state", help="ISO 3166-2 code, e.g. US-CA.")
        parser.add_argument(
            "--facility", type=int, action="append", help="Facility id (repeatable)."
        )
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            help="Check as of this past date (YYYY-MM-DD); default: each organization's today.",
        )
        parser.add_argument("--actor", help="Username or e-mail of the user running this.")
        parser.add_argument("--resume", action="store_true", help="Finish stalled runs instead.")
        parser.add_argument(
            "--chunk-size", type=int, default=500, help="Facilities per transaction."
        )

    def handle(self, *args: object, **options: object) -> None:
        actor, note = command_actor(options["actor"])  # type: ignore[arg-type]
        if note:
            self.stdout.write(f"Acting as {actor.username} ({note}).")
        chunk_size = int(options["chunk_size"])  # type: ignore[call-overload]
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        if options["resume"]:
            runs = list(self._stalled_runs())
            if not runs:
                self.stdout.write("No stalled runs to resume.")
            for run in runs:
                if not claim_run(run, stale_before=timezone.now() - STALE_AFTER):
                    self.stdout.write(f"Run {run.pk} was taken by another executor: skipped.")
                    continue
                self.stdout.write(
                    f"Resuming run {run.pk} ({run.organization}, {run.checked}/{run.total})."
                )
                self._execute(run, chunk_size)
            return
        filters = {
            key: value
            for key, value in (
                ("country", options["country"]),
                ("state", options["state"]),
                ("facility_ids", options["facility"]),
            )
            if value
        }
        organizations = Organization.objects.filter(is_active=True).order_by("slug")
        if options["organization"]:
            organizations = organizations.filter(slug=options["organization"])
            if not organizations.exists():
                raise CommandError(
                    f"No active organization has the slug {options['organization']!r}."
                )
        for organization in organizations:
            if not facilities_to_check(organization, filters).exists():
                continue
            try:
                run = create_run(
                    organization=organization,
                    actor=actor,
                    as_of=options["as_of"],  # type: ignore[arg-type]
                    filters=filters,
                    via="command",
                )
            except CheckRequestError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"{organization}: checking {run.total} facilities as of {run.as_of}.")
            # The claim stamps the run's progress, so that --resume elsewhere does not take it
            # for stalled before its first chunk.
            if not claim_run(run, stale_before=timezone.now() - STALE_AFTER):
                self.stdout.write(f"Run {run.pk} was taken by another executor: skipped.")
                continue
            self._execute(run, chunk_size)

    def _stalled_runs(self) -> Iterator[CheckRun]:
        horizon = timezone.now() - STALE_AFTER
        unfinished = CheckRun.objects.filter(
            status__in=[CheckRun.Status.QUEUED, CheckRun.Status.RUNNING]
        ).select_related("organization", "actor")
        for run in unfinished.order_by("created_at"):
            last = run.progress_at or run.started_at or run.created_at
            if last < horizon:
                yield run

    def _execute(self, run: CheckRun, chunk_size: int) -> None:
        started = time.monotonic()

        def progress(current: CheckRun) -> None:
            width = 30
            done = int(width * current.checked / current.total) if current.total else width
            bar = "#" * done + "-" * (width - done)
            self.stdout.write(f"\r  [{bar}] {current.checked}/{current.total}", ending="")
            if sys.stdout.isatty():
                self.stdout.flush()

        run = execute_run(run, chunk_size=chunk_size, progress=progress)
        elapsed = time.monotonic() - started
        counts = ", ".join(f"{status}: {n}" for status, n in sorted(run.counts.items())) or "none"
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"  Run {run.pk}: {run.checked} checked in {elapsed:.1f} s ({counts})."
            )
        )
