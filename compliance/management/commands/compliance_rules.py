from django.core.management.base import BaseCommand, CommandParser

from compliance.catalog import catalog_rows
from compliance.regulations.registry import rules_version


class Command(BaseCommand):
    help = (
        "List the rule catalog: frameworks and requirements with citations, obligation, HIPAA "
        "label and fact grade, as the catalog browser shows them. Filter with --jurisdiction "
        "(US, US-CA, BR, IN-MH, or * for accreditation) and --facility-type."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jurisdiction", default="")
        parser.add_argument("--facility-type", default="")

    def handle(self, *args: object, **options: str) -> None:
        rows = catalog_rows(
            jurisdiction=options["jurisdiction"], facility_type=options["facility_type"]
        )
        current = None
        for row in rows:
            if row.framework is not current:
                current = row.framework
                self.stdout.write(
                    self.style.MIGRATE_HEADING(
                        f"{current.code}  {current.title}  [{current.jurisdiction}, "
                        f"{current.level.value}, {current.version}]"
                    )
                )
            requirement = row.requirement
            label = f" {requirement.hipaa_label.value}" if requirement.hipaa_label else ""
            self.stdout.write(
                f"  {requirement.code:<34} {requirement.obligation.value}{label} "
                f"[{requirement.grade.value}]  {requirement.title}  ({requirement.citation})"
            )
        self.stdout.write(f"{len(rows)} requirements; rules version {rules_version()}.")
