"""The security baseline (issue 6, part 5): production settings and the deploy check, the
Content-Security-Policy, login throttling, automatic logoff, password validation, CSRF, and the
admin's "view on site" kept to the staff member's organizations."""

import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from facilities.models import Facility, Membership
from facilities.sessions import LAST_ACTIVITY_KEY, client_ip_address
from tests.factories import FacilityFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.factories.users import DEFAULT_PASSWORD

# --- Production settings ----------------------------------------------------------------------


def _production_environment(**extra: str) -> dict[str, str]:
    """The environment of a production process: the real settings module (not the test
    settings), DEBUG off, a long random key, a host name, SMTP mail and no .env file."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECRET_KEY", "DEBUG", "SECURE_", "AXES_", "SESSION_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="hims.settings",
        HIMS_ENV_FILE="/nonexistent/.env",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="compliance.example.org",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.example.org:587",
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        **extra,
    )
    return environment


def _run(args: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    # The arguments are this module's own constants.
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=_production_environment(**extra),
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_passes_with_production_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRINT_SECURITY_SETTINGS = """
import django
django.setup()
from django.conf import settings as s
for name in (
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY",
    "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS",
    "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_AGE",
):
    print(name, repr(getattr(s, name)))
"""


def _security_settings(**extra: str) -> dict[str, str]:
    result = _run(["-c", PRINT_SECURITY_SETTINGS], **extra)
    assert result.returncode == 0, result.stderr
    return dict(line.split(" ", 1) for line in result.stdout.splitlines())


def test_production_settings_turn_on_https_and_cookie_protections():
    values = _security_settings()

    assert values == {
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SECURE_HSTS_PRELOAD": "False",
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_REDIRECT_EXEMPT": "['^health/$']",
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "SESSION_COOKIE_HTTPONLY": "True",
        "CSRF_COOKIE_HTTPONLY": "True",
        "SECURE_CONTENT_TYPE_NOSNIFF": "True",
        "SECURE_REFERRER_POLICY": "'same-origin'",
        "X_FRAME_OPTIONS": "'DENY'",
        "SECURE_PROXY_SSL_HEADER": "None",
        "SESSION_COOKIE_AGE": "900",
    }


def test_proxy_ssl_header_and_hsts_come_from_the_environment():
    values = _security_settings(
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        SECURE_HSTS_SECONDS="3600",
        SESSION_IDLE_TIMEOUT_MINUTES="30",
    )

    assert values["SECURE_PROXY_SSL_HEADER"] == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert values["SECURE_HSTS_SECONDS"] == "3600"
    assert values["SESSION_COOKIE_AGE"] == "1800"


def test_a_malformed_proxy_ssl_header_stops_the_start_with_a_clear_message():
    result = _run(["-c", "import django; django.setup()"], SECURE_PROXY_SSL_HEADER="https")

    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER='https' is not a header and a value" in result.stderr


@pytest.fixture
def https_redirect(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^health/$"]


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_the_health_endpoint(https_redirect):
    client = Client()

    page = client.get(reverse("login"))
    health = client.get(reverse("health"))

    assert (page.status_code, page["Location"]) == (301, "https://testserver/accounts/login/")
    assert health.status_code == 200


@pytest.mark.django_db
def test_https_behind_a_proxy_is_recognised_from_the_configured_header(https_redirect, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()

    response = client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"})

    assert response.status_code == 200


# --- Content-Security-Policy ----------------------------------------------------------------


def _csp(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(directive.strip().split(" ", 1) for directive in policy.split(";"))


@pytest.mark.django_db
def test_every_page_carries_a_policy_without_inline_scripts_or_styles(client):
    client.force_login(UserFactory())

    response = client.get(reverse("facilities:home"))

    assert _csp(response) == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self'",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)


def test_no_project_template_has_an_inline_script_or_style():
    offenders = []
    for template in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        text = template.read_text()
        for pattern in (INLINE_SCRIPT, STYLE):
            offenders += [f"{template}: {m.group(0)}" for m in pattern.finditer(text)]

    assert offenders == []


@pytest.mark.django_db
def test_admin_pages_keep_their_scripts_external_or_as_json_data(client):
    """Django's admin templates run under the policy: every executable script has a `src`;
    the inline ones are JSON data blocks, which a browser does not execute."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    facility = FacilityFactory()
    pages = [
        reverse("admin:index"),
        reverse("admin:facilities_facility_changelist"),
        reverse("admin:facilities_facility_change", args=[facility.pk]),
        reverse("admin:facilities_facilitylicense_add"),
    ]

    inline = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        html = response.content.decode()
        inline += [
            tag for tag in INLINE_SCRIPT.findall(html) if 'type="application/json"' not in tag
        ]

    assert inline == []


# --- Login throttling -----------------------------------------------------------------------


