from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "continuum.returns"
    label = "returns"
    verbose_name = "Statutory returns"
