from django.urls import URLPattern, URLResolver, path

from continuum.programmes import views

app_name = "programmes"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.programme_list, name="list"),
    path("new", views.new, name="new"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/edit", views.edit, name="edit"),
    path("<uuid:pk>/evaluation", views.evaluation, name="evaluation"),
    path("<uuid:pk>/evaluation/balance.csv", views.balance_csv, name="balance-csv"),
    path("episodes/<uuid:episode_pk>/join", views.join, name="join"),
    path("participations/<uuid:pk>/leave", views.leave, name="leave"),
]
