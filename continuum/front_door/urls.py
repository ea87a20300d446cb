from django.urls import include, path

app_name = "front_door"

urlpatterns = [
    path("", include("continuum.front_door.urls_contacts")),
    path("domestic-abuse/", include("continuum.front_door.urls_triage")),
]
