"""Fixtures for the early help tests: Stockton's North locality and its early help team, a
team manager, practitioners of several agencies, and a family (a child and a parent in one
household) with an episode waiting for allocation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import pytest

from continuum.accounts.models import Role, User
from continuum.early_help.models import Episode
from continuum.organisations.models import Council, Locality, Organisation, OrganisationKind, Team
from continuum.people.choices import PersonKind
from continuum.people.models import Household, HouseholdMember, Person
from continuum.testing import factories


@dataclass(frozen=True)
class Place:
    council: Council
    locality: Locality
    team: Team


@dataclass(frozen=True)
class Family:
    household: Household
    child: Person
    parent: Person


def make_person(**fields: Any) -> Person:
    return cast(Person, factories.PersonFactory(**fields))


def make_episode(**fields: Any) -> Episode:
    return cast(Episode, factories.EpisodeFactory(**fields))


def make_place(council: Council, name: str) -> Place:
    locality = cast(Locality, factories.LocalityFactory(council=council, name=f"{name} North"))
    team = cast(
        Team,
        factories.TeamFactory(
            organisation=factories.council_services(council),
            locality=locality,
            name=f"{name} North Early Help",
        ),
    )
    return Place(council, locality, team)


def make_family(council: Council, name: str = "Rowntree") -> Family:
    household = cast(Household, factories.HouseholdFactory(council=council, name=name))
    child = make_person(
        council=council, given_name="Maisie", family_name=name, kind=PersonKind.CHILD
    )
    parent = make_person(
        council=council,
        given_name="Jodie",
        family_name=name,
        kind=PersonKind.ADULT,
        date_of_birth=None,
        upn=None,
    )
    for member in (child, parent):
        HouseholdMember.objects.create(household=household, person=member)
    return Family(household, child, parent)


@pytest.fixture
def stockton_place(stockton: Council) -> Place:
    return make_place(stockton, "Stockton")


@pytest.fixture
def manager(make_user: Callable[..., User], stockton: Council, stockton_place: Place) -> User:
    user = make_user(
        Role.TEAM_MANAGER, council=stockton, username="manager.stockton", first_name="Mo"
    )
    user.teams.add(stockton_place.team)
    return user


@pytest.fixture
def eh_worker(make_user: Callable[..., User], stockton: Council, stockton_place: Place) -> User:
    user = make_user(Role.EARLY_HELP_PRACTITIONER, council=stockton, username="ehworker.stockton")
    user.teams.add(stockton_place.team)
    return user


@pytest.fixture
def vcs_organisation(stockton: Council) -> Organisation:
    return cast(
        Organisation,
        factories.OrganisationFactory(
            name="Stockton Family Support Trust",
            kind=OrganisationKind.VOLUNTARY,
            serves=[stockton],
        ),
    )


@pytest.fixture
def vcs_worker(make_user: Callable[..., User], vcs_organisation: Organisation) -> User:
    return make_user(
        Role.EARLY_HELP_PRACTITIONER,
        organisation=vcs_organisation,
        username="vcs.stockton",
        first_name="Vic",
        last_name="Sayer",
    )


@pytest.fixture
def school_worker(make_user: Callable[..., User], school: Organisation) -> User:
    return make_user(Role.PARTNER_PRACTITIONER, organisation=school, username="school.stockton")


@pytest.fixture
def family(stockton: Council) -> Family:
    return make_family(stockton)


@pytest.fixture
def episode(family: Family, stockton_place: Place, manager: User) -> Episode:
    return make_episode(
        council=stockton_place.council,
        locality=stockton_place.locality,
        team=stockton_place.team,
        household=family.household,
        opened_by=manager,
        children=[family.child],
    )
