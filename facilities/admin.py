"""The Django admin of the registry: data entry and correction by staff (DESIGN.md §8, §9).

Superusers see everything. Other staff see only the organizations where they hold an active
admin or officer membership, in every changelist, change form, history page, autocomplete and
foreign-key choice; another organization's object "doesn't exist" for them, as in the web app.
The rule lives once, in `OrganizationScopedAdmin` and `admin_organization_ids`. Permissions are
decided here rather than by group setup, so a staff member granted every model permission is
still limited to their organizations, and never manages users, groups or reference data.

Every admin write leaves a history row with the acting user and an "admin: add" / "admin:
change" reason carrying the form's change note, which is required where `facilities.services`
requires one. Nothing tracked is deleted from the admin.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.db.models.fields import BLANK_CHOICE_DASH
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from compliance.engine import run_checks
from compliance.regulations import accreditation as accreditation_catalog
from compliance.regulations import licenses as license_catalog
from compliance.regulations import vocabularies
from facilities.history import history_reason
from facilities.models import (
    Accreditation,
    Facility,
    FacilityLicense,
    LeadTimeOverride,
    Membership,
    Organization,
    User,
)
from facilities.services import (
    ACCREDITATION_FIELDS,
    ACCREDITATION_REASON_FIELDS,
    FACILITY_FIELDS,
    LICENSE_FIELDS,
    LICENSE_REASON_FIELDS,
)

Role = Membership.Role

# The roles that give a staff member admin access to an organization's records.
ADMIN_ROLES = (Role.OFFICER, Role.ADMIN)


def is_superuser(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


def _admin_roles(request: HttpRequest) -> dict[int, str]:
    """Organization id → the user's role, for their active admin/officer memberships of active
    organizations. Read once per request: every permission check and queryset uses it."""
    roles: dict[int, str] | None = getattr(request, "_admin_organization_roles", None)
    if roles is None:
        roles = dict(
            Membership.objects.filter(
                user_id=request.user.pk or 0,
                is_active=True,
                organization__is_active=True,
                role__in=ADMIN_ROLES,
            ).values_list("organization_id", "role")
        )
        request._admin_organization_roles = roles  # type: ignore[attr-defined]
    return roles


def admin_organization_ids(request: HttpRequest, role: str = Role.OFFICER) -> set[int] | None:
    """The organizations whose records the user may handle in the admin with at least `role`;
    None means all of them (a superuser)."""
    if is_superuser(request):
        return None
    rank = Membership.RANK
    return {
        organization_id
        for organization_id, held in _admin_roles(request).items()
        if rank[Role(held)] >= rank[Role(role)]
    }


# --- Forms ----------------------------------------------------------------------------------


class ChangeNoteForm(forms.ModelForm[Any]):
    """An admin form with the note that goes into the history row's reason.

    Subclasses say when the note is required (`note_required`), following the rules of
    `facilities.services`.
    """

    change_note = forms.CharField(
        label=_("change note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_(
            "Recorded in the history with this change. Required when dates or statuses change, "
            "when a facility is closed or reopened and when a member is deactivated."
        ),
    )
    note_required_message = _("Say why this record changes.")

    def note_required(self, cleaned_data: dict[str, Any]) -> bool:
        return False

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned_data = self.cleaned_data
        if self.note_required(cleaned_data) and not cleaned_data.get("change_note"):
            self.add_error("change_note", self.note_required_message)
        return cleaned_data


class OrganizationAdminForm(ChangeNoteForm):
    note_required_message = _("Say why this organization is deactivated.")

    class Meta:
        model = Organization
        fields = ("name", "slug", "time_zone", "is_active")

    def note_required(self, cleaned_data: dict[str, Any]) -> bool:
        deactivated = cleaned_data.get("is_active") is False
        return bool(self.instance.pk and self.instance.is_active and deactivated)


class MembershipAdminForm(ChangeNoteForm):
    note_required_message = _("Say why this member is removed.")

    class Meta:
        model = Membership
        fields = ("organization", "user", "role", "is_active")

    def note_required(self, cleaned_data: dict[str, Any]) -> bool:
        deactivated = cleaned_data.get("is_active") is False
        return bool(self.instance.pk and self.instance.is_active and deactivated)

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        membership = self.instance
        if membership.pk and membership.is_active and membership.role == Role.ADMIN:
            stays_admin = (
                cleaned_data.get("is_active", True) and cleaned_data.get("role") == Role.ADMIN
            )
            other_admins = Membership.objects.filter(
                organization_id=membership.organization_id, role=Role.ADMIN, is_active=True
            ).exclude(pk=membership.pk)
            if not stays_admin and not other_admins.exists():
                raise forms.ValidationError(
                    _("The organization must keep at least one active admin.")
                )
        return cleaned_data


class FacilityAdminForm(ChangeNoteForm):
    services = forms.MultipleChoiceField(
        label=_("services"),
        choices=vocabularies.choices(vocabularies.SERVICES),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note_required_message = _("Say why the facility is closed or reopened.")

    class Meta:
        model = Facility
        fields = (
            "organization",
            *FACILITY_FIELDS,
            "status",
            "closed_on",
            "closed_reason",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Licences and accreditations carry the facility's organization: it does not move.
        # Disabled rather than read-only, so that the constraints over it are still validated
        # (the model validates no constraint over a field missing from the form).
        if self.instance.pk and "organization" in self.fields:
            self.fields["organization"].disabled = True

    def _status_before(self) -> str:
        return self.instance.status if self.instance.pk else Facility.Status.ACTIVE

    def note_required(self, cleaned_data: dict[str, Any]) -> bool:
        status = cleaned_data.get("status")
        return status is not None and status != self._status_before()

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        status = cleaned_data.get("status")
        if status == Facility.Status.CLOSED:
            if not cleaned_data.get("closed_on"):
                self.add_error("closed_on", _("Give the date the facility closed."))
            if not cleaned_data.get("closed_reason"):
                cleaned_data["closed_reason"] = cleaned_data.get("change_note", "")
        elif status == Facility.Status.ACTIVE:
            if self._status_before() == Facility.Status.CLOSED:
                # Reopening clears the closing, as facilities.services.facility_reopen does.
                cleaned_data["closed_on"], cleaned_data["closed_reason"] = None, ""
            else:
                if cleaned_data.get("closed_on"):
                    self.add_error("closed_on", _("Only a closed facility has a closing date."))
                if cleaned_data.get("closed_reason"):
                    self.add_error(
                        "closed_reason", _("Only a closed facility has a reason for closing.")
                    )
        return cleaned_data


def _license_type_choices() -> list[tuple[str, Any]]:
    """Licence types from the catalog, grouped by jurisdiction."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for entry in license_catalog.LICENSE_TYPES:
        groups.setdefault(entry.jurisdiction, []).append((entry.code, gettext(entry.name)))
    return [*BLANK_CHOICE_DASH, *groups.items()]


