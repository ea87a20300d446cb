from django.urls import URLPattern, URLResolver

app_name = "hubs"

urlpatterns: list[URLPattern | URLResolver] = []
