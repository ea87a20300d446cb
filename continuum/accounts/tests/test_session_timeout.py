"""Idle and absolute session timeouts (SessionTimeoutMiddleware)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.testing.second_factor import sign_in_with_code

pytestmark = pytest.mark.django_db

HOME = reverse("web:home")
SIGN_IN = reverse("accounts:sign-in")
START = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


def sign_in(client) -> None:
    """The password, then the code from the worker's authenticator app."""
    worker = User.objects.get(username="frontdoor.stockton")
    response = sign_in_with_code(client, worker)
    assert response.status_code == 302


@override_settings(SESSION_IDLE_SECONDS=30 * 60)
def test_a_session_used_within_the_idle_limit_carries_on(client, worker):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        for _ in range(4):
            clock.shift(timedelta(minutes=29))
            assert client.get(HOME).status_code == 200


@override_settings(SESSION_IDLE_SECONDS=30 * 60)
def test_an_idle_session_is_ended_and_the_sign_in_page_says_why(client, worker):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        assert client.get(HOME).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(HOME)

        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN)
        assert "_auth_user_id" not in client.session
        page = client.get(SIGN_IN).content.decode()
        assert "You were signed out because you had not used Continuum for a while." in page
        # Said once only.
        assert "You were signed out" not in client.get(SIGN_IN).content.decode()


@override_settings(SESSION_IDLE_SECONDS=30 * 60, SESSION_COOKIE_AGE=2 * 60 * 60)
def test_a_busy_session_still_ends_at_the_absolute_limit(client, worker):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        for _ in range(7):  # a request every 17 minutes: never idle
            clock.shift(timedelta(minutes=17))
            assert client.get(HOME).status_code == 200
        clock.shift(timedelta(minutes=2))  # now 2 hours 1 minute after signing in
        assert client.get(HOME).status_code == 302
        assert "signed in for a long time" in client.get(SIGN_IN).content.decode()


@override_settings(SESSION_IDLE_SECONDS=30 * 60)
def test_an_idle_api_session_gets_401(client, worker):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        clock.shift(timedelta(minutes=31))
        assert client.get("/api/v1/people").status_code == 401
