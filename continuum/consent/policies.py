"""Who sees and records a person's consent. Registered with the one access policy.

A person's consent records are seen by whoever may see the person (their rules, restricted
records and involvement included). Recording consent, and recording its withdrawal, is for
those who work with the person now: the case staff of the person's council and
practitioners involved with them (not peer auditors, and not by emergency access, which is
for reading).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from continuum.access import policy
from continuum.access.models import Involvement
from continuum.accounts.models import User
from continuum.accounts.roles import COUNCIL_CASE_ROLES, PRACTITIONER_ROLES
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.people.models import Person
from continuum.people.policies import PeopleAction, people_visible_to


class ConsentAction:
    # To a person: see their consent; record a new consent.
    VIEW_ON = "consent.view_on"
    RECORD = "consent.record"
    # To a consent record: record a withdrawal from it.
    WITHDRAW = "consent.withdraw"


def consent_visible_to(user: User) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(person__in=people_visible_to(user))


def works_with(user: User, person: Person) -> bool:
    """Council case staff of the person's council, or a practitioner involved with them
    now."""
    if user.role not in COUNCIL_CASE_ROLES | PRACTITIONER_ROLES:
        return False
    if not policy.can(user, PeopleAction.VIEW, person):
        return False
    council = policy.council_of(user)
    if council is not None and person.council_id == council.pk:
        return True
    return Involvement.objects.active().filter(user=user, person=person).exists()


def _views_on(user: User, person: Any) -> bool:
    return isinstance(person, Person) and policy.can(user, PeopleAction.VIEW, person)


def _records(user: User, person: Any) -> bool:
    return isinstance(person, Person) and works_with(user, person)


def _withdraws(user: User, record: Any) -> bool:
    return isinstance(record, ConsentRecord) and works_with(user, record.person)


policy.register_scope(ConsentRecord, consent_visible_to)
policy.register_scope(
    ConsentWithdrawal,
    lambda user: ConsentWithdrawal.objects.filter(consent__in=consent_visible_to(user)),
)
policy.register_rule(ConsentAction.VIEW_ON, _views_on)
policy.register_rule(ConsentAction.RECORD, _records)
policy.register_rule(ConsentAction.WITHDRAW, _withdraws)
