from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "continuum.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        # Declares who may import for a council and who may see an import. The kinds of
        # file are registered by the apps that own their records (statutory, front door,
        # education), from their own ready().
        from continuum.imports import policies  # noqa: F401
