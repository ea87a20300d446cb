from django.apps import AppConfig


class StatutoryConfig(AppConfig):
    name = "continuum.statutory"
    verbose_name = "Statutory involvement"

    def ready(self) -> None:
        # Declares who may see a child's statutory involvement.
        from continuum.imports.registry import register
        from continuum.statutory import policies  # noqa: F401
        from continuum.statutory.census.registration import CIN_CENSUS

        # The CIN census return as a kind of import (the imports app runs and shows it).
        register(CIN_CENSUS)
