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
        from continuum.people.record_links import RecordLink, register_record_link

        register_record_link(
            RecordLink(
                kind="front_door.contact",
                text="the contact",
                model="front_door.Contact",
                url_name="front_door:contact",
            )
        )
