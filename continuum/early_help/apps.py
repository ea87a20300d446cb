from django.apps import AppConfig


class EarlyHelpConfig(AppConfig):
    name = "continuum.early_help"
    verbose_name = "Early help"

    def ready(self) -> None:
        # Declares who may see and do what with episodes.
        from continuum.consent import reactions
        from continuum.early_help import policies  # noqa: F401
        from continuum.early_help.services.withdrawal import react_to_withdrawal
        from continuum.people.record_links import RecordLink, register_record_link

        # A child's chronology links to the episode an entry came from.
        register_record_link(
            RecordLink(
                kind="early_help.episode",
                text="the early help episode",
                model="early_help.Episode",
                url_name="early_help:episode",
            )
        )
        # A family withdrawing consent: who leaves the Team Around the Family, the
        # manager's review, and who is told (``services.withdrawal``).
        reactions.register("early_help", react_to_withdrawal)
