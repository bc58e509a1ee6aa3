"""Users, tenancy and the operational records of the facility registry.

Every tenant-owned table carries its organization, so that queries and history rows are scoped
without joins. Nothing here is deleted: facilities are closed, members deactivated. Writes go
through `facilities.services`, which record an actor and a reason on every history row.
"""

from __future__ import annotations

import datetime
import secrets
import zoneinfo
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compliance.regulations import accreditation as accreditation_catalog
from compliance.regulations import licenses as license_catalog
from compliance.regulations import vocabularies
from compliance.regulations.identifiers import normalize as normalize_identifier
from facilities.history import TrackedModel
from facilities.validators import validate_identifier
from geography.models import Country, District, State


class User(AbstractUser):
    """A person who signs in. E-mail is unique: members are added and reminded by e-mail."""

    email = models.EmailField(_("email address"), unique=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Organization(TrackedModel):
    """The tenant: a hospital group or clinic network."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=_time_zone_choices,
        default="UTC",
        help_text=_("Decides what 'today' is for expiries and checks."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The secret in the URL of the organization's iCalendar feed (calendar clients cannot log
    # in). An organization admin rotates it; the old URL then answers 404. Kept out of the
    # history tables, which officers read: a rotation leaves a history row without the secret.
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, default=new_calendar_token
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["calendar_token"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("facilities:facility-list", kwargs={"org": self.slug})

    def today(self) -> datetime.date:
        """The local date in the organization's time zone: the "today" of every deadline."""
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(self.time_zone))


class Membership(TrackedModel):
    class Role(models.TextChoices):
        VIEWER = "viewer", _("Viewer")
        OFFICER = "officer", _("Compliance officer")
        ADMIN = "admin", _("Organization admin")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")

    class ReminderFrequency(models.TextChoices):
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest (Mondays)")

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    # The member's own preferences: expiry reminders and the default filter of their pages.
    reminders_enabled = models.BooleanField(_("e-mail expiry reminders"), default=True)
    reminder_windows = models.JSONField(
        _("reminder windows (days before the deadline)"),
        default=list,
        blank=True,
        help_text=_("Empty: every window the organization sends."),
    )
    reminder_frequency = models.CharField(
        _("reminder digest"),
        max_length=10,
        choices=ReminderFrequency.choices,
        default=ReminderFrequency.DAILY,
    )
    default_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default country filter"),
    )
    default_state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default state filter"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="membership_unique_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organization})"

    # Roles are ordered: an admin can do what an officer can, an officer what a viewer can.
    RANK = {Role.VIEWER: 0, Role.OFFICER: 1, Role.ADMIN: 2}

    def has_role(self, role: str) -> bool:
        return self.is_active and self.RANK[self.Role(self.role)] >= self.RANK[self.Role(role)]


