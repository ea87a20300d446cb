"""Domestic-abuse notifications and joint triage, under /front-door/domestic-abuse/."""

from django.urls import path

from continuum.front_door.views import notification_entry, triage

urlpatterns = [
    path("", triage.notifications, name="notifications"),
    path("new/", notification_entry.notification_new, name="notification-new"),
    path(
        "new/check-people/",
        notification_entry.notification_check_people,
        name="notification-check-people",
    ),
    path("<uuid:pk>/", triage.notification_detail, name="notification"),
    path("meetings/new/", triage.meeting_new, name="triage-meeting-new"),
    path("meetings/<int:pk>/", triage.meeting_detail, name="triage-meeting"),
    path(
        "meetings/<int:pk>/notifications/<uuid:notification_pk>/",
        triage.triage,
        name="triage-notification",
    ),
]
