from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "continuum.front_door"
    verbose_name = "Front door"

    def ready(self) -> None:
        # Declares who may see and do what with contacts and notifications.
        from continuum.front_door import policies  # noqa: F401
        from continuum.front_door.feeds import register_feed

        register_feed()
        # A child's chronology links to the contact an entry came from (issue 12).
        from continuum.front_door import record_links

        record_links.register()
