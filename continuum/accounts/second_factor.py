"""The second factor every account needs: authenticator-app codes (TOTP), security keys or
passkeys (WebAuthn) and single-use recovery codes, on django-otp and django-otp-webauthn
(decision 0005).

A session has passed its second factor when ``request.session[SECOND_FACTOR_SESSION_KEY]``
holds the method that passed it: ``"totp"``, ``"webauthn"``, ``"recovery-code"`` here, or
``"identity-provider"`` after a single sign-on whose identity provider did it. Until then a
signed-in user reaches only the second-factor pages and signing out
(``middleware.SecondFactorMiddleware``).

A second factor is reset only when one administrator asks and another approves
(``SecondFactorReset``); nobody approves their own request or a reset of themselves.
"""

from __future__ import annotations

import logging
from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from continuum.accounts import recovery_codes
from continuum.accounts.models import (
    RecoveryCode,
    RecoveryCodes,
    Role,
    SecondFactorReset,
    User,
)
from continuum.accounts.sessions import end_every_session
from continuum.errors import InvalidState, NotPermitted

security_log = logging.getLogger("continuum.security")

# The contract with single sign-on: a present, non-empty value means "second factor done".
SECOND_FACTOR_SESSION_KEY = "continuum.second_factor"
# Set when the second factor has just passed: the response makes the browser a "known
# device" for the account (``middleware.SecondFactorMiddleware``); never after the password
# alone.
REMEMBER_DEVICE_SESSION_KEY = "continuum.remember_device"


class Method:
    TOTP = "totp"
    WEBAUTHN = "webauthn"
    RECOVERY_CODE = "recovery-code"
    IDENTITY_PROVIDER = "identity-provider"


AUTHENTICATOR_APP = "Authenticator app"
RECOVERY_CODES = "Recovery codes"
RECOVERY_CODE_COUNT = 10
# The demo's published authenticator-app secret and recovery codes (demo mode only).
DEMO_AUTHENTICATOR_APP = "Demo authenticator app"
DEMO_RECOVERY_CODES = "Demo recovery codes"
DEMO_RECOVERY_CODE_COUNT = 3


# --- the session ------------------------------------------------------------------------------


def is_done(request: HttpRequest) -> bool:
    return bool(getattr(request, "session", {}).get(SECOND_FACTOR_SESSION_KEY))


def mark_done(request: HttpRequest, method: str, device: Any = None) -> None:
    """The session has passed its second factor: a new session key (the old one, known
    before the second factor, no longer works) and the method remembered."""
    request.session.cycle_key()
    request.session[SECOND_FACTOR_SESSION_KEY] = method
    request.session[REMEMBER_DEVICE_SESSION_KEY] = True
    if device is not None:
        otp_login(request, device)  # django-otp's own flag (request.user.is_verified())
    security_log.info("Second factor passed by %r with %s", request.user.get_username(), method)


# --- what a user has --------------------------------------------------------------------------


def authenticator_apps(user: User) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id"))


def security_keys(user: User) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("id"))


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


def has_second_factor(user: User) -> bool:
    """Enrolled: an authenticator app or a security key (recovery codes only back them up)."""
    return bool(authenticator_apps(user) or security_keys(user))


def may_enrol(request: HttpRequest) -> bool:
    """Adding a second factor needs the second factor already passed, unless the user has
    none yet (enrolment at first sign-in): a password alone never adds one to an account
    that has one."""
    return is_done(request) or not has_second_factor(request.user)  # type: ignore[arg-type]


# --- authenticator apps -----------------------------------------------------------------------


def start_authenticator_app(user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator-app secret (replacing one not yet confirmed)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_APP, confirmed=False)


def unconfirmed_authenticator_app(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no script, no style attribute)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2))


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32 groups of four, as apps ask for it when it is typed."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_authenticator_app(*, user: User, code: str) -> TOTPDevice:
    """Confirm the app being set up with a code from it; refuses a wrong code."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-id")
            .first()
        )
        if device is None:
            raise InvalidState("Start setting up your authenticator app again.")
        if not device.verify_token(_digits(code)):
            raise ValidationError({"code": "Enter the 6-digit code your app shows now"})
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    security_log.info("Authenticator app added for %r", user.get_username())
    return device


# --- codes at sign-in -------------------------------------------------------------------------


def verify_code(*, user: User, code: str) -> tuple[str, Any] | None:
    """The method and device a code passes with: an authenticator app's code, or an unused
    recovery code (used up by this). Each device is locked while it checks, so one code
    cannot be used twice at once; django-otp slows repeated failures per device."""
    cleaned = recovery_codes.normalise(code)
    if not cleaned:
        return None
    with transaction.atomic():
        apps = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        statics = RecoveryCodes.objects.select_for_update().filter(user=user, confirmed=True)
        if not settings.CONTINUUM_DEMO:  # the demo's published ones never work outside it
            apps = apps.exclude(name=DEMO_AUTHENTICATOR_APP)
            statics = statics.exclude(name=DEMO_RECOVERY_CODES)
        if cleaned.isdigit():
            for device in apps:
                if device.verify_token(cleaned):
                    return Method.TOTP, device
        for static in statics if recovery_codes.could_be(cleaned) else []:
            if static.verify_token(cleaned):
                security_log.info("Recovery code used by %r", user.get_username())
                return Method.RECOVERY_CODE, static
    security_log.warning("Wrong second-factor code for %r", user.get_username())
    return None


def new_recovery_codes(user: User) -> list[str]:
    """Ten new single-use recovery codes, replacing any left; shown
    once, kept only as salted hashes (``accounts.recovery_codes``)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()  # any kept in clear before
        RecoveryCodes.objects.filter(user=user).delete()
        codes = _keep_hashed(user, RECOVERY_CODES, RECOVERY_CODE_COUNT)
    security_log.info("New recovery codes made for %r", user.get_username())
    return codes


