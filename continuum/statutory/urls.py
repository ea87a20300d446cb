from django.urls import path

from continuum.statutory.views import census_export

app_name = "statutory"

urlpatterns = [
    path("census/export", census_export.census_export, name="census-export"),
]
