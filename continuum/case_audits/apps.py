from django.apps import AppConfig


class CaseAuditsConfig(AppConfig):
    name = "continuum.case_audits"
    label = "case_audits"
    verbose_name = "Case audits"
