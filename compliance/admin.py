"""The Django admin of compliance records (DESIGN.md §8, §9).

Attestations, evidence files and custom rules are scoped like the registry's records
(`facilities.admin.OrganizationScopedAdmin`): staff who are not superusers see only the
organizations where they are officers or admins, and every save leaves a history row with the
acting user and an "admin: add" / "admin: change" reason. Evidence files are uploaded through
the app's forms, which check their content, and are never overwritten: here they are read-only.

Check runs and checks are the audit record itself: read-only for everyone, superusers included.
No add, change or delete permission exists for them, so the admin refuses an edit or deletion
(403) whoever asks.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from compliance import custom_rules
from compliance.models import (
    Attestation,
    AuditSeal,
    CheckRun,
    ComplianceCheck,
    CustomComplianceRule,
    EvidenceFile,
    ReminderDelivery,
)
from compliance.selectors import attestable_requirements
from compliance.services import CUSTOM_RULE_FIELDS
from facilities.admin import (
    CHANGE_NOTE_FIELDSET,
    ChangeNoteForm,
    OrganizationScopedAdmin,
    admin_organization_ids,
)
from facilities.models import Membership

Role = Membership.Role


def _requirement_choices() -> list[tuple[str, Any]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for framework, requirement in attestable_requirements():
        groups.setdefault(framework.code, []).append(
            (requirement.code, f"{requirement.code}: {requirement.title}")
        )
    return [("", "---------"), *groups.items()]


class OrganizationFixedForm(ChangeNoteForm):
    """A record stays with the organization that made it. The field is disabled rather than
    read-only, so that constraints over it (a unique code per organization) are validated."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "organization" in self.fields:
            self.fields["organization"].disabled = True


# --- Attestations -----------------------------------------------------------------------------


class AttestationAdminForm(OrganizationFixedForm):
    requirement_code = forms.ChoiceField(label=_("requirement"), choices=_requirement_choices)

    class Meta:
        model = Attestation
        fields = (
            "organization",
            "facility",
            "requirement_code",
            "outcome",
            "justification",
            "alternative",
            "attested_on",
            "valid_until",
            "note",
        )

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        organization = cleaned_data.get("organization") or getattr(
            self.instance, "organization", None
        )
        attested_on = cleaned_data.get("attested_on")
        if organization and attested_on and attested_on > organization.today():
            self.add_error("attested_on", _("An attestation cannot be dated in the future."))
        return cleaned_data