def _accreditation_body_choices() -> list[tuple[str, str]]:
    return [
        *BLANK_CHOICE_DASH,
        *accreditation_catalog.body_choices(accreditation_catalog.ACCREDITATION_BODIES),
    ]


def _accreditation_level_choices() -> list[tuple[str, str]]:
    levels: dict[str, str] = {}
    for body in accreditation_catalog.ACCREDITATION_BODIES:
        for code, label in accreditation_catalog.level_choices(body):
            levels.setdefault(code, gettext(label))
    return [*BLANK_CHOICE_DASH, *levels.items()]


class FacilityRecordForm(ChangeNoteForm):
    """A licence or accreditation: its organization follows the facility, its responsible
    member belongs to that organization, and a note explains changed dates or status."""

    reason_fields: tuple[str, ...] = ()

    def note_required(self, cleaned_data: dict[str, Any]) -> bool:
        return bool(self.instance.pk and set(self.changed_data) & set(self.reason_fields))

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        facility = cleaned_data.get("facility")
        if facility is None:
            return cleaned_data
        self.instance.organization = facility.organization
        responsible = cleaned_data.get("responsible")
        if responsible is not None and (
            responsible.organization_id != facility.organization_id
            or ("responsible" in self.changed_data and not responsible.is_active)
        ):
            self.add_error(
                "responsible", _("Choose an active member of the facility's organization.")
            )
        return cleaned_data


