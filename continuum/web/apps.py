from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "continuum.web"
    verbose_name = "Web interface"

    def ready(self) -> None:
        from continuum.web import (
            checks,  # noqa: F401  (registers the deploy checks)
            policies,  # noqa: F401  (second-factor resets)
        )
