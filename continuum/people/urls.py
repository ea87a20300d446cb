from django.urls import path

from continuum.people import match_views, views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("new", views.create, name="create"),
    path("new/confirm", views.create_confirm, name="create-confirm"),
    path("emergency-access", views.break_glass, name="break-glass"),
    path("possible-matches", match_views.possible_matches, name="possible-matches"),
    path("possible-matches/<uuid:match_id>", match_views.possible_match, name="possible-match"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/household", views.household, name="household"),
    path("<uuid:pk>/chronology", views.chronology, name="chronology"),
    path("<uuid:pk>/access-log", views.access_log, name="access-log"),
    path("<uuid:pk>/history", views.history, name="history"),
    path("<uuid:pk>/edit", views.edit, name="edit"),
]