class FacilityLicenseAdminForm(FacilityRecordForm):
    license_type = forms.ChoiceField(label=_("licence type"), choices=_license_type_choices)
    reason_fields = LICENSE_REASON_FIELDS
    note_required_message = _("Say why the dates or status of this licence change.")

    class Meta:
        model = FacilityLicense
        fields = ("facility", *LICENSE_FIELDS, "renews")

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        renews, facility = cleaned_data.get("renews"), cleaned_data.get("facility")
        if (
            renews is not None
            and facility is not None
            and (renews.facility_id != facility.pk or renews.pk == self.instance.pk)
        ):
            self.add_error("renews", _("Choose an earlier licence of the same facility."))
        return cleaned_data


class AccreditationAdminForm(FacilityRecordForm):
    accreditation_body = forms.ChoiceField(
        label=_("accreditation body"), choices=_accreditation_body_choices
    )
    accreditation_level = forms.ChoiceField(
        label=_("level"), choices=_accreditation_level_choices, required=False
    )
    reason_fields = ACCREDITATION_REASON_FIELDS
    note_required_message = _("Say why the dates or status of this accreditation change.")

    class Meta:
        model = Accreditation
        fields = ("facility", *ACCREDITATION_FIELDS)


# --- The scoping rule -----------------------------------------------------------------------


CHANGE_NOTE_FIELDSET = (_("Change note"), {"fields": ("change_note",)})


class OrganizationScopedAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """Admin of a tracked, tenant-owned model, scoped to the staff member's organizations.

    Viewing needs an officer or admin membership of the row's organization; adding and
    changing need `write_role` there. Objects outside the scope are absent from the queryset,
    so Django answers for them as for a missing object. Nothing is deleted.
    """

    write_role: str = Role.OFFICER
    # The lookup from this model to its organization's primary key.
    organization_lookup = "organization"

    def organization_id_of(self, obj: models.Model) -> int:
        organization_id: int = obj.organization_id  # type: ignore[attr-defined]
        return organization_id

    def scope(self, request: HttpRequest, queryset: QuerySet[Any], role: str) -> QuerySet[Any]:
        organization_ids = admin_organization_ids(request, role)
        if organization_ids is None:
            return queryset
        return queryset.filter(**{f"{self.organization_lookup}__in": organization_ids})

    def _allows(self, request: HttpRequest, obj: models.Model | None, role: str) -> bool:
        organization_ids = admin_organization_ids(request, role)
        if organization_ids is None:
            return True
        if obj is None:
            return bool(organization_ids)
        return self.organization_id_of(obj) in organization_ids

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.scope(request, super().get_queryset(request), Role.OFFICER)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(
            super().has_view_permission(request, obj) and self._allows(request, obj, Role.OFFICER)
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(
            super().has_add_permission(request) and self._allows(request, None, self.write_role)
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(
            super().has_change_permission(request, obj)
            and self._allows(request, obj, self.write_role)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Operational records are closed or deactivated, never deleted.
        return False

    def get_actions(
        self,
        request: HttpRequest,
        action_location: admin.ActionLocation = admin.ActionLocation.CHANGE_LIST,
    ) -> dict[str, Any]:
        actions: dict[str, Any] = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        # Choices (and what a submitted form accepts) come from the related model's admin
        # queryset, narrowed to the organizations this admin may write to.
        if "queryset" not in kwargs and self.admin_site.is_registered(db_field.related_model):
            related_admin = self.admin_site.get_model_admin(db_field.related_model)
            queryset = related_admin.get_queryset(request)
            if isinstance(related_admin, OrganizationScopedAdmin):
                queryset = related_admin.scope(request, queryset, self.write_role)
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        note = form.cleaned_data.get("change_note", "")
        obj._history_user = request.user
        obj._change_reason = history_reason("admin", "change" if change else "add", note)
        super().save_model(request, obj, form, change)

    def _does_not_exist(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Django admin's answer for a missing object: a warning and the admin index."""
        response: HttpResponse = self._get_obj_does_not_exist_redirect(
            request, self.opts, object_id
        )
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # SimpleHistoryAdmin falls back to the history rows of an object missing from the
        # queryset (meant for deleted objects): that would show another organization's history.
        if self.get_object(request, unquote(object_id)) is None:
            return self._does_not_exist(request, object_id)
        response: HttpResponse = super().history_view(request, object_id, extra_context)
        return response

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._does_not_exist(request, object_id)
        # SimpleHistoryAdmin hides the revert button but still saves a POSTed old version.
        if request.method == "POST" and self.revert_disabled(request, obj):
            raise PermissionDenied
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return response


# --- Users and groups -----------------------------------------------------------------------


@admin.register(User)
class HimsUserAdmin(UserAdmin[User]):
    """Users are managed by superusers only. Other staff may look up the members of their
    organizations (the membership form needs it) and change nothing."""

    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "is_active",
        "is_staff",
        "last_login",
    )
    list_select_related = ()
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request)
        organization_ids = admin_organization_ids(request)
        if organization_ids is None:
            return queryset
        members = Membership.objects.filter(organization_id__in=organization_ids)
        return queryset.filter(pk__in=members.values("user_id"))

    def has_view_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return super().has_view_permission(request, obj) and (
            is_superuser(request) or bool(admin_organization_ids(request))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return is_superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # People leave by deactivation; their history rows keep pointing at them.
        return False


admin.site.unregister(Group)


@admin.register(Group)
class HimsGroupAdmin(GroupAdmin):
    """Groups grant model permissions across organizations: superusers only."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        return is_superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        return is_superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        return is_superuser(request)


# --- Tenancy --------------------------------------------------------------------------------


@admin.register(Organization)
class OrganizationAdmin(OrganizationScopedAdmin):
    form = OrganizationAdminForm
    write_role = Role.ADMIN
    organization_lookup = "pk"
    list_display = ("name", "slug", "time_zone", "is_active", "created_at")
    list_filter = ("is_active",)
    list_select_related = ()
    search_fields = ("name", "slug")
    readonly_fields = ("created_at",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "time_zone", "is_active", "created_at")}),
        CHANGE_NOTE_FIELDSET,
    )

    def organization_id_of(self, obj: models.Model) -> int:
        organization_id: int = obj.pk
        return organization_id

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new tenant is a superuser's decision.
        return is_superuser(request) and super().has_add_permission(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        # Deactivating an organization locks its members out: a superuser's decision.
        return readonly if is_superuser(request) else (*readonly, "is_active")


@admin.register(Membership)
class MembershipAdmin(OrganizationScopedAdmin):
    form = MembershipAdminForm
    write_role = Role.ADMIN
    list_display = ("user", "organization", "role", "is_active", "created_at")
    list_filter = ("role", "is_active", ("organization", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "organization")
    search_fields = (
        "user__username",
        "user__email",
        "user__first_name",
        "user__last_name",
        "organization__name",
    )
    autocomplete_fields = ("organization", "user")
    readonly_fields = ("created_at",)
    fieldsets = (
        (None, {"fields": ("organization", "user", "role", "is_active", "created_at")}),
        CHANGE_NOTE_FIELDSET,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        # __str__ names the user and the organization (autocomplete and choices).
        return super().get_queryset(request).select_related("user", "organization")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        # A membership is one person in one organization: change the role, not the pair.
        return readonly if obj is None else (*readonly, "organization", "user")


# --- The registry ---------------------------------------------------------------------------


@admin.register(Facility)
class FacilityAdmin(OrganizationScopedAdmin):
    form = FacilityAdminForm
    list_display = (
        "facility_name",
        "organization",
        "facility_type",
        "ownership",
        "state",
        "status",
        "updated_at",
    )
    list_filter = (
        "status",
        "facility_type",
        "ownership",
        "country",
        ("organization", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("organization", "state")
    search_fields = (
        "facility_name",
        "npi_number",
        "ccn",
        "cnes_number",
        "cnpj",
        "hfr_id",
    )
    autocomplete_fields = ("organization", "country", "state", "district")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "organization",
                    "facility_name",
                    "facility_type",
                    "ownership",
                    "bed_count",
                    "services",
                )
            },
        ),
        (_("Location"), {"fields": ("country", "state", "district", "address")}),
        (
            _("Identifiers"),
            {"fields": ("npi_number", "ccn", "cnes_number", "cnes_updated_on", "cnpj", "hfr_id")},
        ),
        (
            _("Status"),
            {"fields": ("status", "closed_on", "closed_reason", "created_at", "updated_at")},
        ),
        CHANGE_NOTE_FIELDSET,
    )
    actions = ("run_compliance_check",)

    @admin.action(description=_("Run a compliance check as of today"), permissions=["change"])
    def run_compliance_check(self, request: HttpRequest, queryset: QuerySet[Facility]) -> None:
        """Check the selected active facilities now (one run per organization); closed
        facilities are skipped, since they drop out of checks."""
        active = queryset.filter(status=Facility.Status.ACTIVE).select_related("organization")
        runs = run_checks(active, actor=request.user, via="admin")  # type: ignore[arg-type]
        checked = sum(run.checked for run in runs)
        skipped = queryset.count() - checked
        self.message_user(
            request,
            ngettext(
                "%(checked)d facility checked (%(skipped)d closed skipped).",
                "%(checked)d facilities checked (%(skipped)d closed skipped).",
                checked,
            )
            % {"checked": checked, "skipped": skipped},
            messages.SUCCESS,
        )


@admin.register(FacilityLicense)
class FacilityLicenseAdmin(OrganizationScopedAdmin):
    form = FacilityLicenseAdminForm
    list_display = (
        "license_number",
        "type_name",
        "facility",
        "organization",
        "issued_date",
        "expiry_date",
        "status",
    )
    list_filter = (
        "status",
        ("organization", admin.RelatedOnlyFieldListFilter),
        "facility__country",
    )
    list_select_related = ("facility", "organization")
    search_fields = ("license_number", "license_type", "issued_by", "facility__facility_name")
    autocomplete_fields = ("facility", "responsible", "renews")
    readonly_fields = ("organization", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("facility", "organization", "license_type", "license_number")}),
        (
            _("Term"),
            {"fields": ("issued_by", "issued_date", "expiry_date", "status", "renewal_filed_on")},
        ),
        (_("Follow-up"), {"fields": ("renews", "responsible", "created_at", "updated_at")}),
        CHANGE_NOTE_FIELDSET,
    )

    @admin.display(description=_("licence type"), ordering="license_type")
    def type_name(self, obj: FacilityLicense) -> str:
        return obj.type_name


@admin.register(Accreditation)
class AccreditationAdmin(OrganizationScopedAdmin):
    form = AccreditationAdminForm
    list_display = (
        "body_name",
        "certificate_number",
        "accreditation_level",
        "facility",
        "organization",
        "certified_date",
        "expiry_date",
        "status",
    )
    list_filter = (
        "status",
        "accreditation_body",
        ("organization", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("facility", "organization")
    search_fields = ("certificate_number", "accreditation_body", "facility__facility_name")
    autocomplete_fields = ("facility", "responsible")
    readonly_fields = ("organization", "created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "facility",
                    "organization",
                    "accreditation_body",
                    "accreditation_level",
                    "certificate_number",
                )
            },
        ),
        (_("Term"), {"fields": ("certified_date", "expiry_date", "status")}),
        (_("Follow-up"), {"fields": ("responsible", "created_at", "updated_at")}),
        CHANGE_NOTE_FIELDSET,
    )

    @admin.display(description=_("accreditation body"), ordering="accreditation_body")
    def body_name(self, obj: Accreditation) -> str:
        return obj.body_name


# --- Organization settings ------------------------------------------------------------------


class LeadTimeOverrideAdminForm(ChangeNoteForm):
    license_type = forms.ChoiceField(label=_("licence type"), choices=_license_type_choices)
    note_required_message = _("Say why the lead time changes.")

    class Meta:
        model = LeadTimeOverride
        fields = ("organization", "license_type", "file_by_days")

    def note_required(self, cleaned_data: dict[str, Any]) -> bool:
        # Like `services.lead_time_override_set`: every change of a lead says why.
        return True


@admin.register(LeadTimeOverride)
class LeadTimeOverrideAdmin(OrganizationScopedAdmin):
    """An organization's longer file-by lead for a licence type; its admins change it (the
    model refuses a lead shorter than the code's). Set the code's value to return to it."""

    form = LeadTimeOverrideAdminForm
    write_role = Role.ADMIN
    list_display = ("type_name", "license_type", "organization", "file_by_days", "updated_at")
    list_filter = (("organization", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("organization",)
    search_fields = ("license_type", "organization__name")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("organization", "license_type", "file_by_days")}),
        (None, {"fields": ("created_at", "updated_at")}),
        CHANGE_NOTE_FIELDSET,
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        # One row per organization and type: a change keeps both, only the lead moves.
        return (*readonly, "organization", "license_type") if obj else readonly

    @admin.display(description=_("licence type"), ordering="license_type")
    def type_name(self, obj: LeadTimeOverride) -> str:
        entry = license_catalog.get_license_type(obj.license_type)
        return gettext(entry.name) if entry else obj.license_type
