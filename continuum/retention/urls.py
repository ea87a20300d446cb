from django.urls import path

from continuum.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.schedule, name="schedule"),
    path("schedule/<str:kind>", views.edit_rule, name="edit-rule"),
    path("holds", views.holds, name="holds"),
    path("holds/<int:pk>", views.hold, name="hold"),
    path("runs", views.runs, name="runs"),
    path("runs/<int:pk>", views.run, name="run"),
    path("runs/<int:pk>/approve", views.approve, name="approve"),
    path("runs/<int:pk>/cancel", views.cancel, name="cancel"),
    path("certificates", views.certificates, name="certificates"),
    path("certificates/<int:pk>", views.certificate, name="certificate"),
]
