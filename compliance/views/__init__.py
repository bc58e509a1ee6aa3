"""The compliance pages: checks and their history, attestations, evidence, the catalog and the
organization's custom rules (STYLE.md, "Views, permissions, URLs").

Views are glue, as in `facilities.views`: an access helper finds the object in the
organization of the URL, a form cleans the input, one service or selector does the work, and
the view renders or redirects with a message.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from facilities.views import ServiceFormView


class ComplianceFormView(ServiceFormView):
    """A form page of the compliance app (its template accepts file uploads)."""

    template_name = "compliance/form_page.html"


def safe_next(request: HttpRequest) -> str:
    """The `next` address of the request if it stays on this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
