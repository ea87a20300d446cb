from django.apps import AppConfig


class ThresholdsConfig(AppConfig):
    name = "continuum.thresholds"
    verbose_name = "Threshold framework"
