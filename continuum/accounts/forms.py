"""The sign-in form: GOV.UK errors at the field and in the summary, throttled attempts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from continuum.accounts import services, throttle
from continuum.ui.dates import govuk_time
from continuum.ui.forms import GovukFormMixin

WRONG_CREDENTIALS = "Enter a correct username and password. Both are case-sensitive."
TOO_MANY_ATTEMPTS = (
    "Too many attempts to sign in with {what}. Wait until {time}, then try again. "
    "If you have forgotten your password, ask your system administrator."
)


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": WRONG_CREDENTIALS,
        "inactive": "This account is not active. Ask your system administrator.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.error_messages["required"] = "Enter your username"
        password.error_messages["required"] = "Enter your password"
        # GOV.UK: no autofocus; usernames are not words to spell-check.
        username.widget.attrs.pop("autofocus", None)
        username.widget.attrs.update({"spellcheck": "false", "autocapitalize": "none"})

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        try:
            cookie = (
                self.request.COOKIES.get(services.KNOWN_DEVICE_COOKIE) if self.request else None
            )
            self.user_cache = services.sign_in(
                request=self.request,
                username=username,
                password=password,
                known_device=throttle.username_key(username)
                in services.known_device_accounts(cookie),
            )
        except services.TooManyAttempts as refused:
            until = govuk_time(refused.until)
            self.add_error(
                "username",
                forms.ValidationError(
                    TOO_MANY_ATTEMPTS.format(time=until, what=refused.limit.describes),
                    code="throttled",
                ),
            )
        except services.WrongUsernameOrPassword:
            self.add_error(
                "username", forms.ValidationError(WRONG_CREDENTIALS, code="invalid_login")
            )
        else:
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
