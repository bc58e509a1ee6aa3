from django.core.management.base import BaseCommand, CommandError, CommandParser

from compliance import sealing
from compliance.models import AuditSeal
from facilities.actors import command_actor


class Command(BaseCommand):
    help = (
        "Seal the audit trail: append a seal chaining a SHA-256 digest over the rows added to "
        "every history table and to compliance checks since the previous seal, up to a safe "
        "horizon (rows that in-flight transactions may still commit below it are left to the "
        "next seal). One sealer at a time: a second one exits saying so. Appends nothing when "
        "nothing is new. Run it from cron every few minutes and before verify_audit_trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--actor", help="Username or e-mail of the user running this.")
        parser.add_argument(
            "--max-rows",
            type=int,
            default=sealing.MAX_ROWS_PER_TABLE,
            help="At most this many new rows per table in one seal; more make more seals "
            "(default %(default)s).",
        )
        parser.add_argument(
            "--lock-timeout",
            type=float,
            default=sealing.LOCK_TIMEOUT_SECONDS,
            help="Seconds to wait for in-flight inserts into a table before leaving its new "
            "rows to the next run (default %(default)s).",
        )

    def handle(self, *args: object, **options: object) -> None:
        actor, note = command_actor(options["actor"])  # type: ignore[arg-type]
        max_rows = int(options["max_rows"])  # type: ignore[call-overload]
        lock_timeout = float(options["lock_timeout"])  # type: ignore[arg-type]
        if max_rows < 1:
            raise CommandError("--max-rows must be at least 1.")
        if lock_timeout <= 0:
            raise CommandError("--lock-timeout must be positive.")
        if note:
            self.stdout.write(f"Acting as {actor.username} ({note}).")
        try:
            result = sealing.seal(
                actor=actor,
                note=note,
                max_rows=max_rows,
                lock_timeout=lock_timeout,
                report=self.stdout.write,
            )
        except sealing.SealerBusy as busy:
            self.stdout.write(str(busy))
            return
        for table in result.deferred:
            self.stdout.write(
                f"{table}: in-flight inserts held it for more than {lock_timeout:g}s; its new "
                "rows wait for the next seal."
            )
        if not result.seals:
            newest = AuditSeal.objects.order_by("-sequence").first()
            self.stdout.write(
                f"Nothing new to seal (newest seal #{newest.sequence})."
                if newest
                else "Nothing to seal yet."
            )
