"""``{% population_sample_note %}``: in demo mode, on the dashboards and the home pages
that quote child populations, what the small preset's figures stand for."""

from __future__ import annotations

from typing import Any

from django import template

from continuum.performance.sample import population_sample

register = template.Library()


@register.inclusion_tag("performance/_population_sample.html")
def population_sample_note() -> dict[str, Any]:
    return {"sample": population_sample()}
