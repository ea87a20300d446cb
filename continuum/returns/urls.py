from django.urls import path

from continuum.returns.views import annex_a as annex_a_views

app_name = "returns"

urlpatterns = [
    path("annex-a", annex_a_views.annex_a, name="annex-a"),
    path("annex-a/builds/<uuid:pk>", annex_a_views.annex_a_build, name="annex-a-build"),
    path(
        "annex-a/builds/<uuid:pk>/download",
        annex_a_views.annex_a_download,
        name="annex-a-download",
    ),
]
