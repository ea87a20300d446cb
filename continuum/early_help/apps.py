from django.apps import AppConfig


class EarlyHelpConfig(AppConfig):
    name = "continuum.early_help"
    verbose_name = "Early help"

    def ready(self) -> None:
        # Declares who may see and do what with episodes.
        from continuum.early_help import (
            policies,  # noqa: F401
            record_links,
        )

        # A child's chronology links to the episode an entry came from.
        record_links.register()
