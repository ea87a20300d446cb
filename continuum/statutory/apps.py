from django.apps import AppConfig


class StatutoryConfig(AppConfig):
    name = "continuum.statutory"
    verbose_name = "Statutory involvement"

    def ready(self) -> None:
        # Declares who may see and record a child's statutory involvement (policies), the
        # tab it adds to a child's record, the panels it adds to other apps' lists, and the
        # CIN census return as a kind of import (the imports app runs and shows it).
        from continuum.access import policy
        from continuum.imports.registry import register
        from continuum.people.tabs import PersonTab, register_tab
        from continuum.statutory import panels, policies
        from continuum.statutory.census.registration import CIN_CENSUS
        from continuum.ui.panels import register_panel

        register(CIN_CENSUS)

        # The social care timescales on the front-door queue and the early help lists.
        register_panel("front_door.queue", panels.timescales_panel)
        register_panel("early_help.waiting_list", panels.timescales_panel)
        register_panel("early_help.caseloads", panels.timescales_panel)

        register_tab(
            PersonTab(
                key="statutory",
                text="Statutory involvement",
                url_name="statutory:person",
                shown=lambda user, person: policy.can(user, policies.StatutoryAction.VIEW, person),
            )
        )
