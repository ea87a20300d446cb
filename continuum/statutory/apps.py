from django.apps import AppConfig


class StatutoryConfig(AppConfig):
    name = "continuum.statutory"
    verbose_name = "Statutory involvement"

    def ready(self) -> None:
        # Declares who may see a child's statutory involvement.
        from continuum.statutory import policies  # noqa: F401
