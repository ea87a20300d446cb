"""Fixtures for the people tests: Jon Smith, a Stockton child with an NHS number, an alias,
an address and a household, and a test client signed in as Stockton's front-door worker."""

from __future__ import annotations

import pytest
from django.test import Client

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.people import services
from continuum.people.models import Person
from continuum.people.tests.builders import DOB


@pytest.fixture
def jon(stockton: Council) -> Person:
    person = services.create_person(
        created_by=None,
        council=stockton,
        given_name="Jon",
        family_name="Smith",
        date_of_birth=DOB,
        nhs_number="9434765919",
        aliases=[{"given_name": "Johnny", "family_name": "Smith"}],
        address={"line_1": "1 High Street", "town": "Stockton", "postcode": "TS18 1LD"},
    )
    household = services.create_household(council=stockton, name="Smith", created_by=None)
    services.add_household_member(household=household, person=person, added_by=None)
    return person


@pytest.fixture
def signed_in(client: Client, worker: User) -> Client:
    """The test client, signed in as Stockton's front-door worker."""
    client.force_login(worker)
    return client
