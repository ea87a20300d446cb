from django.apps import AppConfig


class SpendingConfig(AppConfig):
    name = "continuum.spending"
    label = "spending"
    verbose_name = "Early help spending"

    def ready(self) -> None:
        # Who enters, signs off and compares returns (the one access policy).
        from continuum.performance import report_sections
        from continuum.spending import policies  # noqa: F401
        from continuum.spending.report_section import KEY, build_section

        # The partnership report's section on early help spending.
        report_sections.register(KEY, build_section)
