"""Tables of the compliance pages and the check export (django-tables2)."""

from __future__ import annotations

import datetime
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.deadlines import BUCKET_LABELS, KIND_LABELS, Deadline
from compliance.models import Attestation, CustomComplianceRule
from compliance.regulations import vocabularies
from facilities.tables import TABLE_TEMPLATE, status_badge


def _iso(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


class CheckExportTable(tables.Table):  # type: ignore[misc]
    """A check's results as exported, one row per requirement (`selectors.check_export_rows`).

    The headers are the column names, not translated labels, so that a spreadsheet or a script
    reading the file finds the same columns in every language; statuses are their codes.
    """

    framework = tables.Column(verbose_name="framework")
    code = tables.Column(verbose_name="code")
    title = tables.Column(verbose_name="title")
    status = tables.Column(verbose_name="status")
    reason = tables.Column(verbose_name="reason")
    citation = tables.Column(verbose_name="citation")
    evidence = tables.Column(verbose_name="evidence")
    expires_on = tables.Column(verbose_name="expires_on")
    file_by = tables.Column(verbose_name="file_by")

    class Meta:
        orderable = False

    def value_expires_on(self, value: datetime.date | None) -> str:
        return _iso(value)

    def value_file_by(self, value: datetime.date | None) -> str:
        return _iso(value)


def _attestation_url(record: Attestation) -> str:
    return reverse(
        "compliance:attestation-detail", kwargs={"org": record.organization.slug, "pk": record.pk}
    )


class AttestationTable(tables.Table):  # type: ignore[misc]
    requirement_code = tables.Column(linkify=lambda record: _attestation_url(record))
    scope = tables.Column(verbose_name=_("Scope"), accessor="facility", empty_values=())
    outcome = tables.Column()
    attested_by = tables.Column()
    attested_on = tables.DateColumn(short=False)
    valid_until = tables.DateColumn(short=False, default="—")
    evidence_count = tables.Column(
        verbose_name=_("Evidence files"), attrs={"th": {"class": "num"}, "td": {"class": "num"}}
    )

    class Meta:
        model = Attestation
        fields = (
            "requirement_code",
            "scope",
            "outcome",
            "attested_by",
            "attested_on",
            "valid_until",
            "evidence_count",
        )
        template_name = TABLE_TEMPLATE
        empty_text = _("No attestation recorded.")
        attrs = {"class": "table"}

    def render_scope(self, record: Attestation) -> str:
        if record.facility is None:
            return gettext("Whole organization")
        return record.facility.facility_name

    def value_scope(self, record: Attestation) -> str:
        return self.render_scope(record)

    def render_outcome(self, value: str, record: Attestation) -> SafeString:
        if record.outcome == Attestation.Outcome.IMPLEMENTED:
            return status_badge("met", value)
        return format_html('<span class="status status-warn">{}</span>', gettext("Not reasonable"))


class CustomRuleTable(tables.Table):  # type: ignore[misc]
    code = tables.Column()
    name = tables.Column()
    scope = tables.Column(verbose_name=_("Scope"), empty_values=(), orderable=False)
    is_active = tables.Column()
    version = tables.Column(attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    actions = tables.TemplateColumn(
        template_name="compliance/_rule_actions.html",
        verbose_name=_("Actions"),
        orderable=False,
    )

    class Meta:
        model = CustomComplianceRule
        fields = ("code", "name", "scope", "is_active", "version", "actions")
        template_name = TABLE_TEMPLATE
        empty_text = _("No custom rule yet.")
        attrs = {"class": "table"}

    def render_scope(self, record: CustomComplianceRule) -> str:
        if record.state is not None:
            return record.state.name
        if record.country is not None:
            return record.country.name
        return gettext("Every facility")

    def render_is_active(self, value: bool, record: CustomComplianceRule) -> SafeString:
        if record.is_active:
            return status_badge("active", gettext("active"))
        return status_badge("inactive", gettext("inactive"))

    def value_is_active(self, value: Any) -> str:
        return gettext("yes") if value else gettext("no")


class ExpiryTable(tables.Table):  # type: ignore[misc]
    """The expiries page: one row per deadline (compliance.deadlines.Deadline), sortable by
    its dates; exported as shown (without the action column), statuses as their labels and
    dates in ISO form."""

    kind = tables.Column(verbose_name=_("Kind"), orderable=False)
    reference = tables.Column(verbose_name=_("Item"), orderable=False)
    facility_name = tables.Column(verbose_name=_("Facility"), orderable=False, empty_values=())
    country_code = tables.Column(verbose_name=_("Country"), orderable=False)
    state_code = tables.Column(verbose_name=_("State"), orderable=False)
    facility_type = tables.Column(verbose_name=_("Facility type"), orderable=False)
    file_by = tables.Column(verbose_name=_("File by"))
    days_left = tables.Column(verbose_name=_("Days left"))
    expires_on = tables.Column(verbose_name=_("Expires"))
    bucket = tables.Column(verbose_name=_("Deadline"), orderable=False)
    responsible_id = tables.Column(verbose_name=_("Responsible"), orderable=False, empty_values=())
    action = tables.Column(
        verbose_name=_("Action"),
        orderable=False,
        empty_values=(),
        accessor="renew_url",
        exclude_from_export=True,
    )

    class Meta:
        template_name = TABLE_TEMPLATE
        order_by = ("file_by",)
        attrs = {"class": "expiries"}

    def __init__(
        self,
        data: Any,
        *,
        organization: Any,
        responsible_names: dict[int, str],
        can_edit: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.organization = organization
        self.responsible_names = responsible_names
        self.can_edit = can_edit

    def render_kind(self, value: str) -> str:
        return str(KIND_LABELS.get(value, value))  # type: ignore[call-overload]

    def value_kind(self, value: str) -> str:
        return str(value)

    def render_facility_name(self, record: Deadline) -> SafeString | str:
        if record.facility_id is None:
            return gettext("Whole organization")
        url = reverse(
            "facilities:facility-detail",
            kwargs={"org": self.organization.slug, "pk": record.facility_id},
        )
        return format_html('<a href="{}">{}</a>', url, record.facility_name)

    def value_facility_name(self, record: Deadline) -> str:
        return record.facility_name or gettext("Whole organization")

    def render_facility_type(self, value: str) -> str:
        return vocabularies.label_for(vocabularies.FACILITY_TYPES, value)

    def render_bucket(self, value: str) -> SafeString:
        return status_badge(f"bucket-{value}", str(BUCKET_LABELS.get(value, value)))  # type: ignore[call-overload]

    def value_bucket(self, value: str) -> str:
        return str(value)

    def render_responsible_id(self, value: int | None) -> str:
        return self.responsible_names.get(value, "") if value else ""

    def value_responsible_id(self, value: int | None) -> str:
        return self.render_responsible_id(value)

    def render_file_by(self, value: datetime.date) -> str:
        return _iso(value)

    def render_expires_on(self, value: datetime.date) -> str:
        return _iso(value)

    def value_file_by(self, value: datetime.date) -> str:
        return _iso(value)

    def value_expires_on(self, value: datetime.date) -> str:
        return _iso(value)

    def render_action(self, record: Deadline) -> SafeString | str:
        if not self.can_edit:
            return ""
        label = {
            "license": gettext("Renew"),
            "accreditation": gettext("Update"),
            "attestation": gettext("Attest again"),
        }[record.kind]
        return format_html('<a class="button small" href="{}">{}</a>', record.renew_url, label)
