"""Forms of the compliance pages. Each cleans what a person typed and hands it to one service
in `compliance.services` or `compliance.engine`; a ValidationError the service raises comes back
to the form at its field (`facilities.forms.ServiceErrorsMixin`)."""

from __future__ import annotations

import datetime
import json
import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from compliance import audit_log, custom_rules, selectors
from compliance.evidence import check_upload
from compliance.models import Attestation, CustomComplianceRule
from compliance.regulations import registry
from compliance.regulations.framework import HipaaLabel
from facilities.forms import BLANK_CHOICE, ChosenValueMixin, DateInput, ServiceForm
from facilities.models import Facility, Organization, User
from geography.models import Country, State

# The codes `compliance.evidence.check_upload` gives its refusals: such an error belongs at the
# form's file field, whichever service raised it.
UPLOAD_ERROR_CODES = frozenset({"empty", "too_large", "wrong_type"})
MAX_FILES = 10


def _text_field(
    label: StrOrPromise, *, required: bool = False, rows: int = 2, help_text: StrOrPromise = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


# --- Evidence files ---------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input. Each is checked by its content (PDF, PNG or JPEG within the
    size limit); a refused file is named in the error, and none of the files is kept."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _("PDF, PNG or JPEG, up to %(count)d files. Never any patient data.")
            % {"count": MAX_FILES},
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ".pdf,.png,.jpg,.jpeg")

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > MAX_FILES:
            raise ValidationError(
                _("Attach at most %(count)d files at a time.") % {"count": MAX_FILES},
                code="too_many",
            )
        cleaned = [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]
        errors: list[ValidationError] = []
        for upload in cleaned:
            try:
                check_upload(upload)
            except ValidationError as error:
                errors.extend(
                    ValidationError(
                        gettext("%(name)s: %(message)s")
                        % {"name": upload.name, "message": message},
                        code=error.code,
                    )
                    for message in error.messages
                )
        if errors:
            raise ValidationError(errors)
        return cleaned


class EvidenceErrorsMixin:
    """An upload refused by a service (its content checked again there) goes to the file field."""

    evidence_field = "evidence"
    # A service's field name → this form's field that shows its errors.
    service_fields: dict[str, str] = {}

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            codes = {getattr(item, "code", None) for item in error.error_list}
            field = self.evidence_field if codes <= UPLOAD_ERROR_CODES else None
            self.add_error(field, error)  # type: ignore[attr-defined]
            return
        for name, errors in error.error_dict.items():
            name = self.service_fields.get(name, name)
            self.add_error(name if name in self.fields else None, errors)  # type: ignore[attr-defined]


class EvidenceUploadForm(EvidenceErrorsMixin, ServiceForm):
    evidence = MultipleFileField(label=_("Evidence files"))


# --- Running a check --------------------------------------------------------------------------


class CheckRunForm(ServiceForm):
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to check as of today. A past date reconstructs the records."),
    )


# --- Attestations -----------------------------------------------------------------------------


class CatalogCodeField(forms.ChoiceField):
    """A code offered as a choice whose own validation says why a code is refused, instead of a
    bare "Select a valid choice"."""

    def valid_value(self, value: Any) -> bool:
        return True


