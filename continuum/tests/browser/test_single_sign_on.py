"""Single sign-on in a real browser, with the Content Security Policy enforced: the sign-in
page's button takes a practitioner to their organisation's provider (a real one, run by
the test) and back into Continuum, signed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse

from continuum.accounts.models import User
from continuum.single_sign_on.models import IdentityProvider
from continuum.testing.identity_provider import (
    CLIENT_ID,
    SECRET_VARIABLE,
    client_secret,  # noqa: F401 - fixture
    running_provider,
)
from continuum.tests.browser.axe import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Page

    Browse = Callable[[Callable[[Page], None]], None]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_practitioner_signs_in_with_their_councils_account(
    browse: Browse,
    live_server: Any,
    worker: User,
    client_secret: None,  # noqa: F811
) -> None:
    callback = live_server.url + reverse("single_sign_on:callback")
    assert worker.organisation is not None
    with running_provider(callback) as issuer:
        IdentityProvider.objects.create(
            organisation=worker.organisation,
            name="Stockton-on-Tees Council account",
            issuer=issuer,
            client_id=CLIENT_ID,
            client_secret_variable=SECRET_VARIABLE,
            enabled=True,
        )

        def journey(page: Page) -> None:
            page.goto(reverse("accounts:sign-in"))
            assert_accessible(page, "the sign-in page offering single sign-on")
            page.goto(reverse("single_sign_on:callback") + "?code=x&state=y")
            assert page.get_by_role("heading", name="You have not been signed in").count() == 1
            assert_accessible(page, "the page refusing a single sign-on")
            # The journeys' contexts bypass the CSP (for axe); this one keeps it, as
            # a practitioner's browser does.
            assert page.context.browser is not None
            context = page.context.browser.new_context(base_url=live_server.url)
            try:
                enforced = context.new_page()
                enforced.goto(reverse("accounts:sign-in"))
                enforced.get_by_role(
                    "button", name="Sign in with Stockton-on-Tees Council account"
                ).click()
                enforced.wait_for_url(f"{issuer}/**")
                enforced.locator("input[name=login]").fill("browser-subject")
                enforced.locator("input[name=email]").fill(worker.email)
                enforced.locator("input[name=email_verified]").fill("true")
                enforced.locator("input[name=amr]").fill("pwd,mfa")
                enforced.get_by_role("button", name="Sign in").click()
                enforced.wait_for_url(f"{live_server.url}/**")
                enforced.wait_for_load_state()
                assert enforced.url.rstrip("/") == live_server.url
                assert enforced.get_by_role("button", name="Sign out").count() == 1
            finally:
                context.close()

        browse(journey)