def _login(client, username, password, address):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(client):
    user = UserFactory(username="olivia")
    failures = [_login(client, "olivia", "wrong", "203.0.113.7") for _ in range(4)]

    fifth = _login(client, "olivia", "wrong", "203.0.113.7")
    sixth = _login(client, "olivia", DEFAULT_PASSWORD, "203.0.113.7")

    assert [r.status_code for r in failures] == [200] * 4
    assert fifth.status_code == 429
    assert sixth.status_code == 429
    assert "registration/lockout.html" in [template.name for template in sixth.templates]
    assert "Too many failed login attempts for this username from your address." in (
        sixth.content.decode()
    )
    assert "Logging in is blocked for 15 minutes." in sixth.content.decode()
    assert "_auth_user_id" not in client.session
    # The refused sixth attempt counts as a failure too (and restarts the cool-off).
    assert AccessAttempt.objects.get().failures_since_start == 6
    assert user.last_login is None


@pytest.mark.django_db
def test_lockout_keeps_other_addresses_and_other_usernames_logging_in():
    UserFactory(username="olivia")
    UserFactory(username="victor")
    for _ in range(5):
        _login(Client(), "olivia", "wrong", "203.0.113.7")

    same_user_elsewhere = _login(Client(), "olivia", DEFAULT_PASSWORD, "198.51.100.20")
    other_user_same_address = _login(Client(), "victor", DEFAULT_PASSWORD, "203.0.113.7")
    still_locked = _login(Client(), "olivia", DEFAULT_PASSWORD, "203.0.113.7")

    assert same_user_elsewhere.status_code == 302
    assert other_user_same_address.status_code == 302
    assert still_locked.status_code == 429


