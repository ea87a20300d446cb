"""The health check that load balancers and monitoring poll."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_answers_ok_without_signing_in(client):
    response = client.get(reverse("web:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_is_at_slash_health_and_says_nothing_else(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"status"}
    assert "sessionid" not in response.cookies
