"""Pages for the comparison across councils (the comparison part)."""

from django.urls import URLPattern, URLResolver, path

from continuum.spending.views import comparison, deflators

urlpatterns: list[URLPattern | URLResolver] = [
    path("", comparison.comparison_page, name="comparison"),
    path("deflators/", deflators.deflators_page, name="deflators"),
]
