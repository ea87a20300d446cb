from django.apps import AppConfig


class ThresholdsConfig(AppConfig):
    name = "continuum.thresholds"
    verbose_name = "Threshold framework"

    def ready(self) -> None:
        # Declares who may read the threshold framework.
        from continuum.thresholds import policies  # noqa: F401
