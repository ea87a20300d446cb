"""The real OpenID provider these tests sign in at (continuum/testing/identity_provider.py)."""

from continuum.testing.identity_provider import (  # noqa: F401 - fixtures
    client_secret,
    provider_issuer,
    sign_in_with,
    stockton_provider,
)
