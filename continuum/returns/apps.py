from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "continuum.returns"
    label = "returns"
    verbose_name = "Statutory returns"

    def ready(self) -> None:
        # Declares who may export a council's returns.
        from continuum.returns import policies  # noqa: F401
