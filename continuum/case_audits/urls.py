"""Case audits' pages, one URL module per part: programmes and their samples, templates,
auditing (findings, moderation, actions, observations), blind re-grading and agreement, and
reports. All are named in the ``case_audits`` namespace."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "case_audits"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("continuum.case_audits.urls_programmes")),
    path("", include("continuum.case_audits.urls_templates")),
    path("", include("continuum.case_audits.urls_auditing")),
    path("", include("continuum.case_audits.urls_regrades")),
    path("", include("continuum.case_audits.urls_report")),
]
