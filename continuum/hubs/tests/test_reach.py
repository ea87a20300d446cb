"""What a member of staff placed in a hub reaches through it, and when that ends."""

from datetime import timedelta
from typing import Any, cast

import pytest
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.hubs.models import HubPlacement
from continuum.hubs.reach import hub_of, reach_of
from continuum.testing.factories import (
    HubPlacementFactory,
    UserFactory,
    council_services,
    hub_agreement,
    police_force,
    tees_council,
)

pytestmark = pytest.mark.django_db


def staff(**kwargs: Any) -> User:
    return cast(User, UserFactory(**kwargs))


def place(**kwargs: Any) -> HubPlacement:
    return cast(HubPlacement, HubPlacementFactory(**kwargs))


@pytest.fixture
def councils() -> tuple[Any, Any]:
    return tees_council(), tees_council("Hartlepool")


def test_a_placed_front_door_worker_decides_for_every_council_of_the_agreement(
    councils: Any,
) -> None:
    stockton, hartlepool = councils
    agreement = hub_agreement(stockton, hartlepool)
    worker = staff(role=Role.FRONT_DOOR_WORKER, organisation=council_services(stockton))
    place(hub=agreement.hub, user=worker)
    reach = reach_of(worker)
    assert reach.decides == {stockton.pk, hartlepool.pk}
    assert reach.contacts == reach.childrens_records == {stockton.pk, hartlepool.pk}
    assert reach.hubs == {agreement.hub_id}


def test_staff_not_placed_reach_nothing(councils: Any) -> None:
    hub_agreement(*councils)
    worker = staff(role=Role.FRONT_DOOR_WORKER, organisation=council_services(councils[0]))
    assert not reach_of(worker)


def test_police_see_what_their_agencys_row_allows_and_never_decide(councils: Any) -> None:
    force = police_force(*councils)
    agreement = hub_agreement(
        *councils, agencies={force: {"sees_notifications": True, "sees_triage": True}}
    )
    officer = staff(role=Role.PARTNER_PRACTITIONER, organisation=force)
    place(hub=agreement.hub, user=officer)
    reach = reach_of(officer)
    assert reach.notifications == reach.triage == {c.pk for c in councils}
    assert reach.contacts == reach.decides == reach.childrens_records == frozenset()


def test_an_agency_outside_the_agreement_reaches_nothing_though_placed(councils: Any) -> None:
    agreement = hub_agreement(*councils)
    officer = staff(role=Role.PARTNER_PRACTITIONER, organisation=police_force(*councils))
    place(hub=agreement.hub, user=officer)
    assert not reach_of(officer)


def test_access_ends_with_the_agreement_and_with_the_placement(councils: Any) -> None:
    today = timezone.localdate()
    agreement = hub_agreement(*councils)
    worker = staff(role=Role.TEAM_MANAGER, organisation=council_services(councils[1]))
    placement = place(hub=agreement.hub, user=worker)
    assert reach_of(worker).decides
    placement.ends_on = today - timedelta(days=1)
    placement.save()
    assert not reach_of(worker)
    placement.ends_on = None
    placement.save()
    agreement.ends_on = today - timedelta(days=1)
    agreement.save()
    assert not reach_of(worker)
    assert reach_of(worker, on=today - timedelta(days=2)).decides


def test_an_agreement_not_signed_off_by_every_council_is_not_in_force(councils: Any) -> None:
    agreement = hub_agreement(*councils, signed=False)
    worker = staff(role=Role.FRONT_DOOR_WORKER, organisation=council_services(councils[0]))
    place(hub=agreement.hub, user=worker)
    assert not reach_of(worker)
    assert hub_of(councils[0].pk, timezone.localdate()) is None


def test_hub_of_names_the_agreement_running_a_councils_front_door_on_a_day(councils: Any) -> None:
    stockton, hartlepool = councils
    agreement = hub_agreement(stockton, hartlepool)
    assert hub_of(stockton.pk, timezone.localdate()) == agreement
    assert hub_of(tees_council("Middlesbrough").pk, timezone.localdate()) is None
    assert hub_of(stockton.pk, agreement.starts_on - timedelta(days=1)) is None
