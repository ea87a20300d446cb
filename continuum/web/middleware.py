"""Security headers on every response (ASVS: CSP, no-store on authenticated pages), and the
admin site only from the addresses allowed to reach it."""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from continuum.ui.csp import form_action_origins

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def content_security_policy(request: HttpRequest) -> str:
    """The policy, with any origins the page's forms may lead to (``ui.csp``: the sign-in
    page's single sign-on buttons redirect to an organisation's identity provider)."""
    extra = form_action_origins(request)
    if not extra:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", " ".join(["form-action 'self'", *extra])
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", content_security_policy(request))
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.user.is_authenticated and not request.path.startswith("/assets/"):
            # Case data must never be kept by a browser or a proxy.
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class AdminAddressMiddleware:
    """The admin site (``/reference-data/``) answers 404 except from the addresses or
    networks in ``ADMIN_ALLOWED_ADDRESSES`` (empty: any address)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = settings.ADMIN_ALLOWED_ADDRESSES
        address = str(request.META.get("REMOTE_ADDR", ""))
        admin_site = request.path.startswith(reverse("admin:index"))
        if allowed and admin_site and not address_in(address, allowed):
            raise Http404("Page not found")
        return self.get_response(request)


def address_in(address: str, networks: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(entry, strict=False) for entry in networks)
