"""One client address everywhere (issue 10, found at integration): the sign-in throttle,
the admin site's address allow-list, the security log and the API's rate limits all read
the address from ``continuum.ui.client_address``. With no trusted proxy (``TRUSTED_PROXIES``
= 0) it is the connection's own and a client's X-Forwarded-For changes nothing; with n
trusted proxies it is the n-th address from the right of X-Forwarded-For, the one the
outermost trusted proxy saw."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from continuum.accounts import throttle
from continuum.accounts.models import Role
from continuum.ui.client_address import client_address

SIGN_IN = reverse("accounts:sign-in")
PASSWORD = "a-long-test-password"
START = timezone.make_aware(datetime(2026, 3, 2, 9, 0))
PROXY = "10.0.0.5"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
API_URL = "/api/v1/thresholds/indicators"


def request_from(remote: str, forwarded: str | None = None) -> Any:
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


# --- the one function -------------------------------------------------------------------


def test_with_no_trusted_proxy_the_connections_address_is_the_clients(settings):
    settings.NINJA_NUM_PROXIES = 0
    assert client_address(request_from(OWNER)) == OWNER
    assert client_address(request_from(OWNER, forwarded="192.0.2.1")) == OWNER


def test_with_one_trusted_proxy_the_address_it_added_is_the_clients(settings):
    settings.NINJA_NUM_PROXIES = 1
    assert client_address(request_from(PROXY, forwarded=OWNER)) == OWNER
    # Whatever the client wrote in the header itself is left of what the proxy added.
    assert client_address(request_from(PROXY, forwarded=f"192.0.2.1, {OWNER}")) == OWNER
    # Not through the proxy (no header): the connection's own.
    assert client_address(request_from(OWNER)) == OWNER


def test_with_two_trusted_proxies_the_second_from_the_right(settings):
    settings.NINJA_NUM_PROXIES = 2
    forwarded = f"192.0.2.1, {OWNER}, 10.0.0.9"
    assert client_address(request_from(PROXY, forwarded=forwarded)) == OWNER


# --- the sign-in throttle -----------------------------------------------------------------


def attempt(client, password: str, *, remote: str, forwarded: str | None = None, **kw):
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    data = {"username": kw.get("username", "frontdoor.stockton"), "password": password}
    return client.post(SIGN_IN, data, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_does_not_get_round_the_throttle_without_a_proxy(settings, worker):
    settings.NINJA_NUM_PROXIES = 0
    with time_machine.travel(START, tick=False):
        for n in range(throttle.PAIR.attempts + 1):
            attempt(Client(), "wrong-password", remote=ATTACKER, forwarded=f"192.0.2.{n}")
        page = attempt(Client(), PASSWORD, remote=ATTACKER, forwarded="192.0.2.99")
        assert "Too many attempts" in page.content.decode()


@pytest.mark.django_db
def test_behind_a_proxy_each_client_has_its_own_throttle(settings, worker, caplog):
    settings.NINJA_NUM_PROXIES = 1
    with (
        time_machine.travel(START, tick=False),
        caplog.at_level("INFO", logger="continuum.security"),
    ):
        for _ in range(throttle.PAIR.attempts + 1):
            attempt(Client(), "wrong-password", remote=PROXY, forwarded=ATTACKER)
        attacker = attempt(Client(), PASSWORD, remote=PROXY, forwarded=ATTACKER)
        assert "Too many attempts" in attacker.content.decode()
        # The owner comes through the same proxy, from their own address: not refused.
        owner = Client()
        assert attempt(owner, PASSWORD, remote=PROXY, forwarded=OWNER).status_code == 302
        assert signed_in(owner)
    messages = [r.getMessage() for r in caplog.records if r.name == "continuum.security"]
    refusals = [m for m in messages if m.startswith("Sign-in refused")]
    assert refusals and all(ATTACKER in m and PROXY not in m for m in refusals)


@pytest.mark.django_db
def test_behind_a_proxy_the_address_limit_counts_the_client_not_the_proxy(settings, make_user):
    settings.NINJA_NUM_PROXIES = 1
    user = make_user(Role.FRONT_DOOR_WORKER, username="sprayed.last")
    with time_machine.travel(START, tick=False):
        for n in range(throttle.ADDRESS.attempts):
            attempt(
                Client(), "Winter2026!", remote=PROXY, forwarded=ATTACKER, username=f"someone.{n}"
            )
        # Another client behind the same proxy still signs in.
        response = attempt(
            Client(), PASSWORD, remote=PROXY, forwarded=OWNER, username=user.username
        )
        assert response.status_code == 302


# --- the admin site's allow-list -----------------------------------------------------------


@pytest.fixture
def administrator(make_user):
    return make_user(
        Role.SYSTEM_ADMINISTRATOR, username="admin.partnership", is_staff=True, is_superuser=True
    )


@pytest.mark.django_db
def test_the_admin_allow_list_ignores_a_spoofed_forwarded_for_without_a_proxy(
    client, administrator, settings
):
    settings.NINJA_NUM_PROXIES = 0
    settings.ADMIN_ALLOWED_ADDRESSES = ["10.20.0.0/16"]
    client.force_login(administrator)
    response = client.get(
        "/reference-data/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="10.20.3.4"
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_behind_a_proxy_the_admin_allow_list_checks_the_forwarded_address(
    client, administrator, settings
):
    settings.NINJA_NUM_PROXIES = 1
    settings.ADMIN_ALLOWED_ADDRESSES = ["10.20.0.0/16"]
    client.force_login(administrator)
    allowed = client.get("/reference-data/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.20.3.4")
    assert allowed.status_code == 200
    # The proxy's own address is not in the list, but it is the client's that counts.
    refused = client.get("/reference-data/", REMOTE_ADDR="10.20.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert refused.status_code == 404


# --- the API's rate limits -------------------------------------------------------------------


@pytest.mark.django_db
def test_behind_a_proxy_the_api_rate_limit_counts_each_client(settings, worker, analyst):
    settings.NINJA_NUM_PROXIES = 1
    settings.CONTINUUM_API_RATE_PER_USER = "100/min"
    settings.CONTINUUM_API_RATE_PER_ADDRESS = "2/min"
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    first.force_login(worker)
    assert [first.get(API_URL).status_code for _ in range(3)] == [200, 200, 429]
    second = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OWNER)
    second.force_login(analyst)
    assert second.get(API_URL).status_code == 200
