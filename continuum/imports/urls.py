from django.urls import path

from continuum.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("new", views.new_import, name="new"),
    path("<uuid:pk>", views.import_detail, name="detail"),
]
