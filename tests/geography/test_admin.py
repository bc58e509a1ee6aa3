import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from geography.models import Country, District, State
from tests.factories import UserFactory


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "search", "expected"),
    [
        ("country", "India", "India"),
        ("state", "IN-MH", "Maharashtra"),
        ("district", "3304557", "Rio de Janeiro"),
    ],
)
def test_geography_changelists_load_and_search_for_a_superuser(
    superuser_client, model, search, expected
):
    response = superuser_client.get(reverse(f"admin:geography_{model}_changelist"), {"q": search})

    assert response.status_code == 200
    result_list = response.context["cl"].result_list
    assert [str(obj) for obj in result_list] == [expected]


@pytest.mark.django_db
def test_district_changelist_filters_by_country(superuser_client):
    india = Country.objects.get(code="IN")

    response = superuser_client.get(
        reverse("admin:geography_district_changelist"), {"state__country__id__exact": india.pk}
    )

    assert response.status_code == 200
    assert {d.state.country.code for d in response.context["cl"].result_list} == {"IN"}


@pytest.mark.django_db
def test_district_changelist_query_count_does_not_grow_with_rows(
    superuser_client, django_assert_num_queries
):
    url = reverse("admin:geography_district_changelist")
    superuser_client.get(url)  # warm the content-type and session caches
    # session, user, filter choices (countries, related states), the page of districts with
    # their state and country joined, the total count: never a query per row.
    with django_assert_num_queries(6) as first:
        superuser_client.get(url)
    texas = State.objects.get(code="US-TX")
    District.objects.bulk_create(
        District(state=texas, official_code=f"99{n:03}", name=f"Test {n}") for n in range(300)
    )

    with django_assert_num_queries(len(first.captured_queries)):
        superuser_client.get(url)


@pytest.mark.django_db
def test_state_autocomplete_searches_by_code(superuser_client):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "geography",
            "model_name": "district",
            "field_name": "state",
            "term": "US-NY",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["New York"]


@pytest.fixture
def staff_client(client):
    """A staff member who is not a superuser, granted every geography permission."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="geography"))
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["country", "state", "district"])
def test_geography_add_is_forbidden_to_staff_even_with_the_permission(staff_client, model):
    response = staff_client.get(reverse(f"admin:geography_{model}_add"))

    assert response.status_code == 403


@pytest.mark.django_db
def test_geography_change_and_delete_are_forbidden_to_staff_even_with_the_permission(
    staff_client,
):
    state = State.objects.get(code="US-NY")

    page = staff_client.get(reverse("admin:geography_state_change", args=(state.pk,)))
    change = staff_client.post(
        reverse("admin:geography_state_change", args=(state.pk,)), {"name": "Renamed"}
    )
    delete = staff_client.post(
        reverse("admin:geography_state_delete", args=(state.pk,)), {"post": "yes"}
    )

    assert page.context["has_change_permission"] is False
    assert (change.status_code, delete.status_code) == (403, 403)
    state.refresh_from_db()
    assert state.name == "New York"


@pytest.mark.django_db
def test_geography_changelist_is_viewable_by_staff(staff_client):
    response = staff_client.get(reverse("admin:geography_state_changelist"), {"q": "IN-MH"})

    assert [str(obj) for obj in response.context["cl"].result_list] == ["Maharashtra"]
    assert response.context["has_add_permission"] is False
