"""Builders for the early help tests: a council's locality with its early help team, a
family (a child and a parent in one household), an episode, and a front-door decision asking
for early help."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from django.utils import timezone

from continuum.accounts.models import User
from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord
from continuum.consent.services import record_consent
from continuum.early_help.models import Episode
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.front_door.models import Contact, ContactDecision
from continuum.organisations.models import Council, Locality, Organisation, Team
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


def decided_for_early_help(council: Council, family: Family, by: User) -> ContactDecision:
    decided_at = timezone.now() - timedelta(days=4)
    contact = cast(
        Contact,
        factories.ContactFactory.create(
            council=council,
            status=ContactStatus.DECIDED,
            decided_at=decided_at,
            children=[family.child],
        ),
    )
    return ContactDecision.objects.create(
        contact=contact,
        level=3,
        outcome=Outcome.EARLY_HELP_MULTI,
        rationale="Several agencies are worried about school attendance and home routines.",
        decided_by=by,
        decided_at=decided_at,
    )


def agree_to_early_help(
    family: Family,
    by: User,
    *,
    taf: bool = True,
    agencies: Sequence[Organisation] = (),
) -> tuple[ConsentRecord, ConsentRecord]:
    """The family's agreement to early help, recorded as a practitioner would: the parent
    for themselves and for the child, sharing with the whole Team Around the Family (or
    only the agencies named)."""
    kinds = [InformationKind.FAMILY, InformationKind.EDUCATION]
    common: dict[str, Any] = {
        "by": by,
        "agrees_to_early_help": True,
        "shares_with_taf": taf,
        "agencies": list(agencies),
        "information_kinds": kinds if taf or agencies else [],
        "obtained_how": ObtainedHow.SIGNED_FORM,
        "obtained_on": timezone.localdate(),
    }
    parent = record_consent(person=family.parent, given_by=GivenBy.SELF, **common)
    child = record_consent(
        person=family.child, given_by=GivenBy.PARENT, given_by_person=family.parent, **common
    )
    return parent, child
