"""Fixtures shared by every app's tests: councils, organisations and a user per role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from continuum.accounts.models import Role, User
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.testing import factories


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Test users' passwords need not resist attack; hashing them slowly only costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def stockton(db: Any) -> Council:
    return factories.tees_council("Stockton-on-Tees")


@pytest.fixture
def hartlepool(db: Any) -> Council:
    return factories.tees_council("Hartlepool")


@pytest.fixture
def school(db: Any, stockton: Council) -> Organisation:
    return factories.OrganisationFactory(
        name="Stockton Test Primary School", kind=OrganisationKind.SCHOOL, serves=[stockton]
    )


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    """make_user(role, council=None, organisation=None, **fields) -> a signed-in-able user.

    Council-staff roles default to the council's children's services; other roles to a
    partner organisation serving the council.
    """

    def make(
        role: str,
        *,
        council: Council | None = None,
        organisation: Organisation | None = None,
        **fields: Any,
    ) -> User:
        council = council or factories.tees_council("Stockton-on-Tees")
        if organisation is None:
            if role in {
                Role.FRONT_DOOR_WORKER,
                Role.EARLY_HELP_PRACTITIONER,
                Role.TEAM_MANAGER,
                Role.PERFORMANCE_ANALYST,
                Role.STRATEGIC_LEAD,
                Role.SYSTEM_ADMINISTRATOR,
                Role.AUDITOR,
            }:
                organisation = factories.council_services(council)
            else:
                organisation = factories.OrganisationFactory(
                    name=f"{council.name} Partner Agency",
                    kind=OrganisationKind.VOLUNTARY,
                    serves=[council],
                )
        return factories.UserFactory(role=role, organisation=organisation, **fields)

    return make


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A transactional test must restore the data migrations seeded (the threshold
    framework, outcome areas): its flush would otherwise empty them for the tests after it,
    and recreate content types under new ids that break the next restore."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            continue
        if marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.django_db(transaction=True, "
                "serialized_rollback=True)"
            )
