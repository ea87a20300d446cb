"""The dashboards say plainly what the small preset is (issue 12): its denominators (a 2%
slice: Hartlepool's 400 children) sat beside home pages quoting the councils' real
populations (about 20,000). Both now quote the sample's populations, under a note saying so
in demo mode."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.demo.generator import World
from continuum.performance.sample import child_populations, population_sample

pytestmark = pytest.mark.django_db

NOTE = "This demo holds a 2% sample of each council's children."
PAGES = [
    reverse("performance:index"),
    reverse("performance:comparison"),
    reverse("performance:trends"),
    reverse("performance:flow"),
    reverse("performance:capacity"),
    reverse("performance:data-quality"),
    reverse("performance:report"),
    reverse("web:home"),
]


def test_the_sample_is_the_small_presets_two_percent(demo_world: World, settings: Any) -> None:
    settings.CONTINUUM_DEMO = True
    sample = population_sample()
    assert sample is not None
    assert sample.percent == "2%"
    assert {c.name for c in sample.councils} == {c.name for c in demo_world.councils.values()}
    for council in sample.councils:
        assert 0.018 <= council.children / council.council_children <= 0.022
    settings.CONTINUUM_DEMO = False
    assert population_sample() is None


def test_the_dashboards_and_the_home_page_say_so_in_demo_mode(
    demo_world: World, settings: Any, client: Client
) -> None:
    settings.CONTINUUM_DEMO = True
    client.force_login(User.objects.get(username="analyst.tees"))
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert NOTE in response.content.decode(), url
    settings.CONTINUUM_DEMO = False
    for url in PAGES:
        assert NOTE not in client.get(url).content.decode(), url


def test_the_home_page_quotes_the_populations_the_dashboards_divide_by(
    demo_world: World, client: Client
) -> None:
    client.force_login(User.objects.get(username="analyst.tees"))
    response = client.get(reverse("web:home"))
    quoted = {
        row.name: row.child_population for row in response.context["people_by_council"]["rows"]
    }
    divided_by = child_populations()
    for council in demo_world.councils.values():
        assert quoted[council.name] == divided_by[council.pk]
        assert quoted[council.name] < council.child_population / 10  # the slice, not 20,000
