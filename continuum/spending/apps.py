from django.apps import AppConfig


class SpendingConfig(AppConfig):
    name = "continuum.spending"
    label = "spending"
    verbose_name = "Early help spending"

    def ready(self) -> None:
        # Who enters, signs off and compares returns (the one access policy).
        # The spending return as a kind of import (the imports app runs and shows it), and
        # the partnership report's section on early help spending.
        from continuum.imports.registry import register
        from continuum.performance import report_sections
        from continuum.spending import policies  # noqa: F401
        from continuum.spending.registration import SPENDING_RETURN
        from continuum.spending.report_section import KEY, build_section

        register(SPENDING_RETURN)
        report_sections.register(KEY, build_section)
