"""Security headers on every response (ASVS: CSP, no-store on authenticated pages), the
admin site only from the addresses allowed to reach it, and the guard that refuses input no
database can store before any view reads it."""

import ipaddress
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse

from continuum.imports import uploads
from continuum.ui import input_guard as guard
from continuum.ui.api import Loc
from continuum.ui.client_address import client_address
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
        address = client_address(request)
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


API_PREFIX = "/api/"
METHODS_WITH_A_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class InputGuardMiddleware:
    """Refuses, before any view reads it, input no database can store and bodies the API
    never reads (``continuum.ui.input_guard``): a NUL in the path or the query (422 naming the
    parameter on the API, 400 on a page) or in a page's form (400), a NUL or a number beyond
    64 bits in a JSON body (422 naming the field), and a body to the API that is not JSON
    (415)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self._refusal(request) or self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        api = request.path.startswith(API_PREFIX)
        if api and not _may_use_the_api(request):
            return None  # the API refuses who it is first (401), before reading any input
        upload = uploads.upload_limit(request) if request.method == "POST" else None
        if upload is not None and _content_length(request) > upload.max_bytes:
            # Refused before anything reads the body (a 200 MB file is never taken in).
            if api:
                return _json({"detail": upload.message}, status=413)
            return _bad_page(request, upload.message, status=413)
        if guard.NUL in request.path:
            return (
                _bad_page(request, guard.NUL_MESSAGE)
                if not api
                else _json({"detail": guard.NUL_MESSAGE}, status=400)
            )
        problems = list(guard.nul_in_query(request.GET))
        if problems:
            return _invalid(problems) if api else _bad_page(request, guard.NUL_MESSAGE)
        if api and upload is not None and _is_multipart(request):
            # An upload endpoint: its form fields are guarded like a page's.
            if any(guard.nul_in_query(request.POST)):
                return _invalid(list(guard.nul_in_query(request.POST)))
            return None
        if api and request.method in METHODS_WITH_A_BODY:
            return self._api_body_refusal(request)
        if request.method == "POST" and any(guard.nul_in_query(request.POST)):
            # A page's form: whatever field it is in, and whether or not the view reads
            # it through a form that would refuse it.
            return _bad_page(request, guard.NUL_MESSAGE)
        return None

    def _api_body_refusal(self, request: HttpRequest) -> HttpResponse | None:
        content_type = request.META.get("CONTENT_TYPE", "")
        body = request.body
        if content_type.lower().startswith(FORM_TYPES) or (
            body and not guard.is_json(content_type)
        ):
            return _json({"detail": guard.NOT_JSON_MESSAGE}, status=415)
        problems = guard.problems_in_json_body(body) if body else []
        return _invalid(problems) if problems else None


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _is_multipart(request: HttpRequest) -> bool:
    return request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/form-data")


def _may_use_the_api(request: HttpRequest) -> bool:
    """Signed in with a role, as ``RoleSessionAuth`` asks: anyone else is answered 401 by
    the API itself, whatever they sent."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and getattr(user, "role", ""))


def _json(content: dict[str, Any], *, status: int) -> HttpResponse:
    return JsonResponse(content, status=status)


def _invalid(problems: list[tuple[Loc, str]]) -> HttpResponse:
    """A 422 in the API's shape (``ui.api.invalid``): each entry names its field."""
    detail = [
        {"loc": list(loc), "msg": message, "type": "value_error"} for loc, message in problems
    ]
    return _json({"detail": detail}, status=422)


def _bad_page(request: HttpRequest, reason: str, *, status: int = 400) -> HttpResponse:
    return HttpResponseBadRequest(
        render_to_string("400.html", {"reason": reason}, request), status=status
    )
