from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "continuum.work"
    label = "work"
    verbose_name = "Work tray and reminders"

    def ready(self) -> None:
        # Declares who has a work tray and whose reminders are whose (policies), and adds
        # the reminders tab to a person's record and a "set a reminder" panel to the
        # contact and episode pages.
        from continuum.access import policy
        from continuum.people.tabs import PersonTab, register_tab
        from continuum.ui.panels import register_panel
        from continuum.work import panels, policies

        register_tab(
            PersonTab(
                key="reminders",
                text="Your reminders",
                url_name="work:person-reminders",
                shown=lambda user, person: policy.can(
                    user, policies.WorkAction.SET_REMINDER, person
                ),
            )
        )
        register_panel("front_door.contact", panels.contact_reminders)
        register_panel("early_help.episode", panels.episode_reminders)
