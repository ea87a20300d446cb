from django.urls import path

from continuum.work import views

app_name = "work"

urlpatterns = [
    path("", views.tray, name="tray"),
    path("reminders/new/<str:kind>/<uuid:record_id>", views.reminder_new, name="reminder-new"),
    path("reminders/<uuid:pk>/done", views.reminder_done, name="reminder-done"),
    path("reminders/<uuid:pk>/dismiss", views.reminder_dismiss, name="reminder-dismiss"),
    path("people/<uuid:pk>/reminders", views.person_reminders, name="person-reminders"),
]
