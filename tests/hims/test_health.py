import pytest
from django.db import OperationalError, connection
from django.urls import reverse


@pytest.mark.django_db
def test_health_answers_without_login_when_the_database_answers(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_health_answers_503_when_the_database_does_not(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    # Simulates a database that stopped answering: Django's own connection, not project code.
    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
