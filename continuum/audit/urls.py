from django.urls import path

from continuum.audit import views

app_name = "audit"

urlpatterns = [
    path("access-log", views.access_log, name="access-log"),
    path("break-glass/<int:pk>", views.break_glass_review, name="break-glass-review"),
    path("information-governance", views.information_governance, name="information-governance"),
    path("unusual-reading/<int:pk>", views.unusual_reading_review, name="unusual-reading"),
]
