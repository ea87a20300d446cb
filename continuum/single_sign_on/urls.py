from django.urls import path

from continuum.single_sign_on import views

app_name = "single_sign_on"

urlpatterns = [
    path("<int:pk>/start", views.start, name="start"),
    path("callback", views.callback, name="callback"),
]
