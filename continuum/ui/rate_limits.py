"""The API's rate limits: per signed-in user and per address, both on every endpoint.

django-ninja's throttling runs them after authentication and answers a refusal with 429
and a ``Retry-After`` header (whole seconds); ``ui.api`` adds the message. The counts are
fixed windows kept in the project's cache (``CACHES``: Redis in production, so every
process shares them; memory in the demo and the tests), one atomic ``incr`` per request.
The rates are settings (``CONTINUUM_API_RATE_PER_USER``, ``CONTINUUM_API_RATE_PER_ADDRESS``,
e.g. ``"300/min"``), read at each request. An address is ``ui.client_address``'s, as
everywhere else: the connection's own unless ``TRUSTED_PROXIES`` (``NINJA_NUM_PROXIES``)
names how many proxies in front of the service add ``X-Forwarded-For``; a client's own
header is never trusted otherwise. See decision 0011.
"""

from __future__ import annotations

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from continuum.ui.client_address import client_address

PERIODS = {"s": 1, "sec": 1, "min": 60, "m": 60, "hour": 3600, "h": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"300/min"`` -> (300 requests, in 60 seconds)."""
    count, _, period = rate.partition("/")
    if period not in PERIODS or not count.isdigit() or int(count) < 1:
        raise ValueError(f"A rate is a number of requests per s, min, hour or day, not {rate!r}.")
    return int(count), PERIODS[period]


class RateLimit(BaseThrottle):
    """A fixed-window limit on requests by one ``key`` (a user, an address)."""

    scope = ""
    setting = ""

    def __init__(self) -> None:
        self._refused = threading.local()

    def key(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        self._refused.wait = None
        key = self.key(request)
        if key is None:
            return True
        limit, period = parse_rate(getattr(settings, self.setting))
        now = time.time()
        window = int(now // period)
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        counter = f"api-rate:{self.scope}:{period}:{window}:{digest}"
        cache.add(counter, 0, timeout=period + 1)
        try:
            count = cache.incr(counter)
        except ValueError:  # the window's counter expired between add and incr
            cache.set(counter, 1, timeout=period + 1)
            count = 1
        if count <= limit:
            return True
        self._refused.wait = (window + 1) * period - now
        return False

    def wait(self) -> float | None:
        return getattr(self._refused, "wait", None)


class PerUser(RateLimit):
    scope = "user"
    setting = "CONTINUUM_API_RATE_PER_USER"

    def key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        return str(user.pk) if user is not None and user.is_authenticated else None


class PerAddress(RateLimit):
    scope = "address"
    setting = "CONTINUUM_API_RATE_PER_ADDRESS"

    def key(self, request: HttpRequest) -> str | None:
        return client_address(request)
