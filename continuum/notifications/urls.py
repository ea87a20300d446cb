from django.urls import path

from continuum.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all", views.mark_all_read, name="read-all"),
    path("outbox", views.outbox, name="outbox"),
    path("<uuid:pk>/read", views.mark_read, name="read"),
]
