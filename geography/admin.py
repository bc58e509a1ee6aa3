from django.contrib import admin

from geography.models import Country, District, State


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin[Country]):
    list_display = ("code", "name", "regulatory_authority", "data_localization_required")
    search_fields = ("code", "name")
    ordering = ("name",)


@admin.register(State)
class StateAdmin(admin.ModelAdmin[State]):
    list_display = ("code", "name", "country", "kind", "regulatory_authority")
    list_filter = ("country", "kind")
    list_select_related = ("country",)
    search_fields = ("code", "name")
    ordering = ("code",)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin[District]):
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
