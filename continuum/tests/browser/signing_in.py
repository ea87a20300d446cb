"""Signing in through the sign-in page, as the browser journeys do: the password, then a
code from the user's authenticator app (every test user has one with the test secret,
made by ``ensure_authenticator_apps`` before a journey runs)."""

from __future__ import annotations

import time
from binascii import unhexlify
from typing import TYPE_CHECKING

from django.urls import reverse
from django_otp.oath import TOTP

from continuum.testing.second_factor import TEST_TOTP_KEY

if TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "a-long-test-password"  # the factories' password for every test user
# The time step each user's last code was for: a code is used once, so a second sign-in
# within 30 seconds uses the next step's (the test devices accept a few steps ahead).
_last_step: dict[str, int] = {}
STEPS_AHEAD = 10


def forget_codes_used() -> None:
    _last_step.clear()


def _next_code(username: str) -> str:
    totp = TOTP(unhexlify(TEST_TOTP_KEY))
    totp.time = time.time()
    step = max(totp.t(), _last_step.get(username, -1) + 1)
    _last_step[username] = step
    totp.time = step * totp.step
    return f"{totp.token():06d}"


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in afresh (any earlier session's cookies cleared) and wait to leave the page."""
    page.context.clear_cookies()
    page.goto(reverse("accounts:sign-in"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: not url.rstrip("/").endswith("sign-in"))
    if reverse("accounts:second-factor") in page.url:
        page.get_by_label("Code").fill(_next_code(username))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(lambda url: reverse("accounts:second-factor") not in url)


def ensure_authenticator_apps() -> None:
    """Every user in the database gets the test authenticator app, if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from continuum.accounts.models import User

    for user in User.objects.filter(totpdevice__isnull=True):
        TOTPDevice.objects.create(
            user=user,
            name="Test authenticator app",
            key=TEST_TOTP_KEY,
            confirmed=True,
            tolerance=STEPS_AHEAD,
        )