def give_demo_second_factor(user: User, *, secret_hex: str) -> list[str]:
    """Demo mode only: the demo authenticator app (the published secret) and new demo
    recovery codes for a demo account. Answers the recovery codes."""
    if not settings.CONTINUUM_DEMO or not user.is_demo_account:
        raise NotPermitted("Demo second factors exist only for demo accounts in demo mode.")
    with transaction.atomic():
        TOTPDevice.objects.update_or_create(
            user=user,
            name=DEMO_AUTHENTICATOR_APP,
            defaults={"key": secret_hex, "confirmed": True},
        )
        RecoveryCodes.objects.filter(user=user, name=DEMO_RECOVERY_CODES).delete()
        codes = _keep_hashed(user, DEMO_RECOVERY_CODES, DEMO_RECOVERY_CODE_COUNT)
    return codes


def _keep_hashed(user: User, name: str, count: int) -> list[str]:
    """New codes on a new device, kept as hashes; answers the codes (to show once)."""
    device = RecoveryCodes.objects.create(user=user, name=name, confirmed=True)
    codes = [recovery_codes.new_code() for _ in range(count)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=recovery_codes.digest(c)) for c in codes
    )
    return codes


def remove_device(*, user: User, kind: str, device_id: int) -> None:
    """Remove one of the user's own authenticator apps or security keys; the last one
    cannot go (every account needs a second factor)."""
    model = {"app": TOTPDevice, "key": WebAuthnCredential}.get(kind)
    if model is None:
        raise ValidationError({"device": "Choose a second factor to remove"})
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, pk=device_id).first()
        if device is None:
            raise ValidationError({"device": "Choose a second factor to remove"})
        if len(authenticator_apps(user)) + len(security_keys(user)) <= 1:
            raise InvalidState("You cannot remove your only second factor. Add another one first.")
        device.delete()
    security_log.info("A second factor (%s) removed by %r", kind, user.get_username())


def _digits(code: str) -> str:
    return code.strip().replace(" ", "").replace("-", "")


# --- resets: asked by one administrator, approved by another ----------------------------------


def is_reset_administrator(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.SYSTEM_ADMINISTRATOR
    )


def request_reset(*, requested_by: User, user: User, reason: str) -> SecondFactorReset:
    if not is_reset_administrator(requested_by):
        raise NotPermitted("Only a system administrator can ask for a second-factor reset.")
    if requested_by.pk == user.pk:
        raise ValidationError({"user": "Ask another administrator to reset your own second factor"})
    reason = reason.strip()
    if len(reason.split()) < 3:
        raise ValidationError({"reason": "Say why, in a sentence (for example, phone lost)"})
    with transaction.atomic():
        if SecondFactorReset.objects.filter(user=user, decided_at__isnull=True).exists():
            raise InvalidState(f"A reset for {user.get_username()} is already waiting.")
        reset = SecondFactorReset.objects.create(
            user=user, requested_by=requested_by, reason=reason
        )
    security_log.warning(
        "Second-factor reset for %r asked by %r",
        user.get_username(),
        requested_by.get_username(),
    )
    return reset


def decide_reset(*, reset_id: int, decided_by: User, approve: bool) -> SecondFactorReset:
    """Approve (every second factor of the user removed, every session of theirs ended) or
    refuse a waiting reset. The approver is another administrator than the one who asked,
    and not the user."""
    if not is_reset_administrator(decided_by):
        raise NotPermitted("Only a system administrator can approve a second-factor reset.")
    with transaction.atomic():
        reset = SecondFactorReset.objects.select_for_update().filter(pk=reset_id).first()
        if reset is None:
            raise InvalidState("There is no such reset waiting.")
        if reset.decided_at is not None:
            raise InvalidState("This reset has already been decided.")
        if decided_by.pk in (reset.requested_by_id, reset.user_id):
            raise NotPermitted(
                "Another administrator must approve this: not the one who asked for it, "
                "and not the person whose second factor it is."
            )
        reset.decided_by = decided_by
        reset.decided_at = timezone.now()
        reset.approved = approve
        reset.save(update_fields=["decided_by", "decided_at", "approved"])
        if approve:
            TOTPDevice.objects.filter(user_id=reset.user_id).delete()
            StaticDevice.objects.filter(user_id=reset.user_id).delete()
            RecoveryCodes.objects.filter(user_id=reset.user_id).delete()
            WebAuthnCredential.objects.filter(user_id=reset.user_id).delete()
            # Whoever holds one of their sessions (a lost phone) is signed out too.
            end_every_session(reset.user, why="second factor reset")
    security_log.warning(
        "Second-factor reset for %r %s by %r",
        reset.user.get_username(),
        "approved" if approve else "refused",
        decided_by.get_username(),
    )
    return reset
