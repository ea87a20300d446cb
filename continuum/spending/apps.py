from django.apps import AppConfig


class SpendingConfig(AppConfig):
    name = "continuum.spending"
    label = "spending"
    verbose_name = "Early help spending"

    def ready(self) -> None:
        # Who enters, signs off and compares returns (the one access policy).
        # The spending return as a kind of import (the imports app runs and shows it).
        from continuum.imports.registry import register
        from continuum.spending import policies  # noqa: F401
        from continuum.spending.registration import SPENDING_RETURN

        register(SPENDING_RETURN)
