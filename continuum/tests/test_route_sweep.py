"""Every URL is closed by default.

The sweep walks every URL pattern the project defines (Django's resolver, recursively
through includes: the pages, the django-ninja API and the Django admin), builds a concrete
URL for each, and requests it with every method, anonymously and as a signed-in user who
has no role. Each answer must be a refusal: a redirect that ends at a sign-in page, or
401, 403, 404 or 405. Only the allow-list below may answer otherwise, and nothing may
answer 5xx. A URL added tomorrow is swept without anyone adding it here.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, cast
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.urls.resolvers import RegexPattern

from continuum.accounts.models import User
from continuum.documents.models import Document
from continuum.people.models import Person
from continuum.testing import factories
from continuum.tests.routes import Route, all_routes

# Answer as they like (but never 5xx): the sign-in pages, the health check and the
# OpenAPI document. Static files (/assets/...) are served by WhiteNoise before any URL
# pattern, so they are not in the resolver; test_static_files_are_public_... covers them.
ALLOWED = frozenset({"accounts:sign-in", "admin:login", "web:health", "api:openapi-json"})
# Issue 16: liveness and readiness, for load balancers and orchestrators (web/health.py).
ALLOWED |= frozenset({"web:live", "web:ready"})
# The second factor (issue 10): any signed-in account, with a role or not yet, sets up and
# uses its own (anonymous users are still sent to sign in); the security-key script's
# translations are public.
ALLOWED |= frozenset(
    {
        "accounts:set-up-authenticator-app",
        "accounts:set-up-security-key",
        "accounts:second-factors",
        "accounts:recovery-codes",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
    }
)
METHODS = ("get", "head", "post", "put", "patch", "delete")
REFUSALS = frozenset({401, 403, 404, 405})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 3


# --- what counts as refused --------------------------------------------------------------


def _sign_in_paths() -> set[str]:
    return {reverse("accounts:sign-in"), reverse("admin:login")}


def refusal_problem(client: Client, method: str, url: str) -> str | None:
    """None if ``method url`` is refused; otherwise what went wrong."""
    response = getattr(client, method)(url)
    hops = [f"{method.upper()} {url} -> {response.status_code}"]
    for _ in range(MAX_REDIRECTS):
        if response.status_code not in REDIRECTS:
            break
        target = urlsplit(response["Location"]).path
        if target in _sign_in_paths():
            return None
        response = client.get(response["Location"])
        hops.append(f"GET {target} -> {response.status_code}")
    if response.status_code >= 500:
        return "server error: " + " ; ".join(hops)
    if response.status_code in REFUSALS:
        return None
    return "not refused: " + " ; ".join(hops)


# --- the sweep -----------------------------------------------------------------------------

ROUTES = all_routes()
SWEPT = [r for r in ROUTES if r.name not in ALLOWED]


def _urls_for(route: Route, person: Person) -> list[str]:
    """A random id, and (where the route takes a uuid) the id of a real person, and for a
    document's routes the id of a real document on them."""
    urls = [route.url(uuid.uuid4())]
    if route.takes_uuid:
        urls.append(route.url(person.pk))
    if route.takes_uuid and "documents" in route.route:
        document = cast(Document, factories.DocumentFactory(person=person))
        urls.append(route.url(document.pk))
    return urls


def _assert_url_builds_this_route(route: Route, url: str) -> None:
    match = resolve(url)
    assert match.route == route.route, (
        f"The sweep built {url} for {route.route!r} but it resolves to {match.route!r}; "
        "teach the sweep a better sample value."
    )


@pytest.mark.parametrize("route", SWEPT, ids=[r.route or "/" for r in SWEPT])
def test_every_route_refuses_anonymous_users(
    route: Route, child: Person, shared_client: Client
) -> None:
    problems = []
    for url in _urls_for(route, child):
        _assert_url_builds_this_route(route, url)
        for method in METHODS:
            shared_client.cookies.clear()
            problem = refusal_problem(shared_client, method, url)
            if problem:
                problems.append(problem)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("route", SWEPT, ids=[r.route or "/" for r in SWEPT])
