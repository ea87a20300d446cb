"""Fixtures for the work tray: Stockton North's early help team (the root conftest's manager
and early help practitioner in it), a family and its episode, a lead professional at a
voluntary organisation and a front-door worker."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from continuum.accounts.models import Role, User
from continuum.early_help.models import Episode
from continuum.early_help.tests.builders import Family, Place, make_episode, make_family, make_place
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.testing import factories


@pytest.fixture
def place(stockton: Council) -> Place:
    return make_place(stockton, "Stockton")


@pytest.fixture
def manager(manager: User, place: Place) -> User:
    manager.teams.add(place.team)
    return manager


@pytest.fixture
def lead(make_user: Callable[..., User], stockton: Council) -> User:
    """An early help practitioner at a voluntary organisation: a lead professional."""
    organisation = factories.OrganisationFactory(
        name="Stockton Family Support Trust", kind=OrganisationKind.VOLUNTARY, serves=[stockton]
    )
    assert isinstance(organisation, Organisation)
    return make_user(
        Role.EARLY_HELP_PRACTITIONER, organisation=organisation, username="lead.stockton"
    )


@pytest.fixture
def family(stockton: Council) -> Family:
    return make_family(stockton)


def an_episode(place: Place, family: Family, by: User) -> Episode:
    return make_episode(
        council=place.council,
        locality=place.locality,
        team=place.team,
        household=family.household,
        opened_by=by,
        children=[family.child],
    )


@pytest.fixture
def episode(place: Place, family: Family, manager: User) -> Episode:
    return an_episode(place, family, manager)