def _requirement_choices() -> list[tuple[str, Any]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for framework, requirement in selectors.attestable_requirements():
        label = f"{framework.code} — {framework.title}"
        groups.setdefault(label, []).append(
            (requirement.code, f"{requirement.code}: {gettext(requirement.title)}")
        )
    return [BLANK_CHOICE, *groups.items()]


def is_addressable(code: str) -> bool:
    found = registry.get_requirement(code or "")
    return found is not None and found[1].hipaa_label is HipaaLabel.ADDRESSABLE


class AttestationForm(EvidenceErrorsMixin, ServiceForm):
    """An attestation of one requirement, for a facility or the whole organization.

    "Not reasonable and appropriate" is offered only for a HIPAA addressable specification, and
    needs the reason and the equivalent alternative (45 CFR 164.306(d)(3)); the model's clean()
    and the service say so at those fields.
    """

    SCOPE_FACILITY = "facility"
    SCOPE_ORGANIZATION = "organization"

    requirement_code = CatalogCodeField(label=_("Requirement"))
    scope = forms.ChoiceField(label=_("Scope"), widget=forms.RadioSelect)
    outcome = CatalogCodeField(label=_("Outcome"), widget=forms.RadioSelect)
    justification = _text_field(
        _("Why it is not reasonable and appropriate"),
        rows=3,
        help_text=_("Required when the outcome is “not reasonable and appropriate”."),
    )
    alternative = _text_field(
        _("Equivalent alternative adopted"),
        rows=3,
        help_text=_("Required when the outcome is “not reasonable and appropriate”."),
    )
    attested_on = forms.DateField(label=_("Attested on"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to use the requirement's own renewal period."),
    )
    note = _text_field(_("Note"))
    evidence = MultipleFileField(label=_("Evidence files"), required=False)

    service_fields = {"facility": "scope"}

    def __init__(
        self,
        *args: Any,
        organization: Organization,
        facility: Facility | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organization, self.facility = organization, facility
        self.fields["requirement_code"].choices = _requirement_choices()  # type: ignore[attr-defined]
        scopes = [(self.SCOPE_ORGANIZATION, gettext("The whole organization"))]
        if facility is not None:
            scopes.insert(
                0,
                (
                    self.SCOPE_FACILITY,
                    gettext("This facility: %(name)s") % {"name": facility.facility_name},
                ),
            )
        scope = self.fields["scope"]
        scope.choices = scopes  # type: ignore[attr-defined]
        scope.initial = scopes[0][0]
        outcomes = [(Attestation.Outcome.IMPLEMENTED, Attestation.Outcome.IMPLEMENTED.label)]
        if is_addressable(self.chosen_requirement()):
            outcomes.append(
                (Attestation.Outcome.NOT_REASONABLE, Attestation.Outcome.NOT_REASONABLE.label)
            )
            self.fields["outcome"].help_text = _(
                "An addressable specification is implemented, or documented as not reasonable "
                "and appropriate with an equivalent alternative (45 CFR 164.306(d)(3))."
            )
        else:
            del self.fields["justification"], self.fields["alternative"]
        self.fields["outcome"].choices = outcomes  # type: ignore[attr-defined]
        self.fields["outcome"].initial = Attestation.Outcome.IMPLEMENTED

    def chosen_requirement(self) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix("requirement_code"), ""))
        return str(self.initial.get("requirement_code", ""))

    def clean_requirement_code(self) -> str:
        code: str = self.cleaned_data["requirement_code"]
        if registry.get_requirement(code) is None:
            raise ValidationError(_("No requirement of the catalog has this code."))
        return code

    def clean_outcome(self) -> str:
        outcome: str = self.cleaned_data["outcome"]
        if outcome not in Attestation.Outcome.values:
            raise ValidationError(_("Choose an outcome."))
        return outcome

    def clean_attested_on(self) -> Any:
        attested_on = self.cleaned_data["attested_on"]
        if attested_on > self.organization.today():
            raise ValidationError(_("An attestation cannot be dated in the future."))
        return attested_on

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        attested_on, valid_until = cleaned_data.get("attested_on"), cleaned_data.get("valid_until")
        if attested_on and valid_until and valid_until < attested_on:
            self.add_error("valid_until", _("'Valid until' cannot be before the attestation date."))
        return cleaned_data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "facility": self.facility if data["scope"] == self.SCOPE_FACILITY else None,
            "requirement_code": data["requirement_code"],
            "outcome": data["outcome"],
            "attested_on": data["attested_on"],
            "valid_until": data.get("valid_until"),
            "justification": data.get("justification", ""),
            "alternative": data.get("alternative", ""),
            "note": data.get("note", ""),
            "evidence": data.get("evidence", []),
        }


# --- Custom rules -----------------------------------------------------------------------------

LOGIC_HELP = _(
    'A JSON object: {"require": expression}, optionally with "when": expression (the rule '
    "applies only where it holds). Operators: and, or, not, ==, !=, <, <=, >, >=, in, "
    "holds_license, accredited, attested. Facts: %(facts)s."
)


