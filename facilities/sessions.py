"""Signed-in sessions: automatic logoff after inactivity, and the client address that login
throttling counts failures against.

Automatic logoff is HIPAA's addressable specification 164.312(a)(2)(iii): a session left idle
for `SESSION_IDLE_TIMEOUT_MINUTES` is signed out, and its next request lands on the login page
with a message. Requests a page makes by itself to poll for progress carry the header
`X-Background-Poll: 1`: they are not activity, so they neither refresh the session's last
activity nor its cookie, and an unattended progress page does not keep a session alive.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import ngettext

# The session key holding the time (seconds since the epoch) of the last request that counts
# as activity.
LAST_ACTIVITY_KEY = "hims_last_activity"
# The stamp is rewritten at most once a minute: a session write per request would cost three
# queries on every page. The recorded activity is then up to a minute early, so a session is
# signed out after at most the timeout, never later.
ACTIVITY_RESOLUTION_SECONDS = 60
BACKGROUND_POLL_HEADER = "X-Background-Poll"


def is_background_poll(request: HttpRequest) -> bool:
    return request.headers.get(BACKGROUND_POLL_HEADER) == "1"


def idle_timeout_seconds() -> int:
    minutes: int = settings.SESSION_IDLE_TIMEOUT_MINUTES
    return minutes * 60


class IdleSessionTimeoutMiddleware:
    """Signs out a session idle for longer than `SESSION_IDLE_TIMEOUT_MINUTES`.

    Placed after the authentication and message middlewares. The signed-out request carries on
    as an anonymous one, so `LoginRequiredMiddleware` (or the admin) sends it to the login page,
    where the message says why. A session without a recorded activity (signed in before this
    middleware existed) counts from its next request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        now = int(time.time())
        if request.user.is_authenticated:
            last_activity = request.session.get(LAST_ACTIVITY_KEY)
            timeout = idle_timeout_seconds()
            if isinstance(last_activity, int) and now - last_activity > timeout:
                logout(request)
                minutes = timeout // 60
                messages.warning(
                    request,
                    ngettext(
                        "You were signed out after %(minutes)d minute without activity. "
                        "Sign in again to continue.",
                        "You were signed out after %(minutes)d minutes without activity. "
                        "Sign in again to continue.",
                        minutes,
                    )
                    % {"minutes": minutes},
                )

        response = self.get_response(request)

        # Stamped after the view, so that the request that signs in starts the clock.
        if request.user.is_authenticated and not is_background_poll(request):
            stamped = request.session.get(LAST_ACTIVITY_KEY)
            if not isinstance(stamped, int) or now - stamped >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return response


def start_activity_clock(sender: object, request: HttpRequest | None, **kwargs: Any) -> None:
    """On `user_logged_in`: the new session's last activity is its sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = int(time.time())


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address for login throttling (`AXES_CLIENT_IP_CALLABLE`).

    Directly exposed: the peer address. Behind `AXES_IPWARE_PROXY_COUNT` trusted proxies, each
    appending the address it received the request from to `X-Forwarded-For` (or the first
    header of `AXES_IPWARE_META_PRECEDENCE_ORDER`): the entry the outermost trusted proxy added,
    counted from the right. Entries further left come from the client and could be forged.
    """
    remote_addr: str | None = request.META.get("REMOTE_ADDR")
    proxy_count: int = settings.AXES_IPWARE_PROXY_COUNT or 0
    if proxy_count <= 0:
        return remote_addr
    for header in settings.AXES_IPWARE_META_PRECEDENCE_ORDER:
        raw = str(request.META.get(header, ""))
        addresses = [part.strip() for part in raw.split(",") if part.strip()]
        if len(addresses) >= proxy_count:
            address: str = addresses[-proxy_count]
            return address
        if addresses:
            # Fewer entries than trusted proxies: the request did not come through all of them,
            # so no entry can be trusted (the leftmost is whatever the client sent).
            return remote_addr
    return remote_addr


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponseBase | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page a locked-out login attempt gets (`AXES_LOCKOUT_CALLABLE`): the login page's
    layout with the reason and the wait, answered 429 Too Many Requests. The same page for the
    site's and the admin's login forms."""
    cooloff: timedelta = settings.AXES_COOLOFF_TIME
    context = {"cooloff_minutes": max(1, round(cooloff.total_seconds() / 60))}
    return render(request, "registration/lockout.html", context, status=429)
