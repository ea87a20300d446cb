from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "continuum.education"
    label = "education"
    verbose_name = "Education"

    def ready(self) -> None:
        # Who may load attendance and read it; the attendance file among the imports; a
        # child's attendance on their record's summary.
        from continuum.education import policies  # noqa: F401
        from continuum.education.feeds import register_feed
        from continuum.education.sections import register_section

        register_feed()
        register_section()
