from django.urls import path

from continuum.returns.views import annex_a as annex_a_views

app_name = "returns"

urlpatterns = [
    path("annex-a", annex_a_views.annex_a, name="annex-a"),
]
