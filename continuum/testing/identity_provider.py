"""A real OpenID Connect provider for the tests: panva's oidc-provider (node), run as a
separate process from continuum/single_sign_on/tests/provider/provider.mjs, reached over
real HTTP by Django (discovery, keys, token endpoint) and by the test's own browser
(``requests``) for the sign-in. Its fixtures are imported by the conftest of the tests that
use them (single sign-on's, and the permission matrix's sign-in rows)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.single_sign_on.models import IdentityProvider

SCRIPT = Path(__file__).parent.parent / "single_sign_on" / "tests" / "provider" / "provider.mjs"
CLIENT_ID = "continuum-tests"
CLIENT_SECRET = "a-secret-for-the-test-provider-only"  # noqa: S105 - the test provider's only
SECRET_VARIABLE = "CONTINUUM_SSO_SECRET_TESTS"  # noqa: S105 - a name
CALLBACK = "http://testserver/accounts/single-sign-on/callback"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_provider(redirect_uri: str = CALLBACK) -> Iterator[str]:
    """Run the provider for a client whose callback is ``redirect_uri``; yield its issuer.
    Skips the test only where node is missing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: these tests run a real OpenID provider on it")
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": redirect_uri,
    }
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(  # noqa: S603 - our own script, run by node
            [node, str(SCRIPT)], env=env, stdout=log, stderr=subprocess.STDOUT, text=True
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
                    break
                except requests.ConnectionError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        pytest.fail(f"The test OpenID provider did not start:\n{log.read()}")
                    time.sleep(0.1)
            yield issuer
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def provider_issuer() -> Iterator[str]:
    """The issuer of a running oidc-provider for the Django test client's callback."""
    with running_provider() as issuer:
        yield issuer


@pytest.fixture
def client_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_VARIABLE, CLIENT_SECRET)


@pytest.fixture
def stockton_provider(provider_issuer: str, worker: User, client_secret: None) -> IdentityProvider:
    """Stockton-on-Tees council's identity provider, switched on."""
    assert worker.organisation is not None
    return IdentityProvider.objects.create(
        organisation=worker.organisation,
        name="Stockton-on-Tees Council account",
        issuer=provider_issuer,
        client_id=CLIENT_ID,
        client_secret_variable=SECRET_VARIABLE,
        enabled=True,
    )


def start(client: Client, provider: IdentityProvider, next_url: str = "") -> str:
    """Press the sign-in page's button: answers the provider's authorization URL."""
    data = {"next": next_url} if next_url else {}
    response = client.post(reverse("single_sign_on:start", args=[provider.pk]), data)
    assert response.status_code == 302, response.content.decode()
    return str(response["Location"])


def at_provider(authorization_url: str, **answers: str) -> str:
    """Sign in at the provider as a browser would (its cookies, its form, its redirects)
    and answer the URL it sends the browser back to Continuum with."""
    browser = requests.Session()
    response = browser.get(authorization_url, allow_redirects=True, timeout=10)
    assert response.status_code == 200, response.text
    action = re.search(r'<form method="post" action="([^"]+)"', response.text)
    assert action is not None, response.text
    url = urljoin(response.url, action.group(1))
    response = browser.post(url, data=answers, allow_redirects=False, timeout=10)
    for _ in range(10):
        assert response.status_code in {302, 303}, response.text
        url = urljoin(url, response.headers["Location"])
        if url.startswith("http://testserver/"):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
    raise AssertionError("The provider never sent the browser back to Continuum")


@pytest.fixture
def sign_in_with(client: Client) -> Callable[..., Any]:
    """sign_in_with(provider, login=..., email=..., ...) -> Continuum's answer to the
    provider's redirect back. By default the provider asserts a verified email and a
    sign-in with a password and a second factor."""

    def sign_in(
        provider: IdentityProvider,
        *,
        login: str,
        email: str = "",
        email_verified: bool = True,
        amr: str = "pwd,mfa",
        acr: str = "",
        next_url: str = "",
    ) -> Any:
        back = at_provider(
            start(client, provider, next_url),
            login=login,
            email=email,
            email_verified="true" if email_verified else "false",
            amr=amr,
            acr=acr,
        )
        return client.get(back.removeprefix("http://testserver"))

    return sign_in
