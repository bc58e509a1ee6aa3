"""Who may see and change the compliance app's objects: one lookup per model, scoped to the
organization of the URL, following `facilities.access`.

An object of another organization answers 404, as one that does not exist; a member whose role
is too low for a write gets a 403. Checks are never written, so their helper has no
`for_write`; custom rules are written by organization admins only.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from compliance import selectors
from compliance.models import (
    Attestation,
    CheckRun,
    ComplianceCheck,
    CustomComplianceRule,
    EvidenceFile,
)
from facilities.access import Role, current_membership, require_role
from facilities.models import Organization


def _organization(request: HttpRequest, role: str) -> Organization:
    membership = current_membership(request)
    require_role(membership, role)
    return membership.organization


def get_check_for_user(request: HttpRequest, pk: int) -> ComplianceCheck:
    organization = _organization(request, Role.VIEWER)
    return get_object_or_404(selectors.checks_for(organization), pk=pk)


def get_attestation_for_user(
    request: HttpRequest, pk: int, *, for_write: bool = False
) -> Attestation:
    organization = _organization(request, Role.OFFICER if for_write else Role.VIEWER)
    return get_object_or_404(selectors.attestations_for(organization), pk=pk)


def get_evidence_for_user(request: HttpRequest, pk: int) -> EvidenceFile:
    organization = _organization(request, Role.VIEWER)
    return get_object_or_404(EvidenceFile.objects.filter(organization=organization), pk=pk)


def get_rule_for_user(
    request: HttpRequest, pk: int, *, for_write: bool = False
) -> CustomComplianceRule:
    organization = _organization(request, Role.ADMIN if for_write else Role.VIEWER)
    return get_object_or_404(selectors.rules_for(organization), pk=pk)


def get_run_for_user(request: HttpRequest, pk: int) -> CheckRun:
    organization = _organization(request, Role.VIEWER)
    runs = CheckRun.objects.filter(organization=organization).select_related("actor")
    return get_object_or_404(runs, pk=pk)
