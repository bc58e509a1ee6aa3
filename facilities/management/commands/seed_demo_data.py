import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from facilities import demo
from facilities.actors import command_actor

_SINGULAR = {
    "users": "user",
    "organizations": "organization",
    "memberships": "membership",
    "facilities": "facility",
    "licences": "licence",
    "accreditations": "accreditation",
}


class Command(BaseCommand):
    help = (
        "Create the demo data of `make run`: the superuser `admin`, the organizations Aurora "
        "Health Network (30 facilities in the US, Brazil and India, with licences and "
        "accreditations) and Vale Clinics (3 facilities), and one user per role. Idempotent: "
        "what exists is kept, so a second run changes nothing. Passwords come from "
        "DJANGO_SUPERUSER_PASSWORD or are generated, stored in var/demo-credentials.txt and "
        "printed. Refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )
        parser.add_argument(
            "--actor",
            help="Username or e-mail of the user recorded in the history (default: system).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo data is for development: set DEBUG=true or pass --force.")
        actor, actor_note = command_actor(options["actor"])
        note = f"seed demo data ({actor_note})" if actor_note else "seed demo data"
        started = time.perf_counter()
        with transaction.atomic():
            report = demo.seed_demo_data(
                actor=actor, note=note, credentials_path=demo.credentials_file()
            )
        elapsed = time.perf_counter() - started

        for summary in report.organizations:
            self.stdout.write(
                f"{summary.name}: {_count(summary.facilities, 'facility', 'facilities')}, "
                f"{_count(summary.licenses, 'licence', 'licences')}, "
                f"{_count(summary.accreditations, 'accreditation', 'accreditations')}"
            )
        # Unary plus drops the zero counts.
        if created_counts := +report.created:
            created = ", ".join(
                _count(number, _SINGULAR[what], what) for what, number in created_counts.items()
            )
            self.stdout.write(self.style.SUCCESS(f"Created {created} ({elapsed:.1f} s)."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Already up to date ({elapsed:.1f} s)."))
        self.stdout.write("Demo credentials (also in var/demo-credentials.txt):")
        width = max(len(credential.username) for credential in report.credentials)
        for credential in report.credentials:
            self.stdout.write(
                f"  {credential.username:<{width}}  {credential.password}  {credential.roles}"
            )


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"
