import time

from django.core.management.base import BaseCommand
from django.db import transaction

from geography.models import Country, District, State
from geography.seeding import seed_reference_data


class Command(BaseCommand):
    help = (
        "Create or update countries, states and districts from the code-defined catalog. "
        "Idempotent: a second run changes nothing; renamed entries are updated in place and "
        "no row is ever deleted. The data migration runs the same code."
    )

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            report = seed_reference_data(Country, State, District)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Reference geography: {report.summary()} ({elapsed:.1f} s).")
        if not report.changed:
            self.stdout.write(self.style.SUCCESS("Already up to date."))
