"""Who may load attendance files and read a child's attendance. ``VIEW_ATTENDANCE`` is
registered with the one access policy here; ``can_import`` is the attendance file's rule,
registered with it by ``imports.registry.register`` (``education.feeds``).

- A council's own children's services staff (front-door workers, early help practitioners,
  team managers) load the attendance service's file for their council.
- A child's attendance is shown with their record to whoever may see the record and is
  council children's services staff or works for a school; other partners (health, police,
  the voluntary sector) do not see it.
"""

from __future__ import annotations

from typing import Any

from continuum.access import policy
from continuum.accounts.models import User
from continuum.accounts.roles import COUNCIL_CASE_ROLES
from continuum.organisations.models import OrganisationKind
from continuum.people.models import Person


class EducationAction:
    IMPORT_ATTENDANCE = "education.import_attendance"
    VIEW_ATTENDANCE = "education.view_attendance"


def can_import(user: User, council: Any) -> bool:
    own = policy.council_of(user)
    return own is not None and (council is None or own == council)


def _can_view(user: User, person: Any) -> bool:
    reads = user.role in COUNCIL_CASE_ROLES or (
        user.organisation is not None and user.organisation.kind == OrganisationKind.SCHOOL
    )
    if not reads:
        return False
    if person is None:
        return True
    return isinstance(person, Person) and policy.visible(user, Person).filter(pk=person.pk).exists()


policy.register_rule(EducationAction.VIEW_ATTENDANCE, _can_view)
