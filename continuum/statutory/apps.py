from django.apps import AppConfig


class StatutoryConfig(AppConfig):
    name = "continuum.statutory"
    verbose_name = "Statutory involvement"

    def ready(self) -> None:
        # Declares who may see a child's statutory involvement.
        from continuum.access import policy
        from continuum.people.tabs import PersonTab, register_tab
        from continuum.statutory import policies

        register_tab(
            PersonTab(
                key="statutory",
                text="Statutory involvement",
                url_name="statutory:person",
                shown=lambda user, person: policy.can(user, policies.StatutoryAction.VIEW, person),
            )
        )
