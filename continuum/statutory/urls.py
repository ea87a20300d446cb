from django.urls import path

from continuum.statutory import views

app_name = "statutory"

urlpatterns = [
    path("census/findings", views.census_findings, name="census-findings"),
    path("census/findings/<uuid:pk>/resolve", views.resolve_finding, name="census-finding-resolve"),
    path("census/matches/<uuid:pk>", views.resolve_match, name="census-match"),
]
