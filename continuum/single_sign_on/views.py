"""Single sign-on pages: start a sign-in with an organisation's provider, and come back."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from continuum.accounts.middleware import start_session_clock
from continuum.accounts.second_factor import SECOND_FACTOR_SESSION_KEY
from continuum.single_sign_on import services
from continuum.single_sign_on.models import IdentityProvider

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refused(request: HttpRequest, refusal: services.SignInRefused) -> HttpResponse:
    return render(
        request,
        "single_sign_on/refused.html",
        {"message": refusal.message},
        status=refusal.status,
    )


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the browser to the organisation's provider (POST, so only our form starts it)."""
    provider = get_object_or_404(IdentityProvider.objects.filter(enabled=True), pk=pk)
    try:
        url = services.begin_sign_in(
            request=request,
            provider=provider,
            redirect_uri=request.build_absolute_uri(reverse("single_sign_on:callback")),
            next_url=_safe_next(request, request.POST.get("next", "")),
        )
    except services.SignInRefused as refusal:
        return _refused(request, refusal)
    return redirect(url)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser back with a code (or an error)."""
    try:
        signed_in = services.finish_sign_in(request=request)
    except services.SignInRefused as refusal:
        return _refused(request, refusal)
    login(request, signed_in.user, backend=MODEL_BACKEND)  # a new session key
    start_session_clock(request)
    if signed_in.multi_factor:
        request.session[SECOND_FACTOR_SESSION_KEY] = services.IDENTITY_PROVIDER_FACTOR
    return redirect(signed_in.next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
