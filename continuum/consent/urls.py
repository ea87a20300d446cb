from django.urls import path

from continuum.consent import views

app_name = "consent"

urlpatterns = [
    path("people/<uuid:pk>/", views.on_person, name="person"),
    path("people/<uuid:pk>/new", views.record, name="record"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/withdraw", views.withdraw, name="withdraw"),
]
