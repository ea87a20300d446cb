"""The demo's requests under data protection law (issue 13): each council's information
governance lead has a register with requests in every state, one overdue first, about
people of their own council only."""

from __future__ import annotations

import pytest

from continuum.accounts.models import Role
from continuum.demo.generator import World
from continuum.rights.choices import RequestState
from continuum.rights.models import RightsRequest
from continuum.rights.selectors import register, requests_due

pytestmark = pytest.mark.django_db


def test_each_lead_has_a_register_with_requests_in_every_state(demo_world: World) -> None:
    leads = [u for u in demo_world.users.values() if u.role == Role.INFORMATION_GOVERNANCE_LEAD]
    assert leads
    for lead in leads:
        council = lead.council
        assert council is not None
        requests = list(register(user=lead))
        assert {r.state for r in requests} == set(RequestState.values), lead.username
        assert all(r.person.council_id == r.council_id == council.pk for r in requests)
        due = list(requests_due(lead))
        assert len(due) == 2 and due[0].is_overdue() and not due[1].is_overdue()
    assert RightsRequest.objects.filter(extended_on__isnull=False).count() == len(leads)
