"""The "known device" cookie (it exempts a browser from the account-wide sign-in limit) is
given only once the second factor has passed: someone who has only the password never gets
it (issue 10, found at integration)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts import services, throttle
from continuum.testing.second_factor import (
    TEST_PASSWORD,
    authenticator_app,
    current_code,
)

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")


def test_the_password_alone_does_not_make_a_browser_a_known_device(worker):
    authenticator_app(worker)
    client = Client()
    response = client.post(SIGN_IN, {"username": worker.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert services.KNOWN_DEVICE_COOKIE not in response.cookies
    assert services.KNOWN_DEVICE_COOKIE not in client.cookies
    # Nor does anything else it may reach before the second factor.
    client.get(response["Location"])
    assert services.KNOWN_DEVICE_COOKIE not in client.cookies


def test_the_second_factor_makes_the_browser_a_known_device(worker):
    device = authenticator_app(worker)
    client = Client()
    response = client.post(SIGN_IN, {"username": worker.username, "password": TEST_PASSWORD})
    passed = client.post(response["Location"], {"code": current_code(device)})
    assert passed.status_code == 302
    cookie = passed.cookies[services.KNOWN_DEVICE_COOKIE]
    assert cookie["httponly"]
    accounts = services.known_device_accounts(cookie.value)
    assert accounts == [throttle.username_key(worker.username)]


def test_a_wrong_code_does_not_make_the_browser_a_known_device(worker):
    authenticator_app(worker)
    client = Client()
    response = client.post(SIGN_IN, {"username": worker.username, "password": TEST_PASSWORD})
    client.post(response["Location"], {"code": "000000"})
    assert services.KNOWN_DEVICE_COOKIE not in client.cookies
