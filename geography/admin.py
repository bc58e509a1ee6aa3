from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from geography.models import Country, District, State


class ReferenceDataAdmin[M: models.Model](admin.ModelAdmin[M]):
    """Reference geography is seeded from code and corrected by superusers only. Other staff
    keep their view permission: the autocomplete of facility forms needs it."""

    def _is_superuser(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_superuser(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return self._is_superuser(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return self._is_superuser(request) and super().has_delete_permission(request, obj)


@admin.register(Country)
class CountryAdmin(ReferenceDataAdmin[Country]):
    list_display = ("code", "name", "regulatory_authority", "data_localization_required")
    search_fields = ("code", "name")
    ordering = ("name",)


@admin.register(State)
class StateAdmin(ReferenceDataAdmin[State]):
    list_display = ("code", "name", "country", "kind", "regulatory_authority")
    list_filter = ("country", "kind")
    list_select_related = ("country",)
    search_fields = ("code", "name")
    ordering = ("code",)


@admin.register(District)
class DistrictAdmin(ReferenceDataAdmin[District]):
    list_display = ("name", "official_code", "state", "country", "health_officer")
    list_filter = ("state__country", ("state", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("state__country",)
    search_fields = ("name", "official_code", "state__code")
    autocomplete_fields = ("state",)
    readonly_fields = ("name_key",)
    ordering = ("state__code", "name")
    show_full_result_count = False

    @admin.display(ordering="state__country__name", description="country")
    def country(self, obj: District) -> str:
        return obj.state.country.name
