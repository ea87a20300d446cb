"""Signing in with an organisation's OpenID Connect provider.

The authorization code flow with PKCE (S256), state and nonce, done by Authlib's Django
client, one client per provider record. The ID token's signature is checked against the
provider's published keys (JWKS), and its issuer, audience, expiry and nonce checked too.
The account is an existing user of the provider's organisation: found by the provider's
subject identifier once linked, or the first time by the verified email address the
provider asserts. No user is ever created here.

Each success and each refusal is logged to ``continuum.security``; a refusal changes
nothing.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from joserfc.errors import JoseError

from continuum.accounts.models import User
from continuum.single_sign_on.models import IdentityProvider, LinkedIdentity
from continuum.ui.client_address import client_address

security_log = logging.getLogger("continuum.security")

IDENTITY_PROVIDER_FACTOR = "identity-provider"

# The sign-in in progress: which provider, when it started, where to go afterwards.
PENDING_KEY = "continuum.single_sign_on"
PENDING_SECONDS = 10 * 60
HTTP_TIMEOUT_SECONDS = 10
CLOCK_LEEWAY_SECONDS = 60
SCOPE = "openid email"
# RFC 8176: "mfa" = more than one authentication factor was used.
MULTI_FACTOR_AMR = "mfa"

UNAVAILABLE = (
    "{provider} did not answer. Try again in a few minutes, or sign in with your "
    "Continuum password."
)
START_AGAIN = "Your sign-in could not be checked. Go back to the sign-in page and start again."
NO_ACCOUNT = (
    "There is no Continuum account for you at {organisation}. Ask your organisation's "
    "system administrator to set one up."
)


class SignInRefused(Exception):  # noqa: N818 - a refusal, named as practitioners see it
    """A single sign-on that must not sign anyone in. ``reason`` is for the security log,
    ``message`` for the person signing in."""

    def __init__(self, reason: str, message: str, *, status: int = 403) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.status = status


@dataclass(frozen=True)
class SignedIn:
    user: User
    provider: IdentityProvider
    multi_factor: bool
    next_url: str


def enabled_providers() -> QuerySet[IdentityProvider]:
    return IdentityProvider.objects.filter(enabled=True).select_related("organisation")


def _address(request: HttpRequest) -> str:
    return client_address(request)


def _refuse(
    request: HttpRequest,
    provider: IdentityProvider | None,
    reason: str,
    message: str,
    *,
    status: int = 403,
) -> SignInRefused:
    security_log.warning(
        "Single sign-on refused from %s through %s: %s",
        _address(request),
        provider.name if provider else "no provider",
        reason,
    )
    return SignInRefused(reason, message, status=status)


def _client(provider: IdentityProvider) -> DjangoOAuth2App:
    return DjangoOAuth2App(
        DjangoIntegration(f"continuum-sso-{provider.pk}"),
        name=f"continuum-sso-{provider.pk}",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.discovery_url,
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_basic",
            "default_timeout": HTTP_TIMEOUT_SECONDS,
        },
    )


def _load_metadata(request: HttpRequest, provider: IdentityProvider, client: Any) -> dict[str, Any]:
    """Fetch the discovery document; it must name the issuer the record names."""
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise _refuse(
            request,
            provider,
            f"discovery document unavailable ({type(error).__name__})",
            UNAVAILABLE.format(provider=provider.name),
            status=502,
        ) from error
    if metadata.get("issuer") != provider.issuer:
        raise _refuse(
            request,
            provider,
            f"discovery document names issuer {metadata.get('issuer')!r}, not {provider.issuer!r}",
            START_AGAIN,
        )
    return dict(metadata)


def _check_response_issuer(
    request: HttpRequest, provider: IdentityProvider, metadata: dict[str, Any]
) -> None:
    """RFC 9207 against mix-up: the answer names the issuer the flow was started with
    (required when the provider says it sends it)."""
    sent = request.GET.get("iss")
    if sent is None and not metadata.get("authorization_response_iss_parameter_supported"):
        return
    if sent != provider.issuer:
        raise _refuse(request, provider, f"answer names issuer {str(sent)[:200]!r}", START_AGAIN)


def begin_sign_in(
    *, request: HttpRequest, provider: IdentityProvider, redirect_uri: str, next_url: str
) -> str:
    """Start the flow: keep state, nonce and PKCE verifier in the session and answer the
    provider's authorization URL to send the browser to."""
    if not provider.enabled:
        raise _refuse(request, provider, "provider disabled", START_AGAIN)
    client = _client(provider)
    metadata = _load_metadata(request, provider, client)
    endpoint = urlsplit(str(metadata.get("authorization_endpoint", "")))
    if f"{endpoint.scheme}://{endpoint.netloc}" != provider.origin:
        # The sign-in page lets its forms lead only to the issuer's origin.
        raise _refuse(
            request,
            provider,
            f"authorization endpoint {endpoint.geturl()[:200]!r} is not at {provider.origin}",
            UNAVAILABLE.format(provider=provider.name),
            status=502,
        )
    authorization = client.create_authorization_url(redirect_uri)
    client.save_authorize_data(request, redirect_uri=redirect_uri, **authorization)
    request.session[PENDING_KEY] = {
        "provider": provider.pk,
        "started": time.time(),
        "next": next_url,
    }
    return str(authorization["url"])


