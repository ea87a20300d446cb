"""Who may see a child's statutory involvement. Registered with the one access policy.

The council's front-door workers, early help practitioners and team managers see the
statutory involvement of the council's children whose records they may see (a restricted
child's only if they are on the access list). Partners do not: what social care does
reaches them through the front door's outcome and the Team Around the Family. Analysts
and strategic leads see it only as aggregates, through the performance dashboards.
"""

from __future__ import annotations

from django.db.models import QuerySet

from continuum.access import policy
from continuum.accounts.models import User
from continuum.accounts.roles import COUNCIL_CASE_ROLES
from continuum.people.models import Person
from continuum.statutory.models import StatutoryInvolvement


def involvement_visible_to(user: User) -> QuerySet[StatutoryInvolvement]:
    council = policy.council_of(user)
    if council is None or user.role not in COUNCIL_CASE_ROLES:
        return StatutoryInvolvement.objects.none()
    return StatutoryInvolvement.objects.filter(
        council=council, person__in=policy.visible(user, Person)
    )


policy.register_scope(StatutoryInvolvement, involvement_visible_to)
