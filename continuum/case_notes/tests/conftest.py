"""Fixtures for the case note tests: a Stockton family of two children with an episode led
by a practitioner of a voluntary organisation, a TAF member from another organisation, the
council's early help practitioner (root conftest) and a contact about a child of
Stockton, screened by the front door (root conftest's ``worker``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import cast

import pytest
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode, TafMember
from continuum.front_door.models import Contact
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.testing import factories


@pytest.fixture
def trust(stockton: Council) -> Organisation:
    return cast(
        Organisation,
        factories.OrganisationFactory(
            name="Stockton Family Support Trust", kind=OrganisationKind.VOLUNTARY, serves=[stockton]
        ),
    )


@pytest.fixture
def lead(make_user: Callable[..., User], trust: Organisation) -> User:
    return make_user(
        Role.EARLY_HELP_PRACTITIONER,
        organisation=trust,
        username="lead.trust",
        first_name="Lena",
        last_name="Haddow",
    )


@pytest.fixture
def lead_colleague(make_user: Callable[..., User], trust: Organisation) -> User:
    """Another practitioner of the lead's organisation, in the TAF."""
    return make_user(Role.PARTNER_PRACTITIONER, organisation=trust, username="colleague.trust")


@pytest.fixture
def taf_partner(make_user: Callable[..., User], stockton: Council) -> User:
    """A school nurse's practitioner account at another organisation, in the TAF."""
    return make_user(Role.PARTNER_PRACTITIONER, council=stockton, username="taf.partner")


@pytest.fixture
def children(stockton: Council) -> list[Person]:
    today = timezone.localdate()
    return [
        cast(
            Person,
            factories.PersonFactory(
                council=stockton,
                kind=PersonKind.CHILD,
                given_name=name,
                family_name="Tarrant",
                date_of_birth=date(today.year - age, 3, 1),
            ),
        )
        for name, age in (("Maisie", 9), ("Alfie", 3))
    ]


@pytest.fixture
def episode(stockton: Council, lead: User, taf_partner: User, children: list[Person]) -> Episode:
    episode = cast(
        Episode,
        factories.EpisodeFactory(
            council=stockton,
            children=children,
            status=EpisodeStatus.ALLOCATED,
            lead_professional=lead,
            lead_professional_organisation=lead.organisation,
            allocation_reason="Knows the family from the parenting group.",
            allocated_at=timezone.now() - timedelta(days=3),
        ),
    )
    TafMember.objects.create(
        episode=episode,
        user=taf_partner,
        organisation=taf_partner.organisation,  # type: ignore[misc]
        joined_on=timezone.localdate() - timedelta(days=2),
    )
    return episode


@pytest.fixture
def contact(stockton: Council, child: Person) -> Contact:
    return cast(Contact, factories.ContactFactory(council=stockton, children=[child]))


def an_hour_ago() -> object:
    return timezone.now() - timedelta(hours=1)
