from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse

from continuum.accounts import services
from continuum.accounts.forms import SignInForm
from continuum.accounts.middleware import SIGNED_OUT_REASON_KEY, start_session_clock

SIGNED_OUT_REASONS = {
    "idle": "You were signed out because you had not used Continuum for a while.",
    "absolute": "You were signed out because you had been signed in for a long time.",
}


class SignInView(auth_views.LoginView):
    """Sign in; Django gives the session a new key. Each role then lands on its home page."""

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)  # signs in, with a new session key
        start_session_clock(self.request)
        response.set_cookie(
            services.KNOWN_DEVICE_COOKIE,
            services.known_device_cookie(
                username=form.get_user().get_username(),
                current=self.request.COOKIES.get(services.KNOWN_DEVICE_COOKIE),
            ),
            max_age=services.KNOWN_DEVICE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.method == "GET":
            reason = self.request.session.pop(SIGNED_OUT_REASON_KEY, None)
            context["signed_out_reason"] = SIGNED_OUT_REASONS.get(reason or "")
        return context


class SignOutView(auth_views.LogoutView):
    """Sign out by POST only (a link cannot sign anyone out); the session is ended."""

    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response
