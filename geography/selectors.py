from django.db.models import Count, QuerySet

from geography.models import Country


def countries_with_coverage() -> QuerySet[Country]:
    """Countries with the number of states and districts seeded for each, in one query."""
    return Country.objects.annotate(
        state_count=Count("states", distinct=True),
        district_count=Count("states__districts"),
    ).order_by("name")
