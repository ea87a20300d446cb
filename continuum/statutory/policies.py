"""Who may see and record a child's statutory involvement. Registered with the one access
policy.

The council's front-door workers, early help practitioners and team managers see the
statutory involvement of the council's children whose records they may see (a restricted
child's only if they are on the access list). Partners do not: what social care does
reaches them through the front door's outcome and the Team Around the Family. Analysts
and strategic leads see it only as aggregates, through the performance dashboards.

Recording what follows the front door's decision (the referral, the strategy discussion
and section 47 enquiry, the initial conference, the assessment and its authorisation) is
for the child's council's social care roles: its front-door workers (the multi-agency
safeguarding hub's social workers) and team managers (``RECORDING_ROLES``), for a child
whose record they may see. Early help practitioners read it; nobody else records it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from continuum.access import policy
from continuum.accounts.models import User
from continuum.accounts.roles import COUNCIL_CASE_ROLES, FRONT_DOOR_ROLES
from continuum.people.models import Person
from continuum.statutory.models import StatutoryInvolvement

# The council's social care roles: who records statutory involvement.
RECORDING_ROLES = FRONT_DOOR_ROLES


class StatutoryAction:
    # See a child's statutory involvement and its timescales (obj: the person), or the
    # council's lists of timescales (obj: None).
    VIEW = "statutory.view"
    # Record statutory involvement (obj: the person, a referral or part of one, or a
    # front-door decision to refer; None: may record for the council at all).
    RECORD = "statutory.record"


def involvement_visible_to(user: User) -> QuerySet[StatutoryInvolvement]:
    council = policy.council_of(user)
    if council is None or user.role not in COUNCIL_CASE_ROLES:
        return StatutoryInvolvement.objects.none()
    return StatutoryInvolvement.objects.filter(
        council=council, person__in=policy.visible(user, Person)
    )


def _person_of(obj: Any) -> Any:
    """The person a record concerns (a person, a statutory record); None otherwise."""
    if isinstance(obj, Person):
        return obj
    if isinstance(obj, StatutoryInvolvement):
        return obj.person
    return None


def _council_id_of(obj: Any) -> int | None:
    if isinstance(obj, StatutoryInvolvement):
        return obj.council_id
    if isinstance(obj, Person):
        return obj.council_id
    contact = getattr(obj, "contact", None)  # a front-door decision
    return getattr(contact, "council_id", None)


def _may(user: User, obj: Any, roles: frozenset[str]) -> bool:
    council = policy.council_of(user)
    if council is None or user.role not in roles:
        return False
    if obj is None:
        return True
    if _council_id_of(obj) != council.pk:
        return False
    person = _person_of(obj)
    if person is not None:
        return policy.visible(user, Person).filter(pk=person.pk).exists()
    contact = getattr(obj, "contact", None)
    if contact is not None:
        return policy.visible(user, "front_door.Contact").filter(pk=contact.pk).exists()
    return False


def _can_view(user: User, obj: Any) -> bool:
    return _may(user, obj, COUNCIL_CASE_ROLES)


def _can_record(user: User, obj: Any) -> bool:
    return _may(user, obj, RECORDING_ROLES)


policy.register_scope(StatutoryInvolvement, involvement_visible_to)
policy.register_rule(StatutoryAction.VIEW, _can_view)
policy.register_rule(StatutoryAction.RECORD, _can_record)
