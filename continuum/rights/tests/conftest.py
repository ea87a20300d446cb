"""The rights tests' records: a Stockton family (a child, her brother and their mother in
one household), a contact about both children, an episode for them with a sensitive case
note, and a subject access request about the child handled by Stockton's information
governance lead."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.utils import timezone

from continuum.accounts.models import User
from continuum.case_notes.models import CaseNote
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.organisations.models import Council
from continuum.people.choices import PersonKind
from continuum.people.models import Household, HouseholdMember, Person
from continuum.rights.models import RightsRequest
from continuum.testing import factories


@pytest.fixture
def family(stockton: Council) -> dict[str, Person]:
    household = cast(Household, factories.HouseholdFactory(council=stockton, name="Quarrington"))
    people: dict[str, Any] = {
        "child": factories.PersonFactory(
            council=stockton, given_name="Elowen", family_name="Quarrington"
        ),
        "brother": factories.PersonFactory(
            council=stockton, given_name="Tobias", family_name="Quarrington"
        ),
        "mother": factories.PersonFactory(
            council=stockton,
            given_name="Morwenna",
            family_name="Quarrington",
            kind=PersonKind.ADULT,
            date_of_birth=None,
        ),
    }
    for person in people.values():
        HouseholdMember.objects.create(household=household, person=person)
    return cast(dict[str, Person], people)


@pytest.fixture
def records(family: dict[str, Person], stockton: Council, manager: User) -> dict[str, Any]:
    contact = cast(
        Contact,
        factories.ContactFactory(
            council=stockton,
            children=[family["child"], family["brother"]],
            referrer_name="Petroc Angarrack",
        ),
    )
    episode = cast(
        Episode,
        factories.EpisodeFactory(council=stockton, children=[family["child"], family["brother"]]),
    )
    note = CaseNote.objects.create(
        episode=episode,
        note_type="home_visit",
        occurred_at=timezone.now(),
        present="Elowen, Tobias and their mother",
        text="Elowen spoke about school; the note is sensitive.",
        sensitive=True,
        author=manager,
    )
    return {"contact": contact, "episode": episode, "note": note}


@pytest.fixture
def access_request(family: dict[str, Person], stockton: Council, ig_lead: User) -> RightsRequest:
    return cast(
        RightsRequest,
        factories.RightsRequestFactory(council=stockton, person=family["child"], logged_by=ig_lead),
    )
