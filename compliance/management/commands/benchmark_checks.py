import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from compliance import benchmark
from compliance.models import ComplianceCheck
from facilities import services
from facilities.actors import system_user


class Command(BaseCommand):
    help = (
        "Benchmark the check engine in a scratch PostgreSQL database (<name>_benchmark, created "
        "and dropped by this command): generate N facilities with licences, accreditations and "
        "attestations, then print facilities per second for (a) the engine, (b) a naive "
        "per-facility implementation (on a sample of up to 2,000 facilities) and (c) a raw-SQL "
        "floor, with the ratios and the engine's peak traced memory. Not a test: run it by hand."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--facilities", type=int, default=20_000)
        parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")

    def handle(self, *args: object, **options: object) -> None:
        count = int(options["facilities"])  # type: ignore[call-overload]
        if not 1 <= count <= 200_000:
            raise CommandError("--facilities must be between 1 and 200000.")
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL (set DATABASE_URL).")
        original = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{original}_benchmark"
        self.stdout.write(f"Creating the scratch database {original}_benchmark ...")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            self._run(count)
        finally:
            if not options["keep"]:
                connection.creation.destroy_test_db(original, verbosity=0)

    def _run(self, count: int) -> None:
        actor = system_user()
        organization = services.organization_create(
            actor=actor, name="Benchmark", slug="benchmark", first_admin=actor, via="command"
        )
        started = time.perf_counter()
        benchmark.generate(organization=organization, actor=actor, count=count)
        self.stdout.write(f"Generated {count} facilities in {time.perf_counter() - started:.1f} s.")

        measures = []
        runs = {}

        def engine() -> None:
            runs["engine"] = benchmark.run_engine(organization, actor)

        measures.append(benchmark._timed("engine", count, engine))
        payloads = list(benchmark._payloads(runs["engine"]))
        sample = [row[0] for row in payloads[: benchmark.NAIVE_SAMPLE]]
        measures.append(
            benchmark._timed(
                "naive", len(sample), lambda: benchmark.run_naive(organization, actor, sample)
            )
        )
        measures.append(
            benchmark._timed(
                "floor", count, lambda: benchmark.run_floor(organization, actor, payloads)
            )
        )
        peak = benchmark.peak_memory_of_engine(organization, actor)
        summary = benchmark.describe(measures)
        checks = ComplianceCheck.objects.filter(run=runs["engine"]).count()
        megabytes = benchmark.json_size(payloads) / 1e6
        self.stdout.write(f"Engine wrote {checks} checks; results JSON {megabytes:.1f} MB.")
        for measure in measures:
            self.stdout.write(
                f"  ({measure.label}) {measure.facilities} facilities in {measure.seconds:.2f} s: "
                f"{measure.rate:,.0f} facilities/s"
            )
        self.stdout.write(f"  engine / naive: {summary['engine_vs_naive']}x (target >= 20x)")
        self.stdout.write(f"  floor / engine: {summary['floor_vs_engine']}x (target <= 3x)")
        self.stdout.write(f"  engine peak traced memory: {peak / 1e6:.1f} MB")
