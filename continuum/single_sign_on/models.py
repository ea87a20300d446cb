"""Single sign-on: an organisation's OpenID Connect identity provider, and the accounts
linked to it.

The client secret is never stored: the record names the environment variable that holds
it (always ``CONTINUUM_SSO_SECRET_...``, so the name cannot point at another secret of the
deployment, which would then be sent to whatever issuer the record names).
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from continuum.organisations.models import Organisation

SECRET_VARIABLE_PREFIX = "CONTINUUM_SSO_SECRET_"  # noqa: S105 - a name, not a secret
secret_variable_name = RegexValidator(
    rf"^{SECRET_VARIABLE_PREFIX}[A-Z0-9_]+$",
    f"Enter the name of an environment variable that starts {SECRET_VARIABLE_PREFIX}, "
    "in capital letters, digits and underscores.",
)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_issuer(issuer: str) -> None:
    """An issuer is an https URL with no query or fragment (http only on this machine,
    for a provider run by the tests)."""
    parts = urlsplit(issuer)
    secure = parts.scheme == "https" or (
        parts.scheme == "http" and _is_loopback(parts.hostname or "")
    )
    if not secure or not parts.hostname or parts.query or parts.fragment:
        raise ValidationError(
            "Enter the issuer as the identity provider gives it, an address starting https://"
        )


class IdentityProvider(models.Model):
    """The OpenID Connect provider one organisation's staff sign in with."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="identity_provider"
    )
    name = models.CharField(
        max_length=100,
        help_text="What staff call it, shown on the sign-in button, for example "
        "'Hartlepool Borough Council account' or 'NHS Care Identity'.",
    )
    issuer = models.URLField(
        validators=[check_issuer],
        help_text="The provider's issuer identifier; its discovery document must be at "
        "<issuer>/.well-known/openid-configuration and name the same issuer.",
    )
    client_id = models.CharField("client ID", max_length=200)
    client_secret_variable = models.CharField(
        "environment variable holding the client secret",
        max_length=100,
        validators=[secret_variable_name],
        help_text=f"For example {SECRET_VARIABLE_PREFIX}HARTLEPOOL. The secret itself is "
        "never stored in the database.",
    )
    require_multi_factor = models.BooleanField(
        default=True,
        help_text="Refuse a sign-in unless the provider's ID token says a second factor was "
        "used (amr includes 'mfa', or acr is one of the values below). When off, a sign-in "
        "without that evidence must still pass Continuum's own second factor.",
    )
    multi_factor_acr_values = models.CharField(
        "acr values that mean multi-factor",
        max_length=300,
        blank=True,
        help_text="Space-separated 'acr' values this provider uses for a multi-factor "
        "sign-in, if it does not send amr.",
    )
    enabled = models.BooleanField(
        default=False, help_text="Offered on the sign-in page, and accepted, only when on."
    )

    class Meta:
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def client_secret(self) -> str:
        """The secret, read from the environment at the time of use ('' if unset)."""
        return os.environ.get(self.client_secret_variable, "")

    @property
    def origin(self) -> str:
        """Where the provider's sign-in pages are (its authorization endpoint must be there)."""
        parts = urlsplit(self.issuer)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    @property
    def acr_values(self) -> frozenset[str]:
        return frozenset(self.multi_factor_acr_values.split())


class LinkedIdentity(models.Model):
    """A user's account at an identity provider: the provider's subject identifier,
    stored the first time the user signs in with it and used from then on."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="linked_identities"
    )
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="linked_identities"
    )
    linked_at = models.DateTimeField(default=timezone.now)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "linked identities"
        ordering = ["provider", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="one_user_per_provider_subject"
            ),
            models.UniqueConstraint(
                fields=["provider", "user"], name="one_subject_per_provider_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.provider.name}"
