"""URLs of the compliance pages, all under `/o/<org>/` (included by hims/urls.py): the access
helpers scope every lookup to the organization of the URL."""

from django.urls import path

from compliance.views import (
    attestations,
    audit,
    catalog,
    checks,
    evidence,
    expiries,
    rules,
    runs,
)

app_name = "compliance"

urlpatterns = [
    path("facilities/<int:pk>/check/", checks.check_run, name="check-run"),
    path(
        "facilities/<int:pk>/checks/",
        checks.FacilityChecksView.as_view(),
        name="facility-checks",
    ),
    path("checks/<int:pk>/", checks.CheckDetailView.as_view(), name="check-detail"),
    path("attest/", attestations.AttestationCreateView.as_view(), name="attestation-create"),
    path("attestations/", attestations.AttestationListView.as_view(), name="attestation-list"),
    path(
        "attestations/<int:pk>/",
        attestations.AttestationDetailView.as_view(),
        name="attestation-detail",
    ),
    path(
        "attestations/<int:pk>/evidence/",
        evidence.AttestationEvidenceView.as_view(),
        name="attestation-evidence",
    ),
    path(
        "licences/<int:pk>/evidence/",
        evidence.LicenseEvidenceView.as_view(),
        name="license-evidence",
    ),
    path(
        "accreditations/<int:pk>/evidence/",
        evidence.AccreditationEvidenceView.as_view(),
        name="accreditation-evidence",
    ),
    path("evidence/<int:pk>/", evidence.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("catalog/", catalog.CatalogView.as_view(), name="catalog"),
    path("runs/", runs.RunListView.as_view(), name="run-list"),
    path("runs/new/", runs.run_start, name="run-start"),
    path("runs/<int:pk>/", runs.RunDetailView.as_view(), name="run-detail"),
    path("runs/<int:pk>/progress/", runs.run_progress, name="run-progress"),
    path("rules/", rules.RuleListView.as_view(), name="rule-list"),
    path("rules/new/", rules.RuleCreateView.as_view(), name="rule-create"),
    path("rules/<int:pk>/edit/", rules.RuleEditView.as_view(), name="rule-edit"),
    path("rules/<int:pk>/activate/", rules.rule_activate, name="rule-activate"),
    path("rules/<int:pk>/deactivate/", rules.rule_deactivate, name="rule-deactivate"),
    path("rules/<int:pk>/history/", rules.RuleHistoryView.as_view(), name="rule-history"),
    path("audit/", audit.AuditLogView.as_view(), name="audit-log"),
    path("licences/<int:pk>/history/", audit.LicenseHistoryView.as_view(), name="license-history"),
    path(
        "accreditations/<int:pk>/history/",
        audit.AccreditationHistoryView.as_view(),
        name="accreditation-history",
    ),
    path(
        "attestations/<int:pk>/history/",
        audit.AttestationHistoryView.as_view(),
        name="attestation-history",
    ),
    path("expiries/", expiries.ExpiryListView.as_view(), name="expiries"),
    path("expiries/calendar/rotate/", expiries.calendar_rotate, name="calendar-rotate"),
]
