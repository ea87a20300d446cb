"""Issue 10, findings 1 and 16: the admin site signs in through the app's own sign-in (its
throttle, its security log, its second factor), can be limited to given addresses, and
sessions end when the browser closes."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/reference-data/login/"
SIGN_IN = reverse("accounts:sign-in")
PASSWORD = "a-long-test-password"
START = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


@pytest.fixture
def administrator(make_user):
    return make_user(
        Role.SYSTEM_ADMINISTRATOR, username="admin.partnership", is_staff=True, is_superuser=True
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_sign_in_page_sends_people_to_the_apps_sign_in(client):
    response = client.get(ADMIN_LOGIN + "?next=/reference-data/organisations/")
    assert response.status_code == 302
    assert response["Location"] == (SIGN_IN + "?next=/reference-data/organisations/")
    assert client.get("/reference-data/")["Location"].startswith(ADMIN_LOGIN)


def test_twenty_wrong_passwords_at_the_admin_sign_in_are_throttled(client, administrator, caplog):
    with (
        caplog.at_level("INFO", logger="continuum.security"),
        time_machine.travel(START, tick=False),
    ):
        for _ in range(20):
            client.post(ADMIN_LOGIN, {"username": administrator.username, "password": "guess"})
        response = client.post(
            ADMIN_LOGIN, {"username": administrator.username, "password": PASSWORD}
        )
        assert "Too many attempts" in response.content.decode()
        assert not signed_in(client)
        # ... and the main sign-in is locked too: it is the same sign-in.
        response = client.post(SIGN_IN, {"username": administrator.username, "password": PASSWORD})
        assert "Too many attempts" in response.content.decode()
        assert not signed_in(client)
    messages = [r.getMessage() for r in caplog.records if r.name == "continuum.security"]
    assert sum(m.startswith("Failed sign-in") for m in messages) == 5
    assert sum(m.startswith("Sign-in refused") for m in messages) == 17


def test_the_admin_site_can_be_limited_to_given_addresses(client, administrator, settings):
    settings.ADMIN_ALLOWED_ADDRESSES = ["10.20.0.0/16", "192.0.2.10"]
    client.force_login(administrator)
    assert client.get("/reference-data/", REMOTE_ADDR="203.0.113.5").status_code == 404
    assert client.get(ADMIN_LOGIN, REMOTE_ADDR="203.0.113.5").status_code == 404
    assert client.get("/reference-data/", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/reference-data/", REMOTE_ADDR="192.0.2.10").status_code == 200
    # The rest of the app is not limited.
    assert client.get(reverse("web:home"), REMOTE_ADDR="203.0.113.5").status_code == 200


def test_with_no_addresses_set_the_admin_site_answers_any_address(client, administrator):
    assert settings.ADMIN_ALLOWED_ADDRESSES == []
    client.force_login(administrator)
    assert client.get("/reference-data/", REMOTE_ADDR="203.0.113.5").status_code == 200


def test_sessions_end_when_the_browser_closes():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
