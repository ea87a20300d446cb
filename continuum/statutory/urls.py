from django.urls import path

from continuum.statutory.views import census_export, census_import

app_name = "statutory"

urlpatterns = [
    path("census/export", census_export.census_export, name="census-export"),
    path("census/findings", census_import.census_findings, name="census-findings"),
    path(
        "census/findings/<uuid:pk>/resolve",
        census_import.resolve_finding,
        name="census-finding-resolve",
    ),
    path("census/matches/<uuid:pk>", census_import.resolve_match, name="census-match"),
]
