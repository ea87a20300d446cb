from django.urls import path

from continuum.performance.views import index
from continuum.performance.views import report as report_views

app_name = "performance"

# Each dashboard adds its own lines here (and an entry in navigation.DASHBOARDS).
urlpatterns = [
    path("", index.index, name="index"),
    path("report", report_views.report, name="report"),
    path("report.pdf", report_views.report_pdf, name="report-pdf"),
]
