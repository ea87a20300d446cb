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
from django.http import HttpRequest, HttpResponse

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
