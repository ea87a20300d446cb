from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "continuum.programmes"
    label = "programmes"
    verbose_name = "Local programmes"
