from django.apps import AppConfig


class CaseAuditsConfig(AppConfig):
    name = "continuum.case_audits"
    label = "case_audits"
    verbose_name = "Case audits"

    def ready(self) -> None:
        # Who runs, audits, moderates and reads audits (the one access policy).
        from continuum.case_audits import policies  # noqa: F401

        # The programme's report is another kind of the partnership report's PDF builds.
        from continuum.case_audits.report import pdf

        pdf.register()
