"""The address a request came from, the same for every use: the sign-in throttle, the admin
site's address allow-list, the security log and the API's rate limits.

With no trusted proxy (``TRUSTED_PROXIES``, the setting ``NINJA_NUM_PROXIES``, 0 by default)
it is the connection's own address (``REMOTE_ADDR``) and a client's ``X-Forwarded-For`` is
never read: a client cannot choose its address. With n proxies in front of the service, each
appending the address it saw, it is the n-th address from the right of ``X-Forwarded-For``:
the one the outermost trusted proxy added (whatever a client wrote there itself is further
left, and ignored). A request that reached the service without passing the proxies (no
header) has the connection's address.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"
MAX_LENGTH = 45  # the longest written IPv6 address (with an IPv4 tail)


def trusted_proxies() -> int:
    return max(int(getattr(settings, "NINJA_NUM_PROXIES", 0) or 0), 0)


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return UNKNOWN
    remote = str(request.META.get("REMOTE_ADDR") or "").strip()
    proxies = trusted_proxies()
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    address = remote
    if proxies and forwarded.strip():
        hops = [hop.strip() for hop in forwarded.split(",")]
        address = hops[-min(proxies, len(hops))] or remote
    return (address or UNKNOWN)[:MAX_LENGTH]
