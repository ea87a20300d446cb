"""Blind re-grading and threshold agreement: a programme's re-grades, one re-grade (blind
until graded or revealed), grading and revealing it, and the programme's agreement with
its download."""

from django.urls import URLPattern, URLResolver, path

from continuum.case_audits.views import regrades as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("programmes/<uuid:pk>/regrades/", views.regrades, name="regrades"),
    path("regrades/<uuid:pk>/", views.regrade, name="regrade"),
    path("regrades/<uuid:pk>/reveal/", views.reveal, name="regrade-reveal"),
    path("programmes/<uuid:pk>/consistency/", views.consistency, name="consistency"),
    path(
        "programmes/<uuid:pk>/consistency.csv",
        views.consistency_download,
        name="consistency-download",
    ),
]
