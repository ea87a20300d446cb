from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "continuum.imports"
    label = "imports"
    verbose_name = "Imports"
