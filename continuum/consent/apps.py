from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "continuum.consent"
    label = "consent"
    verbose_name = "Consent"
