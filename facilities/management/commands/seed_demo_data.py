import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from facilities.models import User

DEMO_SUPERUSER = "admin"


class Command(BaseCommand):
    help = (
        "Create the demo superuser for a first `make run` (idempotent: an existing user is "
        "kept). The password is taken from DJANGO_SUPERUSER_PASSWORD or generated, stored in "
        "var/demo-credentials.txt and printed. Refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo data is for development: set DEBUG=true or pass --force.")
        credentials_file = Path(settings.BASE_DIR) / "var" / "demo-credentials.txt"
        with transaction.atomic():
            password = self._ensure_superuser(credentials_file)
        self.stdout.write(
            self.style.SUCCESS("Demo credentials (also in var/demo-credentials.txt):")
        )
        self.stdout.write(f"  superuser  {DEMO_SUPERUSER} / {password}")

    def _ensure_superuser(self, credentials_file: Path) -> str:
        known = _read_credentials(credentials_file)
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or known.get(DEMO_SUPERUSER)
        user = User.objects.filter(username=DEMO_SUPERUSER).first()
        if user is None:
            password = password or secrets.token_urlsafe(12)
            User.objects.create_superuser(
                username=DEMO_SUPERUSER, email="admin@example.com", password=password
            )
        elif password is None or not user.check_password(password):
            # The stored password was lost or changed by hand: set a fresh one so the
            # printed credentials always work.
            password = password or secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
        known[DEMO_SUPERUSER] = password
        _write_credentials(credentials_file, known)
        return password


def _read_credentials(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return dict(pairs)


def _write_credentials(path: Path, credentials: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{user} {password}\n" for user, password in credentials.items()))
    path.chmod(0o600)
