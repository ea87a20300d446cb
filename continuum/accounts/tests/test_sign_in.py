"""Signing in and out: GOV.UK errors, each role's landing page, demo sign-ins, sessions."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from continuum.accounts.models import Role
from continuum.testing import factories
from continuum.testing.second_factor import sign_in_with_code

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")
SIGN_OUT = reverse("accounts:sign-out")
PASSWORD = "a-long-test-password"

HOME_TEMPLATES = {
    Role.FRONT_DOOR_WORKER: "web/home_front_door.html",
    Role.EARLY_HELP_PRACTITIONER: "web/home_practitioner.html",
    Role.TEAM_MANAGER: "web/home_manager.html",
    Role.PARTNER_PRACTITIONER: "web/home_partner.html",
    Role.AUDITOR: "web/home_auditor.html",
    Role.PERFORMANCE_ANALYST: "web/home_analyst.html",
    Role.STRATEGIC_LEAD: "web/home_strategic_lead.html",
    Role.SYSTEM_ADMINISTRATOR: "web/home_admin.html",
    Role.INFORMATION_GOVERNANCE_LEAD: "web/home_information_governance.html",
}


def sign_in(client, username: str, password: str = PASSWORD, **extra: str):
    return client.post(SIGN_IN, {"username": username, "password": password, **extra})


def test_the_sign_in_page_is_open_to_everyone(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign in to Continuum" in page
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page
    assert "autofocus" not in page


@pytest.mark.parametrize(("role", "template"), HOME_TEMPLATES.items())
def test_after_signing_in_each_role_lands_on_its_home_page(client, make_user, role, template):
    user = make_user(role, username=f"someone.{role}")

    response = sign_in_with_code(client, user)

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert template in [t.name for t in home.templates]


def test_a_safe_next_address_is_followed_but_another_site_is_not(client, make_user):
    user = make_user(Role.FRONT_DOOR_WORKER, username="frontdoor.next")
    response = sign_in_with_code(client, user, next="/thresholds/")
    assert response["Location"] == "/thresholds/"

    client.logout()
    response = sign_in_with_code(client, user, next="https://evil.example/")
    assert response["Location"] == reverse("web:home")


@pytest.mark.parametrize(
    ("username", "password", "field", "message"),
    [
        ("", "", "username", "Enter your username"),
        ("", "", "password", "Enter your password"),
        ("frontdoor.wrong", "", "password", "Enter your password"),
        (
            "frontdoor.wrong",
            "not-the-password",
            "username",
            "Enter a correct username and password",
        ),
    ],
)
def test_mistakes_show_in_a_govuk_error_summary_and_at_the_field(
    client, make_user, username, password, field, message
):
    make_user(Role.FRONT_DOOR_WORKER, username="frontdoor.wrong")

    response = sign_in(client, username, password)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Sign in" in page
    assert "govuk-error-summary" in page
    assert f'<a href="#id_{field}">{message}' in page
    assert f'id="id_{field}-error"' in page
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_sign_in(client, make_user):
    make_user(Role.FRONT_DOOR_WORKER, username="frontdoor.left", is_active=False)
    response = sign_in(client, "frontdoor.left")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_account_with_no_role_signs_in_and_is_told_to_ask_for_one(client, stockton):
    user = factories.UserFactory.create(
        username="new.starter", role="", organisation=factories.council_services(stockton)
    )

    response = sign_in_with_code(client, user)
    home = client.get(response["Location"])

    assert home.status_code == 403
    assert "Your account does not have a role yet. Ask your system administrator." in (
        home.content.decode()
    )


def test_signing_in_gives_the_session_a_new_key(client, make_user):
    user = make_user(Role.FRONT_DOOR_WORKER, username="frontdoor.fixation")
    session = client.session
    session["planted"] = "by someone else"
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key

    sign_in(client, user.username)

    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signing_out_is_by_post_only_and_ends_the_session(client, make_user):
    user = make_user(Role.FRONT_DOOR_WORKER, username="frontdoor.leaving")
    sign_in(client, user.username)
    old_key = client.session.session_key

    assert client.get(SIGN_OUT).status_code == 405
    assert client.session["_auth_user_id"] == str(user.pk)

    response = client.post(SIGN_OUT)

    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert "_auth_user_id" not in client.session
    assert client.session.session_key != old_key
    page = client.get(SIGN_IN).content.decode()
    assert "You have signed out." in page
    assert client.get(reverse("web:home")).status_code == 302


def test_the_sign_out_button_posts_with_a_csrf_token(client, make_user):
    client.force_login(make_user(Role.FRONT_DOOR_WORKER))
    page = client.get(reverse("web:home")).content.decode()
    form = page.split(f'action="{SIGN_OUT}"')[1].split("</form>")[0]
    assert "csrfmiddlewaretoken" in form
    assert 'method="post"' in page.split(f'action="{SIGN_OUT}"')[0].rsplit("<form", 1)[1]


class TestDemoPassword:
    @pytest.fixture
    def demo_account(self, make_user):
        return make_user(
            Role.FRONT_DOOR_WORKER, username="frontdoor.stockton", is_demo_account=True
        )

    @pytest.fixture
    def ordinary_account(self, make_user):
        return make_user(Role.FRONT_DOOR_WORKER, username="frontdoor.real")

    @override_settings(CONTINUUM_DEMO=True)
    def test_signs_in_a_demo_account_in_demo_mode(self, client, demo_account):
        response = sign_in(client, "frontdoor.stockton", settings.DEMO_PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(demo_account.pk)

    @override_settings(CONTINUUM_DEMO=False)
    def test_does_nothing_outside_demo_mode(self, client, demo_account):
        response = sign_in(client, "frontdoor.stockton", settings.DEMO_PASSWORD)
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    @override_settings(CONTINUUM_DEMO=True)
    def test_never_signs_in_an_account_that_is_not_a_demo_account(self, client, ordinary_account):
        response = sign_in(client, "frontdoor.real", settings.DEMO_PASSWORD)
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        # Its own password still works.
        assert sign_in(client, "frontdoor.real", PASSWORD).status_code == 302

    @override_settings(CONTINUUM_DEMO=True)
    def test_needs_the_exact_demo_password(self, client, demo_account):
        response = sign_in(client, "frontdoor.stockton", settings.DEMO_PASSWORD.upper())
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
