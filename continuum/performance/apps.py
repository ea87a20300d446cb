from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "continuum.performance"
    verbose_name = "Performance and outcomes"

    def ready(self) -> None:
        # Declares who may see the dashboards, and in how much detail.
        from continuum.performance import policies  # noqa: F401
