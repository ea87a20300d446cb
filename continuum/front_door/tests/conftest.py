"""Fixtures the front door's tests share, on top of the root conftest's councils and people
(``worker``, the front-door worker of Stockton-on-Tees; ``manager``, ``teacher``,
``officer``, ``analyst`` and a ``child``): staff of another council and another police
force, a second front-door worker, a contact submitted and the same contact in screening,
a domestic-abuse notification and a joint triage meeting.

Tests that need a record made differently (at another time, by someone else, with other
details) call the plain helpers in ``contacts_support`` and ``triage_support`` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import pytest

from continuum.accounts.models import Role, User
from continuum.front_door.models import Contact, DomesticAbuseNotification, TriageMeeting
from continuum.front_door.tests import triage_support
from continuum.front_door.tests.contacts_support import in_screening, indicator, submitted_contact
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.models import Person
from continuum.testing import factories

# --- people ----------------------------------------------------------------------------------


@pytest.fixture
def hartlepool_worker(make_user: Callable[..., User], hartlepool: Council) -> User:
    """A front-door worker of Hartlepool's children's services: another council's staff."""
    return make_user(Role.FRONT_DOOR_WORKER, council=hartlepool, username="frontdoor.hartlepool")


@pytest.fixture
def colleague(make_user: Callable[..., User], stockton: Council) -> User:
    """A second front-door worker of Stockton, beside ``worker``."""
    return make_user(Role.FRONT_DOOR_WORKER, council=stockton, username="frontdoor.colleague")


@pytest.fixture
def other_force_officer(make_user: Callable[..., User], stockton: Council) -> User:
    """An officer of another police force, one that also serves Stockton: not the force
    that made ``officer``'s notifications."""
    force = cast(
        Organisation,
        factories.OrganisationFactory(
            name="Test Durham Police", kind=OrganisationKind.POLICE, serves=[stockton]
        ),
    )
    return make_user(Role.PARTNER_PRACTITIONER, organisation=force, username="other.force")


# --- contacts --------------------------------------------------------------------------------


@pytest.fixture
def contact(worker: User, stockton: Council, child: Person) -> Contact:
    """A contact about ``child`` that the front-door worker took by phone and submitted,
    presenting one level 2 indicator."""
    return submitted_contact(
        by=worker, council=stockton, children=[child], indicator_codes=(indicator(2).code,)
    )


@pytest.fixture
def screening(contact: Contact, worker: User) -> Contact:
    """That contact, with screening started by the front-door worker."""
    return in_screening(contact, by=worker)


# --- domestic abuse --------------------------------------------------------------------------


@pytest.fixture
def notification(officer: User, stockton: Council) -> DomesticAbuseNotification:
    """A medium-risk notification from Stockton's police officer, awaiting triage: a victim,
    an alleged perpetrator and one child, present at the incident."""
    return triage_support.notify(by=officer, council=stockton)


@pytest.fixture
def meeting(worker: User, stockton: Council) -> TriageMeeting:
    """A joint triage meeting the front-door worker chaired half an hour ago (police, IDVA
    and children's services attending)."""
    return triage_support.meeting(by=worker, council=stockton)