@pytest.mark.django_db
def test_lockout_ends_after_the_cooloff(client):
    UserFactory(username="olivia")
    for _ in range(5):
        _login(client, "olivia", "wrong", "203.0.113.7")
    attempt = AccessAttempt.objects.get()
    # Time travel: the failures happened 16 minutes ago.
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=attempt.attempt_time - settings.AXES_COOLOFF_TIME - _minutes(1)
    )

    response = _login(client, "olivia", DEFAULT_PASSWORD, "203.0.113.7")

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_a_success_clears_the_failures_of_that_username_and_address(client):
    UserFactory(username="olivia")
    for _ in range(4):
        _login(client, "olivia", "wrong", "203.0.113.7")

    _login(client, "olivia", DEFAULT_PASSWORD, "203.0.113.7")

    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_admin_login_is_throttled_too(client):
    UserFactory(username="olivia", is_staff=True)
    for _ in range(5):
        client.post(
            reverse("admin:login"),
            {"username": "olivia", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
        )

    response = client.post(
        reverse("admin:login"),
        {"username": "olivia", "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()


class _Request:
    def __init__(self, meta):
        self.META = meta


@pytest.mark.parametrize(
    ("proxy_count", "forwarded_for", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.1"),
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (1, "", "10.0.0.1"),
        # Fewer entries than trusted proxies: the one entry is the client's word, not trusted.
        (2, "6.6.6.6", "10.0.0.1"),
    ],
)
def test_client_address_behind_proxies_ignores_what_the_client_forged(
    settings, proxy_count, forwarded_for, expected
):
    settings.AXES_IPWARE_PROXY_COUNT = proxy_count
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",)
    request = _Request({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded_for})

    assert client_ip_address(request) == expected


# --- Automatic logoff -----------------------------------------------------------------------


def _minutes(count):
    from datetime import timedelta

    return timedelta(minutes=count)


def _last_activity(client, seconds_ago):
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds_ago
    session.save()


@pytest.fixture
def member_client(client):
    client.force_login(UserFactory(first_name="Ana"))
    return client


@pytest.mark.django_db
def test_a_request_records_the_last_activity(member_client):
    before = int(time.time())

    response = member_client.get(reverse("facilities:home"))

    assert response.status_code == 200
    assert before <= member_client.session[LAST_ACTIVITY_KEY] <= int(time.time())


@pytest.mark.django_db
def test_a_session_active_within_the_timeout_stays_signed_in(member_client):
    _last_activity(member_client, 14 * 60)

    response = member_client.get(reverse("facilities:home"))

    assert response.status_code == 200
    assert member_client.session[LAST_ACTIVITY_KEY] >= int(time.time()) - 1


@pytest.mark.django_db
def test_activity_is_recorded_at_most_once_a_minute(member_client):
    _last_activity(member_client, 30)
    stamped = member_client.session[LAST_ACTIVITY_KEY]

    response = member_client.get(reverse("facilities:home"))

    assert response.status_code == 200
    assert member_client.session[LAST_ACTIVITY_KEY] == stamped
    assert settings.SESSION_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_an_idle_session_is_signed_out_and_sent_to_login_with_a_message(member_client):
    _last_activity(member_client, 16 * 60)
    url = reverse("facilities:home")

    response = member_client.get(url)
    login_page = member_client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert "_auth_user_id" not in member_client.session
    assert [str(m) for m in get_messages(login_page.wsgi_request)] == [
        "You were signed out after 15 minutes without activity. Sign in again to continue."
    ]


@pytest.mark.django_db
def test_idle_timeout_is_configurable(member_client, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    _last_activity(member_client, 20 * 60)

    response = member_client.get(reverse("facilities:home"))

    assert response.status_code == 200


@pytest.mark.django_db
def test_background_polling_does_not_count_as_activity(member_client):
    _last_activity(member_client, 10 * 60)
    stamped = member_client.session[LAST_ACTIVITY_KEY]

    response = member_client.get(reverse("facilities:home"), headers={"X-Background-Poll": "1"})

    assert response.status_code == 200
    assert member_client.session[LAST_ACTIVITY_KEY] == stamped
    assert settings.SESSION_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_background_polling_after_the_timeout_is_signed_out(member_client):
    _last_activity(member_client, 16 * 60)

    response = member_client.get(reverse("facilities:home"), headers={"X-Background-Poll": "1"})

    assert response.status_code == 302
    assert "_auth_user_id" not in member_client.session


@pytest.mark.django_db
def test_logging_in_starts_the_idle_clock(client):
    UserFactory(username="olivia")

    _login(client, "olivia", DEFAULT_PASSWORD, "203.0.113.7")

    assert client.session[LAST_ACTIVITY_KEY] >= int(time.time()) - 1


# --- Passwords and CSRF ---------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_refuses_a_weak_password(client):
    user = UserFactory(username="olivia")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    # The link redirects to a URL without the token, kept in the session.
    set_password_url = client.get(reverse("password_reset_confirm", args=[uid, token]))["Location"]

    response = client.post(
        set_password_url, {"new_password1": "12345678", "new_password2": "12345678"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "new_password2": [
            "This password is too common.",
            "This password is entirely numeric.",
        ]
    }
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing():
    organization = OrganizationFactory(slug="acme")
    user = UserFactory()
    MembershipFactory(organization=organization, user=user, role=Membership.Role.OFFICER)
    facility = FacilityFactory(organization=organization)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(
        reverse("facilities:facility-close", kwargs={"org": "acme", "pk": facility.pk}),
        {"closed_on": "2026-01-01", "reason": "Sold"},
    )

    assert response.status_code == 403
    facility.refresh_from_db()
    assert facility.status == Facility.Status.ACTIVE
    assert facility.history.count() == 1


# --- The admin's "view on site" -------------------------------------------------------------


@pytest.fixture
def staff_officer():
    """A staff member who is an officer of one organization only, with every permission of the
    project's apps: the admin itself keeps them to that organization."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["facilities", "compliance"])
    )
    MembershipFactory(
        organization=OrganizationFactory(slug="acme"), user=user, role=Membership.Role.OFFICER
    )
    return user


def _view_on_site(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


@pytest.mark.django_db
def test_view_on_site_redirects_staff_to_their_organizations_object(client, staff_officer):
    mine = FacilityFactory(organization=staff_officer.memberships.get().organization)
    client.force_login(staff_officer)

    response = client.get(_view_on_site(mine))

    assert response.status_code == 302
    assert response["Location"].endswith(mine.get_absolute_url())


@pytest.mark.django_db
def test_view_on_site_answers_404_for_another_organizations_object(client, staff_officer):
    theirs = FacilityFactory(organization=OrganizationFactory(slug="rival", name="Rival Care"))
    client.force_login(staff_officer)

    response = client.get(_view_on_site(theirs))

    assert response.status_code == 404
    assert b"rival" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["abc/1", "999999/1", "{facility_type}/abc", "{facility_type}/999999"]
)
def test_view_on_site_answers_404_for_forged_ids(client, staff_officer, path):
    facility_type = ContentType.objects.get_for_model(Facility).pk
    client.force_login(staff_officer)

    response = client.get(f"/admin/r/{path.format(facility_type=facility_type)}/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_view_on_site_answers_404_for_models_outside_the_admin(client, staff_officer):
    history = FacilityFactory(organization=OrganizationFactory(slug="rival")).history.get()
    client.force_login(staff_officer)

    response = client.get(_view_on_site(history))

    assert response.status_code == 404


@pytest.mark.django_db
def test_view_on_site_redirects_a_superuser_to_any_organizations_object(client):
    theirs = FacilityFactory(organization=OrganizationFactory(slug="rival"))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(_view_on_site(theirs))

    assert response.status_code == 302
    assert response["Location"].endswith(theirs.get_absolute_url())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["admin:axes_accessattempt_changelist", "admin:django_tasks_database_dbtaskresult_changelist"],
)
def test_third_party_admins_are_for_superusers_only(client, staff_officer, url_name):
    staff_officer.user_permissions.set(Permission.objects.all())
    client.force_login(staff_officer)

    response = client.get(reverse(url_name))

    assert response.status_code == 403
