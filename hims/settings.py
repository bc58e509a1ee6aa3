"""Settings for HIMS Compliance, read from the environment (see `.env.example`).

One module for every environment: production values have no defaults, and the few
development conveniences apply only when DEBUG is on.
"""

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# Lets generic classes be subscripted at run time (ModelAdmin[Facility]) for the type checker.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables already in the environment win over the file; HIMS_ENV_FILE points elsewhere.
ENV_FILE = Path(environ.Env().str("HIMS_ENV_FILE", default=str(BASE_DIR / ".env")))
if ENV_FILE.is_file():
    env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. It is required when DEBUG is off: set SECRET_KEY in the "
            "environment or in .env (for local development, set DEBUG=true instead)."
        )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    # Django's admin with the project's site (view-on-site scoped to the staff's organizations).
    "facilities.admin_site.HimsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "django_tasks_db",
    "simple_history",
    "axes",
    "geography",
    "facilities",
    "compliance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "facilities.sessions.IdleSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hims.urls"
WSGI_APPLICATION = "hims.wsgi.application"
ASGI_APPLICATION = "hims.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite is the embedded default for a first `make run`. WAL, a busy timeout and
# immediate transactions let the web server and the task worker share the file
# without "database is locked" errors.
_SQLITE_DEFAULT = f"sqlite:///{BASE_DIR / 'var' / 'hims.sqlite3'}"
DATABASES = {"default": env.db("DATABASE_URL", default=_SQLITE_DEFAULT)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Send parameters apart from the SQL: psycopg's client-side quoting of large JSON results
    # (the checks) costs more than the whole evaluation of a facility.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
    # psycopg prepares a statement when asked to (executemany: the engine inserts each chunk of
    # checks as one INSERT run for hundreds of rows, which planned once is several times
    # faster), and never on its own: the threshold is out of reach. Turn it off behind a
    # transaction-mode pooler that cannot keep prepared statements (PgBouncer before 1.21).
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 2**31 - 1

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "facilities.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out (username, address) before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "facilities:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("pt-br", "Português (Brasil)"), ("hi", "हिन्दी")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True


def _reminder_windows(raw: str) -> list[int]:
    """EXPIRY_REMINDER_WINDOWS: days before a deadline, comma-separated, e.g. "90,60,30,7,0"."""
    try:
        windows = sorted({int(part) for part in raw.split(",") if part.strip()}, reverse=True)
    except ValueError:
        windows = []
    if not windows or any(day < 0 or day > 365 for day in windows):
        raise ImproperlyConfigured(
            f"EXPIRY_REMINDER_WINDOWS={raw!r} is not a list of whole days between 0 and 365, "
            'e.g. "90,60,30,7,0".'
        )
    return windows


# The site's public address, for links in e-mails sent outside a request (expiry reminders).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Expiry reminders: the windows (days before a filing deadline) that send one.
EXPIRY_REMINDER_WINDOWS = _reminder_windows(
    env.str("EXPIRY_REMINDER_WINDOWS", default="90,60,30,7,0")
)

EVIDENCE_ROOT = env.path("EVIDENCE_ROOT", default=BASE_DIR / "var" / "evidence")
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}


def _mailer_from_url(url: str) -> dict[str, object]:
    """Translate an EMAIL_URL (smtp://, smtp+tls://, consolemail://, ...) into a MAILERS entry."""
    config = environ.Env.email_url_config(url)
    backend = config["EMAIL_BACKEND"]
    if not backend.endswith("smtp.EmailBackend"):
        return {"BACKEND": backend}
    options = {
        "host": config.get("EMAIL_HOST") or "localhost",
        "port": config.get("EMAIL_PORT") or None,
        "username": config.get("EMAIL_HOST_USER") or None,
        "password": config.get("EMAIL_HOST_PASSWORD") or None,
        "use_tls": bool(config.get("EMAIL_USE_TLS")),
        "use_ssl": bool(config.get("EMAIL_USE_SSL")),
    }
    return {"BACKEND": backend, "OPTIONS": {k: v for k, v in options.items() if v is not None}}


# E-mail: console in development, SMTP (or any backend) from EMAIL_URL otherwise.
MAILERS = {"default": _mailer_from_url(env.str("EMAIL_URL", default="consolemail://"))}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="HIMS Compliance <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True
# Reasons hold the path and the user's note (up to 2,000 characters): a text column, never cut.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Security (DESIGN.md §8; HIPAA 164.312) --------------------------------------------------

# Content-Security-Policy in every environment, DEBUG included, so that an inline script or
# style attribute breaks in development rather than in production. No 'unsafe-inline': scripts
# and styles come from static files only. The admin's templates (Django 6.x) load external
# scripts and keep their data in <script type="application/json"> blocks, which a browser does
# not execute, so the admin works under this policy.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# No script of the project reads the CSRF cookie: forms carry the token.
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


def _proxy_ssl_header(raw: str) -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER: "HTTP_X_FORWARDED_PROTO,https" behind a proxy that sets it."""
    if not raw.strip():
        return None
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) != 2 or not parts[0].startswith("HTTP_") or not parts[1]:
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER={raw!r} is not a header and a value, "
            'e.g. "HTTP_X_FORWARDED_PROTO,https".'
        )
    return parts[0], parts[1]


# Only behind a proxy that always sets (or strips) this header: otherwise a client could claim
# HTTPS.
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(env.str("SECURE_PROXY_SSL_HEADER", default=""))

if not DEBUG:
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe the health endpoint over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a commitment for the whole domain, taken by its owner, not by default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Automatic logoff (HIPAA 164.312(a)(2)(iii)): a session idle for longer is signed out
# (facilities.sessions). The cookie and the stored session last as long, refreshed on activity.
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=15)
if SESSION_IDLE_TIMEOUT_MINUTES < 1:
    raise ImproperlyConfigured("SESSION_IDLE_TIMEOUT_MINUTES must be at least 1.")
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60

# Login throttling (django-axes): a (username, client address) pair is locked out for
# AXES_COOLOFF_MINUTES after AXES_FAILURE_LIMIT failed attempts; a successful login clears
# that pair's failures. The address is the peer's, or behind AXES_IPWARE_PROXY_COUNT trusted
# proxies the one the outermost of them received the request from, counted from the right of
# X-Forwarded-For (facilities.sessions.client_ip_address).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "facilities.sessions.lockout_response"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = env.tuple(
    "AXES_IPWARE_META_PRECEDENCE_ORDER", default=("HTTP_X_FORWARDED_FOR",)
)
AXES_CLIENT_IP_CALLABLE = "facilities.sessions.client_ip_address"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
}
