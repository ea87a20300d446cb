"""Signing in, throttled by account, by address and by the two together
(``continuum.accounts.throttle``): each attempt is counted atomically before its password is
checked, and refused unchecked once a limit is used up.

Every failure and every refusal is logged to the ``continuum.security`` logger. Passwords
are never logged or stored.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.contrib.auth import authenticate
from django.core import signing
from django.http import HttpRequest

from continuum.accounts import throttle
from continuum.accounts.models import User
from continuum.ui.client_address import client_address as address_of

security_log = logging.getLogger("continuum.security")


class SignInRefused(Exception):
    """Base for the reasons a sign-in attempt is refused."""


class WrongUsernameOrPassword(SignInRefused):
    pass


class TooManyAttempts(SignInRefused):
    def __init__(self, until: datetime, limit: throttle.Limit = throttle.PAIR) -> None:
        super().__init__(f"Too many failed attempts; refused until {until.isoformat()}")
        self.until = until
        self.limit = limit


def sign_in(
    *, request: HttpRequest | None, username: str, password: str, known_device: bool = False
) -> User:
    """The user these credentials belong to, unless an attempt from this address or for
    this username is throttled, or the credentials are wrong.

    ``known_device``: the browser has signed in to this account before (a signed cookie),
    so the account-wide limit, which anyone anywhere can use up, does not apply to it.
    """
    address = client_address(request)
    keys = throttle.keys_for(username=username, address=address, known_device=known_device)
    refused, charged_at = throttle.charge_attempt(keys)
    if refused is not None:
        security_log.warning(
            "Sign-in refused for username %r from %s: %s limit reached, refused until %s",
            throttle.username_key(username),
            address,
            refused.limit.kind,
            refused.until.isoformat(),
        )
        raise TooManyAttempts(refused.until, refused.limit)
    user = authenticate(request, username=username, password=password)
    if user is None:
        locks = throttle.settle_failure(keys)
        security_log.warning(
            "Failed sign-in for username %r from %s", throttle.username_key(username), address
        )
        for lock in locks:
            security_log.warning(
                "Sign-in for username %r from %s locked (%s limit) until %s",
                throttle.username_key(username),
                address,
                lock.limit.kind,
                lock.until.isoformat(),
            )
        if locks:
            latest = max(locks, key=lambda lock: lock.until)
            raise TooManyAttempts(latest.until, latest.limit)
        raise WrongUsernameOrPassword
    throttle.settle_success(keys, charged_at=charged_at)
    assert isinstance(user, User)
    security_log.info(
        "Password accepted for username %r from %s (second factor next)",
        throttle.username_key(username),
        address,
    )
    return user


KNOWN_DEVICE_COOKIE = "continuum_known_device"
KNOWN_DEVICE_MAX_AGE = 90 * 24 * 60 * 60
_KNOWN_DEVICE_SALT = "continuum.accounts.known-device"


def known_device_cookie(*, username: str, current: str | None) -> str:
    """The cookie value for a browser that has just signed in to ``username``: the signed
    list of accounts it has signed in to (the latest few)."""
    accounts = [a for a in known_device_accounts(current) if a != throttle.username_key(username)]
    return signing.dumps([*accounts[-4:], throttle.username_key(username)], salt=_KNOWN_DEVICE_SALT)


def known_device_accounts(cookie: str | None) -> list[str]:
    if not cookie:
        return []
    try:
        accounts = signing.loads(cookie, salt=_KNOWN_DEVICE_SALT, max_age=KNOWN_DEVICE_MAX_AGE)
    except signing.BadSignature:
        return []
    return [str(a) for a in accounts] if isinstance(accounts, list) else []


def client_address(request: HttpRequest | None) -> str:
    """The address an attempt came from, as everywhere (``ui.client_address``: the
    connection's, or the one the trusted proxies forwarded)."""
    return address_of(request)
