from django.apps import AppConfig


class SingleSignOnConfig(AppConfig):
    name = "continuum.single_sign_on"
    verbose_name = "Single sign-on"
