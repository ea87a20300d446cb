"""Test helpers for the second factor: a code from a test user's authenticator app."""

from __future__ import annotations

from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from continuum.accounts.models import User
from continuum.accounts.second_factor import SECOND_FACTOR_SESSION_KEY

# A fixed authenticator-app secret for test users (hex, as django-otp keeps it).
TEST_PASSWORD = "a-long-test-password"  # noqa: S105  (the factories' password)
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def authenticator_app(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app with the test secret (made if need be), ready
    for a new code (its last used time step forgotten)."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Test authenticator app", defaults={"key": TEST_TOTP_KEY}
    )
    device.confirmed, device.last_t, device.throttling_failure_count = True, -1, 0
    device.save()
    return device


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def pass_second_factor(client: Any) -> None:
    """Mark a test client's session (signed in through the form) as having passed its
    second factor, as ``force_login`` does: for tests about something else."""
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = "test-client"
    session.save()


def sign_in_with_code(client: Any, user: User, password: str = TEST_PASSWORD, **extra: str) -> Any:
    """Sign in as a person does: the password, then a code from their authenticator app.
    Answers the response to the code (a redirect to where they were going)."""
    from django.urls import reverse

    device = authenticator_app(user)
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": user.username, "password": password, **extra},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"].startswith(reverse("accounts:second-factor"))
    return client.post(response["Location"], {"code": current_code(device)})
