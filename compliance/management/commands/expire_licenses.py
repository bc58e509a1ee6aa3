from django.core.management.base import BaseCommand, CommandError, CommandParser

from facilities import services
from facilities.actors import command_actor
from facilities.models import Accreditation, FacilityLicense, Organization


class Command(BaseCommand):
    help = (
        "Nightly expiry sweep: mark licences and accreditations whose expiry date has passed "
        "(in each organization's own today) as expired, with one history row each naming the "
        "actor (--actor, or the system user) and the reason. Renewed, suspended, revoked and "
        "already expired records, licences superseded by a renewal, licences whose renewal was "
        "filed on or before expiry, and closed facilities' records are left alone. Idempotent: a "
        "second run the same day changes nothing. --dry-run lists what would change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", help="Only this organization (slug).")
        parser.add_argument("--actor", help="Username or e-mail of the user running this.")
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")

    def handle(self, *args: object, **options: object) -> None:
        actor, note = command_actor(options["actor"])  # type: ignore[arg-type]
        organizations = Organization.objects.filter(is_active=True).order_by("slug")
        if slug := options["organization"]:
            organizations = organizations.filter(slug=slug)
            if not organizations.exists():
                raise CommandError(f"No active organization has the slug {slug!r}.")
        dry_run = bool(options["dry_run"])
        if note and not dry_run:
            self.stdout.write(f"Acting as {actor.username} ({note}).")
        total = 0
        for organization in organizations:
            if dry_run:
                licenses, accreditations = services.records_past_expiry(organization)
            else:
                licenses, accreditations = services.records_expire(
                    actor=actor, organization=organization, via="command", note=note
                )
            records: list[FacilityLicense | Accreditation] = [*licenses, *accreditations]
            for record in records:
                self.stdout.write(
                    f"  {organization.slug}: {record} ({record.facility_id}), "
                    f"expired on {record.expiry_date}"
                )
            count = len(licenses) + len(accreditations)
            total += count
            if count:
                self.stdout.write(
                    f"{organization}: {len(licenses)} licences, "
                    f"{len(accreditations)} accreditations past expiry."
                )
        verb = "would be marked" if dry_run else "marked"
        self.stdout.write(self.style.SUCCESS(f"{total} records {verb} expired."))
