from django.urls import path

from continuum.performance.views import capacity as capacity_views
from continuum.performance.views import comparison as comparison_views
from continuum.performance.views import data_quality as data_quality_views
from continuum.performance.views import flow as flow_views
from continuum.performance.views import hubs as hubs_views
from continuum.performance.views import index
from continuum.performance.views import report as report_views
from continuum.performance.views import trends as trends_views

app_name = "performance"

# Each dashboard adds its own lines here (and an entry in navigation.DASHBOARDS).
urlpatterns = [
    path("", index.index, name="index"),
    path("comparison", comparison_views.comparison, name="comparison"),
    path("trends", trends_views.trends, name="trends"),
    path("flow", flow_views.flow, name="flow"),
    path("capacity", capacity_views.capacity, name="capacity"),
    path("data-quality", data_quality_views.data_quality, name="data-quality"),
    path("hubs", hubs_views.hubs, name="hubs"),
    path("report", report_views.report, name="report"),
    path("report.pdf", report_views.report_pdf, name="report-pdf"),
    path("report/pdfs/<int:build_id>", report_views.report_build, name="report-build"),
    path("report/pdfs/<int:build_id>/pdf", report_views.report_build_pdf, name="report-build-pdf"),
]
