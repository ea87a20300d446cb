"""Signing in, with throttling: after too many failures for one username, refuse for a while.

Failures are kept in the database (``FailedSignIn``) so every process sees them, and each
one is logged to the ``continuum.security`` logger. Passwords are never logged or stored.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from continuum.accounts.models import FailedSignIn, User

security_log = logging.getLogger("continuum.security")

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
# Failures older than this can no longer lock anyone out and are pruned.
KEEP_FAILURES_FOR = timedelta(days=1)


class SignInRefused(Exception):
    """Base for the reasons a sign-in attempt is refused."""


class WrongUsernameOrPassword(SignInRefused):
    pass


class TooManyAttempts(SignInRefused):
    def __init__(self, until: datetime) -> None:
        super().__init__(f"Too many failed attempts; refused until {until.isoformat()}")
        self.until = until


def throttle_key(username: str) -> str:
    """Attempts count against the username however it is capitalised or padded."""
    return username.strip().casefold()[:150]


def locked_until(*, username: str) -> datetime | None:
    """When sign-in for ``username`` is allowed again, or None if it is allowed now.

    A lockout starts at a failure that is the MAX_FAILURES-th within FAILURE_WINDOW and
    lasts LOCKOUT. Attempts refused during a lockout are not counted, so only the latest
    failure can have started one.
    """
    key = throttle_key(username)
    latest = (
        FailedSignIn.objects.filter(username=key).order_by("-at").values_list("at", flat=True)
    ).first()
    if latest is None or timezone.now() >= latest + LOCKOUT:
        return None
    failures = FailedSignIn.objects.filter(
        username=key, at__gt=latest - FAILURE_WINDOW, at__lte=latest
    ).count()
    return latest + LOCKOUT if failures >= MAX_FAILURES else None


@transaction.atomic
def record_failed_sign_in(*, username: str, request: HttpRequest | None = None) -> int:
    """Keep and log one failed attempt. Answers the failures in the current window."""
    now = timezone.now()
    key = throttle_key(username)
    FailedSignIn.objects.filter(at__lt=now - KEEP_FAILURES_FOR).delete()
    FailedSignIn.objects.create(username=key, at=now)
    failures = FailedSignIn.objects.filter(username=key, at__gt=now - FAILURE_WINDOW).count()
    security_log.warning(
        "Failed sign-in for username %r from %s (%d in the last %d minutes)",
        key,
        _client_address(request),
        failures,
        FAILURE_WINDOW.total_seconds() // 60,
    )
    if failures >= MAX_FAILURES:
        security_log.warning(
            "Sign-in for username %r locked for %d minutes after %d failures",
            key,
            LOCKOUT.total_seconds() // 60,
            failures,
        )
    return failures


def sign_in(*, request: HttpRequest | None, username: str, password: str) -> User:
    """The user these credentials belong to, unless sign-in for the username is throttled
    or the credentials are wrong (each failure is recorded and logged).

    Not one transaction: a failure must stay recorded although the attempt is refused.
    """
    until = locked_until(username=username)
    if until is not None:
        security_log.warning(
            "Sign-in refused for username %r from %s: locked until %s",
            throttle_key(username),
            _client_address(request),
            until.isoformat(),
        )
        raise TooManyAttempts(until)
    user = authenticate(request, username=username, password=password)
    if user is None:
        record_failed_sign_in(username=username, request=request)
        until = locked_until(username=username)
        if until is not None:
            raise TooManyAttempts(until)
        raise WrongUsernameOrPassword
    FailedSignIn.objects.filter(username=throttle_key(username)).delete()
    assert isinstance(user, User)
    return user


def _client_address(request: HttpRequest | None) -> str:
    if request is None:
        return "an unknown address"
    return str(request.META.get("REMOTE_ADDR") or "an unknown address")
