"""The whole demo world has issue 15's records: the two hubs with their staff placed, and
each council's spending returns (``tests/test_hubs_and_spending.py`` checks them in detail).
"""

from __future__ import annotations

import pytest

from continuum.demo.generator import World
from continuum.hubs.models import DataSharingAgreement, HubPlacement
from continuum.hubs.reach import reach_of
from continuum.spending.models import SpendingReturn

pytestmark = pytest.mark.django_db


def test_the_demo_has_both_hubs_with_the_hub_sign_ins_placed(demo_world: World) -> None:
    assert set(DataSharingAgreement.objects.values_list("hub__name", flat=True)) == {
        "Hartlepool and Stockton MACH",
        "South Tees Multi-Agency Children's Hub",
    }
    placed = set(HubPlacement.objects.values_list("user__username", flat=True))
    assert {"hub.worker", "hub.manager", "hub.police", "hub.health"} <= placed
    worker = reach_of(demo_world.users["hub.worker"], demo_world.as_of)
    assert {c.name for c in demo_world.councils.values() if c.pk in worker.decides} == {
        "Hartlepool",
        "Stockton-on-Tees",
    }


def test_every_council_has_spending_returns(demo_world: World) -> None:
    for council in demo_world.councils.values():
        assert SpendingReturn.objects.filter(council=council).count() >= 4, council