def _pending_provider(request: HttpRequest) -> tuple[IdentityProvider, str]:
    pending = request.session.pop(PENDING_KEY, None)
    if not isinstance(pending, dict):
        raise _refuse(request, None, "no sign-in in progress in this session", START_AGAIN)
    provider = enabled_providers().filter(pk=int(pending.get("provider") or 0)).first()
    if provider is None:
        raise _refuse(request, None, "provider gone or disabled since the start", START_AGAIN)
    if time.time() - float(pending.get("started", 0)) > PENDING_SECONDS:
        raise _refuse(request, provider, "sign-in started too long ago", START_AGAIN)
    return provider, str(pending.get("next") or "")


def _id_token_claims(
    request: HttpRequest, provider: IdentityProvider, client: Any
) -> dict[str, Any]:
    """Exchange the code (state checked first) and check the ID token."""
    options = {
        "iss": {"essential": True, "value": provider.issuer},
        "aud": {"essential": True, "value": provider.client_id},
    }
    try:
        token = client.authorize_access_token(
            request, claims_options=options, leeway=CLOCK_LEEWAY_SECONDS
        )
    except MismatchingStateError as error:
        raise _refuse(request, provider, "state did not match", START_AGAIN) from error
    except OAuthError as error:
        raise _refuse(
            request, provider, f"provider answered {error.error!r}", START_AGAIN
        ) from error
    except requests.RequestException as error:
        raise _refuse(
            request,
            provider,
            f"token endpoint unavailable ({type(error).__name__})",
            UNAVAILABLE.format(provider=provider.name),
            status=502,
        ) from error
    except JoseError as error:
        raise _refuse(
            request, provider, f"ID token not valid ({error.error})", START_AGAIN
        ) from error
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise _refuse(request, provider, "no ID token", START_AGAIN)
    return dict(claims)


