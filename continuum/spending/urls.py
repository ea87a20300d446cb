from django.urls import include, path

app_name = "spending"

urlpatterns = [
    path("", include("continuum.spending.urls_comparison")),
    path("", include("continuum.spending.urls_returns")),
]
