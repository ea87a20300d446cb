from django.urls import URLPattern, URLResolver, path

from continuum.case_audits.views import report as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("programmes/<uuid:pk>/report", views.report, name="report"),
    path(
        "programmes/<uuid:pk>/report/councils/<int:council_pk>",
        views.council_report,
        name="council-report",
    ),
    path("programmes/<uuid:pk>/report/pdf", views.report_pdf, name="report-pdf"),
    path(
        "programmes/<uuid:pk>/report/tables/<slug:key>",
        views.report_download,
        name="report-download",
    ),
    path("report-pdfs/<int:build_id>", views.report_build, name="report-build"),
]