class CustomRuleForm(ChosenValueMixin, ServiceForm):
    """A custom rule. The logic is JSON, read after a size check and validated by
    `compliance.custom_rules` (shape, operators, facts, depth), never evaluated with eval().
    The state choices are those of the chosen country."""

    code = forms.CharField(
        label=_("Code"),
        max_length=60,
        help_text=_("Shown in results, e.g. CUSTOM-FIRE-DRILL. Letters, digits and dashes."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = _text_field(_("Description"), rows=2)
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.order_by("name"),
        required=False,
        empty_label=_("Any country"),
    )
    state = forms.ModelChoiceField(
        label=_("State"),
        queryset=State.objects.none(),
        required=False,
        empty_label=_("Any state"),
        error_messages={"invalid_choice": _("Choose a state of the chosen country.")},
    )
    logic = forms.CharField(
        label=_("Logic"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "code", "spellcheck": "false"}),
        strip=True,
    )
    note = _text_field(_("Note for the history"))

    def __init__(
        self,
        *args: Any,
        organization: Organization,
        rule: CustomComplianceRule | None = None,
        **kwargs: Any,
    ) -> None:
        if rule is not None:
            kwargs["initial"] = {
                "code": rule.code,
                "name": rule.name,
                "description": rule.description,
                "country": rule.country_id,
                "state": rule.state_id,
                "logic": json.dumps(rule.logic, indent=2, ensure_ascii=False),
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        self.organization, self.rule = organization, rule
        self.fields["logic"].help_text = LOGIC_HELP % {
            "facts": ", ".join(custom_rules.FACTS),
        }
        country = self._chosen("country")
        state_field: forms.ModelChoiceField[State] = self.fields["state"]  # type: ignore[assignment]
        state_field.queryset = (
            State.objects.filter(country_id=country).order_by("name")
            if country
            else State.objects.none()
        )
        for name in ("country",):
            # facility_form.js presses "Update choices" when this changes.
            self.fields[name].widget.attrs["data-refresh-choices"] = ""

    def refreshed(self) -> CustomRuleForm:
        """An unbound copy with the submitted values and the state choices of the chosen
        country, for the "Update choices" button: nothing saved, no errors shown."""
        initial = {name: self.data.get(self.add_prefix(name), "") for name in self.fields}
        form = type(self)(initial=initial, organization=self.organization, rule=self.rule)
        form.fields["state"].widget.attrs["autofocus"] = True
        return form

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip().upper()
        taken = CustomComplianceRule.objects.filter(organization=self.organization, code=code)
        if self.rule is not None:
            taken = taken.exclude(pk=self.rule.pk)
        if taken.exists():
            raise ValidationError(_("Another rule of this organization has this code."))
        return code

    def clean_logic(self) -> dict[str, Any]:
        raw: str = self.cleaned_data["logic"]
        size = len(raw.encode("utf-8"))
        if size > custom_rules.MAX_BYTES:
            raise ValidationError(
                _("The rule is %(size)d bytes long; the limit is %(limit)d.")
                % {"size": size, "limit": custom_rules.MAX_BYTES}
            )
        try:
            document = json.loads(raw)
        except RecursionError:
            raise ValidationError(_("The rule is nested too deeply.")) from None
        except ValueError as error:
            raise ValidationError(
                _("This is not valid JSON: %(error)s.") % {"error": error}
            ) from None
        try:
            custom_rules.validate(document)
        except custom_rules.RuleError as error:
            raise ValidationError(str(error)) from None
        logic: dict[str, Any] = document
        return logic

    def service_data(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "note"}

    def dry_run_scope(self) -> dict[str, str]:
        country, state = self.cleaned_data.get("country"), self.cleaned_data.get("state")
        return {"country": country.code if country else "", "state": state.code if state else ""}


class CalendarRotateForm(forms.Form):
    """Rotate the organization's calendar feed address: the reason goes into the history."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("For example: the address was shared by mistake."),
    )


# --- The audit log's filters -----------------------------------------------------------------

# The days a date filter accepts: midnight of any of them, and of the day after the last, is an
# instant in every time zone (midnight of year 1 east of UTC, or of the day after 9999-12-31,
# is not one that Python can represent).
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(9998, 12, 31)


def validate_log_day(value: datetime.date) -> None:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="out_of_range",
            params={"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )


class AuditLogFilterForm(forms.Form):
    """The log's filters. Dates are days of the organization's time zone; a value that is not
    valid (an unknown user or model, a malformed date) is an error at its field."""

    user = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    model = forms.ChoiceField(label=_("Record type"), required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[
            ("", _("Any")),
            ("created", _("Created")),
            ("changed", _("Changed")),
            ("deleted", _("Deleted")),
            (audit_log.RUN, _("Check run")),
        ],
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        validators=[validate_log_day],
        widget=forms.DateInput(
            attrs={"type": "date", "min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}
        ),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        validators=[validate_log_day],
        widget=forms.DateInput(
            attrs={"type": "date", "min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}
        ),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        user_field: Any = self.fields["user"]
        user_field.queryset = audit_log.audit_users(organization)
        model_field: Any = self.fields["model"]
        model_field.choices = [("", _("Any")), *audit_log.model_choices()]

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        start, end = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned_data

    def filters(self) -> audit_log.AuditFilters:
        """The cleaned filters, with days turned into instants of the organization's zone."""
        zone = zoneinfo.ZoneInfo(self.organization.time_zone)
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")

        def midnight(day: datetime.date) -> datetime.datetime:
            return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)

        return audit_log.AuditFilters(
            user=self.cleaned_data.get("user"),
            model=self.cleaned_data.get("model") or "",
            action=self.cleaned_data.get("action") or "",
            start=midnight(start) if start else None,
            end=midnight(end + datetime.timedelta(days=1)) if end else None,
        )
