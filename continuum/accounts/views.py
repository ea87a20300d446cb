from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View

from continuum.accounts import second_factor
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
        # The "known device" cookie waits for the second factor (``second_factor.mark_done``
        # and ``middleware.SecondFactorMiddleware``): a password alone never earns it.
        return response

    def get_success_url(self) -> str:
        """After the password, the second factor (then where the person was going)."""
        target = super().get_success_url()
        if second_factor.is_done(self.request):
            return target
        return f"{reverse('accounts:second-factor')}?{urlencode({REDIRECT_FIELD_NAME: target})}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.method == "GET":
            reason = self.request.session.pop(SIGNED_OUT_REASON_KEY, None)
            context["signed_out_reason"] = SIGNED_OUT_REASONS.get(reason or "")
        return context


class AdminSignInView(View):
    """The admin site's own sign-in, replaced by the app's: one sign-in for everything, with
    its throttle, security log and second factor. A visit is sent to the sign-in page (then
    back to the admin site); a password posted here goes through the same sign-in."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            # Signed in, but the admin site sent them here: they may not use it.
            return render(request, "accounts/admin_not_authorised.html", status=403)
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        return redirect_to_login(target, reverse("accounts:sign-in"))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return cast(HttpResponse, SignInView.as_view()(request, *args, **kwargs))


class SignOutView(auth_views.LogoutView):
    """Sign out by POST only (a link cannot sign anyone out); the session is ended."""

    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response
