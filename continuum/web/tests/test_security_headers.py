"""Strict security headers; no inline script or style anywhere the CSP would block."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from continuum.accounts.models import Role

pytestmark = pytest.mark.django_db


def assert_strict_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_have_strict_headers_and_are_never_cached(client, worker):
    client.force_login(worker)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert_strict_headers(response)
    assert "no-store" in response["Cache-Control"]


def test_api_responses_to_a_signed_in_user_are_never_cached(client, worker):
    client.force_login(worker)
    response = client.get("/api/v1/people")
    assert "no-store" in response["Cache-Control"]


def test_the_sign_in_page_has_strict_headers_too(client):
    assert_strict_headers(client.get(reverse("accounts:sign-in")))


def test_error_pages_have_strict_headers(client):
    assert_strict_headers(client.get("/no-such-page"))


def test_every_response_carries_a_request_id(client):
    assert re.fullmatch(r"[0-9a-f-]{36}", client.get(reverse("accounts:sign-in"))["X-Request-ID"])


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)


@pytest.mark.parametrize("role", list(Role))
def test_home_pages_have_no_inline_script_or_style(client, make_user, role):
    client.force_login(make_user(role))
    page = client.get(reverse("web:home")).content.decode()
    assert not INLINE_SCRIPT.search(page)
    assert not INLINE_STYLE.search(page)


def the_sign_in_page(client, make_user) -> str:
    return client.get(reverse("accounts:sign-in")).content.decode()


def the_access_log_with_an_error(client, make_user) -> str:
    client.force_login(make_user(Role.SYSTEM_ADMINISTRATOR))
    return client.get(reverse("audit:access-log"), {"date_from": "bad"}).content.decode()


@pytest.mark.parametrize(
    "fetch", [the_sign_in_page, the_access_log_with_an_error], ids=lambda fetch: fetch.__name__
)
def test_sign_in_and_access_log_pages_have_no_inline_script_or_style(client, make_user, fetch):
    page = fetch(client, make_user)
    assert not INLINE_SCRIPT.search(page)
    assert not INLINE_STYLE.search(page)
