import os
import subprocess
import sys

from django.conf import settings


def _start_django(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="hims.settings", HIMS_ENV_FILE="/nonexistent/.env", **env
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_startup_without_secret_key_and_debug_off_fails_with_a_clear_message():
    result = _start_django(DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY is not set. It is required when DEBUG is off" in result.stderr


def test_startup_with_secret_key_and_debug_off_succeeds():
    result = _start_django(DEBUG="false", SECRET_KEY="a-production-secret")

    assert result.returncode == 0, result.stderr


def test_startup_in_debug_needs_no_secret_key():
    result = _start_django(DEBUG="true")

    assert result.returncode == 0, result.stderr
