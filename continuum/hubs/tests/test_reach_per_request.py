"""Reach is worked out once per web request (issue 16), again after any change to a
placement or an agreement, and never remembered outside a request."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any, cast

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.hubs.models import HubPlacement
from continuum.hubs.reach import reach_of, reached_councils
from continuum.testing.factories import (
    HubPlacementFactory,
    UserFactory,
    council_services,
    hub_agreement,
    tees_council,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_a_request() -> Iterator[None]:
    """Between ``request_started`` and ``request_finished``, as a web request is (the test
    client's way: without closing the test's database connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        request_started.send(sender=None)
        yield
        request_finished.send(sender=None)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def placed() -> tuple[User, Any, Any]:
    stockton, hartlepool = tees_council(), tees_council("Hartlepool")
    agreement = hub_agreement(stockton, hartlepool)
    worker = cast(
        User,
        UserFactory(role=Role.FRONT_DOOR_WORKER, organisation=council_services(stockton)),
    )
    HubPlacementFactory(hub=agreement.hub, user=worker)
    return worker, stockton, hartlepool


def _queries(work: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        work()
    return len(queries)


def test_within_a_request_reach_is_worked_out_once(
    in_a_request: None, placed: tuple[User, Any, Any]
) -> None:
    worker, stockton, hartlepool = placed
    assert _queries(lambda: reach_of(worker)) > 0
    assert _queries(lambda: reach_of(worker)) == 0
    # The scopes' literal lists come from the same reach: no query either.
    assert _queries(lambda: reached_councils(worker, "decides")) == 0
    assert reached_councils(worker, "decides") == sorted([stockton.pk, hartlepool.pk])


def test_a_placement_ending_in_the_request_is_seen_at_once(
    in_a_request: None, placed: tuple[User, Any, Any]
) -> None:
    worker, _, _ = placed
    assert reach_of(worker)
    placement = HubPlacement.objects.get(user=worker)
    placement.ends_on = timezone.localdate() - timedelta(days=1)
    placement.save()
    assert not reach_of(worker)
    assert reached_councils(worker, "contacts") == []


def test_nothing_is_remembered_outside_a_request(placed: tuple[User, Any, Any]) -> None:
    worker, _, _ = placed
    assert reach_of(worker)
    # A bulk update sends no signal: outside a request the next answer sees it anyway.
    HubPlacement.objects.filter(user=worker).update(
        ends_on=timezone.localdate() - timedelta(days=1)
    )
    assert not reach_of(worker)


def test_staff_with_no_organisation_cost_no_query_and_a_bad_kind_is_refused() -> None:
    nobody = cast(User, UserFactory(role=Role.FRONT_DOOR_WORKER, organisation=None))
    assert _queries(lambda: reached_councils(nobody, "contacts")) == 0
    assert reached_councils(nobody, "contacts") == []
    with pytest.raises(ValueError, match="No such kind of hub reach"):
        reached_councils(nobody, "everything")
