"""Who may see and do what with the shared case record. Registered with the one access
policy, which every people page and API endpoint asks.

- The council's front-door workers, early help practitioners and team managers see the
  council's people; a break-glass grant shows them another council's person for its few
  hours.
- Partner practitioners, auditors and early help practitioners (of any agency) see a
  person while they have an active involvement with them (referrer, lead professional,
  Team Around the Family member, peer auditor), and not after.
- A restricted record is invisible to anyone not on its access list, everywhere.
- Only council staff of the record's own council change it; front-door workers and team
  managers may break the glass on another council's (unrestricted) record.
- Analysts, strategic leads, team managers and administrators see numbers of people per
  council, never names.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.access.models import BreakGlassGrant, Involvement, RestrictedAccess
from continuum.accounts.models import Role, User
from continuum.accounts.roles import (
    COUNCIL_CASE_ROLES,
    DASHBOARD_ROLES,
    FRONT_DOOR_ROLES,
    INVOLVEMENT_ROLES,
)
from continuum.people.models import Person


class PeopleAction:
    SEARCH = "people.search"
    CREATE = "people.create"
    VIEW = "people.view"
    EDIT = "people.edit"
    VIEW_ACCESS_LOG = "people.view_access_log"
    BREAK_GLASS = "people.break_glass"
    # Numbers of people per council (never names).
    VIEW_COUNTS = "people.view_counts"


def _not_restricted_or_listed(user: User) -> Q:
    listed = Exists(RestrictedAccess.objects.filter(person=OuterRef("pk"), user=user))
    return Q(is_restricted=False) | Q(listed)


def _active_involvement(user: User) -> Exists:
    return Exists(Involvement.objects.active().filter(user=user, person=OuterRef("pk")))


def _active_break_glass(user: User) -> Exists:
    now = timezone.now()
    return Exists(
        BreakGlassGrant.objects.filter(
            user=user,
            person=OuterRef("pk"),
            granted_at__lte=now,
            expires_at__gt=now,
            revoked_at__isnull=True,
        )
    )


def people_visible_to(user: User) -> QuerySet[Person]:
    """The people ``user`` may see by name. Everyone else gets none."""
    council = policy.council_of(user)
    reaches: list[Q] = []
    if council is not None:
        reaches += [Q(council=council), Q(_active_break_glass(user))]
    if user.role in INVOLVEMENT_ROLES:
        reaches.append(Q(_active_involvement(user)))
    if not reaches:
        return Person.objects.none()
    reach = reaches[0]
    for extra in reaches[1:]:
        reach |= extra
    return Person.objects.filter(reach).filter(_not_restricted_or_listed(user))


def _sees(user: User, person: Any) -> bool:
    return person is not None and people_visible_to(user).filter(pk=person.pk).exists()


def _can_search(user: User, _: Any) -> bool:
    return user.role in COUNCIL_CASE_ROLES | INVOLVEMENT_ROLES


def _can_create(user: User, _: Any) -> bool:
    return user.role in COUNCIL_CASE_ROLES | {Role.PARTNER_PRACTITIONER}


def _can_edit(user: User, person: Any) -> bool:
    return _sees(user, person) and policy.council_of(user) == person.council


def _can_view_access_log(user: User, person: Any) -> bool:
    return _sees(user, person) and user.role in COUNCIL_CASE_ROLES


def _can_break_glass(user: User, person: Any) -> bool:
    council = policy.council_of(user)
    return (
        person is not None
        and council is not None
        and user.role in FRONT_DOOR_ROLES
        and person.council_id != council.pk
        and not person.is_restricted
    )


def _can_view_counts(user: User, _: Any) -> bool:
    return user.role in DASHBOARD_ROLES | {Role.SYSTEM_ADMINISTRATOR}


policy.register_scope(Person, people_visible_to)
policy.register_rule(PeopleAction.SEARCH, _can_search)
policy.register_rule(PeopleAction.CREATE, _can_create)
policy.register_rule(PeopleAction.VIEW, _sees)
policy.register_rule(PeopleAction.EDIT, _can_edit)
policy.register_rule(PeopleAction.VIEW_ACCESS_LOG, _can_view_access_log)
policy.register_rule(PeopleAction.BREAK_GLASS, _can_break_glass)
policy.register_rule(PeopleAction.VIEW_COUNTS, _can_view_counts)