def test_every_route_refuses_a_user_without_a_role(
    route: Route, roleless_user: User, child: Person, shared_client: Client
) -> None:
    problems = []
    for url in _urls_for(route, child):
        for method in METHODS:
            shared_client.cookies.clear()
            shared_client.force_login(roleless_user)  # afresh: signing out ends the session
            problem = refusal_problem(shared_client, method, url)
            if problem:
                problems.append(problem)
    assert not problems, "\n".join(problems)


def test_the_sweep_finds_the_pages_the_api_and_the_admin() -> None:
    names = {r.name for r in ROUTES}
    assert {"web:home", "people:detail", "people:search", "admin:index"} <= names
    assert any(r.route.startswith("api/v1/") and r.name not in ALLOWED for r in ROUTES)
    assert any(isinstance(r.patterns[-1], RegexPattern) for r in ROUTES)


def test_every_allowed_route_still_exists() -> None:
    """A stale allow-list entry would hide nothing today but invites mistakes tomorrow."""
    names = {r.name for r in ROUTES}
    assert not ALLOWED - names, f"Allow-listed but gone: {sorted(ALLOWED - names)}"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_allowed_routes_answer_without_server_errors(
    name: str, method: str, roleless_user: User, shared_client: Client
) -> None:
    url = reverse(name)
    shared_client.cookies.clear()
    status = getattr(shared_client, method)(url).status_code
    assert status < 500, f"anonymous {method.upper()} {url} -> {status}"
    shared_client.force_login(roleless_user)
    status = getattr(shared_client, method)(url).status_code
    assert status < 500, f"no role {method.upper()} {url} -> {status}"


def test_sign_in_page_is_public_and_a_failed_sign_in_shows_errors(
    db: None, shared_client: Client
) -> None:
    shared_client.cookies.clear()
    url = reverse("accounts:sign-in")
    assert shared_client.get(url).status_code == 200
    response = shared_client.post(url, {"username": "nobody", "password": "wrong-password"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content


def test_health_check_and_openapi_document_are_public(db: None, shared_client: Client) -> None:
    shared_client.cookies.clear()
    assert shared_client.get(reverse("web:health")).json() == {"status": "ok"}
    document = shared_client.get(reverse("api:openapi-json")).json()
    assert document["info"]["title"] == "Continuum API"


def test_static_files_are_public_and_every_asset_a_page_links_to_exists(
    db: None, settings: Any
) -> None:
    """Served as the demo serves them (WhiteNoise from the static finders), to anyone."""
    settings.WHITENOISE_USE_FINDERS = True
    client = Client()  # a new handler, so WhiteNoise starts with the setting above
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assets = set(re.findall(r'(?:href|src)="(/assets/[^"]+)"', page))
    assert "/assets/govuk/govuk-frontend.min.css" in assets
    answers = {
        asset: client.get(asset).status_code
        for asset in sorted(assets | {"/assets/govuk/govuk-frontend.min.js"})
    }
    # Every asset that is missing, not just the first.
    assert {asset: status for asset, status in answers.items() if status != 200} == {}


def test_a_user_without_a_role_or_staff_status_cannot_reach_the_admin(
    roleless_user: User, shared_client: Client
) -> None:
    shared_client.cookies.clear()
    shared_client.force_login(roleless_user)
    response = shared_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("admin:login")
    landing = shared_client.get(response["Location"])
    assert b"not authorized" in landing.content


@pytest.mark.parametrize("name", ["web:health", "web:live", "web:ready", "accounts:sign-in"])
def test_the_sweep_notices_a_page_that_answers(db: None, shared_client: Client, name: str) -> None:
    """The sweep's own check, on pages known to answer anyone: it must call them open."""
    shared_client.cookies.clear()
    problem = refusal_problem(shared_client, "get", reverse(name))
    assert problem is not None
    assert problem.startswith("not refused")
