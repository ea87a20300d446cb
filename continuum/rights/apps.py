from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "continuum.rights"
    label = "rights"
    verbose_name = "Rights"
