from django.apps import AppConfig


class UiConfig(AppConfig):
    """No models: an app only so that Django finds the shared templates in ``templates/ui``."""

    name = "continuum.ui"
    verbose_name = "Page and API toolkit"
