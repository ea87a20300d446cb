"""A family for consent's tests: a child of Stockton (14, so old enough to be asked for
their own consent) and two parents in their household."""

from __future__ import annotations

from datetime import date
from typing import cast

import pytest
from django.utils import timezone

from continuum.organisations.models import Council
from continuum.people.choices import PersonKind
from continuum.people.models import Household, Person
from continuum.testing import factories


@pytest.fixture
def child(stockton: Council) -> Person:
    today = timezone.localdate()
    return cast(
        Person,
        factories.PersonFactory(
            council=stockton, kind=PersonKind.CHILD, date_of_birth=date(today.year - 14, 1, 15)
        ),
    )


@pytest.fixture
def household(child: Person) -> Household:
    household = cast(Household, factories.HouseholdFactory(council=child.council, name="Quarry"))
    factories.HouseholdMemberFactory(household=household, person=child)
    return household


@pytest.fixture
def mother(child: Person, household: Household) -> Person:
    adult = cast(
        Person,
        factories.PersonFactory(
            council=child.council, kind=PersonKind.ADULT, given_name="Maren", date_of_birth=None
        ),
    )
    factories.HouseholdMemberFactory(household=household, person=adult)
    return adult


@pytest.fixture
def father(child: Person, household: Household) -> Person:
    adult = cast(
        Person,
        factories.PersonFactory(
            council=child.council, kind=PersonKind.ADULT, given_name="Tobias", date_of_birth=None
        ),
    )
    factories.HouseholdMemberFactory(household=household, person=adult)
    return adult
