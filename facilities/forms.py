"""Forms of the officer's pages. Every input goes through one of them; the view hands
`service_data()` to a service, and a ValidationError the service raises comes back to the form
through `add_service_error()`, at its field when the form has one (STYLE.md, "Forms")."""

from __future__ import annotations

import copy
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import F, UniqueConstraint
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from compliance.regulations import accreditation as accreditation_catalog
from compliance.regulations import identifiers, vocabularies
from compliance.regulations import licenses as license_catalog
from facilities import selectors
from facilities.models import Accreditation, Facility, FacilityLicense, Membership, Organization
from facilities.services import ACCREDITATION_FIELDS, FACILITY_FIELDS, LICENSE_FIELDS
from geography.models import Country, District, State
from geography.selectors import countries_with_coverage

# The label Django 6.1 gives the blank choice of model fields, so that every select reads alike.
BLANK_CHOICE = ("", _("- Select an option -"))


class DateInput(forms.DateInput):
    """The browser's date picker; the value is sent and shown as ISO 8601 whatever the locale."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MemberChoiceField(forms.ModelChoiceField[Membership]):
    """A member of the organization, shown by the person's name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user)


class IdentifierField(forms.CharField):
    """An identifier as printed, separators and all; it cleans to the stored, normalised form,
    and the model's `clean()` checks it against the facility's country and type."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return identifiers.normalize(super().to_python(value) or "")


class CatalogChoiceField(forms.ChoiceField):
    """A code from the regulations catalog. Any submitted code reaches the model's `clean()`,
    which says why a code does not apply to the facility ("cannot hold this licence") instead
    of a bare "Select a valid choice"; the select still offers only the codes that apply."""

    def valid_value(self, value: Any) -> bool:
        return True


class ServiceErrorsMixin:
    """Put a service's ValidationError on the form: at its field if the form has it, else above."""

    fields: dict[str, forms.Field]

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)  # type: ignore[attr-defined]
        else:
            self.add_error(None, error)  # type: ignore[attr-defined]


class ServiceForm(ServiceErrorsMixin, forms.Form):
    pass


def _constraint_fields(constraint: UniqueConstraint) -> list[str]:
    """The fields a unique constraint names, whether as `fields=` or as F() expressions."""
    if constraint.fields:
        return list(constraint.fields)
    # F.name is missing from the type stubs.
    return [
        getattr(expression, "name", "")
        for expression in constraint.expressions
        if isinstance(expression, F)
    ]


class ServiceModelForm(ServiceErrorsMixin, forms.ModelForm[Any]):
    """A ModelForm that validates like the model and leaves saving to a service.

    ModelForm validation writes the submitted values onto its instance, so the form works on a
    copy: the service must still see the stored values to record what changed.
    """

    note_field = "note"
    check_hidden_constraints = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["instance"] = copy.copy(kwargs.get("instance"))
        super().__init__(*args, **kwargs)

    def _update_errors(self, errors: ValidationError) -> None:
        # ModelForm's hook for the model's errors. The model's clean() runs even for a field
        # the form already rejected, and would add a second, misleading message (a blank
        # licence type "cannot be held"): the form's own message stays alone at that field.
        if hasattr(errors, "error_dict"):
            rejected = set(self.errors)
            remaining = {
                name: messages
                for name, messages in errors.error_dict.items()
                if name == NON_FIELD_ERRORS or name not in rejected
            }
            if not remaining:
                return
            errors = ValidationError(remaining)
        super()._update_errors(errors)  # type: ignore[misc]

    def validate_constraints(self) -> None:
        super().validate_constraints()
        if not self.check_hidden_constraints:
            return
        # Django skips a unique constraint that names a field the form leaves out (the
        # organization, the facility), although the instance carries it: check each here, and
        # show its message at the last of its fields the form has (the name, the number).
        for constraint in self.instance._meta.constraints:
            if not isinstance(constraint, UniqueConstraint):
                continue
            names = _constraint_fields(constraint)
            shown = [name for name in names if name in self.fields]
            if not shown or len(shown) == len(names):
                continue
            if any(self.has_error(name) for name in shown):
                continue
            try:
                constraint.validate(type(self.instance), self.instance)
            except ValidationError as error:
                self.add_error(shown[-1], error)

    def service_data(self) -> dict[str, Any]:
        """The cleaned data a service takes, without the note that becomes the history reason."""
        return {name: value for name, value in self.cleaned_data.items() if name != self.note_field}

    def history_note(self) -> str:
        """The person's note (or reason), which the service writes into the history reason."""
        note: str = self.cleaned_data.get(self.note_field, "")
        return note

    def save(self, commit: bool = True) -> Any:
        raise NotImplementedError("Rows are saved by facilities.services, never by a form.")

    def check_dates(self, start: str, end: str, message: str) -> None:
        first, last = self.cleaned_data.get(start), self.cleaned_data.get(end)
        if first and last and last <= first:
            self.add_error(end, message)


