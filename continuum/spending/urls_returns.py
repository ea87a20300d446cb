"""Pages for returns, the classification and councils' mappings (the returns part)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
