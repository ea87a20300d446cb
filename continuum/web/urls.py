from django.urls import path

from continuum.web import second_factor_resets, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path(
        "second-factor-resets",
        second_factor_resets.second_factor_resets,
        name="second-factor-resets",
    ),
    path(
        "second-factor-resets/<int:reset_id>/decide",
        second_factor_resets.decide_second_factor_reset,
        name="decide-second-factor-reset",
    ),
]
