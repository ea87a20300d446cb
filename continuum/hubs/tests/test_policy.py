"""Who may do what with hubs: the rules other apps and pages rely on."""

from __future__ import annotations

from typing import Any

import pytest

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.hubs.models import DataSharingAgreement
from continuum.hubs.policies import HubAction
from continuum.organisations.models import Council

pytestmark = pytest.mark.django_db


def test_signatories_of_a_party_council_manage_sign_off_and_end(
    strategic_lead: User, ig_lead: User, hartlepool_lead: User, in_force: DataSharingAgreement,
    stockton: Council,
) -> None:  # fmt: skip
    stockton_party = in_force.parties.get(council=stockton)
    for who in (strategic_lead, ig_lead):
        assert policy.can(who, HubAction.MANAGE_AGREEMENT, in_force)
        assert policy.can(who, HubAction.END_AGREEMENT, in_force)
        assert policy.can(who, HubAction.SIGN_OFF, stockton_party)
    assert not policy.can(hartlepool_lead, HubAction.SIGN_OFF, stockton_party)
    assert policy.can(hartlepool_lead, HubAction.END_AGREEMENT, in_force)


@pytest.mark.parametrize("who", ["manager", "worker", "analyst", "teacher", "middlesbrough_lead"])
def test_nobody_else_records_signs_or_ends(
    who: str, request: pytest.FixtureRequest, in_force: DataSharingAgreement
) -> None:
    user = request.getfixturevalue(who)
    assert not policy.can(user, HubAction.MANAGE_AGREEMENT, in_force)
    assert not policy.can(user, HubAction.END_AGREEMENT, in_force)
    assert not policy.can(user, HubAction.SIGN_OFF, in_force.parties.first())


def test_managers_and_leads_of_a_party_council_place_staff_until_the_agreement_ends(
    manager: User, strategic_lead: User, worker: User, ig_lead: User,
    in_force: DataSharingAgreement, make_user: Any,
) -> None:  # fmt: skip
    hub = in_force.hub
    assert policy.can(manager, HubAction.PLACE_STAFF, hub)
    assert policy.can(strategic_lead, HubAction.PLACE_STAFF, hub)
    assert not policy.can(worker, HubAction.PLACE_STAFF, hub)
    assert not policy.can(ig_lead, HubAction.PLACE_STAFF, hub)
    in_force.ends_on = in_force.starts_on
    in_force.save()
    assert not policy.can(manager, HubAction.PLACE_STAFF, hub)
    admin = make_user(Role.STRATEGIC_LEAD, username="admin.lead", is_staff=True)
    assert not policy.can(admin, HubAction.VIEW)
