"""API rate limits (issue 10): per signed-in user and per address, each answered with 429,
a ``Retry-After`` header (whole seconds) and a JSON message saying how long to wait. The
counts live in the project's cache (``CACHES``), so every process of a deployment shares
them (Redis in production)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from continuum.accounts.models import User

pytestmark = pytest.mark.django_db

URL = "/api/v1/thresholds/indicators"
ELSEWHERE = "192.0.2.20"


def api_client(user: User, address: str = "127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


def assert_refused_for_a_while(response: Any) -> None:
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert "Too many requests" in detail and f"{wait} second" in detail


def test_a_user_over_their_limit_is_refused_with_429_and_retry_after(
    settings: Any, worker: User, analyst: User
) -> None:
    settings.CONTINUUM_API_RATE_PER_USER = "3/min"
    settings.CONTINUUM_API_RATE_PER_ADDRESS = "100/min"
    client = api_client(worker)
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    assert_refused_for_a_while(client.get(URL))
    # Another user at the same address is not held back by the first one's requests.
    assert api_client(analyst).get(URL).status_code == 200
    # Signing in again from another address does not reset the user's count.
    assert_refused_for_a_while(api_client(worker, ELSEWHERE).get(URL))


def test_an_address_over_its_limit_is_refused_whoever_signs_in_from_it(
    settings: Any, worker: User, analyst: User, manager: User
) -> None:
    settings.CONTINUUM_API_RATE_PER_USER = "100/min"
    settings.CONTINUUM_API_RATE_PER_ADDRESS = "4/min"
    worker_client, analyst_client = api_client(worker), api_client(analyst)
    answers = [c.get(URL).status_code for c in (worker_client, analyst_client) * 2]
    assert answers == [200, 200, 200, 200]
    assert_refused_for_a_while(api_client(manager).get(URL))
    # A forwarded-for header from the client is not trusted to name another address.
    spoofed = api_client(manager).get(URL, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert spoofed.status_code == 429
    # The same people from another address carry on.
    assert api_client(manager, ELSEWHERE).get(URL).status_code == 200


def test_the_limit_counts_again_after_its_period(
    settings: Any, worker: User, time_machine: Any
) -> None:
    settings.CONTINUUM_API_RATE_PER_USER = "2/min"
    settings.CONTINUUM_API_RATE_PER_ADDRESS = "100/min"
    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    client = api_client(worker)
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    time_machine.move_to("2026-03-02 09:01:00+00:00", tick=False)
    assert client.get(URL).status_code == 200


def test_the_default_limits_come_from_settings_and_are_on() -> None:
    from django.conf import settings

    assert settings.CONTINUUM_API_RATE_PER_USER.endswith("/min")
    assert settings.CONTINUUM_API_RATE_PER_ADDRESS.endswith("/min")
    # Addresses are the connection's unless a deployment names its proxies.
    assert settings.NINJA_NUM_PROXIES == 0