def _match_user(
    request: HttpRequest, provider: IdentityProvider, claims: dict[str, Any]
) -> tuple[User, LinkedIdentity | None]:
    """The existing user this subject is, in the provider's organisation."""
    subject = str(claims["sub"])
    organisation = provider.organisation
    no_account = NO_ACCOUNT.format(organisation=organisation)
    link = (
        LinkedIdentity.objects.select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    if link is not None:
        user = link.user
    else:
        email = claims.get("email")
        if not isinstance(email, str) or not email or claims.get("email_verified") is not True:
            raise _refuse(
                request, provider, f"subject {subject!r} not linked, no verified email", no_account
            )
        candidates = list(User.objects.filter(email__iexact=email, organisation=organisation)[:2])
        if len(candidates) != 1:
            elsewhere = User.objects.filter(email__iexact=email).exclude(organisation=organisation)
            raise _refuse(
                request,
                provider,
                f"subject {subject!r}: "
                + (
                    f"{len(candidates)} users of {organisation} have its email"
                    if candidates or not elsewhere.exists()
                    else f"its email belongs to a user of another organisation, not {organisation}"
                ),
                no_account,
            )
        user = candidates[0]
        if LinkedIdentity.objects.filter(provider=provider, user=user).exists():
            raise _refuse(
                request,
                provider,
                f"subject {subject!r}: {user.username} is already linked to another subject",
                no_account,
            )
    if user.organisation_id != provider.organisation_id:
        raise _refuse(
            request,
            provider,
            f"subject {subject!r} is {user.username}, who is not at {organisation}",
            no_account,
        )
    if not user.is_active:
        raise _refuse(request, provider, f"{user.username} is not active", no_account)
    return user, link


def shows_multi_factor(provider: IdentityProvider, claims: dict[str, Any]) -> bool:
    """Whether the ID token says the person used a second factor at the provider."""
    amr = claims.get("amr")
    if isinstance(amr, list) and MULTI_FACTOR_AMR in amr:
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr in provider.acr_values


def _link(
    request: HttpRequest, provider: IdentityProvider, subject: str, user: User, now: datetime
) -> LinkedIdentity:
    """Link the subject to the user, unless a sign-in at the same moment linked either."""
    try:
        with transaction.atomic():
            link = LinkedIdentity.objects.create(
                provider=provider, subject=subject, user=user, linked_at=now
            )
    except IntegrityError as error:
        reason = f"subject {subject!r}: linked by another sign-in meanwhile"
        raise _refuse(request, provider, reason, START_AGAIN) from error
    security_log.info(
        "Single sign-on linked %s to subject %r at %s", user.username, subject, provider.name
    )
    return link


def finish_sign_in(*, request: HttpRequest) -> SignedIn:
    """Check the provider's answer and find the user it signs in. Raises SignInRefused
    (logged) for anything amiss: then nothing has changed."""
    provider, next_url = _pending_provider(request)
    if "error" in request.GET:
        # The person cancelled, or the provider refused them: say so plainly.
        _client(provider).framework.clear_state_data(request.session, request.GET.get("state"))
        raise _refuse(
            request,
            provider,
            f"provider answered {request.GET.get('error', '')[:100]!r}",
            f"{provider.name} did not sign you in. Go back to the sign-in page to try again.",
        )
    client = _client(provider)
    metadata = _load_metadata(request, provider, client)
    _check_response_issuer(request, provider, metadata)
    claims = _id_token_claims(request, provider, client)
    user, link = _match_user(request, provider, claims)
    multi_factor = shows_multi_factor(provider, claims)
    if provider.require_multi_factor and not multi_factor:
        raise _refuse(
            request,
            provider,
            f"{user.username}: ID token shows no second factor "
            f"(amr {claims.get('amr')!r}, acr {claims.get('acr')!r})",
            f"{provider.name} did not confirm a second factor, such as a code or a security "
            "key. Sign in again and use it when asked.",
        )
    now = timezone.now()
    if link is None:
        link = _link(request, provider, str(claims["sub"]), user, now)
    LinkedIdentity.objects.filter(pk=link.pk).update(last_signed_in_at=now)
    security_log.info(
        "Single sign-on: %s signed in from %s through %s (second factor %s)",
        user.username,
        _address(request),
        provider.name,
        "confirmed by the provider" if multi_factor else "still to do in Continuum",
    )
    return SignedIn(user=user, provider=provider, multi_factor=multi_factor, next_url=next_url)
