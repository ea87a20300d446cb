"""Fixtures for the early help tests: Stockton's North locality and its early help team, whose
manager and early help practitioner are the root conftest's (``manager``, ``eh_worker``), a
lead professional at a voluntary organisation, a Hartlepool manager, and a family (a child and
a parent in one household) with an episode waiting for allocation. The school's practitioner
is the root conftest's ``teacher``."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import pytest

from continuum.accounts.models import Role, User
from continuum.early_help.models import Episode
from continuum.early_help.tests.builders import Family, Place, make_episode, make_family, make_place
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.testing import factories


@pytest.fixture
def stockton_place(stockton: Council) -> Place:
    return make_place(stockton, "Stockton")


@pytest.fixture
def manager(manager: User, stockton_place: Place) -> User:
    """The root conftest's team manager, in Stockton North's early help team."""
    manager.teams.add(stockton_place.team)
    return manager


@pytest.fixture
def eh_worker(eh_worker: User, stockton_place: Place) -> User:
    """The root conftest's early help practitioner, in Stockton North's early help team."""
    eh_worker.teams.add(stockton_place.team)
    return eh_worker


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
    """An early help practitioner at a voluntary organisation: a lead professional."""
    return make_user(
        Role.EARLY_HELP_PRACTITIONER,
        organisation=vcs_organisation,
        username="vcs.stockton",
        first_name="Vic",
        last_name="Sayer",
    )


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
