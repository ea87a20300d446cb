"""Pages for the comparison across councils (the comparison part)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
