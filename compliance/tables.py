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

from compliance.models import Attestation, CustomComplianceRule
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
