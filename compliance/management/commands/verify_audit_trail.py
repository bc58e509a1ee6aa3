from django.core.management.base import BaseCommand, CommandError, CommandParser

from compliance import sealing


class Command(BaseCommand):
    help = (
        "Verify the audit trail: recompute every seal from the live history tables and "
        "compliance checks, check the chain of seals, and compare the newest seal's heads with "
        "the tables. Names the first row edited, removed or inserted out of order (by table and "
        "id) and exits non-zero if anything is wrong; prints a one-line summary and exits zero "
        "when all is intact. Rows added after the newest seal are reported as not yet sealed. "
        "Run seal_audit_trail first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--max-problems",
            type=int,
            default=20,
            help="List at most this many problems (default %(default)s).",
        )

    def handle(self, *args: object, **options: object) -> None:
        result = sealing.verify()
        unsealed = sum(result.unsealed.values())
        if result.problems:
            limit = int(options["max_problems"])  # type: ignore[call-overload]
            for problem in result.problems[:limit]:
                self.stderr.write(problem)
            if len(result.problems) > limit:
                self.stderr.write(f"... and {len(result.problems) - limit} more.")
            raise CommandError(
                f"Audit trail verification FAILED: {len(result.problems)} problem(s); first: "
                f"{result.problems[0]}"
            )
        if result.seals == 0 and unsealed:
            raise CommandError(
                f"No seals, but {unsealed} audit rows: run seal_audit_trail (if seals existed "
                "before, they were removed)."
            )
        self.stdout.write(
            f"Audit trail intact: {result.seals} seal(s), {result.rows} rows verified, "
            f"{unsealed} rows not yet sealed."
        )
