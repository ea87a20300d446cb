from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "continuum.performance"
    verbose_name = "Performance and outcomes"

    def ready(self) -> None:
        # Declares who may see the dashboards, and in how much detail.
        from continuum.performance import (
            policies,  # noqa: F401
            report_sections,
        )
        from continuum.performance.hub_section import hub_report_section

        # The partnership report's section on joint front doors (issue 15).
        report_sections.register("hubs", hub_report_section)

        # The maintained figures' change capture (issue 16, decision 0019): the triggers
        # on every table the engine reads, (re)installed after every migrate.
        from django.db.models.signals import post_migrate

        from continuum.performance.engine.capture import install_after_migrate

        post_migrate.connect(install_after_migrate, dispatch_uid="figures_triggers")