def _model_choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def _choices(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast("forms.ChoiceField", form.fields[name])


def _translated(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Catalog labels are marked in the Django-free catalog and translated here, for display."""
    return [(code, gettext(label)) for code, label in choices]


def _pk(value: Any) -> int | None:
    """A primary key from submitted or initial data, or None when it is not one."""
    value = getattr(value, "pk", value)
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ChosenValueMixin:
    """For forms whose choices narrow on other fields: the primary key chosen in a field, from
    the submitted data of a bound form or the initial data of an unbound one."""

    def _chosen(self: Any, name: str) -> int | None:
        if self.is_bound:
            return _pk(self.data.get(self.add_prefix(name)))
        return _pk(self.initial.get(name))


def _note_field(label: StrOrPromise, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


# --- Facilities ------------------------------------------------------------------------------


class FacilityForm(ChosenValueMixin, ServiceModelForm):
    """A facility's facts. Country, state and district narrow each other: the state choices are
    those of the chosen country, the district choices those of the chosen state, taken from the
    submitted data, else from the initial values."""

    services = forms.MultipleChoiceField(
        label=_("Services"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Services switch regulations on, whatever the facility type."),
    )
    note = _note_field(_("Note for the history"))

    class Meta:
        model = Facility
        fields = FACILITY_FIELDS
        widgets = {
            "cnes_updated_on": DateInput(),
            "address": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "state": {"invalid_choice": _("Choose a state of the chosen country.")},
            "district": {"invalid_choice": _("Choose a district of the chosen state.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "facility_type").choices = [
            BLANK_CHOICE,
            *_translated(vocabularies.choices(vocabularies.FACILITY_TYPES)),
        ]
        _choices(self, "ownership").choices = [
            BLANK_CHOICE,
            *_translated(vocabularies.choices(vocabularies.OWNERSHIP)),
        ]
        _choices(self, "services").choices = _translated(
            vocabularies.choices(vocabularies.SERVICES)
        )
        for name, country_code, _kind in Facility.IDENTIFIERS:
            self.fields[name] = IdentifierField(
                label=self.fields[name].label,
                help_text=_("Facilities in %(country)s only.") % {"country": country_code},
            )
        country, state = self._chosen("country"), self._chosen("state")
        _model_choices(self, "state").queryset = (
            State.objects.filter(country_id=country) if country else State.objects.none()
        )
        _model_choices(self, "district").queryset = (
            District.objects.filter(state_id=state, state__country_id=country)
            if country and state
            else District.objects.none()
        )
        for name in ("country", "state"):
            # facility_form.js presses "Update choices" when these change.
            self.fields[name].widget.attrs["data-refresh-choices"] = ""

    def refreshed(self) -> FacilityForm:
        """An unbound copy holding the submitted values: the form again, with narrowed choices
        and without errors, for the "Update choices" button."""
        initial = {
            name: field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for name, field in self.fields.items()
        }
        form = type(self)(initial=initial, instance=self.instance, prefix=self.prefix)
        # Take the person to the choice that was just narrowed.
        target = "state" if not _pk(initial.get("state")) else "district"
        form.fields[target].widget.attrs["autofocus"] = True
        return form


class FacilityCloseForm(ServiceForm):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())
    reason = _note_field(_("Reason"), required=True)


class FacilityReopenForm(ServiceForm):
    reason = _note_field(_("Reason"), required=True)


# --- Licences --------------------------------------------------------------------------------

_EXPIRY_AFTER_ISSUE = _("The expiry date must be after the issue date.")


class LicenseForm(ServiceModelForm):
    """A licence of one facility: its type is one the facility may hold where it is, and its
    responsible member an active member of the organization."""

    class Meta:
        model = FacilityLicense
        fields = LICENSE_FIELDS
        field_classes = {"responsible": MemberChoiceField}
        widgets = {
            "issued_date": DateInput(),
            "expiry_date": DateInput(),
            "renewal_filed_on": DateInput(),
        }

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        kwargs.setdefault(
            "instance", FacilityLicense(facility=facility, organization=facility.organization)
        )
        super().__init__(*args, **kwargs)
        types = license_catalog.license_types_for(
            country_code=facility.country.code,
            state_code=facility.state.code,
            facility_type=facility.facility_type,
        )
        self.fields["license_type"] = CatalogChoiceField(
            label=_("Licence type"),
            choices=[BLANK_CHOICE, *_translated(license_catalog.license_type_choices(types))],
        )
        self.fields["issued_by"].help_text = _(
            "Leave empty to use the issuing authority of the licence type."
        )
        _model_choices(self, "responsible").queryset = selectors.active_members_of(
            facility.organization
        )

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        entry = license_catalog.get_license_type(cleaned_data.get("license_type") or "")
        if entry is not None and not cleaned_data.get("issued_by"):
            cleaned_data["issued_by"] = entry.issuing_authority
        self.check_dates("issued_date", "expiry_date", str(_EXPIRY_AFTER_ISSUE))
        return cleaned_data


class LicenseCreateForm(LicenseForm):
    note = _note_field(_("Note for the history"))


class LicenseEditForm(LicenseForm):
    note_field = "reason"
    reason = _note_field(_("Reason for the change"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _("Required when the dates or the status change.")


class LicenseRenewForm(ServiceModelForm):
    """The new term of a licence; its type stays, and the licence it renews keeps its dates."""

    note = _note_field(_("Note for the history"))
    # The term being renewed stays current until the service marks it renewed, so the new
    # term may keep its number.
    check_hidden_constraints = False

    class Meta:
        model = FacilityLicense
        fields = ("license_number", "issued_by", "issued_date", "expiry_date", "responsible")
        field_classes = {"responsible": MemberChoiceField}
        widgets = {"issued_date": DateInput(), "expiry_date": DateInput()}
        labels = {"license_number": _("New licence number")}

    def __init__(self, *args: Any, license: FacilityLicense, **kwargs: Any) -> None:
        renewal = FacilityLicense(
            facility=license.facility,
            organization=license.organization,
            license_type=license.license_type,
        )
        kwargs["initial"] = {
            "license_number": license.license_number,
            "issued_by": license.issued_by,
            "responsible": license.responsible_id,
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, instance=renewal, **kwargs)
        _model_choices(self, "responsible").queryset = selectors.active_members_of(
            license.organization
        )

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        self.check_dates("issued_date", "expiry_date", str(_EXPIRY_AFTER_ISSUE))
        return cleaned_data


# --- Accreditations --------------------------------------------------------------------------


class AccreditationForm(ServiceModelForm):
    """An accreditation by a body that accredits facilities in the facility's country."""

    class Meta:
        model = Accreditation
        fields = ACCREDITATION_FIELDS
        field_classes = {"responsible": MemberChoiceField}
        widgets = {"certified_date": DateInput(), "expiry_date": DateInput()}

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        kwargs.setdefault(
            "instance", Accreditation(facility=facility, organization=facility.organization)
        )
        super().__init__(*args, **kwargs)
        bodies = accreditation_catalog.accreditation_bodies_for(facility.country.code)
        self.fields["accreditation_body"] = CatalogChoiceField(
            label=_("Accreditation body"),
            choices=[BLANK_CHOICE, *accreditation_catalog.body_choices(bodies)],
        )
        # One group of levels per body; the model checks that the level is one of the body's.
        level_groups: list[tuple[str, Any]] = [
            (body.name, _translated(accreditation_catalog.level_choices(body))) for body in bodies
        ]
        self.fields["accreditation_level"] = forms.ChoiceField(
            label=_("Level"), required=False, choices=[BLANK_CHOICE, *level_groups]
        )
        _model_choices(self, "responsible").queryset = selectors.active_members_of(
            facility.organization
        )

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        self.check_dates(
            "certified_date",
            "expiry_date",
            gettext("The expiry date must be after the certification date."),
        )
        return cleaned_data


class AccreditationCreateForm(AccreditationForm):
    note = _note_field(_("Note for the history"))


class AccreditationEditForm(AccreditationForm):
    note_field = "reason"
    reason = _note_field(_("Reason for the change"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _("Required when the dates or the status change.")


# --- Members ---------------------------------------------------------------------------------


class MemberAddForm(ServiceForm):
    user = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        help_text=_("The person must already have an account."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.VIEWER
    )
    note = _note_field(_("Note for the history"))


class MemberRoleForm(ServiceForm):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    note = _note_field(_("Note for the history"))


class MemberDeactivateForm(ServiceForm):
    reason = _note_field(_("Reason"), required=True)


# --- Organization settings and member preferences -------------------------------------------


class LeadTimeOverrideForm(ServiceForm):
    """Set or lengthen the organization's file-by lead of a licence type. The service refuses
    a lead shorter than the code's, naming the minimum, at the days field."""

    license_type = forms.ChoiceField(
        label=_("Licence type"),
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a licence type of your facilities' countries and states."
            )
        },
    )
    file_by_days = forms.IntegerField(
        label=_("File at least (days before expiry)"),
        min_value=0,
        help_text=_("Never shorter than the code's lead time for the type."),
    )
    reason = _note_field(_("Reason"), required=True)

    def __init__(self, *args: Any, license_types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "license_type").choices = [BLANK_CHOICE, *_translated(license_types)]


class OrganizationSettingsForm(ServiceForm):
    """The organization's name and time zone; the time zone decides what "today" is for every
    deadline and check."""

    name = forms.CharField(label=_("Name"), max_length=200)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Decides what 'today' is for expiries and checks."),
    )
    note = _note_field(_("Reason"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        time_zone = Organization._meta.get_field("time_zone")
        _choices(self, "time_zone").choices = list(time_zone.choices or [])


class LeadTimeResetForm(ServiceForm):
    """Return a licence type to the code's lead, with a reason."""

    license_type = forms.ChoiceField(
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("“%(value)s” is not an overridden licence type.")},
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, license_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "license_type").choices = [(code, code) for code in license_types]


class ReminderWindowsField(forms.MultipleChoiceField):
    """Checkboxes over the windows the product sends (`settings.EXPIRY_REMINDER_WINDOWS`);
    cleans to a list of whole days. A value that is not a number, or not one of the windows,
    gets its own message."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value: Any) -> list[int]:
        items = self.to_python(value)
        if self.required and not items:
            raise ValidationError(self.error_messages["required"], code="required")
        offered = list(settings.EXPIRY_REMINDER_WINDOWS)
        windows = []
        for item in items:
            try:
                window = int(item)
            except ValueError:
                raise ValidationError(
                    _("“%(value)s” is not a number of days: reminder windows are whole days."),
                    code="not_a_number",
                    params={"value": item},
                ) from None
            if window not in offered:
                raise ValidationError(
                    _("%(value)d days is not a reminder window; choose among %(windows)s."),
                    code="invalid_choice",
                    params={"value": window, "windows": ", ".join(map(str, offered))},
                )
            windows.append(window)
        return windows


def _window_label(days: int) -> str:
    if days == 0:
        return gettext("On the day")
    return gettext("%(days)d days before") % {"days": days}


class PreferencesForm(ServiceForm):
    """A member's own preferences. Ticking every window stores an empty list, which follows the
    organization's windows, including any added later. The state must be one of the chosen
    country's; the choices are grouped by country so that the page works without JavaScript."""

    reminders_enabled = forms.BooleanField(label=_("E-mail me expiry reminders"), required=False)
    reminder_windows = ReminderWindowsField(
        label=_("Remind me (days before the filing deadline)"), required=False
    )
    reminder_frequency = forms.ChoiceField(
        label=_("Reminder digest"), choices=Membership.ReminderFrequency.choices
    )
    default_country = forms.ModelChoiceField(
        label=_("Default country filter"),
        queryset=Country.objects.none(),
        required=False,
        empty_label=_("No default: every country"),
    )
    default_state = forms.ModelChoiceField(
        label=_("Default state filter"),
        queryset=State.objects.none(),
        required=False,
        help_text=_("A state of the chosen country."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        windows = list(settings.EXPIRY_REMINDER_WINDOWS)
        _choices(self, "reminder_windows").choices = [
            (str(days), _window_label(days)) for days in windows
        ]
        # Every seeded country has its states and districts: the ones with coverage.
        _model_choices(self, "default_country").queryset = countries_with_coverage()
        states = State.objects.select_related("country")
        state_field = _model_choices(self, "default_state")
        state_field.queryset = states
        groups: dict[str, list[tuple[int, str]]] = {}
        for state in states.order_by("country__name", "name"):
            groups.setdefault(state.country.name, []).append((state.pk, state.name))
        state_field.choices = [("", gettext("No default: every state")), *groups.items()]

    @classmethod
    def initial_for(cls, membership: Membership) -> dict[str, Any]:
        windows = membership.reminder_windows or list(settings.EXPIRY_REMINDER_WINDOWS)
        return {
            "reminders_enabled": membership.reminders_enabled,
            "reminder_windows": [str(days) for days in windows],
            "reminder_frequency": membership.reminder_frequency,
            "default_country": membership.default_country_id,
            "default_state": membership.default_state_id,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        country, state = cleaned.get("default_country"), cleaned.get("default_state")
        if state is not None and state.country_id != getattr(country, "pk", None):
            self.add_error(
                "default_state",
                gettext("%(state)s is not in the chosen country.") % {"state": state},
            )
        windows = cleaned.get("reminder_windows")
        if cleaned.get("reminders_enabled") and windows == []:
            self.add_error(
                "reminder_windows",
                gettext("Choose at least one window, or turn reminders off."),
            )
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        # Every window ticked: follow the organization's windows, including later ones.
        if sorted(data["reminder_windows"]) == sorted(settings.EXPIRY_REMINDER_WINDOWS):
            data["reminder_windows"] = []
        return data
