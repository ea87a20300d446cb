"""With DEBUG off, errors show GOV.UK pages and never a traceback, SQL or settings."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role
from continuum.testing import factories

pytestmark = pytest.mark.django_db

LEAKS = ["Traceback", "RuntimeError", "SELECT", "SECRET_KEY", "DATABASES", "settings.py", "boom"]


@pytest.fixture(autouse=True)
def production_like(settings):
    settings.DEBUG = False


def assert_govuk_page_without_leaks(response, heading: str) -> None:
    page = response.content.decode()
    assert 'class="govuk-template' in page
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    # Every leak found, not just the first.
    assert [leak for leak in [*LEAKS, django_settings.SECRET_KEY] if leak in page] == []


@pytest.mark.urls("continuum.web.tests.urls_crash")
def test_a_server_error_shows_a_plain_govuk_page(worker):
    client = Client(raise_request_exception=False)
    client.force_login(worker)

    response = client.get("/test-crash")

    assert response.status_code == 500
    assert_govuk_page_without_leaks(response, "Sorry, there is a problem with the service")


def test_the_500_page_needs_no_context_and_its_stylesheet_exists():
    html = get_template("500.html").render()
    assert "Sorry, there is a problem with the service" in html
    assert "{%" not in html and "{{" not in html
    assert django_settings.STATIC_URL == "/assets/"
    assert 'href="/assets/govuk/govuk-frontend.min.css"' in html
    assert finders.find("govuk/govuk-frontend.min.css")


def test_an_unknown_page_is_page_not_found(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert_govuk_page_without_leaks(response, "Page not found")


def test_a_record_the_user_may_not_see_looks_exactly_like_one_that_does_not_exist(
    client, make_user, stockton, hartlepool
):
    person = factories.PersonFactory.create(council=stockton, family_name="Quartermaine")
    client.force_login(make_user(Role.FRONT_DOOR_WORKER, council=hartlepool))

    response = client.get(reverse("people:detail", args=[person.pk]))

    assert response.status_code == 404
    assert_govuk_page_without_leaks(response, "Page not found")
    assert "Quartermaine" not in response.content.decode()


def test_an_account_without_a_role_is_told_to_ask_for_one(client, stockton):
    user = factories.UserFactory.create(role="", organisation=factories.council_services(stockton))
    client.force_login(user)

    response = client.get(reverse("web:home"))

    assert response.status_code == 403
    assert_govuk_page_without_leaks(response, "You cannot use this page")
    assert "Your account does not have a role yet. Ask your system administrator." in (
        response.content.decode()
    )


def test_a_role_that_may_not_use_a_page_gets_a_403_page(client, analyst):
    client.force_login(analyst)

    response = client.get(reverse("audit:access-log"))

    assert response.status_code == 403
    assert_govuk_page_without_leaks(response, "You cannot use this page")
    page = response.content.decode()
    assert "Your role does not allow you to do this." in page
    assert "does not have a role yet" not in page


def test_a_form_sent_without_its_csrf_token_gets_a_friendly_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("accounts:sign-in"), {"username": "someone", "password": "anything"}
    )

    assert response.status_code == 403
    assert_govuk_page_without_leaks(response, "Your form could not be sent")
    assert "CSRF" not in response.content.decode()


def test_a_bad_request_gets_a_govuk_400_page(client):
    response = client.get("/", HTTP_HOST="not-our-host.example")
    assert response.status_code == 400
    assert_govuk_page_without_leaks(response, "There is a problem with your request")
    assert "not-our-host" not in response.content.decode()