class Facility(TrackedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="facilities"
    )
    facility_name = models.CharField(_("name"), max_length=200)
    facility_type = models.CharField(
        _("type"), max_length=40, choices=vocabularies.choices(vocabularies.FACILITY_TYPES)
    )
    ownership = models.CharField(
        _("ownership"), max_length=10, choices=vocabularies.choices(vocabularies.OWNERSHIP)
    )
    bed_count = models.PositiveIntegerField(_("beds"), default=0)
    # A JSON list of service codes from the catalog: portable across SQLite and PostgreSQL.
    services = models.JSONField(_("services"), default=list, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    address = models.TextField(_("address"), blank=True)
    npi_number = models.CharField(_("NPI"), max_length=10, blank=True)
    ccn = models.CharField(_("CMS certification number"), max_length=10, blank=True)
    cnes_number = models.CharField(_("CNES"), max_length=7, blank=True)
    cnes_updated_on = models.DateField(
        _("CNES last updated"),
        null=True,
        blank=True,
        help_text=_("CNES records must be updated at least every 6 months."),
    )
    cnpj = models.CharField(_("CNPJ"), max_length=14, blank=True)
    hfr_id = models.CharField(_("HFR ID"), max_length=12, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_reason = models.TextField(_("reason for closing"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    # Identifier fields, the country they belong to, and the validator kind.
    IDENTIFIERS = (
        ("npi_number", "US", "npi"),
        ("ccn", "US", "ccn"),
        ("cnes_number", "BR", "cnes"),
        ("cnpj", "BR", "cnpj"),
        ("hfr_id", "IN", "hfr_id"),
    )

    class Meta:
        ordering = ["facility_name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "facility_name"],
                condition=Q(status="active"),
                name="facility_unique_active_name",
                violation_error_message=_(
                    "This organization already has an active facility with this name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="active", closed_on__isnull=True)
                | Q(status="closed", closed_on__isnull=False),
                name="facility_closed_has_date",
            ),
        ]
        indexes = [models.Index("organization", "status", name="facility_org_status_idx")]

    def __str__(self) -> str:
        return self.facility_name

    def get_absolute_url(self) -> str:
        return reverse(
            "facilities:facility-detail", kwargs={"org": self.organization.slug, "pk": self.pk}
        )

    def clean_fields(self, exclude: Any = None) -> None:
        # Identifiers arrive formatted ("11.222.333/0001-81"); store them normalised, before
        # the field's length is checked.
        for field, _country, _kind in self.IDENTIFIERS:
            if value := getattr(self, field):
                setattr(self, field, normalize_identifier(value))
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.state_id and self.country_id and self.state.country_id != self.country_id:
            errors.setdefault("state", []).append(_("This state is not in the chosen country."))
        if self.district and self.state_id and self.district.state_id != self.state_id:
            errors.setdefault("district", []).append(_("This district is not in the chosen state."))
        known_services = {term.code for term in vocabularies.SERVICES}
        if not isinstance(self.services, list) or not set(self.services) <= known_services:
            errors.setdefault("services", []).append(_("Unknown service."))
        country_code = self.country.code if self.country_id else None
        for field, country, kind in self.IDENTIFIERS:
            value = getattr(self, field)
            if not value:
                continue
            if country_code and country_code != country:
                errors.setdefault(field, []).append(
                    _("This identifier applies only to facilities in %(country)s.")
                    % {"country": country}
                )
                continue
            try:
                result = validate_identifier(kind, value, facility_type=self.facility_type)
            except ValidationError as error:
                errors.setdefault(field, []).extend(error.messages)
            else:
                setattr(self, field, result.normalized)
        if (
            self.cnes_updated_on
            and self.organization_id
            and self.cnes_updated_on > self.organization.today()
        ):
            errors.setdefault("cnes_updated_on", []).append(
                _("The last CNES update cannot be in the future.")
            )
        if self.cnes_updated_on and not self.cnes_number:
            errors.setdefault("cnes_updated_on", []).append(
                _("Give the CNES number this update date belongs to.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class RecordStatus(models.TextChoices):
    """Statuses of licences and accreditations. Validity is decided from the dates and the
    suspended/revoked statuses; a stored `expired` is never trusted over the dates."""

    ACTIVE = "active", _("Active")
    PENDING_RENEWAL = "pending_renewal", _("Pending renewal")
    RENEWED = "renewed", _("Renewed")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class FacilityLicense(TrackedModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="licenses"
    )
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="licenses")
    license_type = models.CharField(_("licence type"), max_length=40)
    license_number = models.CharField(_("licence number"), max_length=60)
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_date = models.DateField(_("issued"))
    expiry_date = models.DateField(
        _("expires"), null=True, blank=True, help_text=_("Leave empty if the licence has none.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )
    renewal_filed_on = models.DateField(_("renewal filed on"), null=True, blank=True)
    renews = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewed_by",
        verbose_name=_("renews"),
    )
    responsible = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible member"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["expiry_date", "license_type"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True) | Q(expiry_date__gt=F("issued_date")),
                name="license_expiry_after_issue",
                violation_error_message=_("The expiry date must be after the issue date."),
            ),
            models.UniqueConstraint(
                fields=["facility", "license_type", "license_number"],
                condition=Q(status__in=["active", "pending_renewal"]),
                name="license_unique_current_number",
                violation_error_message=_(
                    "This facility already has an active licence of this type and number."
                ),
            ),
        ]
        indexes = [models.Index("organization", "expiry_date", name="license_org_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.type_name} {self.license_number}"

    def get_absolute_url(self) -> str:
        return self.facility.get_absolute_url()

    @property
    def catalog_entry(self) -> license_catalog.LicenseType | None:
        return license_catalog.get_license_type(self.license_type)

    @property
    def type_name(self) -> str:
        entry = self.catalog_entry
        return str(_(entry.name)) if entry else self.license_type

    def clean(self) -> None:
        if self.facility_id and self.license_type:
            self.organization_id = self.facility.organization_id
            allowed = license_catalog.license_types_for(
                country_code=self.facility.country.code,
                state_code=self.facility.state.code,
                facility_type=self.facility.facility_type,
            )
            if self.license_type not in {entry.code for entry in allowed}:
                raise ValidationError(
                    {
                        "license_type": _(
                            "A facility of this type and jurisdiction cannot hold this licence."
                        )
                    }
                )
        if self.renewal_filed_on and self.renewal_filed_on < self.issued_date:
            raise ValidationError(
                {"renewal_filed_on": _("A renewal cannot be filed before the licence was issued.")}
            )


class Accreditation(TrackedModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="accreditations"
    )
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="accreditations")
    accreditation_body = models.CharField(_("accreditation body"), max_length=20)
    accreditation_level = models.CharField(_("level"), max_length=40, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    certified_date = models.DateField(_("certified"))
    expiry_date = models.DateField(_("expires"))
    status = models.CharField(
        _("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )
    responsible = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible member"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["expiry_date"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_date__gt=F("certified_date")),
                name="accreditation_expiry_after_certification",
                violation_error_message=_("The expiry date must be after the certification date."),
            ),
        ]
        indexes = [models.Index("organization", "expiry_date", name="accreditation_org_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.body_name} {self.certificate_number}".strip()

    def get_absolute_url(self) -> str:
        return self.facility.get_absolute_url()

    @property
    def catalog_entry(self) -> accreditation_catalog.AccreditationBody | None:
        return accreditation_catalog.get_accreditation_body(self.accreditation_body)

    @property
    def body_name(self) -> str:
        entry = self.catalog_entry
        return entry.name if entry else self.accreditation_body

    def clean(self) -> None:
        if not self.facility_id or not self.accreditation_body:
            return
        self.organization_id = self.facility.organization_id
        bodies = accreditation_catalog.accreditation_bodies_for(self.facility.country.code)
        body = next((b for b in bodies if b.code == self.accreditation_body), None)
        if body is None:
            raise ValidationError(
                {"accreditation_body": _("This body does not accredit facilities in this country.")}
            )
        levels = {code for code, _label in accreditation_catalog.level_choices(body)}
        if self.accreditation_level and self.accreditation_level not in levels:
            raise ValidationError({"accreditation_level": _("Not a level of this body.")})


# The longest file-by lead an organization may set: a year before expiry. Longer would put
# every licence of the type in "filing overdue" for most of its term, and a lead of millions of
# days makes `expires_on - lead` overflow the date range (every deadline page then fails).
MAX_FILE_BY_DAYS = 365


class LeadTimeOverride(TrackedModel):
    """An organization's own, longer file-by lead for a licence type (municipal and state
    practice varies). Never shorter than the code's `file_by_days` and at most
    `MAX_FILE_BY_DAYS`: the model refuses both, whichever path saves it (service or admin), and
    the database refuses a longer lead."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="lead_time_overrides"
    )
    license_type = models.CharField(_("licence type"), max_length=40)
    file_by_days = models.PositiveIntegerField(
        _("file by (days before expiry)"),
        validators=[
            MaxValueValidator(
                MAX_FILE_BY_DAYS, message=_("A lead time is at most %(limit_value)d days.")
            )
        ],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["license_type"]
        verbose_name = _("lead time override")
        verbose_name_plural = _("lead time overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "license_type"],
                name="lead_time_override_unique_per_type",
                violation_error_message=_(
                    "This organization already has an override for this licence type."
                ),
            ),
            models.CheckConstraint(
                condition=Q(file_by_days__lte=MAX_FILE_BY_DAYS),
                name="lead_time_override_at_most_a_year",
                violation_error_message=_("A lead time is at most 365 days."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.license_type}: {self.file_by_days} days"

    def clean(self) -> None:
        entry = license_catalog.get_license_type(self.license_type)
        if entry is None:
            raise ValidationError({"license_type": _("Unknown licence type.")})
        if self.file_by_days is not None and self.file_by_days < entry.file_by_days:
            raise ValidationError(
                {
                    "file_by_days": _(
                        "An override may only lengthen the lead: %(name)s must be filed at "
                        "least %(days)d days before expiry."
                    )
                    % {"name": _(entry.name), "days": entry.file_by_days}
                }
            )
