from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "continuum.access"
    verbose_name = "Access"
