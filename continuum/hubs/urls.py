from django.urls import URLPattern, URLResolver, path

from continuum.hubs import views

app_name = "hubs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.hub_list, name="list"),
    path("new", views.new_hub, name="new_hub"),
    path("<int:pk>/", views.hub, name="hub"),
    path("<int:pk>/agreements/new", views.new_agreement, name="new_agreement"),
    path("<int:pk>/place", views.place, name="place"),
    path("agreements/<int:pk>/", views.agreement, name="agreement"),
    path(
        "agreements/<int:pk>/councils/<int:council_pk>/sign-off",
        views.sign_off,
        name="sign_off",
    ),
    path("agreements/<int:pk>/amend", views.amend_agreement, name="amend_agreement"),
    path("agreements/<int:pk>/end", views.end_agreement, name="end_agreement"),
    path("placements/<int:pk>/end", views.end_placement, name="end_placement"),
]
