from django.apps import AppConfig


class CaseNotesConfig(AppConfig):
    name = "continuum.case_notes"
    verbose_name = "Case notes"

    def ready(self) -> None:
        # Declares who may read and write notes (policies), and adds them to the pages of
        # the records they belong to: the episode's tabs and timeline, the contact page, and
        # the link from a child's chronology back to the note.
        from continuum.case_notes import extensions, policies  # noqa: F401

        extensions.register()
