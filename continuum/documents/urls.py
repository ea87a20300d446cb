from django.urls import path

from continuum.documents import views

app_name = "documents"

urlpatterns = [
    path("people/<uuid:pk>/", views.on_person, name="person"),
    path("contacts/<uuid:pk>/", views.on_contact, name="contact"),
    path("episodes/<uuid:pk>/", views.on_episode, name="episode"),
    path("consent/<uuid:pk>/", views.on_consent, name="consent"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/download", views.download, name="download"),
    path("<uuid:pk>/delete", views.delete, name="delete"),
]