@admin.register(Attestation)
class AttestationAdmin(OrganizationScopedAdmin):
    form = AttestationAdminForm
    list_display = (
        "requirement_code",
        "organization",
        "facility",
        "outcome",
        "attested_by",
        "attested_on",
        "valid_until",
    )
    list_filter = ("outcome", ("organization", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("organization", "facility", "attested_by")
    search_fields = ("requirement_code", "facility__facility_name", "note")
    autocomplete_fields = ("organization", "facility")
    readonly_fields = ("attested_by", "created_at")
    fieldsets = (
        (None, {"fields": ("organization", "facility", "requirement_code", "outcome")}),
        (_("Not reasonable and appropriate"), {"fields": ("justification", "alternative")}),
        (
            _("Dates"),
            {"fields": ("attested_on", "valid_until", "note", "attested_by", "created_at")},
        ),
        CHANGE_NOTE_FIELDSET,
    )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.attested_by = request.user
        super().save_model(request, obj, form, change)


# --- Evidence files ---------------------------------------------------------------------------


@admin.register(EvidenceFile)
class EvidenceFileAdmin(OrganizationScopedAdmin):
    list_display = (
        "original_name",
        "organization",
        "record",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = ("content_type", ("organization", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("organization", "uploaded_by", "attestation", "license", "accreditation")
    search_fields = ("original_name", "sha256")
    readonly_fields = (
        "organization",
        "attestation",
        "license",
        "accreditation",
        "original_name",
        "download",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("record"))
    def record(self, obj: EvidenceFile) -> str:
        return str(obj.attestation or obj.license or obj.accreditation)

    @admin.display(description=_("download"))
    def download(self, obj: EvidenceFile) -> SafeString:
        # Served by the app's view, to members of the owning organization only.
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)


# --- Custom rules -----------------------------------------------------------------------------


class CustomRuleAdminForm(OrganizationFixedForm):
    class Meta:
        model = CustomComplianceRule
        fields = ("organization", *CUSTOM_RULE_FIELDS, "is_active")

    def clean_logic(self) -> Any:
        logic = self.cleaned_data.get("logic")
        try:
            custom_rules.validate(logic)
        except custom_rules.RuleError as error:
            raise forms.ValidationError(str(error)) from None
        return logic

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip().upper()
        if not code.startswith("CUSTOM-") or not code.replace("-", "").isalnum():
            raise forms.ValidationError(
                _("Start with CUSTOM- and use only letters, digits and dashes.")
            )
        return code

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        country, state = cleaned_data.get("country"), cleaned_data.get("state")
        if state is not None and (country is None or state.country_id != country.pk):
            self.add_error("state", _("Choose a state of the chosen country."))
        return cleaned_data


@admin.register(CustomComplianceRule)
class CustomComplianceRuleAdmin(OrganizationScopedAdmin):
    form = CustomRuleAdminForm
    # Custom rules are the organization admins' to write, as in the app.
    write_role = Role.ADMIN
    list_display = ("code", "name", "organization", "country", "state", "is_active", "version")
    list_filter = ("is_active", ("organization", admin.RelatedOnlyFieldListFilter), "country")
    list_select_related = ("organization", "country", "state")
    search_fields = ("code", "name", "description")
    autocomplete_fields = ("organization", "country", "state")
    readonly_fields = ("version", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("organization", "code", "name", "description", "is_active")}),
        (_("Scope"), {"fields": ("country", "state")}),
        (_("Logic"), {"fields": ("logic", "version", "created_at", "updated_at")}),
        CHANGE_NOTE_FIELDSET,
    )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # A changed rule is a new version, as `services.custom_rule_save` makes it.
        if change and set(form.changed_data) & set(CUSTOM_RULE_FIELDS):
            obj.version += 1
        super().save_model(request, obj, form, change)


# --- Checks: read-only for everyone -----------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Adds, changes and deletes nothing, whoever asks: for records that are only ever
    appended by the application (checks, runs, seals, deliveries)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyScopedAdmin(ReadOnlyAdmin):
    """Lists and shows rows of the staff member's organizations, read-only."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        organization_ids = admin_organization_ids(request)
        if organization_ids is None:
            return queryset
        return queryset.filter(organization_id__in=organization_ids)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_view_permission(request, obj):
            return False
        organization_ids = admin_organization_ids(request)
        if organization_ids is None:
            return True
        if obj is None:
            return bool(organization_ids)
        return obj.organization_id in organization_ids


@admin.register(CheckRun)
class CheckRunAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "pk",
        "organization",
        "as_of",
        "via",
        "status",
        "checked",
        "total",
        "actor",
        "created_at",
        "finished_at",
    )
    list_filter = ("status", "via", ("organization", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("organization", "actor")
    date_hierarchy = "created_at"


@admin.register(ComplianceCheck)
class ComplianceCheckAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "facility",
        "organization",
        "as_of",
        "overall_status",
        "is_current",
        "warnings",
        "checked_by",
        "checked_at",
    )
    list_filter = (
        "overall_status",
        "is_current",
        ("organization", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("facility", "organization", "checked_by")
    search_fields = ("facility__facility_name",)
    date_hierarchy = "checked_at"


# --- Audit seals: read-only, superusers only --------------------------------------------------


@admin.register(AuditSeal)
class AuditSealAdmin(ReadOnlyAdmin):
    """The tamper-evidence chain (compliance.sealing): shown, never added, changed or deleted
    here (seal_audit_trail appends seals; a trigger refuses any change on PostgreSQL)."""

    list_display = ("sequence", "created_at", "rows", "sealed_by", "digest")
    list_select_related = ("sealed_by",)
    fields = (
        "sequence",
        "created_at",
        "sealed_by",
        "note",
        "rows",
        "previous_digest",
        "digest",
        "tables",
    )
    readonly_fields = fields
    date_hierarchy = "created_at"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Seals span every organization: superusers only.
        return bool(request.user.is_active and request.user.is_superuser)


# --- Reminder deliveries: the delivery log, read-only -------------------------------------------


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "recipient",
        "organization",
        "item_kind",
        "item_id",
        "deadline",
        "window",
        "status",
        "created_at",
        "sent_at",
    )
    list_filter = (
        "status",
        "item_kind",
        "window",
        ("organization", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("recipient", "organization")
    search_fields = ("recipient__email", "recipient__username")
    date_hierarchy = "created_at"
