"""--scale repeats the four councils as new councils (its own world)."""

from __future__ import annotations

import pytest
from django.db import transaction

from continuum.demo.generator import build
from continuum.front_door.models import Contact
from continuum.organisations.models import Council
from continuum.statutory.models import StatutoryInvolvement

pytestmark = pytest.mark.django_db


def test_scale_repeats_the_four_councils_as_new_ones() -> None:
    with transaction.atomic():
        world = build(preset="small", seed=1, scale=2)
        councils = list(Council.objects.order_by("name"))
        assert len(councils) == 8
        assert len({c.dfe_la_code for c in councils}) == 8
        districts = [d for c in councils for d in c.postcode_districts.split()]
        assert len(districts) == len(set(districts))
        copies = [c for c in councils if "(copy 2)" in c.name]
        assert len(copies) == 4
        for council in copies:
            assert Contact.objects.filter(council=council).exists()
            assert StatutoryInvolvement.objects.filter(council=council).exists()
            assert council.people.exists()
        assert len(world.councils) == 8
        transaction.set_rollback(True)
