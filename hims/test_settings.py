"""Settings for the test suite: the real settings, against PostgreSQL, with fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hims")

from hims.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_AUTOREFRESH = True

# The test client and the browser tests' live server speak plain HTTP: no redirect to HTTPS and
# no Secure-only cookies (the production values are tested in tests/hims/test_security.py,
# against the real settings in a subprocess). Login throttling stays on: tests sign in with
# `force_login`, and each test's attempts roll back or are flushed with it.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
AXES_VERBOSE = False
