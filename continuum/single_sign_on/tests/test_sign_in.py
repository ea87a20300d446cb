"""Signing in with an organisation's OpenID Connect provider, against a real provider."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
import time_machine
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.accounts.second_factor import SECOND_FACTOR_SESSION_KEY
from continuum.single_sign_on.models import IdentityProvider, LinkedIdentity
from continuum.testing.identity_provider import at_provider, free_port, start

SignIn = Callable[..., Any]


def signed_in_user_id(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def security_messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "continuum.security"]


def test_the_sign_in_page_offers_each_enabled_provider_and_not_a_disabled_one(
    client: Client, stockton_provider: IdentityProvider, hartlepool_manager: User
) -> None:
    assert hartlepool_manager.organisation is not None
    IdentityProvider.objects.create(
        organisation=hartlepool_manager.organisation,
        name="Hartlepool staff account",
        issuer="https://login.hartlepool.example",
        client_id="continuum",
        client_secret_variable="CONTINUUM_SSO_SECRET_HARTLEPOOL",
        enabled=False,
    )
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assert "Sign in with Stockton-on-Tees Council account" in page
    assert "Hartlepool staff account" not in page


def test_the_sign_in_page_lets_its_buttons_lead_to_the_enabled_providers_only(
    client: Client, stockton_provider: IdentityProvider
) -> None:
    """Browsers apply the CSP's form-action to where a form's redirect goes."""
    policy = client.get(reverse("accounts:sign-in"))["Content-Security-Policy"]
    assert f"form-action 'self' {stockton_provider.issuer};" in policy
    stockton_provider.enabled = False
    stockton_provider.save()
    policy = client.get(reverse("accounts:sign-in"))["Content-Security-Policy"]
    assert "form-action 'self';" in policy


def test_a_disabled_provider_cannot_be_started(
    client: Client, stockton_provider: IdentityProvider
) -> None:
    stockton_provider.enabled = False
    stockton_provider.save()
    response = client.post(reverse("single_sign_on:start", args=[stockton_provider.pk]))
    assert response.status_code == 404


def test_the_flow_uses_pkce_state_and_nonce(
    client: Client, stockton_provider: IdentityProvider
) -> None:
    query = parse_qs(urlsplit(start(client, stockton_provider)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["response_type"] == ["code"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 20
    assert len(query["nonce"][0]) >= 20
    assert "openid" in query["scope"][0].split()


def test_a_user_is_matched_by_verified_email_linked_and_has_the_second_factor_done(
    client: Client,
    sign_in_with: SignIn,
    stockton_provider: IdentityProvider,
    worker: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("INFO", logger="continuum.security"):
        response = sign_in_with(stockton_provider, login="sub-0001", email=worker.email.upper())
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert signed_in_user_id(client) == worker.pk
    assert client.session[SECOND_FACTOR_SESSION_KEY] == "identity-provider"
    link = LinkedIdentity.objects.get(provider=stockton_provider)
    assert (link.user, link.subject) == (worker, "sub-0001")
    assert link.last_signed_in_at is not None
    assert any(f"{worker.username} signed in" in m for m in security_messages(caplog))
    assert client.get(reverse("web:home")).status_code == 200


def test_once_linked_the_subject_signs_in_whatever_email_the_provider_sends(
    client: Client, sign_in_with: SignIn, stockton_provider: IdentityProvider, worker: User
) -> None:
    LinkedIdentity.objects.create(provider=stockton_provider, subject="sub-0002", user=worker)
    response = sign_in_with(stockton_provider, login="sub-0002", email="", email_verified=False)
    assert response.status_code == 302
    assert signed_in_user_id(client) == worker.pk


def test_it_returns_to_the_page_asked_for(
    client: Client, sign_in_with: SignIn, stockton_provider: IdentityProvider, worker: User
) -> None:
    response = sign_in_with(
        stockton_provider, login="sub-0003", email=worker.email, next_url="/people/"
    )
    assert response["Location"] == "/people/"


def test_a_user_of_another_organisation_is_refused(
    client: Client,
    sign_in_with: SignIn,
    stockton_provider: IdentityProvider,
    hartlepool_manager: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("INFO", logger="continuum.security"):
        response = sign_in_with(stockton_provider, login="sub-0004", email=hartlepool_manager.email)
    assert response.status_code == 403
    assert "You have not been signed in" in response.content.decode()
    assert "There is no Continuum account for you at" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not LinkedIdentity.objects.exists()
    assert any("another organisation" in m for m in security_messages(caplog))


def test_a_linked_user_who_has_moved_organisation_is_refused(
    client: Client,
    sign_in_with: SignIn,
    stockton_provider: IdentityProvider,
    worker: User,
    hartlepool_manager: User,
) -> None:
    LinkedIdentity.objects.create(provider=stockton_provider, subject="sub-0005", user=worker)
    worker.organisation = hartlepool_manager.organisation
    worker.save()
    response = sign_in_with(stockton_provider, login="sub-0005", email=worker.email)
    assert response.status_code == 403
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize(
    ("email", "verified"),
    [("nobody@stockton.example", True), ("", True)],
    ids=["unknown email", "no email"],
)
def test_an_unknown_person_is_refused_and_no_user_is_made(
    client: Client,
    sign_in_with: SignIn,
    stockton_provider: IdentityProvider,
    email: str,
    verified: bool,
) -> None:
    users = User.objects.count()
    response = sign_in_with(
        stockton_provider, login="sub-0006", email=email, email_verified=verified
    )
    assert response.status_code == 403
    assert signed_in_user_id(client) is None
    assert User.objects.count() == users
    assert not LinkedIdentity.objects.exists()


def test_an_unverified_email_is_not_trusted(
    client: Client, sign_in_with: SignIn, stockton_provider: IdentityProvider, worker: User
) -> None:
    response = sign_in_with(
        stockton_provider, login="sub-0007", email=worker.email, email_verified=False
    )
    assert response.status_code == 403
    assert signed_in_user_id(client) is None


def test_a_tampered_state_is_refused_and_changes_nothing(
    client: Client,
    stockton_provider: IdentityProvider,
    worker: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    back = urlsplit(at_provider(start(client, stockton_provider), login="s8", email=worker.email))
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    query["state"] = query["state"][::-1]
    tampered = urlunsplit(("", "", back.path, urlencode(query), ""))
    with caplog.at_level("INFO", logger="continuum.security"):
        response = client.get(tampered)
    assert response.status_code == 403
    assert "start again" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not LinkedIdentity.objects.exists()
    assert any("state did not match" in m for m in security_messages(caplog))


def test_an_answer_naming_another_issuer_is_refused(
    client: Client, stockton_provider: IdentityProvider, worker: User
) -> None:
    """A mix-up attack: the answer must come from the provider the sign-in started with."""
    back = urlsplit(
        at_provider(
            start(client, stockton_provider),
            login="s15",
            email=worker.email,
            email_verified="true",
            amr="pwd,mfa",
        )
    )
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    assert query["iss"] == stockton_provider.issuer
    query["iss"] = "https://login.elsewhere.example"
    response = client.get(urlunsplit(("", "", back.path, urlencode(query), "")))
    assert response.status_code == 403
    assert signed_in_user_id(client) is None


def test_an_answer_cannot_be_replayed_or_used_in_another_browser(
    client: Client, stockton_provider: IdentityProvider, worker: User
) -> None:
    authorization_url = start(client, stockton_provider)
    session_before = client.cookies["sessionid"].value
    back = at_provider(
        authorization_url,
        login="s9",
        email=worker.email,
        email_verified="true",
        amr="pwd,mfa",
    )
    path = back.removeprefix("http://testserver")
    assert Client().get(path).status_code == 403  # not the browser that started it
    assert client.get(path).status_code == 302
    assert client.cookies["sessionid"].value != session_before  # signed in on a new key
    client.logout()
    assert client.get(path).status_code == 403  # used once already


def test_the_provider_saying_no_is_refused(
    client: Client, stockton_provider: IdentityProvider
) -> None:
    start(client, stockton_provider)
    response = client.get(reverse("single_sign_on:callback") + "?error=access_denied&state=x")
    assert response.status_code == 403
    assert "did not sign you in" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_a_sign_in_without_a_second_factor_is_refused_when_the_provider_must_show_one(
    client: Client, sign_in_with: SignIn, stockton_provider: IdentityProvider, worker: User
) -> None:
    response = sign_in_with(stockton_provider, login="s10", email=worker.email, amr="pwd")
    assert response.status_code == 403
    assert "did not confirm a second factor" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not LinkedIdentity.objects.exists()


def test_an_acr_value_the_provider_record_names_counts_as_multi_factor(
    client: Client, sign_in_with: SignIn, stockton_provider: IdentityProvider, worker: User
) -> None:
    stockton_provider.multi_factor_acr_values = "urn:continuum:test:multi-factor"
    stockton_provider.save()
    response = sign_in_with(
        stockton_provider,
        login="s11",
        email=worker.email,
        amr="",
        acr="urn:continuum:test:multi-factor",
    )
    assert response.status_code == 302
    assert client.session[SECOND_FACTOR_SESSION_KEY] == "identity-provider"


def test_without_the_requirement_a_password_only_sign_in_still_owes_a_second_factor(
    client: Client, sign_in_with: SignIn, stockton_provider: IdentityProvider, worker: User
) -> None:
    stockton_provider.require_multi_factor = False
    stockton_provider.save()
    response = sign_in_with(stockton_provider, login="s12", email=worker.email, amr="pwd")
    assert response.status_code == 302
    assert signed_in_user_id(client) == worker.pk
    assert SECOND_FACTOR_SESSION_KEY not in client.session


def test_a_wrong_client_secret_is_refused(
    client: Client,
    sign_in_with: SignIn,
    stockton_provider: IdentityProvider,
    worker: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    authorization_url = start(client, stockton_provider)
    back = at_provider(authorization_url, login="s13", email=worker.email)
    monkeypatch.setenv(stockton_provider.client_secret_variable, "not-the-secret")
    response = client.get(back.removeprefix("http://testserver"))
    assert response.status_code == 403
    assert signed_in_user_id(client) is None


def test_a_provider_whose_discovery_names_another_issuer_is_refused(
    client: Client, stockton_provider: IdentityProvider
) -> None:
    stockton_provider.issuer = stockton_provider.issuer.replace("127.0.0.1", "localhost")
    stockton_provider.save()
    response = client.post(reverse("single_sign_on:start", args=[stockton_provider.pk]))
    assert response.status_code == 403
    assert "start again" in response.content.decode()


def test_a_provider_that_is_down_gets_a_clear_page(
    client: Client, worker: User, caplog: pytest.LogCaptureFixture
) -> None:
    assert worker.organisation is not None
    provider = IdentityProvider.objects.create(
        organisation=worker.organisation,
        name="Stockton-on-Tees Council account",
        issuer=f"http://127.0.0.1:{free_port()}",
        client_id="continuum",
        client_secret_variable="CONTINUUM_SSO_SECRET_DOWN",
        enabled=True,
    )
    with caplog.at_level("INFO", logger="continuum.security"):
        response = client.post(reverse("single_sign_on:start", args=[provider.pk]))
    assert response.status_code == 502
    assert "did not answer" in response.content.decode()
    assert any("unavailable" in m for m in security_messages(caplog))


def test_a_callback_with_no_sign_in_started_is_refused(client: Client, db: None) -> None:
    response = client.get(reverse("single_sign_on:callback") + "?code=abc&state=def")
    assert response.status_code == 403
    assert "You have not been signed in" in response.content.decode()


def test_an_id_token_the_published_keys_do_not_verify_is_refused(
    client: Client,
    stockton_provider: IdentityProvider,
    worker: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    back = at_provider(
        start(client, stockton_provider),
        login="s14",
        email=worker.email,
        email_verified="true",
        amr="pwd,mfa",
    )
    with caplog.at_level("INFO", logger="continuum.security"):
        # The provider now publishes a key that did not sign the token it will issue.
        requests.post(f"{stockton_provider.issuer}/test/keys", data="foreign", timeout=5)
        try:
            response = client.get(back.removeprefix("http://testserver"))
        finally:
            requests.post(f"{stockton_provider.issuer}/test/keys", data="own", timeout=5)
    assert response.status_code == 403
    assert signed_in_user_id(client) is None
    assert not LinkedIdentity.objects.exists()
    assert any("ID token not valid" in m for m in security_messages(caplog))


def test_another_subject_with_a_linked_users_email_is_refused(
    client: Client, sign_in_with: SignIn, stockton_provider: IdentityProvider, worker: User
) -> None:
    """Once linked, the subject is the identity: an email moved to someone else at the
    provider does not bring them into this account."""
    LinkedIdentity.objects.create(provider=stockton_provider, subject="original", user=worker)
    response = sign_in_with(stockton_provider, login="newcomer", email=worker.email)
    assert response.status_code == 403
    assert signed_in_user_id(client) is None
    assert list(LinkedIdentity.objects.values_list("subject", flat=True)) == ["original"]


def test_an_expired_id_token_is_refused(
    client: Client,
    stockton_provider: IdentityProvider,
    worker: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The provider issues ID tokens for 30 seconds; Continuum allows 60 seconds of clock
    difference. Five minutes on, the token is refused (the sign-in itself is still young)."""
    back = at_provider(
        start(client, stockton_provider),
        login="s16",
        email=worker.email,
        email_verified="true",
        amr="pwd,mfa",
    )
    later = datetime.now(tz=UTC) + timedelta(minutes=5)
    with caplog.at_level("INFO", logger="continuum.security"), time_machine.travel(later):
        response = client.get(back.removeprefix("http://testserver"))
    assert response.status_code == 403
    assert signed_in_user_id(client) is None
    assert any("ID token not valid (expired_token)" in m for m in security_messages(caplog))
