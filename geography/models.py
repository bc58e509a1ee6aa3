"""Reference geography: countries, their ISO 3166-2 subdivisions and their districts.

Rows are seeded from the code-defined catalog (`geography.catalog`) and never deleted:
facilities point at them.
"""

from typing import Any

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from geography.catalog import normalize_name


class Country(models.Model):
    code = models.CharField(_("ISO 3166-1 code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    regulatory_authority = models.CharField(_("regulatory authority"), max_length=300, blank=True)
    authority_source = models.CharField(
        _("authority source"),
        max_length=300,
        blank=True,
        help_text=_("Where the authority is sourced; blank authority means none is verified."),
    )
    data_localization_required = models.BooleanField(
        _("data localization required"),
        default=False,
        help_text=_("Whether health data must by law be stored inside the country."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class State(models.Model):
    class Kind(models.TextChoices):
        STATE = "state", _("State")
        UNION_TERRITORY = "union_territory", _("Union territory")
        FEDERAL_DISTRICT = "federal_district", _("Federal district")
        OUTLYING_AREA = "outlying_area", _("Outlying area")

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="states", verbose_name=_("country")
    )
    code = models.CharField(_("ISO 3166-2 code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    regulatory_authority = models.CharField(_("regulatory authority"), max_length=300, blank=True)
    authority_source = models.CharField(_("authority source"), max_length=300, blank=True)

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("state")
        verbose_name_plural = _("states")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A county (US), municipality (Brazil) or district (India).

    `official_code` is the US county FIPS code, the Brazilian IBGE municipality code or the
    Indian LGD code; it is blank where none is known (Indian districts until an LGD extract
    is imported). `name_key` is the normalised name used to match rows without a code.
    """

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="districts", verbose_name=_("state")
    )
    official_code = models.CharField(_("official code"), max_length=10, blank=True)
    name = models.CharField(_("name"), max_length=150)
    name_key = models.CharField(max_length=150, editable=False)
    health_officer = models.CharField(_("health officer"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "official_code"],
                condition=~models.Q(official_code=""),
                name="district_unique_official_code_per_state",
            ),
            models.UniqueConstraint(
                fields=["state", "name_key"],
                condition=models.Q(official_code=""),
                name="district_unique_uncoded_name_per_state",
            ),
        ]
        indexes = [models.Index("state", Lower("name"), name="district_state_name_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = normalize_name(self.name)
        super().save(*args, **kwargs)
