"""Tables of the officer's pages (django-tables2). Values the templates show, such as days to
expiry and which actions a row offers, are computed here from what the view passes in."""

from __future__ import annotations

import datetime
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from compliance.regulations import accreditation as accreditation_catalog
from facilities import selectors
from facilities.models import (
    Accreditation,
    Facility,
    FacilityLicense,
    Membership,
    Organization,
    RecordStatus,
)

TABLE_TEMPLATE = "includes/table.html"


def status_badge(value: str, label: str) -> SafeString:
    return format_html('<span class="status status-{}">{}</span>', value, label)


def days_to_expiry(expiry: datetime.date | None, today: datetime.date) -> str:
    """Days from the organization's today to the expiry date, as a person reads them."""
    days = selectors.days_until(expiry, today)
    if days is None:
        return gettext("no expiry")
    if days < 0:
        return ngettext("expired %(days)d day ago", "expired %(days)d days ago", -days) % {
            "days": -days
        }
    if days == 0:
        return gettext("expires today")
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


def action_links(links: list[tuple[str, str]]) -> SafeString:
    return format_html_join(" ", '<a href="{}">{}</a>', links)


class FacilityTable(tables.Table):  # type: ignore[misc]
    facility_name = tables.Column(linkify=True)
    facility_type = tables.Column()
    country = tables.Column()
    state = tables.Column()
    district = tables.Column()
    ownership = tables.Column()
    status = tables.Column()
    license_count = tables.Column(
        verbose_name=_("Current licences"), attrs={"th": {"class": "num"}, "td": {"class": "num"}}
    )
    next_expiry = tables.Column(verbose_name=_("Next expiry"))

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    class Meta:
        model = Facility
        fields = (
            "facility_name",
            "facility_type",
            "country",
            "state",
            "district",
            "ownership",
            "status",
            "license_count",
            "next_expiry",
        )
        template_name = TABLE_TEMPLATE
        empty_text = _("No facility matches.")
        attrs = {"class": "table"}

    # Catalog labels are translated where they are displayed.
    def render_facility_type(self, value: str) -> str:
        return gettext(value)

    def render_ownership(self, value: str) -> str:
        return gettext(value)

    def render_status(self, value: str, record: Facility) -> SafeString:
        return status_badge(record.status, value)

    def value_status(self, value: str) -> str:
        return value

    def render_next_expiry(self, value: datetime.date) -> SafeString:
        shown = date_format(value, "DATE_FORMAT")
        if value < self.today:
            return format_html(
                '<span class="overdue">{} <span class="status status-expired">{}</span></span>',
                shown,
                gettext("past"),
            )
        return format_html("{}", shown)

    def value_next_expiry(self, value: datetime.date) -> str:
        return value.isoformat()


class _RecordTable(tables.Table):  # type: ignore[misc]
    """Licences or accreditations of one facility, with days to expiry as of the organization's
    today and, for officers, the links that apply to each row."""

    status = tables.Column()
    days_to_expiry = tables.Column(
        verbose_name=_("Days to expiry"), empty_values=(), orderable=False
    )
    responsible = tables.Column(verbose_name=_("Responsible"))
    actions = tables.Column(verbose_name=_("Actions"), empty_values=(), orderable=False)

    def __init__(
        self,
        *args: Any,
        organization: Organization,
        today: datetime.date,
        can_edit: bool,
        **kwargs: Any,
    ) -> None:
        if not can_edit:
            kwargs["exclude"] = ("actions",)
        super().__init__(*args, orderable=False, **kwargs)
        self.organization, self.today = organization, today

    def render_status(self, value: str, record: Any) -> SafeString:
        return status_badge(record.status, value)

    def render_days_to_expiry(self, record: Any) -> str:
        # A renewed term is superseded and a revoked one void: their expiry is no deadline.
        if record.status in (RecordStatus.RENEWED, RecordStatus.REVOKED):
            return "—"
        return days_to_expiry(record.expiry_date, self.today)

    def render_responsible(self, value: Membership) -> str:
        return str(value.user)

    def _url(self, name: str, record: Any) -> str:
        return reverse(name, kwargs={"org": self.organization.slug, "pk": record.pk})


class LicenseTable(_RecordTable):
    type_name = tables.Column(verbose_name=_("Licence type"), accessor="type_name")
    issued_date = tables.DateColumn(short=False)
    expiry_date = tables.DateColumn(short=False, default=_("none"))

    class Meta:
        model = FacilityLicense
        fields = (
            "type_name",
            "license_number",
            "issued_by",
            "issued_date",
            "expiry_date",
            "status",
            "days_to_expiry",
            "responsible",
            "actions",
        )
        template_name = TABLE_TEMPLATE
        empty_text = _("No licence recorded.")
        attrs = {"class": "table"}

    def render_actions(self, record: FacilityLicense) -> SafeString:
        links = [(self._url("facilities:license-edit", record), gettext("Edit"))]
        if record.status not in (RecordStatus.RENEWED, RecordStatus.REVOKED):
            links.append((self._url("facilities:license-renew", record), gettext("Renew")))
        return action_links(links)


class AccreditationTable(_RecordTable):
    body_name = tables.Column(verbose_name=_("Body"), accessor="body_name")
    accreditation_level = tables.Column()
    certified_date = tables.DateColumn(short=False)
    expiry_date = tables.DateColumn(short=False)

    class Meta:
        model = Accreditation
        fields = (
            "body_name",
            "accreditation_level",
            "certificate_number",
            "certified_date",
            "expiry_date",
            "status",
            "days_to_expiry",
            "responsible",
            "actions",
        )
        template_name = TABLE_TEMPLATE
        empty_text = _("No accreditation recorded.")
        attrs = {"class": "table"}

    def render_accreditation_level(self, value: str, record: Accreditation) -> str:
        body = record.catalog_entry
        labels = dict(accreditation_catalog.level_choices(body)) if body else {}
        return gettext(labels.get(value, value))

    def render_actions(self, record: Accreditation) -> SafeString:
        return action_links([(self._url("facilities:accreditation-edit", record), gettext("Edit"))])


class MemberTable(tables.Table):  # type: ignore[misc]
    username = tables.Column(accessor="user__username", verbose_name=_("Username"))
    name = tables.Column(
        accessor="user__get_full_name", verbose_name=_("Name"), order_by=("user__last_name",)
    )
    email = tables.Column(accessor="user__email", verbose_name=_("E-mail"))
    role = tables.Column()
    is_active = tables.Column()
    created_at = tables.DateColumn(short=False)
    actions = tables.Column(verbose_name=_("Actions"), empty_values=(), orderable=False)

    class Meta:
        model = Membership
        fields = ("username", "name", "email", "role", "is_active", "created_at", "actions")
        template_name = TABLE_TEMPLATE
        empty_text = _("No member yet.")
        attrs = {"class": "table"}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization

    def render_is_active(self, value: bool) -> str:
        return gettext("yes") if value else gettext("no")

    def render_actions(self, record: Membership) -> SafeString:
        def url(name: str) -> str:
            return reverse(name, kwargs={"org": self.organization.slug, "pk": record.pk})

        links = [(url("facilities:member-history"), gettext("History"))]
        if record.is_active:
            links.append((url("facilities:member-role"), gettext("Change role")))
            links.append((url("facilities:member-deactivate"), gettext("Deactivate")))
        return action_links(links)
