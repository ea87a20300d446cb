from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "continuum.people"
    verbose_name = "People"

    def ready(self) -> None:
        # Declares who may see and do what with people's records.
        from continuum.people import policies  # noqa: F401
