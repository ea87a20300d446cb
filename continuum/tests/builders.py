"""Typed shorthands over the shared factories, for the cross-cutting tests."""

from __future__ import annotations

from typing import Any, cast

from continuum.accounts.models import User
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.models import Person
from continuum.testing import factories


def council_staff(council: Council, *, username: str, role: str) -> User:
    """A user employed by ``council``'s children's services."""
    return a_user(username=username, role=role, organisation=factories.council_services(council))


def partner_agency(council: Council, name: str = "Stockton Family Support (test)") -> Organisation:
    """A voluntary organisation serving ``council``."""
    organisation = factories.OrganisationFactory(
        name=name, kind=OrganisationKind.VOLUNTARY, serves=[council]
    )
    return cast(Organisation, organisation)


def a_user(*, username: str, role: str, organisation: Organisation) -> User:
    user = factories.UserFactory(username=username, role=role, organisation=organisation)
    return cast(User, user)


def a_person(council: Council, **fields: Any) -> Person:
    return cast(Person, factories.PersonFactory(council=council, **fields))
