import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["facilities:home", "admin:index"])
def test_anonymous_request_to_a_page_redirects_to_login(client, url_name):
    url = reverse(url_name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("login") if url_name != "admin:index" else "/admin/login/"
    )
    assert f"next={url}" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["login", "password_reset", "health"])
def test_pages_exempt_from_login_answer_anonymous_requests(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200


@pytest.mark.django_db
def test_logged_in_user_sees_the_home_page_with_the_seeded_jurisdictions(client):
    client.force_login(UserFactory(first_name="Ana"))

    response = client.get(reverse("facilities:home"))

    assert response.status_code == 200
    assert b"Welcome, Ana" in response.content
    countries = {c.code: c for c in response.context["countries"]}
    assert (countries["BR"].state_count, countries["BR"].district_count) == (27, 5571)


@pytest.mark.django_db
def test_login_form_signs_the_user_in_and_redirects_home(client):
    user = UserFactory()

    response = client.post(
        reverse("login"),
        {"username": user.username, "password": "correct horse battery staple"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("facilities:home")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_password_reset_sends_a_link_by_email(client, mailoutbox):
    user = UserFactory(email="officer@example.com")

    response = client.post(reverse("password_reset"), {"email": user.email})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["officer@example.com"]
    assert "/accounts/reset/" in mailoutbox[0].body
