"""django-otp-webauthn's ceremonies under its own namespace (its script finds them by these
names), each view Continuum's subclass: a key is a second factor, never a sign-in alone."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog

from continuum.accounts import second_factor_views as views

app_name = "otp_webauthn"

urlpatterns = [
    path(
        "registration/begin/",
        views.SecurityKeyRegistrationBegin.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        views.SecurityKeyRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        views.SecurityKeyAuthenticationBegin.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        views.SecurityKeyAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
