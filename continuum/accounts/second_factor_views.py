"""The second-factor pages: enter a code (or use a security key) after the password, set up
an authenticator app or a security key, see recovery codes once, manage your own.

Every page here needs a signed-in user; which of them a user who has not passed the second
factor yet may reach is ``middleware.OPEN_BEFORE_SECOND_FACTOR``.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp_webauthn import exceptions as webauthn_exceptions
from django_otp_webauthn.templatetags.otp_webauthn import get_configuration
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from continuum.accounts import second_factor
from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.ui.errors import attempt
from continuum.ui.forms import GovukFormMixin


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "govuk-input--width-10",
            }
        ),
    )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _next(request: HttpRequest) -> str:
    """Where to go after the second factor: a safe ``next``, else the home page."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("web:home")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enter_second_factor(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the app or a recovery code, or a security key. With
    no second factor yet, the choice of which to set up."""
    user = _user(request)
    if second_factor.is_done(request):
        return redirect(_next(request))
    context: dict[str, Any] = {"next": _next(request)}
    if not second_factor.has_second_factor(user):
        return render(request, "accounts/second_factor_choose.html", context)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        passed = second_factor.verify_code(user=user, code=form.cleaned_data["code"])
        if passed is not None:
            method, device = passed
            second_factor.mark_done(request, method, device)
            return redirect(_next(request))
        form.add_error(
            "code", "Enter a correct code: the 6 digits your app shows now, or a recovery code"
        )
    context.update(
        form=form,
        has_app=bool(second_factor.authenticator_apps(user)),
        has_key=bool(second_factor.security_keys(user)),
        webauthn_configuration=webauthn_configuration(request),
    )
    return render(request, "accounts/second_factor_enter.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def set_up_authenticator_app(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the secret), then confirm with a code from the app. The
    recovery codes follow, shown once, when these are the user's first."""
    user = _user(request)
    if not second_factor.may_enrol(request):
        return redirect_to_second_factor(request)
    form = CodeForm(request.POST or None)
    device = second_factor.unconfirmed_authenticator_app(user)
    if request.method == "POST" and device is not None and form.is_valid():
        confirmed = attempt(
            form,
            lambda: second_factor.confirm_authenticator_app(
                user=user, code=form.cleaned_data["code"]
            ),
        )
        if confirmed is not None:
            if not second_factor.is_done(request):
                second_factor.mark_done(request, second_factor.Method.TOTP, confirmed)
            return _recovery_codes_if_first(request, user)
    if device is None or request.method == "GET":
        device = second_factor.start_authenticator_app(user)
    return render(
        request,
        "accounts/set_up_authenticator_app.html",
        {
            "form": form,
            "qr_code": second_factor.qr_code_svg(device),
            "secret": second_factor.secret_for_typing(device),
            "next": _next(request),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def set_up_security_key(request: HttpRequest) -> HttpResponse:
    if not second_factor.may_enrol(request):
        return redirect_to_second_factor(request)
    return render(
        request,
        "accounts/set_up_security_key.html",
        {"webauthn_configuration": webauthn_configuration(request), "next": _next(request)},
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def manage_second_factors(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/second_factors.html",
        {
            "apps": second_factor.authenticator_apps(user),
            "keys": second_factor.security_keys(user),
            "recovery_codes_left": second_factor.recovery_codes_left(user),
            "error": request.session.pop("continuum.second_factor_error", ""),
        },
    )


@never_cache
@login_required
@require_POST
def make_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, replacing the old ones, shown this once."""
    user = _user(request)
    codes = second_factor.new_recovery_codes(user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})


@never_cache
@login_required
@require_POST
def remove_second_factor(request: HttpRequest, kind: str, device_id: int) -> HttpResponse:
    try:
        second_factor.remove_device(user=_user(request), kind=kind, device_id=device_id)
    except InvalidState as refused:
        request.session["continuum.second_factor_error"] = refused.message
    except ValidationError as refused:
        raise Http404("No such second factor") from refused
    return redirect("accounts:second-factors")


def _recovery_codes_if_first(request: HttpRequest, user: User) -> HttpResponse:
    if second_factor.recovery_codes_left(user):
        return redirect(_next(request))
    codes = second_factor.new_recovery_codes(user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})


def redirect_to_second_factor(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('accounts:second-factor')}?next={reverse('web:home')}")


# --- security keys (django-otp-webauthn's ceremonies, marking the session) ---------------------


def webauthn_configuration(request: HttpRequest) -> str:
    """What the library's script reads from the page (a JSON text, not a script)."""
    return json.dumps(get_configuration(request, {"nextFieldSelector": "input[name='next']"}))


class _MayEnrol:
    """Registering a key: at first sign-in this is the second factor the session passes
    with; otherwise it needs the second factor passed already (by any method, single
    sign-on's included)."""

    request: HttpRequest

    def user_is_mfa_enrolled(self, user: Any) -> bool:
        return not second_factor.may_enrol(self.request)

    def check_can_register(self) -> None:
        if not second_factor.may_enrol(self.request):
            raise webauthn_exceptions.NotVerified()


class SecurityKeyRegistrationBegin(_MayEnrol, BeginCredentialRegistrationView):
    pass


class SecurityKeyRegistration(_MayEnrol, CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(*args, **kwargs)
        if response.status_code == 200 and not second_factor.is_done(self.request):
            second_factor.mark_done(self.request, second_factor.Method.WEBAUTHN)
        return response


class SecurityKeyAuthenticationBegin(BeginCredentialAuthenticationView):
    """Only for a signed-in user (after the password): never a sign-in on its own."""

    def check_can_authenticate(self) -> None:
        if not self.request.user.is_authenticated:
            raise webauthn_exceptions.NotAuthenticated()


class SecurityKeyAuthentication(CompleteCredentialAuthenticationView):
    """Using a key after the password: the session passes its second factor with it."""

    def check_can_authenticate(self) -> None:
        if not self.request.user.is_authenticated:
            raise webauthn_exceptions.NotAuthenticated()

    def complete_auth(self, device: Any) -> Any:
        if device.user_id != self.request.user.pk:
            raise webauthn_exceptions.CredentialUserMismatch()
        second_factor.mark_done(self.request, second_factor.Method.WEBAUTHN, device)
