from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from compliance import reminders
from facilities.models import Organization


class Command(BaseCommand):
    help = (
        "Nightly expiry reminders: for each licence, accreditation and attestation with a "
        "filing deadline, e-mail its responsible member and the organization's officers and "
        "admins who want reminders the most urgent window (EXPIRY_REMINDER_WINDOWS days before "
        "the must-file-by date) not yet sent, in one digest per recipient. Each reminder is "
        "recorded as pending before sending and as sent after, so a rerun sends what is still "
        "owed, even for an item that has lapsed since; a pending reminder no longer owed (item "
        "renewed, superseded or with a renewal filed, recipient gone, a more urgent one sent) "
        "is marked cancelled. An organization that fails is reported and the others go on; the "
        "command then exits non-zero. --dry-run prints what would be sent and writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", help="Only this organization (slug).")
        parser.add_argument("--dry-run", action="store_true", help="Print, send and write nothing.")
        parser.add_argument(
            "--base-url",
            default=None,
            help="Site address for the links in the e-mails, e.g. https://compliance.example.org "
            "(default: SITE_URL from the environment).",
        )

    def handle(self, *args: object, **options: object) -> None:
        organizations = Organization.objects.filter(is_active=True).order_by("slug")
        if slug := options["organization"]:
            organizations = organizations.filter(slug=slug)
            if not organizations.exists():
                raise CommandError(f"No active organization has the slug {slug!r}.")
        base_url = str(options["base_url"] or settings.SITE_URL)
        dry_run = bool(options["dry_run"])
        run = reminders.send_reminders(organizations, base_url=base_url, dry_run=dry_run)
        for digest in run.digests:
            self.stdout.write(
                f"{digest.organization.slug}: {digest.recipient.email} "
                f"({len(digest.reminders)} reminders)"
            )
            for reminder in digest.reminders:
                self.stdout.write(f"  - {reminders.describe(reminder)}")
        for digest, error in run.failed:
            self.stderr.write(
                f"Failed to send to {digest.recipient.email}: {error} (left pending; the next "
                "run retries it)."
            )
        for organization, error in run.errors:
            self.stderr.write(
                f"{organization.slug}: reminders failed: {error} (nothing sent for it; the "
                "other organizations went on)."
            )
        if run.cancelled:
            verb = "would be cancelled" if dry_run else "cancelled"
            self.stdout.write(f"{run.cancelled} pending reminders no longer owed {verb}.")
        if dry_run:
            self.stdout.write(
                f"Dry run: {len(run.digests)} digests would be sent; nothing written."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{len(run.sent)} digests sent, {len(run.failed)} failed.")
            )
        problems = []
        if run.failed:
            problems.append(f"{len(run.failed)} digests could not be sent")
        if run.errors:
            problems.append(f"{len(run.errors)} organizations failed")
        if problems:
            raise CommandError("; ".join(problems) + ".")
