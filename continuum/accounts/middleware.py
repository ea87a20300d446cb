"""Session timeouts: a session unused for SESSION_IDLE_SECONDS, or older than
SESSION_COOKIE_AGE (the absolute limit), is ended on its next request.

Saving the session on every request would otherwise keep extending Django's own expiry,
so the absolute limit is counted here, from sign-in (``start_session_clock``) or, for a
session signed in some other way, from its first request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve, reverse

from continuum.accounts import second_factor, services

LAST_SEEN_KEY = "continuum_last_seen"
SIGNED_IN_AT_KEY = "continuum_signed_in_at"
# Why the last session ended, for the sign-in page to say so.
SIGNED_OUT_REASON_KEY = "continuum_signed_out_reason"


def start_session_clock(request: HttpRequest) -> None:
    """Start the idle and absolute clocks; called as a user signs in."""
    now = int(time.time())
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[LAST_SEEN_KEY] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            last_seen = int(session.get(LAST_SEEN_KEY, now))
            signed_in_at = int(session.get(SIGNED_IN_AT_KEY, now))
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                reason = "idle"
            elif now - signed_in_at > settings.SESSION_COOKIE_AGE:
                reason = "absolute"
            else:
                reason = ""
            if reason:
                logout(request)
                request.session[SIGNED_OUT_REASON_KEY] = reason
            else:
                session[LAST_SEEN_KEY] = now
                session.setdefault(SIGNED_IN_AT_KEY, now)
        return self.get_response(request)


# What a signed-in user who has not passed the second factor may still reach.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "accounts:sign-in",
        "accounts:sign-out",
        "accounts:second-factor",
        "accounts:set-up-authenticator-app",
        "accounts:set-up-security-key",
        "web:health",
    }
)
OPEN_NAMESPACES = frozenset({"otp_webauthn"})  # the security-key ceremonies (JSON)


class SecondFactorMiddleware:
    """Until the session has passed its second factor, a signed-in user reaches only the
    second-factor pages and signing out: pages send them there, the API answers 401."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not second_factor.is_done(request)
            and not self._open(request)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Finish signing in: enter your second factor first."},
                    status=401,
                )
            return redirect_to_login(request.get_full_path(), reverse("accounts:second-factor"))
        response = self.get_response(request)
        self._remember_device(request, response)
        return response

    @staticmethod
    def _remember_device(request: HttpRequest, response: HttpResponse) -> None:
        """The second factor has just passed (``second_factor.mark_done``): the browser
        becomes a "known device" for this account, exempt from the account-wide sign-in
        limit (``accounts.throttle``). Never on the password alone."""
        session = getattr(request, "session", None)
        if session is None or not session.pop(second_factor.REMEMBER_DEVICE_SESSION_KEY, False):
            return
        if not (request.user.is_authenticated and second_factor.is_done(request)):
            return
        response.set_cookie(
            services.KNOWN_DEVICE_COOKIE,
            services.known_device_cookie(
                username=request.user.get_username(),
                current=request.COOKIES.get(services.KNOWN_DEVICE_COOKIE),
            ),
            max_age=services.KNOWN_DEVICE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        if request.path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in OPEN_BEFORE_SECOND_FACTOR or bool(
            set(match.namespaces) & OPEN_NAMESPACES
        )
