from django.urls import path

from continuum.web import health, second_factor_resets, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    # Liveness and readiness (issue 16, continuum/web/health.py): answered by
    # HealthProbeMiddleware before sign-in; here too, so the route sweep sees them.
    path("health/live", health.live, name="live"),
    path("health/ready", health.ready, name="ready"),
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
