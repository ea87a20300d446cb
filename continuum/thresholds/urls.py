from django.urls import path

from continuum.thresholds import views

app_name = "thresholds"

urlpatterns = [
    path("", views.framework, name="framework"),
]
