from django.urls import path

from continuum.accounts import second_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in", views.SignInView.as_view(), name="sign-in"),
    path("sign-out", views.SignOutView.as_view(), name="sign-out"),
    # The second factor (issue 10).
    path("second-factor", second_factor_views.enter_second_factor, name="second-factor"),
    path(
        "second-factor/authenticator-app",
        second_factor_views.set_up_authenticator_app,
        name="set-up-authenticator-app",
    ),
    path(
        "second-factor/security-key",
        second_factor_views.set_up_security_key,
        name="set-up-security-key",
    ),
    path("second-factors", second_factor_views.manage_second_factors, name="second-factors"),
    path(
        "second-factors/recovery-codes",
        second_factor_views.make_recovery_codes,
        name="recovery-codes",
    ),
    path(
        "second-factors/<str:kind>/<int:device_id>/remove",
        second_factor_views.remove_second_factor,
        name="remove-second-factor",
    ),
]
