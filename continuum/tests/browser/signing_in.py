"""Signing in through the sign-in page, as the browser journeys do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

if TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "a-long-test-password"  # the factories' password for every test user


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in afresh (any earlier session's cookies cleared) and wait to leave the page."""
    page.context.clear_cookies()
    page.goto(reverse("accounts:sign-in"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: not url.rstrip("/").endswith("sign-in"))
